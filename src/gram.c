#include <R.h>
#include "linalg.h"
#include "gram.h"

void gram_init(gram_op *G, int p, int n, const double *M, const double *X)
{
    G->p = p;
    G->n = n;
    G->M = M;
    G->X = X;
    G->diag = (double *) R_alloc((size_t) (p > 0 ? p : 1), sizeof(double));
    G->work = NULL;
    if (M) {
        for (int j = 0; j < p; j++) G->diag[j] = M[(size_t) j * p + j];
    } else {
        G->work = (double *) R_alloc((size_t) (n > 0 ? n : 1), sizeof(double));
        for (int j = 0; j < p; j++) {
            const double *xj = X + (size_t) j * n;
            G->diag[j] = vdot(n, xj, xj) / n;
        }
    }
}

void gram_col(const gram_op *G, int j, double *out)
{
    int p = G->p, n = G->n;
    if (G->M) {
        const double *col = G->M + (size_t) j * p;
        for (int i = 0; i < p; i++) out[i] = col[i];
        return;
    }
    const double alpha = 1.0 / n, zero = 0.0;
    const int inc = 1;
    F77_CALL(dgemv)("T", &n, &p, &alpha, G->X, &n, G->X + (size_t) j * n,
                    &inc, &zero, out, &inc FCONE);
}

void gram_mv_cols(const gram_op *G, const int *A, int m, const double *v,
                  double *out)
{
    int p = G->p, n = G->n;
    const int inc = 1;
    if (G->M) {
        for (int i = 0; i < p; i++) out[i] = 0.0;
        for (int k = 0; k < m; k++) {
            double vk = v[k];
            if (vk == 0.0) continue;
            F77_CALL(daxpy)(&p, &vk, G->M + (size_t) A[k] * p, &inc, out, &inc);
        }
        return;
    }
    double *w = G->work;
    for (int i = 0; i < n; i++) w[i] = 0.0;
    for (int k = 0; k < m; k++) {
        double vk = v[k];
        if (vk == 0.0) continue;
        F77_CALL(daxpy)(&n, &vk, G->X + (size_t) A[k] * n, &inc, w, &inc);
    }
    const double alpha = 1.0 / n, zero = 0.0;
    F77_CALL(dgemv)("T", &n, &p, &alpha, G->X, &n, w, &inc, &zero, out,
                    &inc FCONE);
}

void gram_mv(const gram_op *G, const double *v, double *out)
{
    int p = G->p, n = G->n;
    if (G->M) {
        if (p <= SMALL_SYM_MV) small_sym_mv(p, G->M, v, out);
        else sym_mv(p, G->M, v, out);
        return;
    }
    const double one = 1.0, zero = 0.0, alpha = 1.0 / n;
    const int inc = 1;
    F77_CALL(dgemv)("N", &n, &p, &one, G->X, &n, v, &inc, &zero, G->work,
                    &inc FCONE);
    F77_CALL(dgemv)("T", &n, &p, &alpha, G->X, &n, G->work, &inc, &zero, out,
                    &inc FCONE);
}
