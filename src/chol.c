#include <math.h>
#include "linalg.h"
#include "chol.h"

/* A new pivot whose square falls below this fraction of M[j, j] means the
 * column lies in the span of the active ones (to about 6 digits): adding it
 * would make the active block singular. */
#define CHOL_DEPENDENT 1e-12

int chol_add(double *R, int ld, int m, const double *v, double d,
             double *work)
{
    const int inc = 1;
    for (int k = 0; k < m; k++) work[k] = v[k];
    if (m > 0)
        F77_CALL(dtrsv)("U", "T", "N", &m, R, &ld, work, &inc
                        FCONE FCONE FCONE);
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
    F77_CALL(dtrsv)("U", "T", "N", &m, R, &ld, x, &inc FCONE FCONE FCONE);
    F77_CALL(dtrsv)("U", "N", "N", &m, R, &ld, x, &inc FCONE FCONE FCONE);
}
