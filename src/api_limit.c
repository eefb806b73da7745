/* .Call entry for the epsilon -> 0 limit of a diagonal linear network:
 * check, run the saddle-to-saddle recursion, return its phases. */
#include <R.h>
#include <Rinternals.h>
#include <string.h>
#include "check.h"
#include "limit.h"
#include "dlnpath.h"

SEXP C_dln_limit(SEXP M, SEXP r, SEXP kappa, SEXP onesided, SEXP max_phases,
                 SEXP tol)
{
    check_simd_option();
    const double *rr = check_real(r, "r", -1);
    int p = (int) XLENGTH(r);
    const double *MM = check_matrix(M, "M", p, p);
    double k = check_num(kappa, "kappa", 0.0, 1e300);
    int one = check_flag(onesided, "onesided");
    int cap = check_int(max_phases, "max_phases", 1, 100000000);
    double tl = check_num(tol, "tol", 0.0, 0.5);

    limit_path P;
    limit_run(p, MM, rr, k, one, cap, tl, &P);

    const char *names[] = {"s", "Z", "E", "b", "s_end", "status",
                           "nsub_capped", ""};
    SEXP ans = PROTECT(Rf_mkNamed(VECSXP, names));
    size_t len = (size_t) p * P.nphase;
    SEXP s = Rf_allocVector(REALSXP, P.nphase);
    SET_VECTOR_ELT(ans, 0, s);
    memcpy(REAL(s), P.s, (size_t) P.nphase * sizeof(double));
    double *src[] = {P.Z, P.E, P.b};
    for (int j = 0; j < 3; j++) {
        SEXP m = Rf_allocMatrix(REALSXP, p, P.nphase);
        SET_VECTOR_ELT(ans, 1 + j, m);
        if (len) memcpy(REAL(m), src[j], len * sizeof(double));
    }
    SET_VECTOR_ELT(ans, 4, Rf_ScalarReal(P.s_end));
    SET_VECTOR_ELT(ans, 5, Rf_ScalarInteger(P.status));
    SET_VECTOR_ELT(ans, 6, Rf_ScalarInteger(P.nsub_capped));
    UNPROTECT(1);
    return ans;
}
