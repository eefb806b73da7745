/* The Gram operator M = X'X/n that every path kernel reads.
 *
 * Either M is held (p x p, the *_gram() entry points and n >= p), or only
 * the prepared design X (n x p) is held and products with M are formed as
 * X'(X v)/n, which is cheaper when p is large. Kernels see only this.
 *
 * Every product goes through the kernels of kernels.h (the Gram matrix,
 * products with all or a subset of the columns), which are faster than the
 * reference BLAS and, single-threaded, about as fast as an optimized one at
 * the sizes met here. */
#ifndef DLNPATH_GRAM_H
#define DLNPATH_GRAM_H

typedef struct {
    int p, n;
    const double *M;   /* p x p, or NULL when X is used */
    const double *X;   /* n x p, used when M is NULL */
    double *diag;      /* p: diagonal of M */
    double *u;         /* 2 n: scratch for X mode */
    const double **cols;  /* p: the columns of M, or else of X */
    const double **sel;   /* p: scratch for a subset of them */
} gram_op;

/* Set up from either M (X = NULL) or X (M = NULL); scratch from R_alloc. */
void gram_init(gram_op *G, int p, int n, const double *M, const double *X);
/* G <- the operator of D M D, D = diag(2^e[j]): a scaled copy of G0's M
 * or X (exact, barring underflow). */
void gram_scaled(gram_op *G, const gram_op *G0, const int *e);
/* out[k] <- M[A[k], j] for k < m */
void gram_entries(const gram_op *G, const int *A, int m, int j, double *out);
/* out1 <- M[:, A] v1 and out2 <- M[:, A] v2 (length p), A holding m column
 * indices: one pass over the columns for both products. */
void gram_mv2(const gram_op *G, const int *A, int m, const double *v1,
              const double *v2, double *out1, double *out2);
/* out <- M[:, A] v (length p), A holding m column indices; X mode only
 * (with M at hand gram_mv2 gives a second product at little extra cost). */
void gram_mv1(const gram_op *G, const int *A, int m, const double *v,
              double *out);
/* M <- X'X / n (p x p, both triangles) for an n x p matrix X. */
void gram_matrix(int n, int p, const double *X, double *M);
/* An operator in X mode becomes one holding M = X'X/n (R_alloc). */
void gram_densify(gram_op *G);
/* out <- M v (length p) */
void gram_mv(const gram_op *G, const double *v, double *out);

#endif
