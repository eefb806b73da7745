/* .Call entries of the data preparation (R/prepare.R): glmnet's
 * standardization of a design and its Gram matrix X'X/n; the choice of the
 * dense kernels' build (kernels.h). */
#include <R.h>
#include <Rinternals.h>
#include "check.h"
#include "gram.h"
#include "kernels.h"
#include "prepare.h"
#include "dlnpath.h"

SEXP C_standardize(SEXP X, SEXP intercept, SEXP standardize)
{
    check_simd_option();
    if (!Rf_isMatrix(X)) Rf_error("'X' must be a double matrix");
    int n = Rf_nrows(X), p = Rf_ncols(X);
    if (n < 1) Rf_error("'X' must have at least one row");
    const double *x = check_matrix(X, "X", n, p);
    int icpt = check_flag(intercept, "intercept");
    int std = check_flag(standardize, "standardize");
    const char *names[] = {"x", "center", "scale", "constant", ""};
    SEXP ans = PROTECT(Rf_mkNamed(VECSXP, names));
    SEXP xs = Rf_allocMatrix(REALSXP, n, p);
    SET_VECTOR_ELT(ans, 0, xs);
    Rf_setAttrib(xs, R_DimNamesSymbol, Rf_getAttrib(X, R_DimNamesSymbol));
    SEXP center = Rf_allocVector(REALSXP, p);
    SET_VECTOR_ELT(ans, 1, center);
    SEXP scale = Rf_allocVector(REALSXP, p);
    SET_VECTOR_ELT(ans, 2, scale);
    SEXP constant = Rf_allocVector(LGLSXP, p);
    SET_VECTOR_ELT(ans, 3, constant);
    standardize_columns(n, p, x, icpt, std, REAL(xs), REAL(center),
                        REAL(scale), LOGICAL(constant));
    UNPROTECT(1);
    return ans;
}

SEXP C_gram_matrix(SEXP X)
{
    check_simd_option();
    if (!Rf_isMatrix(X)) Rf_error("'X' must be a double matrix");
    int n = Rf_nrows(X), p = Rf_ncols(X);
    if (n < 1) Rf_error("'X' must have at least one row");
    const double *x = check_matrix(X, "X", n, p);
    SEXP M = PROTECT(Rf_allocMatrix(REALSXP, p, p));
    gram_matrix(n, p, x, REAL(M));
    UNPROTECT(1);
    return M;
}

/* Whether the AVX2 + FMA kernels can be used here. */
SEXP C_simd_available(void)
{
    return Rf_ScalarLogical(kern_simd_available());
}
