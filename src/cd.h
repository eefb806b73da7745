/* Coordinate descent along a lambda grid with a duality-gap certificate.
 *
 * Minimizes, for each lambda of a decreasing grid,
 *
 *     1/2 b'Mb - r'b + c + lambda * sum_j w_j |b_j|,   lo_j <= b_j <= hi_j,
 *
 * where M = Xt'Xt/n and r = Xt'y/n for the standardized design Xt (see
 * design.h), or M and r are given (the Gram form). Each solution is certified
 * by a duality gap at most tol * cnull. */
#ifndef DLNPATH_CD_H
#define DLNPATH_CD_H

#include "design.h"

enum { CD_AUTO = 0, CD_COVARIANCE = 1, CD_NAIVE = 2 };

/* Large buffers (the standardized copy of x, the Gram block, the Cholesky
 * factors) live outside R's heap, so that they do not drive its garbage
 * collector; the caller releases them all, also when an interrupt unwinds
 * the call (see api_cd.c). */
typedef struct {
    void *block[16];
    int n;
} cd_arena;

void *cd_arena_alloc(cd_arena *A, size_t count, size_t size);
void cd_arena_free(cd_arena *A, void *ptr);
void cd_arena_release(cd_arena *A);

typedef struct {
    int n, p;
    const design *D;          /* the design, or NULL for the Gram form */
    const double *M;          /* Gram form: p x p */
    const double *y;          /* design form: the n weighted centred responses */
    const double *r;          /* Gram form: p; design form: NULL (computed) */
    double c;                 /* y'y/(2n), or the Gram form's constant */
    double cnull;             /* the null objective, scale of the relative gap */
    const double *w;          /* p penalty weights; Inf: excluded */
    const double *lo, *hi;    /* p box limits, lo <= 0 <= hi */
    cd_arena *arena;          /* for the large buffers */
} cd_problem;

typedef struct {
    double tol;               /* duality gap to certify, relative to cnull */
    int maxit;                /* coordinate sweeps per lambda */
    int mode;                 /* CD_AUTO, CD_COVARIANCE or CD_NAIVE */
    int early_stop;           /* glmnet's stop when the deviance ratio saturates */
    double fdev;              /* its relative-change threshold (0: off) */
} cd_control;

typedef struct {
    int nlam;                 /* lambdas fitted (fewer after an early stop) */
    double *lambda;           /* the grid (nlam_max) */
    double lambda_max;        /* smallest lambda with all penalized b_j = 0 */
    double lambda_round;      /* below it, gradients at rounding level (CD_ETA)
                               * may exceed lambda w_j: no certificate */
    double *beta;             /* p x nlam_max */
    double *gap;              /* relative duality gap */
    double *dev;              /* deviance ratio 1 - loss / null loss */
    int *sweeps;              /* coordinate sweeps */
    int *certified;           /* gap <= tol reached within maxit */
    int covariance;           /* 1 if covariance updates were used at the end */
} cd_result;

/* Path over `lambda` (nlam values, decreasing) or, when lambda is NULL,
 * glmnet's grid of nlam values from lambda_max down to lmr * lambda_max.
 * b0 (NULL: zero) is a warm start, optimal at lam0 (used by the strong rule
 * at the first lambda; ignored when b0 is NULL). out's arrays hold nlam
 * entries (beta: p * nlam). */
void cd_path(const cd_problem *P, const cd_control *C, const double *lambda,
             int nlam, double lmr, const double *b0, double lam0,
             cd_result *out);

#endif
