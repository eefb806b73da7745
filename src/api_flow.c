/* .Call entry for the gradient flow of a diagonal linear network: check,
 * run the stiff integrator, return E, Z and b on the grid (the states on the
 * grid are what coef() restarts the integration from). */
#include <R.h>
#include <Rinternals.h>
#include <math.h>
#include <string.h>
#include "check.h"
#include "flow.h"
#include "dlnpath.h"

SEXP C_dln_flow(SEXP M, SEXP X, SEXP r, SEXP logcp, SEXP logcm, SEXP L,
                SEXP kappa, SEXP s0, SEXP E0, SEXP Z0, SEXP s_out, SEXP tol,
                SEXP max_steps, SEXP progress, SEXP blas)
{
    check_simd_option();
    flow_problem P;
    P.r = check_real(r, "r", -1);
    P.p = (int) XLENGTH(r);
    const int p = P.p;
    P.M = check_matrix(M, "M", p, p);
    /* X (n x p, M = X'X/n), optional: the solves may go through it */
    P.X = NULL;
    P.n = 0;
    if (!Rf_isNull(X)) {
        if (!Rf_isMatrix(X) || Rf_nrows(X) < 1) Rf_error("'X' must be NULL or a matrix");
        P.n = Rf_nrows(X);
        P.X = check_matrix(X, "X", P.n, p);
    }
    P.logcp = check_logc(logcp, "logcp", p);
    P.logcm = check_logc(logcm, "logcm", p);
    P.L = check_num(L, "L", 1e-300, 1e300);
    P.kappa = check_num(kappa, "kappa", 0.0, 1e300);
    P.blas = check_flag(blas, "blas");
    double start = check_num(s0, "s0", 0.0, 1e300);
    const double *e0 = check_real(E0, "E0", p);
    const double *z0 = check_real(Z0, "Z0", p);
    const double *grid = check_real(s_out, "s_out", -1);
    int nout = (int) XLENGTH(s_out);
    for (int k = 0; k < nout; k++)
        if (grid[k] < start || (k > 0 && grid[k] < grid[k - 1]))
            Rf_error("'s_out' must be non-decreasing and at least 's0'");

    flow_control ctl;
    ctl.tol = check_num(tol, "tol", 1e-15, 1.0);
    ctl.max_steps = check_int(max_steps, "max_steps", 1, 2000000000);
    ctl.progress = check_flag(progress, "progress");

    const char *names[] = {"E", "Z", "b", "status", "s_fail", "naccept",
                           "nreject", "nrhs", "nlu", ""};
    SEXP ans = PROTECT(Rf_mkNamed(VECSXP, names));
    SEXP Eo = Rf_allocMatrix(REALSXP, p, nout);
    SET_VECTOR_ELT(ans, 0, Eo);
    SEXP Zo = Rf_allocMatrix(REALSXP, p, nout);
    SET_VECTOR_ELT(ans, 1, Zo);
    SEXP bo = Rf_allocMatrix(REALSXP, p, nout);
    SET_VECTOR_ELT(ans, 2, bo);
    for (R_xlen_t i = 0; i < XLENGTH(Zo); i++)
        REAL(Eo)[i] = REAL(Zo)[i] = REAL(bo)[i] = NA_REAL;

    if (p > 0) {
        flow_integrate(&P, start, e0, z0, nout, grid, REAL(Eo), REAL(Zo),
                       REAL(bo), &ctl);
    } else {
        ctl.status = FLOW_OK;
        ctl.s_fail = NA_REAL;
        ctl.naccept = ctl.nreject = ctl.nrhs = ctl.nlu = 0;
    }

    SET_VECTOR_ELT(ans, 3, Rf_ScalarInteger(ctl.status));
    SET_VECTOR_ELT(ans, 4, Rf_ScalarReal(ctl.s_fail));
    SET_VECTOR_ELT(ans, 5, Rf_ScalarInteger(ctl.naccept));
    SET_VECTOR_ELT(ans, 6, Rf_ScalarInteger(ctl.nreject));
    SET_VECTOR_ELT(ans, 7, Rf_ScalarInteger(ctl.nrhs));
    SET_VECTOR_ELT(ans, 8, Rf_ScalarInteger(ctl.nlu));
    UNPROTECT(1);
    return ans;
}

/* TRUE when R's BLAS/LAPACK does the flow's dense work faster than its
 * written-out loops (timed once per session by the R side). */
SEXP C_flow_blas_faster(void)
{
    return Rf_ScalarLogical(flow_blas_faster());
}

/* b = f(s, E) for given (s, E) pairs: the network's predictor from its state. */
SEXP C_dln_rhs(SEXP logcp, SEXP logcm, SEXP L, SEXP kappa, SEXP s, SEXP E)
{
    flow_problem P;
    const double *ss = check_real(s, "s", -1);
    int k = (int) XLENGTH(s);
    if (!Rf_isMatrix(E) || Rf_ncols(E) != k) Rf_error("'E' must have one column per 's'");
    P.p = Rf_nrows(E);
    const int p = P.p;
    const double *ee = check_matrix(E, "E", p, k);
    P.M = P.r = NULL;
    P.blas = 0;
    P.logcp = check_logc(logcp, "logcp", p);
    P.logcm = check_logc(logcm, "logcm", p);
    P.L = check_num(L, "L", 1e-300, 1e300);
    P.kappa = check_num(kappa, "kappa", 0.0, 1e300);
    SEXP ans = PROTECT(Rf_allocMatrix(REALSXP, p, k));
    for (int j = 0; j < k && p > 0; j++)
        flow_f(&P, ss[j], ee + (size_t) j * p, REAL(ans) + (size_t) j * p, NULL,
               NULL);
    UNPROTECT(1);
    return ans;
}
