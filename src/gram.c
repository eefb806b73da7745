#include <R.h>
#include <math.h>
#include "linalg.h"
#include "gram.h"

/* out[k] <- scale * X[:, idx[k]]'y for k < m (X is n x any, column-major):
 * the entries M[A, j] in X mode, which BLAS cannot express (a subset of
 * columns). Four columns per pass over y, each with two partial sums over
 * alternate observations: independent chains that -O2 packs in pairs. */
static void subset_dots(int n, const double *X, const int *idx, int m,
                        const double *restrict y, double scale,
                        double *restrict out)
{
    int k = 0;
    for (; k + 3 < m; k += 4) {
        const double *restrict x0 = X + (size_t) idx[k] * n;
        const double *restrict x1 = X + (size_t) idx[k + 1] * n;
        const double *restrict x2 = X + (size_t) idx[k + 2] * n;
        const double *restrict x3 = X + (size_t) idx[k + 3] * n;
        double a0 = 0.0, b0 = 0.0, a1 = 0.0, b1 = 0.0, a2 = 0.0, b2 = 0.0,
            a3 = 0.0, b3 = 0.0;
        int i = 0;
        for (; i + 1 < n; i += 2) {
            const double y0 = y[i], y1 = y[i + 1];
            a0 += x0[i] * y0; b0 += x0[i + 1] * y1;
            a1 += x1[i] * y0; b1 += x1[i + 1] * y1;
            a2 += x2[i] * y0; b2 += x2[i + 1] * y1;
            a3 += x3[i] * y0; b3 += x3[i + 1] * y1;
        }
        if (i < n) {
            a0 += x0[i] * y[i]; a1 += x1[i] * y[i];
            a2 += x2[i] * y[i]; a3 += x3[i] * y[i];
        }
        out[k] = scale * (a0 + b0);
        out[k + 1] = scale * (a1 + b1);
        out[k + 2] = scale * (a2 + b2);
        out[k + 3] = scale * (a3 + b3);
    }
    for (; k < m; k++) {
        const double *restrict x0 = X + (size_t) idx[k] * n;
        double a0 = 0.0, b0 = 0.0;
        int i = 0;
        for (; i + 1 < n; i += 2) {
            a0 += x0[i] * y[i];
            b0 += x0[i + 1] * y[i + 1];
        }
        if (i < n) a0 += x0[i] * y[i];
        out[k] = scale * (a0 + b0);
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

/* out <- X'u / n for the whole design (X mode). */
static void xt_mv(const gram_op *G, const double *u, double *out)
{
    const double alpha = 1.0 / G->n, zero = 0.0;
    const int inc = 1;
    F77_CALL(dgemv)("T", &G->n, &G->p, &alpha, G->X, &G->n, u, &inc, &zero,
                    out, &inc FCONE);
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
        for (int j = 0; j < p; j++)
            subset_dots(n, X, &j, 1, X + (size_t) j * n, 1.0 / n, G->diag + j);
    }
}

void gram_scaled(gram_op *G, const gram_op *G0, const int *e)
{
    const int p = G0->p, n = G0->n;
    double *s = (double *) R_alloc((size_t) (p > 0 ? p : 1), sizeof(double));
    for (int j = 0; j < p; j++) s[j] = ldexp(1.0, e[j]);
    if (G0->M) {
        double *M = (double *) R_alloc((size_t) p * p, sizeof(double));
        for (int j = 0; j < p; j++) {
            const double *src = G0->M + (size_t) j * p;
            double *dst = M + (size_t) j * p;
            for (int i = 0; i < p; i++) dst[i] = src[i] * s[i] * s[j];
        }
        gram_init(G, p, 0, M, NULL);
    } else {
        double *X = (double *) R_alloc((size_t) n * p, sizeof(double));
        for (int j = 0; j < p; j++) {
            const double *src = G0->X + (size_t) j * n;
            double *dst = X + (size_t) j * n;
            for (int i = 0; i < n; i++) dst[i] = src[i] * s[j];
        }
        gram_init(G, p, n, NULL, X);
    }
}

void gram_entries(const gram_op *G, const int *A, int m, int j, double *out)
{
    if (G->M) {
        const double *col = G->M + (size_t) j * G->p;
        for (int k = 0; k < m; k++) out[k] = col[A[k]];
        return;
    }
    subset_dots(G->n, G->X, A, m, G->X + (size_t) j * G->n, 1.0 / G->n, out);
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
    xt_mv(G, G->u, out1);
    xt_mv(G, G->u + n, out2);
}

void gram_mv1(const gram_op *G, const int *A, int m, const double *v,
              double *out)
{
    const int n = G->n;
    for (int i = 0; i < n; i++) G->u[i] = 0.0;
    for (int k = 0; k < m; k++) {
        const double *col = G->X + (size_t) A[k] * n;
        const double vk = v[k];
        for (int i = 0; i < n; i++) G->u[i] += vk * col[i];
    }
    xt_mv(G, G->u, out);
}

void gram_matrix(int n, int p, const double *X, double *M)
{
    const double alpha = 1.0 / n, zero = 0.0;
    F77_CALL(dsyrk)("U", "T", &p, &n, &alpha, X, &n, &zero, M, &p FCONE FCONE);
    for (int j = 0; j < p; j++)
        for (int i = j + 1; i < p; i++)
            M[(size_t) j * p + i] = M[(size_t) i * p + j];
}

void gram_densify(gram_op *G)
{
    if (G->M) return;
    const int p = G->p;
    double *M = (double *) R_alloc((size_t) (p > 0 ? p : 1) * (p > 0 ? p : 1),
                                   sizeof(double));
    if (p > 0) gram_matrix(G->n, p, G->X, M);
    for (int j = 0; j < p; j++) G->diag[j] = M[(size_t) j * p + j];
    G->M = M;
    G->X = NULL;
    G->n = 0;
}

void gram_mv(const gram_op *G, const double *v, double *out)
{
    int p = G->p, n = G->n;
    if (G->M) {
        if (p <= SMALL_SYM_MV) small_sym_mv(p, G->M, v, out);
        else sym_mv(p, G->M, v, out);
        return;
    }
    const double one = 1.0, zero = 0.0;
    const int inc = 1;
    F77_CALL(dgemv)("N", &n, &p, &one, G->X, &n, v, &inc, &zero, G->u,
                    &inc FCONE);
    xt_mv(G, G->u, out);
}
