#include <R.h>
#include <math.h>
#include "kernels.h"
#include "prepare.h"

/* Sums with four partial sums (independent chains of additions). */
static double sum4(int n, const double *x)
{
    double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    int i = 0;
    for (; i + 3 < n; i += 4) {
        s0 += x[i];
        s1 += x[i + 1];
        s2 += x[i + 2];
        s3 += x[i + 3];
    }
    for (; i < n; i++) s0 += x[i];
    return (s0 + s1) + (s2 + s3);
}

static double sumsq4(int n, const double *x, double scale)
{
    double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    int i = 0;
    if (scale == 1.0) return kern_dot(n, x, x);   /* the common case: no divisions */
    for (; i + 3 < n; i += 4) {
        double q0 = x[i] / scale, q1 = x[i + 1] / scale,
            q2 = x[i + 2] / scale, q3 = x[i + 3] / scale;
        s0 += q0 * q0;
        s1 += q1 * q1;
        s2 += q2 * q2;
        s3 += q3 * q3;
    }
    for (; i < n; i++) s0 += (x[i] / scale) * (x[i] / scale);
    return (s0 + s1) + (s2 + s3);
}

/* 1/n sd of the n centred values d. Squares of entries beyond about
 * 1e+-150 overflow or underflow: such columns are summed again rescaled by
 * their largest magnitude. */
static double centred_sd(int n, const double *d)
{
    double sd = sqrt(sumsq4(n, d, 1.0) / n);
    if (R_FINITE(sd) && sd > 1e-140 && sd < 1e140) return sd;
    double m = 0.0;
    for (int i = 0; i < n; i++) if (fabs(d[i]) > m) m = fabs(d[i]);
    return m == 0.0 ? 0.0 : m * sqrt(sumsq4(n, d, m) / n);
}

void standardize_columns(int n, int p, const double *x, int intercept,
                         int standardize, double *xs, double *center,
                         double *scale, int *constant)
{
    for (int j = 0; j < p; j++) {
        const double *xj = x + (size_t) j * n;
        double *out = xs + (size_t) j * n;
        int same = 1;
        for (int i = 1; i < n && same; i++) same = xj[i] == xj[0];
        double mu = sum4(n, xj) / n;
        if (!R_FINITE(mu)) {        /* the sum overflowed: sum scaled */
            double m = 0.0;
            for (int i = 0; i < n; i++) if (fabs(xj[i]) > m) m = fabs(xj[i]);
            for (int i = 0; i < n; i++) out[i] = xj[i] / m;
            mu = m * (sum4(n, out) / n);
        }
        /* the centred column, in place in the output */
        for (int i = 0; i < n; i++) out[i] = xj[i] - mu;
        double sd = standardize ? centred_sd(n, out) : 1.0;
        /* a spread that underflows (subnormal entries) counts as none */
        same = same || sd == 0.0;
        constant[j] = same;
        center[j] = intercept ? mu : 0.0;
        scale[j] = same ? 1.0 : sd;
        if (same) {
            for (int i = 0; i < n; i++) out[i] = 0.0;
        } else if (!intercept) {
            for (int i = 0; i < n; i++) out[i] = xj[i] / scale[j];
        } else if (standardize) {
            for (int i = 0; i < n; i++) out[i] /= scale[j];
        }
    }
}
