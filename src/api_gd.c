/* .Call entry for gradient descent on a diagonal linear network: check,
 * set up the gradient (Gram matrix, design, or minibatches of rows), run
 * the kernel from the initialization or from a saved state, and return b
 * and the exact state at every requested iteration. */
#include <R.h>
#include <Rinternals.h>
#include <string.h>
#include "check.h"
#include "linalg.h"
#include "gd.h"
#include "dlnpath.h"

static const char *state_names[] = {"mp", "ep", "mm", "em", "S", "C"};

SEXP C_dln_gd(SEXP M, SEXP X, SEXP Xt, SEXP y, SEXP r, SEXP logcp,
              SEXP logcm, SEXP L, SEXP kappa, SEXP u2, SEXP step, SEXP batch,
              SEXP k_out, SEXP state0, SEXP progress)
{
    check_simd_option();
    gd_problem P;
    P.r = check_real(r, "r", -1);
    P.p = (int) XLENGTH(r);
    const int p = P.p;
    gram_op G;
    if (Rf_isMatrix(M)) {
        gram_init(&G, p, 0, check_matrix(M, "M", p, p), NULL);
    } else if (Rf_isMatrix(X)) {
        int n = Rf_nrows(X);
        if (n < 1) Rf_error("'X' must have at least one row");
        gram_init(&G, p, n, NULL, check_matrix(X, "X", n, p));
    } else {
        Rf_error("one of 'M' and 'X' must be a matrix");
    }
    P.G = &G;
    P.batch = check_int(batch, "batch", 0, 2000000000);
    P.Xt = P.y = NULL;
    P.n = 0;
    if (P.batch > 0) {
        if (!Rf_isMatrix(Xt) || Rf_nrows(Xt) != p)
            Rf_error("'Xt' must be a matrix with %d rows for minibatches", p);
        P.n = Rf_ncols(Xt);
        P.Xt = check_matrix(Xt, "Xt", p, P.n);
        P.y = check_real(y, "y", P.n);
        if (P.batch > P.n) Rf_error("'batch' must be at most the number of rows");
    }
    const double *lcp = check_logc(logcp, "logcp", p);
    const double *lcm = check_logc(logcm, "logcm", p);
    double LL = check_num(L, "L", 1e-300, 1e300);
    P.kappa = check_num(kappa, "kappa", 0.0, 1e300);
    P.u2 = check_flag(u2, "u2");
    P.step = check_num(step, "step", 1e-300, 1e300);
    const double *kk = check_real(k_out, "k_out", -1);
    int nout = (int) XLENGTH(k_out);

    gd_state st;
    if (Rf_isNull(state0)) {
        gd_state_init(&st, p, lcp, lcm, LL);
    } else {
        if (TYPEOF(state0) != VECSXP || XLENGTH(state0) != 7)
            Rf_error("'state0' must be a list of k and 6 vectors");
        gd_state_alloc(&st, p);
        st.k = check_num(VECTOR_ELT(state0, 0), "state0$k", 0.0, 9e15);
        double *dst[6] = {st.mp, st.ep, st.mm, st.em, st.S, st.C};
        for (int a = 0; a < 6; a++)
            memcpy(dst[a], check_real(VECTOR_ELT(state0, a + 1), state_names[a], p),
                   (size_t) p * sizeof(double));
    }
    for (int j = 0; j < nout; j++)
        if (kk[j] < st.k || kk[j] > 9e15 || kk[j] != (double) (long long) kk[j] ||
            (j > 0 && kk[j] < kk[j - 1]))
            Rf_error("'k_out' must be non-decreasing whole numbers from the start");

    gd_control ctl;
    ctl.progress = check_flag(progress, "progress");
    ctl.flips_p = (double *) R_alloc((size_t) (p > 0 ? p : 1), sizeof(double));
    ctl.flips_m = (double *) R_alloc((size_t) (p > 0 ? p : 1), sizeof(double));

    const char *names[] = {"b", "k", "mp", "ep", "mm", "em", "S", "C", "status",
                           "k_fail", "idx_g", "k_idx_g", "idx_c", "k_idx_c",
                           "flips_p", "flips_m", "first_flip", ""};
    SEXP ans = PROTECT(Rf_mkNamed(VECSXP, names));
    SEXP bo = Rf_allocMatrix(REALSXP, p, nout);
    SET_VECTOR_ELT(ans, 0, bo);
    SEXP ko = Rf_allocVector(REALSXP, nout);
    SET_VECTOR_ELT(ans, 1, ko);
    if (nout > 0) memcpy(REAL(ko), kk, (size_t) nout * sizeof(double));
    double *ck[6];
    for (int a = 0; a < 6; a++) {
        SEXP m = Rf_allocMatrix(REALSXP, p, nout);
        SET_VECTOR_ELT(ans, a + 2, m);
        ck[a] = REAL(m);
    }
    gd_run(&P, &st, nout, kk, REAL(bo), ck, &ctl);

    SET_VECTOR_ELT(ans, 8, Rf_ScalarInteger(ctl.status));
    SET_VECTOR_ELT(ans, 9, Rf_ScalarReal(ctl.k_fail));
    SET_VECTOR_ELT(ans, 10, Rf_ScalarReal(ctl.idx_g));
    SET_VECTOR_ELT(ans, 11, Rf_ScalarReal(ctl.k_idx_g));
    SET_VECTOR_ELT(ans, 12, Rf_ScalarReal(ctl.idx_c));
    SET_VECTOR_ELT(ans, 13, Rf_ScalarReal(ctl.k_idx_c));
    SEXP fp = Rf_allocVector(REALSXP, p);
    SET_VECTOR_ELT(ans, 14, fp);
    SEXP fm = Rf_allocVector(REALSXP, p);
    SET_VECTOR_ELT(ans, 15, fm);
    if (p > 0) {
        memcpy(REAL(fp), ctl.flips_p, (size_t) p * sizeof(double));
        memcpy(REAL(fm), ctl.flips_m, (size_t) p * sizeof(double));
    }
    SET_VECTOR_ELT(ans, 16, Rf_ScalarReal(ctl.first_flip));
    UNPROTECT(1);
    return ans;
}

/* `reps` products y = M x with BLAS (dsymv, or dgemv when general is TRUE):
 * the per-step floor that the benchmarks compare gradient descent with. */
SEXP C_matvec_loop(SEXP M, SEXP x, SEXP reps, SEXP general)
{
    const double *xx = check_real(x, "x", -1);
    int p = (int) XLENGTH(x);
    const double *MM = check_matrix(M, "M", p, p);
    int nrep = check_int(reps, "reps", 0, 2000000000);
    int gen = check_flag(general, "general");
    double *out = (double *) R_alloc((size_t) (p > 0 ? p : 1), sizeof(double));
    double *in = (double *) R_alloc((size_t) (p > 0 ? p : 1), sizeof(double));
    const double one = 1.0, zero = 0.0;
    const int inc = 1;
    if (p > 0) memcpy(in, xx, (size_t) p * sizeof(double));
    double acc = 0.0;
    for (int k = 0; k < nrep; k++) {
        if (gen)
            F77_CALL(dgemv)("N", &p, &p, &one, MM, &p, in, &inc, &zero, out,
                            &inc FCONE);
        else
            sym_mv(p, MM, in, out);
        if (p > 0) {
            acc += out[k % p];
            in[k % p] += 1e-300;   /* keep the loop from being optimized away */
        }
        if ((k & 4095) == 4095) R_CheckUserInterrupt();
    }
    return Rf_ScalarReal(acc);
}
