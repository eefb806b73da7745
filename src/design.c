#include <R.h>
#include <math.h>
#include <string.h>
#include "design.h"

/* The dense loops below keep several independent sums so that the additions
 * pipeline (a single running sum is bound by the latency of one add), and the
 * cross products reuse each loaded element in 2 x 4 products. */

static double dot_dense(int n, const double *x, const double *y)
{
    double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    int i = 0;
    for (; i + 4 <= n; i += 4) {
        s0 += x[i] * y[i];
        s1 += x[i + 1] * y[i + 1];
        s2 += x[i + 2] * y[i + 2];
        s3 += x[i + 3] * y[i + 3];
    }
    for (; i < n; i++) s0 += x[i] * y[i];
    return (s0 + s1) + (s2 + s3);
}

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
            for (int i = 0; i < n; i++) {
                m += w[i] * xj[i];
                if (xj[i] != xj[0]) cst = 0;
                if (!R_FINITE(xj[i]) && *nonfinite == 0)
                    *nonfinite = (double) j * n + i + 1;
            }
            m /= n;
            for (int i = 0; i < n; i++) v += w[i] * (xj[i] - m) * (xj[i] - m);
            if (v < 1e-280 || !R_FINITE(v)) {
                /* squares near under- or overflow: scale by the largest
                 * deviation */
                double mx = max_abs_dev(n, xj, m);
                v = 0.0;
                if (mx > 0.0) {
                    for (int i = 0; i < n; i++) {
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
    if (D->X) return dot_dense(D->n, D->X + (size_t) j * D->n, u->v);
    return sparse_dot(D, j, u);
}

void design_diag_grad(const design *D, const rowvec *u, double *d, double *g)
{
    const int n = D->n;
    const double inv = 1.0 / n;
    for (int j = 0; j < D->p; j++) {
        if (D->X) {
            const double *x = D->X + (size_t) j * n, *v = u->v;
            double s0 = 0.0, s1 = 0.0, t0 = 0.0, t1 = 0.0;
            int i = 0;
            for (; i + 2 <= n; i += 2) {
                s0 += x[i] * x[i];
                s1 += x[i + 1] * x[i + 1];
                t0 += x[i] * v[i];
                t1 += x[i + 1] * v[i + 1];
            }
            if (i < n) {
                s0 += x[i] * x[i];
                t0 += x[i] * v[i];
            }
            d[j] = (s0 + s1) * inv;
            g[j] = (t0 + t1) * inv;
        } else {
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
}

void design_axpy(const design *D, int j, double a, rowvec *u)
{
    const int n = D->n;
    if (D->X) {
        const double *xj = D->X + (size_t) j * n;
        double *v = u->v;
        for (int i = 0; i < n; i++) v[i] += a * xj[i];
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
 * products). With GCC or clang, vector
 * extensions process two rows per step (SSE2 on x86-64, NEON on arm64). */
#if defined(__GNUC__) || defined(__clang__)
typedef double v2d __attribute__((vector_size(16)));

static inline v2d load2(const double *p)
{
    v2d v;
    memcpy(&v, p, sizeof v);
    return v;
}

static void cross_2x4(int n, const double *a0, const double *a1,
                      const double *const *b, double *out, int ld)
{
    const double *b0 = b[0], *b1 = b[1], *b2 = b[2], *b3 = b[3];
    v2d s00 = {0.0, 0.0}, s01 = s00, s02 = s00, s03 = s00;
    v2d s10 = s00, s11 = s00, s12 = s00, s13 = s00;
    int i = 0;
    for (; i + 2 <= n; i += 2) {
        v2d x0 = load2(a0 + i), x1 = load2(a1 + i);
        v2d y0 = load2(b0 + i), y1 = load2(b1 + i), y2 = load2(b2 + i), y3 = load2(b3 + i);
        s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3;
        s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3;
    }
    double t[8] = {s00[0] + s00[1], s01[0] + s01[1], s02[0] + s02[1], s03[0] + s03[1],
                   s10[0] + s10[1], s11[0] + s11[1], s12[0] + s12[1], s13[0] + s13[1]};
    for (; i < n; i++) {
        t[0] += a0[i] * b0[i]; t[1] += a0[i] * b1[i]; t[2] += a0[i] * b2[i]; t[3] += a0[i] * b3[i];
        t[4] += a1[i] * b0[i]; t[5] += a1[i] * b1[i]; t[6] += a1[i] * b2[i]; t[7] += a1[i] * b3[i];
    }
    for (int c = 0; c < 4; c++) {
        out[(size_t) c * ld] += t[c];
        out[(size_t) c * ld + 1] += t[4 + c];
    }
}
#else
static void cross_2x4(int n, const double *a0, const double *a1,
                      const double *const *b, double *out, int ld)
{
    const double *b0 = b[0], *b1 = b[1], *b2 = b[2], *b3 = b[3];
    double s00 = 0.0, s01 = 0.0, s02 = 0.0, s03 = 0.0;
    double s10 = 0.0, s11 = 0.0, s12 = 0.0, s13 = 0.0;
    for (int i = 0; i < n; i++) {
        double x0 = a0[i], x1 = a1[i];
        double y0 = b0[i], y1 = b1[i], y2 = b2[i], y3 = b3[i];
        s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3;
        s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3;
    }
    out[0] += s00; out[(size_t) ld] += s01;
    out[(size_t) 2 * ld] += s02; out[(size_t) 3 * ld] += s03;
    out[1] += s10; out[(size_t) ld + 1] += s11;
    out[(size_t) 2 * ld + 1] += s12; out[(size_t) 3 * ld + 1] += s13;
}
#endif

/* out[k * ld] = xt_k' y / n for the four columns x[0..3] */
#if defined(__GNUC__) || defined(__clang__)
static void dot_4cols(int n, const double *const *x, const double *y,
                      double *out, int ld, double inv)
{
    const double *a = x[0], *b = x[1], *c = x[2], *d = x[3];
    v2d s0 = {0.0, 0.0}, s1 = s0, s2 = s0, s3 = s0;
    int i = 0;
    for (; i + 2 <= n; i += 2) {
        v2d yi = load2(y + i);
        s0 += load2(a + i) * yi;
        s1 += load2(b + i) * yi;
        s2 += load2(c + i) * yi;
        s3 += load2(d + i) * yi;
    }
    double t0 = s0[0] + s0[1], t1 = s1[0] + s1[1], t2 = s2[0] + s2[1], t3 = s3[0] + s3[1];
    if (i < n) {
        t0 += a[i] * y[i];
        t1 += b[i] * y[i];
        t2 += c[i] * y[i];
        t3 += d[i] * y[i];
    }
    out[0] = t0 * inv;
    out[(size_t) ld] = t1 * inv;
    out[(size_t) 2 * ld] = t2 * inv;
    out[(size_t) 3 * ld] = t3 * inv;
}
#else
static void dot_4cols(int n, const double *const *x, const double *y,
                      double *out, int ld, double inv)
{
    const double *a = x[0], *b = x[1], *c = x[2], *d = x[3];
    double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    for (int i = 0; i < n; i++) {
        double yi = y[i];
        s0 += a[i] * yi;
        s1 += b[i] * yi;
        s2 += c[i] * yi;
        s3 += d[i] * yi;
    }
    out[0] = s0 * inv;
    out[(size_t) ld] = s1 * inv;
    out[(size_t) 2 * ld] = s2 * inv;
    out[(size_t) 3 * ld] = s3 * inv;
}
#endif

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
            for (; a < nj; a++) o[a] = dot_dense(n, X + (size_t) J[a] * n, y) * inv;
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
