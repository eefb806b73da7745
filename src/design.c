#include <R.h>
#include <math.h>
#include <string.h>
#include "kernels.h"
#include "design.h"

/* The dense products go through kernels.h, with the column pointers in
 * D->cols (one per column of the dense copy, made once) and D->sel (scratch
 * for subsets). */

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
    const size_t pp = p > 0 ? p : 1;
    const double **cols = (const double **) R_alloc(pp, sizeof(double *));
    for (int j = 0; j < p; j++) cols[j] = X + (size_t) j * n;
    D->cols = cols;
    D->sel = (const double **) R_alloc(2 * pp, sizeof(double *));
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
    if (D->X) return kern_dot(D->n, D->cols[j], u->v);
    return sparse_dot(D, j, u);
}

void design_diag_grad(const design *D, const rowvec *u, double *d, double *g)
{
    const int n = D->n, p = D->p;
    const double inv = 1.0 / n;
    if (D->X) {
        kern_dots(n, p, D->cols, u->v, inv, g);
        for (int j = 0; j < p; j++) d[j] = kern_dot(n, D->cols[j], D->cols[j]) * inv;
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
        kern_gaxpy(n, 1, D->cols + j, &a, u->v);
        return;
    }
    const int *Xi = D->Xi;
    const double *Xx = D->Xx, *sw = D->sw;
    double as = a / D->scale[j];
    for (int k = D->Xp[j]; k < D->Xp[j + 1]; k++) u->v[Xi[k]] += as * sw[Xi[k]] * Xx[k];
    u->tau -= as * D->center[j];
    u->S += as * D->wsum[j];
}

/* the columns J[0..m) of the dense copy, in D->sel + at */
static const double *const *select_cols(const design *D, const int *J, int m,
                                        int at)
{
    const double **sel = D->sel + at;
    for (int k = 0; k < m; k++) sel[k] = D->cols[J[k]];
    return sel;
}

void design_grad(const design *D, const int *J, int m, const rowvec *u,
                 double *out)
{
    const double inv = 1.0 / D->n;
    if (D->X) {
        kern_dots(D->n, m, select_cols(D, J, m, 0), u->v, inv, out);
        return;
    }
    for (int k = 0; k < m; k++) out[k] = design_dot(D, J[k], u) * inv;
}

void design_cross(const design *D, const int *J, int nj, const int *K, int nk,
                  int upper, double *out, int ld, double *work)
{
    const int n = D->n;
    const double inv = 1.0 / n;
    if (D->X) {
        kern_cross(n, nj, select_cols(D, J, nj, 0), nk, select_cols(D, K, nk, D->p),
                   upper ? nj - nk : -1, inv, out, ld);
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
