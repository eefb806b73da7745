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

#define SMALL_SYM_MV 32

/* The same for p <= SMALL_SYM_MV, written out (a BLAS call costs more than the
 * product there): out_i = M[, i]' x, by symmetry. */
static inline void small_sym_mv(int p, const double *restrict M,
                                const double *restrict x, double *restrict y)
{
    int i = 0;
    /* four rows at a time: four independent sums hide the add latency */
    for (; i + 3 < p; i += 4) {
        const double *M0 = M + (size_t) i * p, *M1 = M0 + p, *M2 = M1 + p,
            *M3 = M2 + p;
        double a0 = 0.0, a1 = 0.0, a2 = 0.0, a3 = 0.0;
        for (int j = 0; j < p; j++) {
            double xj = x[j];
            a0 += M0[j] * xj;
            a1 += M1[j] * xj;
            a2 += M2[j] * xj;
            a3 += M3[j] * xj;
        }
        y[i] = a0;
        y[i + 1] = a1;
        y[i + 2] = a2;
        y[i + 3] = a3;
    }
    for (; i < p; i++) {
        const double *Mi = M + (size_t) i * p;
        double acc = 0.0;
        for (int j = 0; j < p; j++) acc += Mi[j] * x[j];
        y[i] = acc;
    }
}

/* x'y with four partial sums, which hide the latency of the additions
 * (BLAS's ddot, and -O2 code, form it in one chain). */
static inline double dot4(int n, const double *x, const double *y)
{
    double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    int i = 0;
    for (; i + 3 < n; i += 4) {
        s0 += x[i] * y[i];
        s1 += x[i + 1] * y[i + 1];
        s2 += x[i + 2] * y[i + 2];
        s3 += x[i + 3] * y[i + 3];
    }
    for (; i < n; i++) s0 += x[i] * y[i];
    return (s0 + s1) + (s2 + s3);
}

static inline double vdot(int n, const double *x, const double *y)
{
    const int inc = 1;
    return F77_CALL(ddot)(&n, x, &inc, y, &inc);
}

#endif
