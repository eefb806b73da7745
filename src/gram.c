#include <R.h>
#include "gram.h"

/* out1[k] <- scale * X[:, c_k]'u1 and out2[k] <- scale * X[:, c_k]'u2 for
 * k < m, c_k = idx[k] (or k when idx is NULL); X is n x (any), column-major.
 * Four columns at a time; u2 may be NULL (then out2 is not written). */
static void dots(int n, const double *X, const int *idx, int m,
                 const double *u1, const double *u2, double scale,
                 double *out1, double *out2)
{
    int k = 0;
    for (; k + 3 < m; k += 4) {
        const double *x0 = X + (size_t) (idx ? idx[k] : k) * n;
        const double *x1 = X + (size_t) (idx ? idx[k + 1] : k + 1) * n;
        const double *x2 = X + (size_t) (idx ? idx[k + 2] : k + 2) * n;
        const double *x3 = X + (size_t) (idx ? idx[k + 3] : k + 3) * n;
        double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
        if (u2) {
            double t0 = 0.0, t1 = 0.0, t2 = 0.0, t3 = 0.0;
            for (int i = 0; i < n; i++) {
                double ui = u1[i], vi = u2[i];
                s0 += x0[i] * ui; t0 += x0[i] * vi;
                s1 += x1[i] * ui; t1 += x1[i] * vi;
                s2 += x2[i] * ui; t2 += x2[i] * vi;
                s3 += x3[i] * ui; t3 += x3[i] * vi;
            }
            out2[k] = scale * t0;
            out2[k + 1] = scale * t1;
            out2[k + 2] = scale * t2;
            out2[k + 3] = scale * t3;
        } else {
            for (int i = 0; i < n; i++) {
                double ui = u1[i];
                s0 += x0[i] * ui;
                s1 += x1[i] * ui;
                s2 += x2[i] * ui;
                s3 += x3[i] * ui;
            }
        }
        out1[k] = scale * s0;
        out1[k + 1] = scale * s1;
        out1[k + 2] = scale * s2;
        out1[k + 3] = scale * s3;
    }
    for (; k < m; k++) {
        const double *x0 = X + (size_t) (idx ? idx[k] : k) * n;
        double s0 = 0.0, t0 = 0.0;
        for (int i = 0; i < n; i++) {
            s0 += x0[i] * u1[i];
            if (u2) t0 += x0[i] * u2[i];
        }
        out1[k] = scale * s0;
        if (u2) out2[k] = scale * t0;
    }
}

/* out1 <- sum_k v1[k] C[:, A[k]] and out2 likewise with v2, for columns of
 * length len (leading dimension len) of C. Four columns per sweep. */
static void combine2(int len, const double *restrict C, const int *A, int m,
                     const double *v1, const double *v2,
                     double *restrict out1, double *restrict out2)
{
    for (int i = 0; i < len; i++) out1[i] = out2[i] = 0.0;
    int k = 0;
    for (; k + 3 < m; k += 4) {
        const double *restrict c0 = C + (size_t) A[k] * len;
        const double *restrict c1 = C + (size_t) A[k + 1] * len;
        const double *restrict c2 = C + (size_t) A[k + 2] * len;
        const double *restrict c3 = C + (size_t) A[k + 3] * len;
        double p0 = v1[k], p1 = v1[k + 1], p2 = v1[k + 2], p3 = v1[k + 3];
        double q0 = v2[k], q1 = v2[k + 1], q2 = v2[k + 2], q3 = v2[k + 3];
        int i = 0;
        for (; i + 1 < len; i += 2) {   /* pairs: packed by -O2's vectorizer */
            out1[i] += p0 * c0[i] + p1 * c1[i] + p2 * c2[i] + p3 * c3[i];
            out1[i + 1] += p0 * c0[i + 1] + p1 * c1[i + 1] + p2 * c2[i + 1] + p3 * c3[i + 1];
            out2[i] += q0 * c0[i] + q1 * c1[i] + q2 * c2[i] + q3 * c3[i];
            out2[i + 1] += q0 * c0[i + 1] + q1 * c1[i + 1] + q2 * c2[i + 1] + q3 * c3[i + 1];
        }
        for (; i < len; i++) {
            out1[i] += p0 * c0[i] + p1 * c1[i] + p2 * c2[i] + p3 * c3[i];
            out2[i] += q0 * c0[i] + q1 * c1[i] + q2 * c2[i] + q3 * c3[i];
        }
    }
    for (; k < m; k++) {
        const double *restrict c0 = C + (size_t) A[k] * len;
        double p0 = v1[k], q0 = v2[k];
        for (int i = 0; i < len; i++) {
            out1[i] += p0 * c0[i];
            out2[i] += q0 * c0[i];
        }
    }
}

void gram_init(gram_op *G, int p, int n, const double *M, const double *X)
{
    G->p = p;
    G->n = n;
    G->M = M;
    G->X = X;
    G->diag = (double *) R_alloc((size_t) (p > 0 ? p : 1), sizeof(double));
    G->u = NULL;
    if (M) {
        for (int j = 0; j < p; j++) G->diag[j] = M[(size_t) j * p + j];
    } else {
        G->u = (double *) R_alloc((size_t) 2 * (n > 0 ? n : 1), sizeof(double));
        for (int j = 0; j < p; j++) {
            const double *xj = X + (size_t) j * n;
            double s = 0.0;
            for (int i = 0; i < n; i++) s += xj[i] * xj[i];
            G->diag[j] = s / n;
        }
    }
}

void gram_entries(const gram_op *G, const int *A, int m, int j, double *out)
{
    if (G->M) {
        const double *col = G->M + (size_t) j * G->p;
        for (int k = 0; k < m; k++) out[k] = col[A[k]];
        return;
    }
    dots(G->n, G->X, A, m, G->X + (size_t) j * G->n, NULL, 1.0 / G->n,
         out, NULL);
}

void gram_mv2(const gram_op *G, const int *A, int m, const double *v1,
              const double *v2, double *out1, double *out2)
{
    if (G->M) {
        combine2(G->p, G->M, A, m, v1, v2, out1, out2);
        return;
    }
    const int n = G->n;
    combine2(n, G->X, A, m, v1, v2, G->u, G->u + n);
    dots(n, G->X, NULL, G->p, G->u, G->u + n, 1.0 / n, out1, out2);
}

/* Four rows by two columns of X'X per pass over the n observations: each
 * loaded element feeds two or four products. */
void gram_matrix(int n, int p, const double *X, double *M)
{
    const double s = 1.0 / n;
    for (int j = 0; j < p; j += 2) {
        const int two = j + 1 < p;
        const double *b0 = X + (size_t) j * n;
        const double *b1 = two ? b0 + n : b0;
        const int top = j + two;            /* rows 0..top of these columns */
        int i = 0;
        for (; i + 3 <= top; i += 4) {
            const double *a0 = X + (size_t) i * n, *a1 = a0 + n,
                *a2 = a1 + n, *a3 = a2 + n;
            double s00 = 0.0, s10 = 0.0, s20 = 0.0, s30 = 0.0,
                s01 = 0.0, s11 = 0.0, s21 = 0.0, s31 = 0.0;
            for (int l = 0; l < n; l++) {
                double y0 = b0[l], y1 = b1[l];
                s00 += a0[l] * y0; s10 += a1[l] * y0;
                s20 += a2[l] * y0; s30 += a3[l] * y0;
                s01 += a0[l] * y1; s11 += a1[l] * y1;
                s21 += a2[l] * y1; s31 += a3[l] * y1;
            }
            double *m0 = M + (size_t) j * p + i;
            m0[0] = s * s00; m0[1] = s * s10; m0[2] = s * s20; m0[3] = s * s30;
            if (two) {
                double *m1 = m0 + p;
                m1[0] = s * s01; m1[1] = s * s11; m1[2] = s * s21; m1[3] = s * s31;
            }
        }
        for (; i <= top; i++) {
            const double *a0 = X + (size_t) i * n;
            double s0 = 0.0, s1 = 0.0;
            for (int l = 0; l < n; l++) {
                s0 += a0[l] * b0[l];
                s1 += a0[l] * b1[l];
            }
            M[(size_t) j * p + i] = s * s0;
            if (two) M[(size_t) (j + 1) * p + i] = s * s1;
        }
    }
    for (int j = 0; j < p; j++)
        for (int i = j + 1; i < p; i++)
            M[(size_t) j * p + i] = M[(size_t) i * p + j];
}
