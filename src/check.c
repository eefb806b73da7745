#include <R.h>
#include <math.h>
#include "check.h"
#include "kernels.h"

static void check_finite(SEXP x, const char *name)
{
    const double *v = REAL_RO(x);
    R_xlen_t n = XLENGTH(x);
    /* x - x is 0 for a finite x and NaN otherwise: sums over blocks without
     * a branch (two partial sums, packed by -O2); a NaN sum sends the block
     * to the element-wise search for the message */
    for (R_xlen_t start = 0; start < n; start += 512) {
        R_xlen_t end = n - start < 512 ? n : start + 512, i = start;
        double s0 = 0.0, s1 = 0.0;
        for (; i + 1 < end; i += 2) {
            s0 += v[i] - v[i];
            s1 += v[i + 1] - v[i + 1];
        }
        if (i < end) s0 += v[i] - v[i];
        if (s0 + s1 == 0.0) continue;
        for (i = start; i < end; i++)
            if (!isfinite(v[i]))
                Rf_error("'%s' must be finite (element %lld is not)", name,
                         (long long) i + 1);
    }
}

const double *check_real(SEXP x, const char *name, R_xlen_t len)
{
    if (TYPEOF(x) != REALSXP) Rf_error("'%s' must be a double vector", name);
    if (len >= 0 && XLENGTH(x) != len)
        Rf_error("'%s' must have length %lld, not %lld", name, (long long) len,
                 (long long) XLENGTH(x));
    check_finite(x, name);
    return REAL_RO(x);
}

const double *check_matrix(SEXP x, const char *name, int nrow, int ncol)
{
    if (TYPEOF(x) != REALSXP || !Rf_isMatrix(x))
        Rf_error("'%s' must be a double matrix", name);
    if ((nrow >= 0 && Rf_nrows(x) != nrow) || (ncol >= 0 && Rf_ncols(x) != ncol))
        Rf_error("'%s' must be %d x %d, not %d x %d", name, nrow, ncol,
                 Rf_nrows(x), Rf_ncols(x));
    check_finite(x, name);
    return REAL_RO(x);
}

int check_int(SEXP x, const char *name, int lo, int hi)
{
    if (!Rf_isNumeric(x) || XLENGTH(x) != 1)
        Rf_error("'%s' must be a single number", name);
    int v = Rf_asInteger(x);
    if (v == NA_INTEGER || v < lo || v > hi)
        Rf_error("'%s' must be an integer in [%d, %d]", name, lo, hi);
    return v;
}

double check_num(SEXP x, const char *name, double lo, double hi)
{
    if (!Rf_isNumeric(x) || XLENGTH(x) != 1)
        Rf_error("'%s' must be a single number", name);
    double v = Rf_asReal(x);
    if (!(v >= lo && v <= hi))
        Rf_error("'%s' must be a number in [%g, %g]", name, lo, hi);
    return v;
}

int check_flag(SEXP x, const char *name)
{
    if (!Rf_isLogical(x) || XLENGTH(x) != 1 || LOGICAL_RO(x)[0] == NA_LOGICAL)
        Rf_error("'%s' must be TRUE or FALSE", name);
    return LOGICAL_RO(x)[0];
}

const double *check_logc(SEXP x, const char *name, int p)
{
    if (TYPEOF(x) != REALSXP || XLENGTH(x) != p)
        Rf_error("'%s' must be a double vector of length %d", name, p);
    const double *v = REAL_RO(x);
    for (int i = 0; i < p; i++)
        if (ISNAN(v[i]) || v[i] == R_PosInf)
            Rf_error("'%s' must be finite or -Inf (element %d is not)", name, i + 1);
    return v;
}

void check_simd_option(void)
{
    SEXP opt = Rf_GetOption1(Rf_install("dlnpath.simd"));
    int use = 1;
    if (opt != R_NilValue) {
        if (!Rf_isLogical(opt) || XLENGTH(opt) != 1 || LOGICAL(opt)[0] == NA_LOGICAL)
            Rf_error("%s", "option 'dlnpath.simd' must be TRUE, FALSE or NULL");
        use = LOGICAL(opt)[0];
    }
    kern_select(use);
}
