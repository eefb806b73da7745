#include <math.h>
#include "linalg.h"
#include "kernels.h"
#include "chol.h"

/* A new pivot whose square falls below this fraction of M[j, j] means the
 * column lies in the span of the active ones (to about 6 digits): adding it
 * would make the active block singular. */
#define CHOL_DEPENDENT 1e-12

void chol_forward(const double *R, int ld, int m, double *x)
{
    for (int k = 0; k < m; k++) {
        const double *col = R + (size_t) k * ld;
        x[k] = (x[k] - kern_dot(k, col, x)) / col[k];
    }
}

void chol_back(const double *restrict R, int ld, int m, double *restrict x,
               int nrhs, double *restrict work)
{
    /* the reciprocals first: independent divisions, off the chain of
     * dependent updates below */
    if (work)
        for (int k = 0; k < m; k++) work[k] = 1.0 / R[(size_t) k * ld + k];
    /* blocks of four columns from the last: their triangle, then the rows
     * above them by one kern_gaxpy (four columns read in one pass) */
    const double *col[4];
    double coef[4];
    for (int q = 0; q < nrhs; q++) {
        double *restrict xq = x + (size_t) q * ld;
        for (int j1 = m; j1 > 0;) {
            const int j0 = j1 >= 4 ? j1 - 4 : 0;
            for (int k = j1 - 1; k >= j0; k--) {
                const double *restrict ck = R + (size_t) k * ld;
                const double t = work ? (xq[k] *= work[k]) : (xq[k] /= ck[k]);
                for (int i = j0; i < k; i++) xq[i] -= t * ck[i];
                col[k - j0] = ck;
                coef[k - j0] = -t;
            }
            if (j0 > 0) kern_gaxpy(j0, j1 - j0, col, coef, xq);
            j1 = j0;
        }
    }
}

int chol_add(double *R, int ld, int m, const double *v, double d,
             double *work)
{
    for (int k = 0; k < m; k++) work[k] = v[k];
    chol_forward(R, ld, m, work);
    double rr = d - kern_dot(m, work, work);
    if (!(d > 0.0) || !(rr > CHOL_DEPENDENT * d)) return 1;
    double *col = R + (size_t) m * ld;
    for (int k = 0; k < m; k++) col[k] = work[k];
    col[m] = sqrt(rr);
    return 0;
}

void chol_solve(const double *R, int ld, int m, double *x, double *work)
{
    chol_forward(R, ld, m, x);
    chol_back(R, ld, m, x, 1, work);
}

void chol_del(double *R, int ld, int m, int i)
{
    chol_del_rotating(R, ld, m, i, NULL, 0);
}

void chol_del_rotating(double *R, int ld, int m, int i, double *z, int nz)
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
        if (nz > 0)
            F77_CALL(drot)(&nz, z + k, &ld, z + k + 1, &ld, &c, &s);
        if (*a < 0.0) {                         /* keep a positive diagonal */
            for (int j = k; j < m - 1; j++) R[(size_t) j * ld + k] *= -1.0;
            for (int q = 0; q < nz; q++) z[(size_t) q * ld + k] *= -1.0;
        }
    }
}

/* Left-looking, by columns: column j of R solves R[0:j, 0:j]' R[0:j, j] =
 * A[0:j, j] (about twice faster here than reference LAPACK's dpotrf). */
int chol_factor(double *R, int ld, int m)
{
    for (int j = 0; j < m; j++) {
        double *cj = R + (size_t) j * ld;
        chol_forward(R, ld, j, cj);
        double d = cj[j] - kern_dot(j, cj, cj);
        if (!(d > 0.0)) return j + 1;
        cj[j] = sqrt(d);
    }
    return 0;
}
