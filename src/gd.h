/* Gradient descent on a diagonal linear network: the exact discrete
 * recursion (DESIGN.md section 2), not an approximation of the flow.
 *
 * With W+ = w+^2 and W- = w-^2 (b = W+ - W-), one step with g = grad l(b) is
 *   uv:  W+ <- W+ (1 - step (g + kappa))^2,  W- <- W- (1 + step (g - kappa))^2
 *   u2:  W+ <- W+ (1 - 2 step (g + kappa))^2, W- = 0,
 * and the averaged iterate after k steps is bbar_k = (1/k) sum_{j<k} b_j.
 * Each W is held as a mantissa m in [2^-16, 2^16] times 2^e with the
 * exponent e kept apart (renormalized when m leaves that range), so the
 * recursion is exact to rounding for any epsilon, also far below the
 * smallest double, at the price of a multiplication per step instead of a
 * logarithm and an exponential. A factor <= 0 is a sign flip of w+ or w-
 * (the step is too large to follow the flow); it is counted, not hidden.
 * In the gradient a W below 2^-990 (1e-298) counts as 0: it changes
 * M b - r by less than a rounding error unless the data are scaled near
 * the underflow threshold; reported values of b are computed exactly. */
#ifndef DLNPATH_GD_H
#define DLNPATH_GD_H

#include "gram.h"

typedef struct {
    int p;
    const gram_op *G;      /* the full gradient M b - r (M or X form) */
    const double *r;
    const double *Xt, *y;  /* p x n transposed design and response, for
                            * minibatches (batch > 0); else NULL */
    int n, batch;
    int u2;
    double step, kappa;
} gd_problem;

/* The exact state after k steps; every array has length p. */
typedef struct {
    double k;
    double *mp, *ep, *mm, *em;   /* W+ = mp 2^ep, W- = mm 2^em */
    double *S, *C;               /* sum_{j<k} b_j and its compensation */
} gd_state;

enum { GD_OK = 0, GD_DIVERGED = 1 };

typedef struct {
    int progress;
    /* filled in */
    int status;
    double k_fail;          /* first iteration with a non-finite gradient */
    double idx_g, k_idx_g;  /* max over steps of step * |g +- kappa| (u2: 2 step
                             * |g + kappa|), where factors cross zero at 1 */
    double idx_c, k_idx_c;  /* curvature index step * c * sharpness, unstable
                             * at 1 (estimated by power iteration) */
    double *flips_p, *flips_m; /* per coordinate: steps with a factor <= 0 */
    double first_flip;      /* first such iteration, -1 if none */
} gd_control;

/* Allocate a state (R_alloc) and set it to the initialization
 * W+- = exp(logc+- - L), k = 0, S = C = 0. */
void gd_state_init(gd_state *st, int p, const double *logcp,
                   const double *logcm, double L);
void gd_state_alloc(gd_state *st, int p);

/* Run from st through the increasing iteration counts k_out (all >= st->k),
 * writing b_k at each (p x nout) and a copy of the state (the 6 arrays of
 * gd_state, each p x nout, in ck[0..5]). */
void gd_run(const gd_problem *P, gd_state *st, int nout, const double *k_out,
            double *b_out, double *const ck[6], gd_control *ctl);

#endif
