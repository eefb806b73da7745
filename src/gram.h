/* The Gram operator M = X'X/n that every path kernel reads.
 *
 * Either M is held (p x p, the *_gram() entry points and n >= p), or only
 * the prepared design X (n x p) is held and products with M are formed as
 * X'(X v)/n, which is cheaper when p is large. Kernels see only this. */
#ifndef DLNPATH_GRAM_H
#define DLNPATH_GRAM_H

typedef struct {
    int p, n;
    const double *M;   /* p x p, or NULL when X is used */
    const double *X;   /* n x p, used when M is NULL */
    double *diag;      /* p: diagonal of M */
    double *work;      /* n: scratch for X mode */
} gram_op;

/* Set up from either M (X = NULL) or X (M = NULL); scratch from R_alloc. */
void gram_init(gram_op *G, int p, int n, const double *M, const double *X);
/* out[0..p-1] <- M[:, j] */
void gram_col(const gram_op *G, int j, double *out);
/* out <- M v (p) */
void gram_mv(const gram_op *G, const double *v, double *out);
/* out[0..p-1] <- M[:, A] v, A holding m column indices */
void gram_mv_cols(const gram_op *G, const int *A, int m, const double *v,
                  double *out);

#endif
