/* .Call entry for the exact lasso path: check, set up the Gram operator,
 * run the kernel, copy its buffers into an R list. */
#include <R.h>
#include <Rinternals.h>
#include <string.h>
#include "check.h"
#include "homotopy.h"
#include "dlnpath.h"

SEXP C_homotopy(SEXP M, SEXP X, SEXP r, SEXP w, SEXP nonneg, SEXP max_knots,
                SEXP rank_max)
{
    check_simd_option();
    if (!Rf_isMatrix(M) && !Rf_isMatrix(X))
        Rf_error("one of 'M' and 'X' must be a matrix");
    const double *rr = check_real(r, "r", -1);
    int p = (int) XLENGTH(r), n = 0;
    gram_op G;
    if (Rf_isMatrix(M)) {
        gram_init(&G, p, 0, check_matrix(M, "M", p, p), NULL);
    } else {
        n = Rf_nrows(X);
        if (n < 1) Rf_error("'X' must have at least one row");
        gram_init(&G, p, n, NULL, check_matrix(X, "X", n, p));
    }
    if (TYPEOF(w) != REALSXP || XLENGTH(w) != p)
        Rf_error("'w' must be a double vector of length %d", p);
    const double *ww = REAL_RO(w);
    for (int j = 0; j < p; j++)
        if (ISNAN(ww[j]) || ww[j] < 0.0)
            Rf_error("'w' must be non-negative (element %d is not)", j + 1);
    int nn = check_flag(nonneg, "nonneg");
    int cap = check_int(max_knots, "max_knots", 1, 100000000);
    int rank = check_int(rank_max, "rank_max", 1, p > 1 ? p : 1);

    homotopy_path P;
    homotopy_run(&G, rr, ww, nn, cap, rank, &P);

    const char *names[] = {"lambda", "beta", "df", "event_knot", "event_var",
                           "event_type", "status", "unresolved", "zeroed", ""};
    SEXP ans = PROTECT(Rf_mkNamed(VECSXP, names));
    SEXP lam = Rf_allocVector(REALSXP, P.nknot);
    SET_VECTOR_ELT(ans, 0, lam);
    memcpy(REAL(lam), P.lambda, (size_t) P.nknot * sizeof(double));
    SEXP beta = Rf_allocMatrix(REALSXP, p, P.nknot);
    SET_VECTOR_ELT(ans, 1, beta);
    if (p > 0)
        memcpy(REAL(beta), P.beta, (size_t) p * P.nknot * sizeof(double));
    SEXP df = Rf_allocVector(INTSXP, P.nknot);     /* nonzero coefficients */
    SET_VECTOR_ELT(ans, 2, df);
    for (int k = 0; k < P.nknot; k++) {
        const double *bk = P.beta + (size_t) k * p;
        int nz = 0;
        for (int j = 0; j < p; j++) nz += bk[j] != 0.0;
        INTEGER(df)[k] = nz;
    }
    SEXP ek = Rf_allocVector(INTSXP, P.nevent);
    SET_VECTOR_ELT(ans, 3, ek);
    SEXP ev = Rf_allocVector(INTSXP, P.nevent);
    SET_VECTOR_ELT(ans, 4, ev);
    SEXP et = Rf_allocVector(INTSXP, P.nevent);
    SET_VECTOR_ELT(ans, 5, et);
    for (int e = 0; e < P.nevent; e++) {
        INTEGER(ek)[e] = P.ev_knot[e] + 1;
        INTEGER(ev)[e] = P.ev_var[e] + 1;
        INTEGER(et)[e] = P.ev_type[e];
    }
    SET_VECTOR_ELT(ans, 6, Rf_ScalarInteger(P.status));
    SET_VECTOR_ELT(ans, 7, Rf_ScalarInteger(P.unresolved));
    SET_VECTOR_ELT(ans, 8, Rf_ScalarInteger(P.zeroed));
    UNPROTECT(1);
    return ans;
}
