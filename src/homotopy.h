#ifndef DLNPATH_HOMOTOPY_H
#define DLNPATH_HOMOTOPY_H

#include "gram.h"

enum { EV_ENTER = 1, EV_DROP = -1, EV_DEPENDENT = 2 };
enum { HOMOTOPY_DONE = 0, HOMOTOPY_STEP_CAP = 1 };

/* Knots and events of the exact lasso path, in growable R_alloc buffers. */
typedef struct {
    int p, nknot, knot_cap;
    double *lambda;          /* nknot, strictly decreasing */
    double *beta;            /* p x nknot, column k = b(lambda[k]) */
    int nevent, event_cap;
    int *ev_knot, *ev_var, *ev_type;
    int status;
    int unresolved;          /* first knot (1-based) whose optimality
                              * conditions fail beyond rounding, or 0 */
    int zeroed;              /* weights too small for double precision,
                              * taken as 0 */
} homotopy_path;

/* Exact path of  1/2 b'Mb - r'b + lambda * sum_j w_j |b_j|  (b >= 0 when
 * nonneg, unpenalized coefficients included) for lambda from its maximum
 * down to 0, or until max_knots knots. w_j = 0: unpenalized; w_j = Inf or
 * M[j, j] = 0: excluded (b_j = 0). rank_max bounds the rank of M (n - 1 for
 * a centred n x p design): once that many columns are active, every other
 * column is a combination of them and none can enter. The problem is
 * equilibrated internally by exact power-of-2 scalings; G in X mode with
 * p <= n is turned into its Gram matrix. */
void homotopy_run(const gram_op *G, const double *r, const double *w,
                  int nonneg, int max_knots, int rank_max,
                  homotopy_path *out);

#endif
