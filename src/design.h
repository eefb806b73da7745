/* The design as the coordinate-descent kernel reads it: the standardized,
 * weighted columns
 *
 *     xt_j = sw * (x_j - center_j) / scale_j     (sw = square roots of the
 *                                                  weights, which sum to n)
 *
 * Dense input is standardized once into a copy (exact centring, cache-friendly
 * inner loops). Sparse input (compressed columns, as in a dgCMatrix) is read
 * as is and centred implicitly: it is never densified. */
#ifndef DLNPATH_DESIGN_H
#define DLNPATH_DESIGN_H

typedef struct {
    int n, p;
    const double *X;          /* dense: n x p standardized copy; NULL if sparse */
    const int *Xi, *Xp;       /* sparse: row indices, column starts (length p + 1) */
    const double *Xx;         /* sparse: values */
    const double *center, *scale;
    const double *sw;         /* n square roots of the weights */
    double *wsum;             /* sparse: sum_i w_i x_ij of the raw column */
    const double **cols;      /* dense: the p columns of X */
    const double **sel;       /* dense: scratch for 2 p column pointers */
} design;

/* An n-vector u = v + tau * sw, kept with S = sum_i sw_i v_i. The offset
 * lets updates by a centred sparse column touch only its nonzeros; for a
 * dense design tau stays 0. */
typedef struct {
    double *v;
    double tau, S;
} rowvec;

/* Weighted column means and centred standard deviations (1/n scaling, the
 * weights w summing to n), and whether a column is constant. Dense x (n x p)
 * or sparse (Xi, Xp, Xx); two passes per column for accuracy. nonfinite:
 * the (1-based) position of the first non-finite entry of dense x, or 0. */
void design_moments(int n, int p, const double *x, const int *Xi,
                    const int *Xp, const double *Xx, const double *w,
                    double *mean, double *sd, int *constant, double *nonfinite);

/* The common fields (the dense copy or sparse parts are set later). */
void design_base(design *D, int n, int p, const double *center,
                 const double *scale, const double *sw);
/* Set up from raw dense x (standardized into X, n x p doubles) or sparse
 * parts. */
void design_dense(design *D, int n, int p, const double *x,
                  const double *center, const double *scale, const double *sw,
                  double *X);
void design_sparse(design *D, int n, int p, const int *Xi, const int *Xp,
                   const double *Xx, const double *center, const double *scale,
                   const double *sw);

/* u <- y (a plain n-vector), and u <- a copy of another rowvec. */
void rowvec_set(const design *D, rowvec *u, const double *y);
void rowvec_copy(const design *D, rowvec *dst, const rowvec *src);
/* ||a - b||^2 */
double rowvec_dist2(const design *D, const rowvec *a, const rowvec *b);

/* xt_j' u */
double design_dot(const design *D, int j, const rowvec *u);
/* out[k] = xt_{J[k]}' u / n for k < m */
void design_grad(const design *D, const int *J, int m, const rowvec *u,
                 double *out);
/* d[j] = xt_j'xt_j / n and g[j] = xt_j'u / n for every column, in one pass */
void design_diag_grad(const design *D, const rowvec *u, double *d, double *g);
/* u <- u + a xt_j */
void design_axpy(const design *D, int j, double a, rowvec *u);
/* out[a + b * ld] = xt_{J[a]}' xt_{K[b]} / n; work: n doubles. With upper,
 * J ends with the columns K (in order) and only the entries with a <=
 * nj - nk + b are needed (others may be left unset). J and K may hold up to
 * p columns each. */
void design_cross(const design *D, const int *J, int nj, const int *K, int nk,
                  int upper, double *out, int ld, double *work);

#endif
