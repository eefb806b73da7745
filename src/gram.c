#include <R.h>
#include <math.h>
#include <string.h>
#include "kernels.h"
#include "gram.h"

/* the columns A[0..m) of M or X, in G->sel */
static const double *const *select_cols(const gram_op *G, const int *A, int m)
{
    for (int k = 0; k < m; k++) G->sel[k] = G->cols[A[k]];
    return G->sel;
}

/* out <- X'u / n for the whole design (X mode). */
static void xt_mv(const gram_op *G, const double *u, double *out)
{
    kern_dots(G->n, G->p, G->cols, u, 1.0 / G->n, out);
}

/* G->cols: the columns of M, or else of X */
static void set_cols(gram_op *G)
{
    const int len = G->M ? G->p : G->n;
    const double *base = G->M ? G->M : G->X;
    for (int j = 0; j < G->p; j++) G->cols[j] = base + (size_t) j * len;
}

void gram_init(gram_op *G, int p, int n, const double *M, const double *X)
{
    G->p = p;
    G->n = n;
    G->M = M;
    G->X = X;
    const size_t pp = p > 0 ? p : 1;
    G->diag = (double *) R_alloc(pp, sizeof(double));
    G->cols = (const double **) R_alloc(pp, sizeof(double *));
    G->sel = (const double **) R_alloc(pp, sizeof(double *));
    set_cols(G);
    G->u = NULL;
    if (M) {
        for (int j = 0; j < p; j++) G->diag[j] = M[(size_t) j * p + j];
    } else {
        G->u = (double *) R_alloc((size_t) 2 * (n > 0 ? n : 1), sizeof(double));
        for (int j = 0; j < p; j++)
            G->diag[j] = kern_dot(n, G->cols[j], G->cols[j]) / n;
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
    kern_dots(G->n, m, select_cols(G, A, m), G->cols[j], 1.0 / G->n, out);
}

void gram_mv2(const gram_op *G, const int *A, int m, const double *v1,
              const double *v2, double *out1, double *out2)
{
    const int len = G->M ? G->p : G->n;
    const double *const *cols = select_cols(G, A, m);
    double *u1 = G->M ? out1 : G->u, *u2 = G->M ? out2 : G->u + len;
    memset(u1, 0, (size_t) len * sizeof(double));
    memset(u2, 0, (size_t) len * sizeof(double));
    kern_gaxpy(len, m, cols, v1, u1);
    kern_gaxpy(len, m, cols, v2, u2);
    if (G->M) return;
    xt_mv(G, u1, out1);
    xt_mv(G, u2, out2);
}

void gram_mv1(const gram_op *G, const int *A, int m, const double *v,
              double *out)
{
    memset(G->u, 0, (size_t) G->n * sizeof(double));
    kern_gaxpy(G->n, m, select_cols(G, A, m), v, G->u);
    xt_mv(G, G->u, out);
}

void gram_matrix(int n, int p, const double *X, double *M)
{
    const double **cols = (const double **) R_alloc((size_t) (p > 0 ? p : 1), sizeof(double *));
    for (int j = 0; j < p; j++) cols[j] = X + (size_t) j * n;
    kern_cross(n, p, cols, p, cols, 0, 1.0 / n, M, p);
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
    /* a copy of an operator may share the old array */
    G->cols = (const double **) R_alloc((size_t) (p > 0 ? p : 1), sizeof(double *));
    set_cols(G);
}

void gram_mv(const gram_op *G, const double *v, double *out)
{
    if (G->M) {
        /* M symmetric: out_i = M[:, i]'v */
        if (G->p <= KERN_SMALL) kern_symv_small(G->p, G->M, v, out);
        else kern_dots(G->p, G->p, G->cols, v, 1.0, out);
        return;
    }
    memset(G->u, 0, (size_t) G->n * sizeof(double));
    kern_gaxpy(G->n, G->p, G->cols, v, G->u);
    xt_mv(G, G->u, out);
}
