#include <R.h>
#include <math.h>
#include <string.h>
#include "linalg.h"
#include "design.h"

/* The dense loops below keep several independent sums so that the additions
 * pipeline (a single running sum is bound by the latency of one add), and the
 * cross products reuse each loaded element in 2 x 4 products. */

static double max_abs_dev(int n, const double *x, double m)
{
    double mx = 0.0;
    for (int i = 0; i < n; i++) {
        double a = fabs(x[i] - m);
        if (a > mx) mx = a;
    }
    return mx;
}

void design_moments(int n, int p, const double *x, const int *Xi,
                    const int *Xp, const double *Xx, const double *w,
                    double *mean, double *sd, int *constant, double *nonfinite)
{
    *nonfinite = 0.0;
    for (int j = 0; j < p; j++) {
        double m = 0.0, v = 0.0;
        int cst = 1;
        if (x) {
            const double *xj = x + (size_t) j * n;
            /* two sums each, and no branch in the loops: a non-finite
             * entry makes the weighted sum non-finite (0 * Inf is NaN),
             * and only then is the column searched */
            double m0 = 0.0, m1 = 0.0;
            int differ = 0, i = 0;
            for (; i + 1 < n; i += 2) {
                m0 += w[i] * xj[i];
                m1 += w[i + 1] * xj[i + 1];
                differ |= (xj[i] != xj[0]) | (xj[i + 1] != xj[0]);
            }
            if (i < n) {
                m0 += w[i] * xj[i];
                differ |= xj[i] != xj[0];
            }
            m = (m0 + m1) / n;
            cst = !differ;
            if (!R_FINITE(m) && *nonfinite == 0)
                for (i = 0; i < n; i++)
                    if (!R_FINITE(xj[i])) {
                        *nonfinite = (double) j * n + i + 1;
                        break;
                    }
            double v0 = 0.0, v1 = 0.0;
            for (i = 0; i + 1 < n; i += 2) {
                double d0 = xj[i] - m, d1 = xj[i + 1] - m;
                v0 += w[i] * d0 * d0;
                v1 += w[i + 1] * d1 * d1;
            }
            if (i < n) v0 += w[i] * (xj[i] - m) * (xj[i] - m);
            v = v0 + v1;
            if (v < 1e-280 || !R_FINITE(v)) {
                /* squares near under- or overflow: scale by the largest
                 * deviation */
                double mx = max_abs_dev(n, xj, m);
                v = 0.0;
                if (mx > 0.0) {
                    for (i = 0; i < n; i++) {
                        double t = (xj[i] - m) / mx;
                        v += w[i] * t * t;
                    }
                }
                v = mx * sqrt(v / n);
            } else {
                v = sqrt(v / n);
            }
        } else {
            int lo = Xp[j], hi = Xp[j + 1], nz = hi - lo;
            double wnz = 0.0, first = nz > 0 ? Xx[lo] : 0.0;
            for (int k = lo; k < hi; k++) {
                m += w[Xi[k]] * Xx[k];
                wnz += w[Xi[k]];
                if (Xx[k] != (nz < n ? 0.0 : first)) cst = 0;
            }
            m /= n;
            double mx = nz < n ? fabs(m) : 0.0;
            for (int k = lo; k < hi; k++) {
                double a = fabs(Xx[k] - m);
                if (a > mx) mx = a;
            }
            if (mx > 0.0) {
                for (int k = lo; k < hi; k++) {
                    double t = (Xx[k] - m) / mx;
                    v += w[Xi[k]] * t * t;
                }
                double rest = n - wnz, t = m / mx;
                if (rest > 0.0) v += rest * t * t;
                v = mx * sqrt(v / n);
            }
        }
        mean[j] = m;
        sd[j] = v;
        constant[j] = cst || !(v > 0.0);
    }
}

void design_base(design *D, int n, int p, const double *center,
                 const double *scale, const double *sw)
{
    memset(D, 0, sizeof *D);
    D->n = n;
    D->p = p;
    D->center = center;
    D->scale = scale;
    D->sw = sw;
}

void design_dense(design *D, int n, int p, const double *x,
                  const double *center, const double *scale, const double *sw,
                  double *X)
{
    design_base(D, n, p, center, scale, sw);
    for (int j = 0; j < p; j++) {
        const double *xj = x + (size_t) j * n;
        double *out = X + (size_t) j * n, cj = center[j], sj = scale[j];
        for (int i = 0; i < n; i++) out[i] = sw[i] * ((xj[i] - cj) / sj);
    }
    D->X = X;
}

void design_sparse(design *D, int n, int p, const int *Xi, const int *Xp,
                   const double *Xx, const double *center, const double *scale,
                   const double *sw)
{
    design_base(D, n, p, center, scale, sw);
    D->Xi = Xi;
    D->Xp = Xp;
    D->Xx = Xx;
    D->wsum = (double *) R_alloc((size_t) (p > 0 ? p : 1), sizeof(double));
    for (int j = 0; j < p; j++) {
        double s = 0.0;
        for (int k = Xp[j]; k < Xp[j + 1]; k++) s += sw[Xi[k]] * sw[Xi[k]] * Xx[k];
        D->wsum[j] = s;
    }
}

static void rowvec_sync(const design *D, rowvec *u)
{
    if (D->X) {
        u->S = 0.0;
        return;
    }
    double s = 0.0;
    for (int i = 0; i < D->n; i++) s += D->sw[i] * u->v[i];
    u->S = s;
}

void rowvec_set(const design *D, rowvec *u, const double *y)
{
    memcpy(u->v, y, (size_t) D->n * sizeof(double));
    u->tau = 0.0;
    rowvec_sync(D, u);
}

void rowvec_copy(const design *D, rowvec *dst, const rowvec *src)
{
    memcpy(dst->v, src->v, (size_t) D->n * sizeof(double));
    dst->tau = src->tau;
    dst->S = src->S;
}

double rowvec_dist2(const design *D, const rowvec *a, const rowvec *b)
{
    double s = 0.0, dt = a->tau - b->tau;
    if (D->X || dt == 0.0) {
        for (int i = 0; i < D->n; i++) {
            double e = a->v[i] - b->v[i];
            s += e * e;
        }
    } else {
        for (int i = 0; i < D->n; i++) {
            double e = a->v[i] - b->v[i] + dt * D->sw[i];
            s += e * e;
        }
    }
    return s;
}

static double sparse_dot(const design *D, int j, const rowvec *u)
{
    const int *Xi = D->Xi;
    const double *Xx = D->Xx, *sw = D->sw;
    double s = 0.0, cj = D->center[j];
    for (int k = D->Xp[j]; k < D->Xp[j + 1]; k++) s += sw[Xi[k]] * Xx[k] * u->v[Xi[k]];
    s += u->tau * (D->wsum[j] - D->n * cj) - cj * u->S;
    return s / D->scale[j];
}

double design_dot(const design *D, int j, const rowvec *u)
{
    if (D->X) return dot4(D->n, D->X + (size_t) j * D->n, u->v);
    return sparse_dot(D, j, u);
}

void design_diag_grad(const design *D, const rowvec *u, double *d, double *g)
{
    const int n = D->n, p = D->p, inc = 1;
    const double inv = 1.0 / n, zero = 0.0;
    if (D->X) {
        F77_CALL(dgemv)("T", &n, &p, &inv, D->X, &n, u->v, &inc, &zero, g,
                        &inc FCONE);
        for (int j = 0; j < p; j++) {
            const double *x = D->X + (size_t) j * n;
            d[j] = dot4(n, x, x) * inv;
        }
        return;
    }
    for (int j = 0; j < p; j++) {
        /* as in design_cross with j = k */
        double q = 0.0, c = D->center[j], sj = D->scale[j];
        for (int k = D->Xp[j]; k < D->Xp[j + 1]; k++) {
            double sx = D->sw[D->Xi[k]] * D->Xx[k];
            q += sx * sx;
        }
        d[j] = (q - 2.0 * c * D->wsum[j] + n * c * c) / (sj * sj) * inv;
        g[j] = sparse_dot(D, j, u) * inv;
    }
}

void design_axpy(const design *D, int j, double a, rowvec *u)
{
    const int n = D->n;
    if (D->X) {
        const int inc = 1;
        F77_CALL(daxpy)(&n, &a, D->X + (size_t) j * n, &inc, u->v, &inc);
        return;
    }
    const int *Xi = D->Xi;
    const double *Xx = D->Xx, *sw = D->sw;
    double as = a / D->scale[j];
    for (int k = D->Xp[j]; k < D->Xp[j + 1]; k++) u->v[Xi[k]] += as * sw[Xi[k]] * Xx[k];
    u->tau -= as * D->center[j];
    u->S += as * D->wsum[j];
}

/* out[0..1][0..3] (ld) += the 2 x 4 block of dense cross products of the
 * given columns over rows [0, n) (each loaded element is used in 4 or 2
 * products). Each sum is kept in two halves, over even and odd rows: plain
 * C99 that compilers turn into two-lane vector code (GCC >= 12 at -O2: SSE2
 * on x86-64), about 2.3 times faster here than the reference BLAS's
 * dgemm/dsyrk, whose inner loops are single chains of scalar additions. */
static void cross_2x4(int n, const double *a0, const double *a1,
                      const double *const *b, double *out, int ld)
{
    const double *b0 = b[0], *b1 = b[1], *b2 = b[2], *b3 = b[3];
    double s[8][2] = {{0.0, 0.0}};
    int i = 0;
    for (; i + 2 <= n; i += 2) {
        for (int t = 0; t < 2; t++) {
            double x0 = a0[i + t], x1 = a1[i + t];
            double y0 = b0[i + t], y1 = b1[i + t], y2 = b2[i + t], y3 = b3[i + t];
            s[0][t] += x0 * y0; s[1][t] += x0 * y1; s[2][t] += x0 * y2; s[3][t] += x0 * y3;
            s[4][t] += x1 * y0; s[5][t] += x1 * y1; s[6][t] += x1 * y2; s[7][t] += x1 * y3;
        }
    }
    if (i < n) {
        s[0][0] += a0[i] * b0[i]; s[1][0] += a0[i] * b1[i];
        s[2][0] += a0[i] * b2[i]; s[3][0] += a0[i] * b3[i];
        s[4][0] += a1[i] * b0[i]; s[5][0] += a1[i] * b1[i];
        s[6][0] += a1[i] * b2[i]; s[7][0] += a1[i] * b3[i];
    }
    for (int c = 0; c < 4; c++) {
        out[(size_t) c * ld] += s[c][0] + s[c][1];
        out[(size_t) c * ld + 1] += s[4 + c][0] + s[4 + c][1];
    }
}

/* out[k * ld] = xt_k' y / n for the four columns x[0..3], the same way
 * (faster here than four ddot calls or dgemv of the reference BLAS). */
static void dot_4cols(int n, const double *const *x, const double *y,
                      double *out, int ld, double inv)
{
    const double *a = x[0], *b = x[1], *c = x[2], *d = x[3];
    double s[4][2] = {{0.0, 0.0}};
    int i = 0;
    for (; i + 2 <= n; i += 2) {
        for (int t = 0; t < 2; t++) {
            double yi = y[i + t];
            s[0][t] += a[i + t] * yi;
            s[1][t] += b[i + t] * yi;
            s[2][t] += c[i + t] * yi;
            s[3][t] += d[i + t] * yi;
        }
    }
    if (i < n) {
        s[0][0] += a[i] * y[i];
        s[1][0] += b[i] * y[i];
        s[2][0] += c[i] * y[i];
        s[3][0] += d[i] * y[i];
    }
    for (int k = 0; k < 4; k++) out[(size_t) k * ld] = (s[k][0] + s[k][1]) * inv;
}

void design_grad(const design *D, const int *J, int m, const rowvec *u,
                 double *out)
{
    const int n = D->n;
    const double inv = 1.0 / n;
    int k = 0;
    if (D->X) {
        for (; k + 4 <= m; k += 4) {
            const double *cols[4];
            for (int t = 0; t < 4; t++) cols[t] = D->X + (size_t) J[k + t] * n;
            dot_4cols(n, cols, u->v, out + k, 1, inv);
        }
    }
    for (; k < m; k++) out[k] = design_dot(D, J[k], u) * inv;
}

void design_cross(const design *D, const int *J, int nj, const int *K, int nk,
                  int upper, double *out, int ld, double *work)
{
    const int n = D->n;
    const double inv = 1.0 / n;
    if (D->X && nk >= 4) {
        /* chunks of 512 rows: the J columns' chunks stay in cache while
         * every quadruple of K columns passes over them */
        const double *X = D->X;
        const int nk4 = nk - nk % 4, nj2 = nj - nj % 2;
        /* rows needed for the columns b..b+3: all, or (upper) the first
         * nj - nk + b + 4, as the last nk columns of J are K */
#define ROWS(b) (upper && nj - nk + (b) + 4 < nj2 ? nj - nk + (b) + 4 + ((nj - nk + (b)) & 1) : nj2)
        for (int b = 0; b < nk4; b++)
            for (int a = 0; a < nj2; a++) out[a + (size_t) b * ld] = 0.0;
        for (int i0 = 0; i0 < n; i0 += 512) {
            const int len = n - i0 < 512 ? n - i0 : 512;
            for (int b = 0; b < nk4; b += 4) {
                const double *cols[4];
                const int rows = ROWS(b);
                for (int t = 0; t < 4; t++) cols[t] = X + (size_t) K[b + t] * n + i0;
                for (int a = 0; a < rows; a += 2)
                    cross_2x4(len, X + (size_t) J[a] * n + i0, X + (size_t) J[a + 1] * n + i0,
                              cols, out + a + (size_t) b * ld, ld);
            }
        }
        for (int b = 0; b < nk4; b++)
            for (int a = 0; a < ROWS(b - b % 4); a++) out[a + (size_t) b * ld] *= inv;
#undef ROWS
        /* the odd J column, and the K columns beyond the last four */
        for (int b = 0; b < nk4 && nj2 < nj; b += 4) {
            const double *cols[4];
            for (int t = 0; t < 4; t++) cols[t] = X + (size_t) K[b + t] * n;
            dot_4cols(n, cols, X + (size_t) J[nj2] * n, out + nj2 + (size_t) b * ld, ld, inv);
        }
        if (nk4 < nk)
            design_cross(D, J, nj, K + nk4, nk - nk4, upper, out + (size_t) nk4 * ld, ld, work);
        return;
    }
    if (D->X) {
        const double *X = D->X;
        for (int b = 0; b < nk; b++) {
            const double *y = X + (size_t) K[b] * n;
            double *o = out + (size_t) b * ld;
            int a = 0;
            for (; a + 4 <= nj; a += 4) {
                const double *cols[4];
                for (int t = 0; t < 4; t++) cols[t] = X + (size_t) J[a + t] * n;
                dot_4cols(n, cols, y, o + a, 1, inv);
            }
            for (; a < nj; a++) o[a] = dot4(n, X + (size_t) J[a] * n, y) * inv;
        }
        return;
    }
    /* sparse: scatter w * x_j, then one pass over the nonzeros of each x_k:
     * xt_j'xt_k = (sum_i w_i x_ij x_ik - c_k wsum_j - c_j wsum_k + n c_j c_k)
     *             / (s_j s_k) */
    const int *Xi = D->Xi, *Xp = D->Xp;
    const double *Xx = D->Xx, *sw = D->sw, *c = D->center, *s = D->scale;
    for (int i = 0; i < n; i++) work[i] = 0.0;
    for (int a = 0; a < nj; a++) {
        int j = J[a];
        for (int k = Xp[j]; k < Xp[j + 1]; k++)
            work[Xi[k]] = sw[Xi[k]] * sw[Xi[k]] * Xx[k];
        for (int b = 0; b < nk; b++) {
            int l = K[b];
            double t = 0.0;
            for (int k = Xp[l]; k < Xp[l + 1]; k++) t += work[Xi[k]] * Xx[k];
            t += -c[l] * D->wsum[j] - c[j] * D->wsum[l] + n * c[j] * c[l];
            out[a + (size_t) b * ld] = t / (s[j] * s[l]) * inv;
        }
        for (int k = Xp[j]; k < Xp[j + 1]; k++) work[Xi[k]] = 0.0;
    }
}
