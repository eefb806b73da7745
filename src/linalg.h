/* The one place the kernels reach R's BLAS/LAPACK. Every kernel includes
 * this header instead of the R headers, so USE_FC_LEN_T is always defined
 * first and FCONE is always available for character arguments. */
#ifndef DLNPATH_LINALG_H
#define DLNPATH_LINALG_H

#define USE_FC_LEN_T
#include <Rconfig.h>
#include <R_ext/BLAS.h>
#include <R_ext/Lapack.h>
#ifndef FCONE
#define FCONE
#endif

/* y <- M x for a symmetric p x p matrix stored in full (column-major). */
static inline void sym_mv(int p, const double *M, const double *x, double *y)
{
    const double one = 1.0, zero = 0.0;
    const int inc = 1;
    F77_CALL(dsymv)("U", &p, &one, M, &p, x, &inc, &zero, y, &inc FCONE);
}

static inline double vdot(int n, const double *x, const double *y)
{
    const int inc = 1;
    return F77_CALL(ddot)(&n, x, &inc, y, &inc);
}

#endif
