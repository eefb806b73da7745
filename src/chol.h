/* Cholesky factor R (upper triangular, R'R = M[A, A]) of the active Gram
 * block, grown and shrunk one column at a time as variables enter and leave
 * the active set. R is stored column-major with leading dimension ld.
 *
 * The triangular solves are written out: with the reference BLAS, dtrsv's
 * transposed solve forms each inner product in a single chain of additions,
 * and the solves were half of the path's time; here each inner product is
 * kern_dot (kernels.h). */
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
/* The same, applying the rotations also to the nz vectors z (length m,
 * leading dimension ld) that hold R^{-T} applied to right-hand sides, so
 * that R'z = rhs stays true for the remaining entries. */
void chol_del_rotating(double *R, int ld, int m, int i, double *z, int nz);
/* x <- R^{-T} x (forward substitution), x of length m. */
void chol_forward(const double *R, int ld, int m, double *x);
/* x <- R^{-1} x (back substitution) for nrhs vectors of length m stored
 * with leading dimension ld; work (length m) holds the reciprocals of the
 * diagonal, or is NULL (then divisions). */
void chol_back(const double *R, int ld, int m, double *x, int nrhs,
               double *work);
/* Factor in place: the upper triangle of the symmetric m x m matrix in R
 * becomes R with R'R = that matrix. Returns 0, or j + 1 when the pivot of
 * column j is not positive. */
int chol_factor(double *R, int ld, int m);
/* x <- (R'R)^{-1} x for the m x m factor (the coordinate-descent kernel's
 * exact solves); work as in chol_back. */
void chol_solve(const double *R, int ld, int m, double *x, double *work);

#endif
