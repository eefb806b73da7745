/* Cholesky factor R (upper triangular, R'R = M[A, A]) of the active Gram
 * block, grown and shrunk one column at a time as variables enter and leave
 * the active set. R is stored column-major with leading dimension ld. */
#ifndef DLNPATH_CHOL_H
#define DLNPATH_CHOL_H

/* Append a column: v = M[A, j] (length m), d = M[j, j]. Returns 0 on
 * success, 1 when the new column is numerically dependent on the others
 * (R is then left unchanged). work has length m. */
int chol_add(double *R, int ld, int m, const double *v, double d,
             double *work);
/* Remove column i (0-based) of an m x m factor, restoring triangularity by
 * Givens rotations; the factor becomes (m-1) x (m-1). */
void chol_del(double *R, int ld, int m, int i);
/* Factor in place: the upper triangle of the symmetric m x m matrix in R
 * becomes R with R'R = that matrix. Returns 0, or j + 1 when the pivot of
 * column j is not positive. */
int chol_factor(double *R, int ld, int m);
/* x <- (R'R)^{-1} x for the m x m factor. */
void chol_solve(const double *R, int ld, int m, double *x);

#endif
