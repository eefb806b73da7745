/* The exact lasso path by homotopy (LARS with the lasso modification),
 * made complete for degenerate data.
 *
 * On a segment with active set A (nonzero coefficients, and unpenalized
 * ones) and signs s, the coefficients move as b_A(lambda - t) = b_A + t d
 * with d = M_AA^{-1} g_A, g_j = s_j w_j (0 for an unpenalized coefficient),
 * and the correlations c = r - M b as c - t a with a = M_:A d. At each knot
 * the coefficients are solved afresh, b_A = M_AA^{-1} (r_A - lambda g_A),
 * and one pass over the active columns of M gives both M b (so c is exact)
 * and a: no error accumulates from knot to knot. The solves use the
 * Cholesky factor R of M_AA through the vectors R^{-T} r_A and R^{-T} g_A,
 * kept up to date as columns come and go.
 *
 * Which variables enter at a knot. Besides A, the variables on the boundary
 * (|c_j| = lambda w_j with b_j = 0: those reaching it, those leaving A,
 * those that stayed on it) form a set E, and the direction d is the
 * solution of the quadratic program
 *
 *     min 1/2 d'Md - sum_j g_j d_j,   g_j = s_j w_j,
 *     d_j free on A,  s_j d_j >= 0 on E,  d_j = 0 elsewhere,
 *
 * whose optimality conditions are those of the path to first order (an
 * entering coefficient takes the sign of its correlation; a boundary
 * variable left out must not cross the boundary). It is solved by the
 * Lawson-Hanson active-set method from A, one Cholesky update per variable
 * taken in. In general position this is plain LARS-lasso: one entry or one
 * drop per knot. With ties it decides which of the tied variables enter
 * (for the n = 4 example of issue 3, two of the three); a dropped variable
 * re-enters at once only if the program says so.
 *
 * A boundary column in the span of the active columns has zero dual (its
 * correlation is the same combination of theirs), so it never needs to
 * enter: it is reported as "dependent" and held at zero until a variable
 * leaves. Of duplicated columns, the one of smallest index is used.
 *
 * A knot is recorded where the active set changes.
 *
 * Scales. The path is run on an equilibrated copy of the problem: columns
 * scaled by powers of 2 to unit diagonal (a column scale becomes a penalty
 * weight), r and the weights by powers of 2 to unit size. These scalings
 * are exact, so the path is the same, to rounding, under any scaling of
 * the columns, the response or the penalty factors. What remains
 * multi-scale is lambda itself: with a tiny weight the first knot can be
 * 1e13 and the next 45. Every event is therefore located as a lambda'
 * value computed in its own scale (see next_events()), never as lambda -
 * t, and ties, "already happened" and "reaches 0" are judged relative to
 * the magnitude of the terms that give it. */
#include <R.h>
#include <R_ext/Utils.h>
#include <float.h>
#include <math.h>
#include <string.h>
#include "chol.h"
#include "homotopy.h"

/* Two events closer than this fraction of the larger of their lambda' and
 * the terms that give it happen at the same knot. */
#define TIE_REL 1e-11
/* A boundary variable enters only if its dual exceeds this fraction of the
 * two terms it is the difference of (its weight and its slope). */
#define DUAL_TOL 1e-10
/* A knot's optimality conditions hold to KKT_FLAG relative to lambda w_j
 * plus KKT_NOISE times the rounding of r - M b, or the path is flagged as
 * unresolved. Resolved ill-conditioned paths (degree-3 diabetes, the
 * Mairal-Yu design up to p = 11) stay below 25 rounding units; the
 * Mairal-Yu design at p = 12 (condition number ~1e20) reaches 2300. */
#define KKT_FLAG 1e-6
#define KKT_NOISE 100.0
/* Weights below this fraction of the largest (after equilibration) are 0. */
#define TINY_WEIGHT 0x1p-900

/* per-variable state bits */
enum {
    ELIG = 1,     /* can be nonzero: finite weight, nonzero column */
    FREE = 2,     /* unpenalized and unconstrained: always active */
    SPAN = 4,     /* in the span of the active columns: cannot enter */
    BOUND = 8,    /* on the boundary with zero dual: stays there */
    HIT = 16,     /* reached the boundary in the last step */
    DROP = 32,    /* left the active set at this knot */
    FRESH = 64,   /* entered at this knot */
    DEP = 128     /* found dependent at this knot */
};

typedef struct {
    const gram_op *G;
    const double *r, *w;
    int p, nonneg, cap;
    int m, *A, *pos;        /* active set, in the column order of R */
    double *R;              /* cap x cap Cholesky factor of M[A, A] */
    double *Z;              /* cap x 2: R^{-T} r_A and R^{-T} g_A */
    int *flag;
    double *sgn;            /* sign of an active or boundary variable */
    double *g;              /* s_j w_j: the direction's linear term */
    double *b, *c;          /* coefficients and correlations at the knot */
    double *d, *a;          /* direction and M d */
    double *u;              /* cap: M_AA^{-1} r_A, b_A at lambda = 0 */
    double *v, *work;       /* scratch: 2 cap */
    int *E, nE;             /* boundary variables at the knot */
    double rmax;            /* max |r_j|: the scale of the correlations */
    int c_stale;            /* c must be recomputed as r - M b */
    int since_exact;        /* segments since c was last recomputed */
    homotopy_path *out;
} path_state;

/* In X mode (no Gram matrix: p > n) a product with M costs one pass over
 * X, and recomputing c = r - M b at every knot doubles the work. Between
 * knots c moves exactly as c - t a, so the extrapolated c is used and
 * recomputed every EXACT_EVERY segments (and wherever b jumps), which
 * bounds the drift to a few roundings. */
#define EXACT_EVERY 4

static void *grow(void *old, int used, int cap, size_t elt)
{
    void *fresh = R_alloc((size_t) cap, elt);
    if (used > 0) memcpy(fresh, old, (size_t) used * elt);
    return fresh;
}

static void record_knot(homotopy_path *P, double lambda, const double *b)
{
    if (P->nknot == P->knot_cap) {
        int cap = 2 * P->knot_cap;
        P->lambda = grow(P->lambda, P->nknot, cap, sizeof(double));
        P->beta = grow(P->beta, P->nknot * P->p, cap * P->p, sizeof(double));
        P->knot_cap = cap;
    }
    P->lambda[P->nknot] = lambda;
    memcpy(P->beta + (size_t) P->nknot * P->p, b, (size_t) P->p * sizeof(double));
    P->nknot++;
}

static void record_event(homotopy_path *P, int var, int type)
{
    if (P->nevent == P->event_cap) {
        int cap = 2 * P->event_cap;
        P->ev_knot = grow(P->ev_knot, P->nevent, cap, sizeof(int));
        P->ev_var = grow(P->ev_var, P->nevent, cap, sizeof(int));
        P->ev_type = grow(P->ev_type, P->nevent, cap, sizeof(int));
        P->event_cap = cap;
    }
    P->ev_knot[P->nevent] = P->nknot - 1;
    P->ev_var[P->nevent] = var;
    P->ev_type[P->nevent] = type;
    P->nevent++;
}

/* Add column j (with g[j] set) to the factor and extend R^{-T} r_A and
 * R^{-T} g_A; 1 if the column is (numerically) in the span. */
static int active_add(path_state *H, int j)
{
    const int m = H->m, cap = H->cap;
    if (m >= cap) return 1;
    gram_entries(H->G, H->A, m, j, H->v);
    if (chol_add(H->R, cap, m, H->v, H->G->diag[j], H->work)) return 1;
    const double *col = H->R + (size_t) m * cap;
    double sr = H->r[j], sg = H->g[j];
    for (int k = 0; k < m; k++) {
        sr -= col[k] * H->Z[k];
        sg -= col[k] * H->Z[cap + k];
    }
    H->Z[m] = sr / col[m];
    H->Z[cap + m] = sg / col[m];
    H->A[m] = j;
    H->pos[j] = m;
    H->m++;
    return 0;
}

static void active_remove(path_state *H, int j)
{
    int i = H->pos[j];
    chol_del_rotating(H->R, H->cap, H->m, i, H->Z, 2);
    for (int k = i; k < H->m - 1; k++) {
        H->A[k] = H->A[k + 1];
        H->pos[H->A[k]] = k;
    }
    H->m--;
    H->pos[j] = -1;
    H->b[j] = H->d[j] = 0.0;
}

/* d of the current active set (unless the caller has it), then one pass
 * over its columns of M for c = r - M b and a = M d. */
static void segment(path_state *H, int have_d)
{
    const int m = H->m, cap = H->cap;
    double *bA = H->v, *dA = H->v + cap;
    if (have_d) {
        for (int k = 0; k < m; k++) dA[k] = H->d[H->A[k]];
    } else {
        memcpy(dA, H->Z + cap, (size_t) m * sizeof(double));
        chol_back(H->R, cap, m, dA, 1, H->work);
    }
    for (int k = 0; k < m; k++) {
        bA[k] = H->b[H->A[k]];
        H->d[H->A[k]] = dA[k];
    }
    if (H->G->M || H->c_stale || ++H->since_exact >= EXACT_EVERY) {
        gram_mv2(H->G, H->A, m, bA, dA, H->c, H->a);
        for (int j = 0; j < H->p; j++) H->c[j] = H->r[j] - H->c[j];
        H->c_stale = 0;
        H->since_exact = 0;
    } else {
        gram_mv1(H->G, H->A, m, dA, H->a);
    }
}

/* b_A <- M_AA^{-1} (r_A - lambda g_A): the coefficients at lambda. A
 * coefficient that rounding puts on the wrong side of zero is zero. */
static void coefficients_at(path_state *H, double lambda)
{
    const int cap = H->cap;
    for (int k = 0; k < H->m; k++) H->v[k] = H->Z[k] - lambda * H->Z[cap + k];
    chol_back(H->R, cap, H->m, H->v, 1, H->work);
    for (int k = 0; k < H->m; k++) {
        int j = H->A[k];
        double bj = H->v[k];
        H->b[j] = !(H->flag[j] & FREE) && H->sgn[j] * bj < 0.0 ? 0.0 : bj;
    }
}

/* The dual of boundary variable j in the direction's program, and the
 * rounding-level threshold it is judged against: a fraction of the two
 * terms it is the difference of (the weights can span many orders of
 * magnitude). */
static double dual(const path_state *H, int j)
{
    return H->sgn[j] * (H->g[j] - H->a[j]);
}

static double dual_tol(const path_state *H, int j)
{
    return DUAL_TOL * (fabs(H->g[j]) + fabs(H->a[j]));
}

/* Is the boundary variable j (on side sgn_j at lambda) within the tie
 * tolerance of the opposite side too? With a weight that is tiny against
 * the rate a_j of its correlation, the band |c_j| <= lambda w_j is crossed
 * in less than TIE_REL lambda: a coefficient reaching zero comes back with
 * the other sign at the same knot. The test is the one next_events() uses
 * for "already happened". */
static int two_sided(const path_state *H, int j, double lambda)
{
    const double w = H->w[j];
    return !H->nonneg && w > 0.0 &&
        lambda * w + H->sgn[j] * H->c[j] <= TIE_REL * lambda * (w + fabs(H->a[j]));
}

/* The direction's quadratic program (see the top of the file), by
 * Lawson-Hanson from the current active set, whose segment is up to date.
 * On return A includes the entering variables (flag FRESH) and the segment
 * is up to date again. */
static void direction(path_state *H, double lambda)
{
    int *flag = H->flag;
    const int cap = H->cap;
    for (int guard = 4 * H->nE + 8; guard > 0; guard--) {
        int best = -1;
        double top = 0.0;
        for (int e = 0; e < H->nE; e++) {
            int j = H->E[e];
            if (H->pos[j] >= 0 || (flag[j] & SPAN)) continue;
            double dj = dual(H, j), tol = dual_tol(H, j);
            if (dj <= tol && two_sided(H, j, lambda)) {
                /* enter on the other side if that one has a positive dual */
                H->sgn[j] = -H->sgn[j];
                H->g[j] = -H->g[j];
                dj = dual(H, j);
                if (dj <= tol) {
                    H->sgn[j] = -H->sgn[j];
                    H->g[j] = -H->g[j];
                    continue;
                }
            }
            if (dj > tol && dj > top) {
                top = dj;
                best = j;
            }
        }
        if (best < 0) break;
        if (active_add(H, best)) {
            flag[best] |= SPAN | DEP;
            continue;
        }
        flag[best] |= FRESH;
        /* move from d toward the unconstrained solution z on A, stopping
         * where a fresh variable would change sign and releasing it */
        for (;;) {
            memcpy(H->v, H->Z + cap, (size_t) H->m * sizeof(double));
            chol_back(H->R, cap, H->m, H->v, 1, H->work);
            double alpha = 1.0;
            int stop = -1;
            for (int k = 0; k < H->m; k++) {
                int j = H->A[k];
                if (!(flag[j] & FRESH)) continue;
                double zj = H->sgn[j] * H->v[k], dj = H->sgn[j] * H->d[j];
                if (zj > 0.0) continue;
                double ratio = dj > zj ? dj / (dj - zj) : 0.0;
                if (ratio < alpha) {
                    alpha = ratio;
                    stop = j;
                }
            }
            for (int k = 0; k < H->m; k++) {
                int j = H->A[k];
                H->d[j] += alpha * (H->v[k] - H->d[j]);
            }
            if (stop < 0) break;     /* d = z */
            for (int k = H->m - 1; k >= 0; k--) {
                int j = H->A[k];
                if (!(flag[j] & FRESH) || (j != stop && H->sgn[j] * H->d[j] > 0.0))
                    continue;
                flag[j] &= ~FRESH;
                /* taken in and at once released: it cannot move */
                if (j == best && alpha == 0.0) flag[j] |= SPAN;
                active_remove(H, j);
            }
        }
        segment(H, 1);
    }
}

/* Is column j in the span of the active columns? (A trial Cholesky update
 * that is not kept.) */
static int in_span(path_state *H, int j)
{
    if (H->m >= H->cap) return 1;
    gram_entries(H->G, H->A, H->m, j, H->v);
    return chol_add(H->R, H->cap, H->m, H->v, H->G->diag[j], H->work);
}

/* Does the knot at lambda satisfy the optimality conditions (c exact for
 * its b) to KKT_FLAG relative to lambda w_j, above the rounding of
 * r - M b (columns have unit diagonal, so |M b|_j <= 2 ||b||_1)? A
 * violation means double precision could not resolve an event. */
static int knot_resolved(const path_state *H, double lambda)
{
    const double *c = H->c, *w = H->w;
    double b1 = 0.0;
    for (int k = 0; k < H->m; k++) b1 += fabs(H->b[H->A[k]]);
    const double noise = KKT_NOISE * DBL_EPSILON * (H->rmax + 2.0 * b1);
    for (int j = 0; j < H->p; j++) {
        if (!(H->flag[j] & ELIG)) continue;
        double viol = H->pos[j] >= 0 ? fabs(c[j] - H->sgn[j] * lambda * w[j])
            : (H->nonneg ? c[j] : fabs(c[j])) - lambda * w[j];
        if (viol > KKT_FLAG * lambda * w[j] + noise) return 0;
    }
    return 1;
}

/* Record the knot and what happened there; clear the per-knot bits. */
static void close_knot(path_state *H, double lambda, int record)
{
    int *flag = H->flag;
    /* boundary variables left out: on the boundary still if their
     * correlation moves with it (zero dual), inside it otherwise. One
     * newly on it in the span of the active columns is a combination of
     * them: reported as dependent. */
    for (int e = 0; e < H->nE; e++) {
        int j = H->E[e];
        if (H->pos[j] >= 0 || (flag[j] & SPAN) || dual(H, j) < -dual_tol(H, j))
            flag[j] &= ~BOUND;
        else if (!(flag[j] & BOUND) && in_span(H, j))
            flag[j] |= SPAN | DEP;
        else
            flag[j] |= BOUND;
    }
    if (record) {
        homotopy_path *P = H->out;
        record_knot(P, lambda, H->b);
        if (P->unresolved == 0 && !knot_resolved(H, lambda))
            P->unresolved = P->nknot;
        for (int j = 0; j < H->p; j++)
            if (flag[j] & DROP) record_event(P, j, EV_DROP);
        for (int j = 0; j < H->p; j++)
            if ((flag[j] & FRESH) && H->pos[j] >= 0) record_event(P, j, EV_ENTER);
        for (int j = 0; j < H->p; j++)
            if (flag[j] & DEP) record_event(P, j, EV_DEPENDENT);
    }
    for (int j = 0; j < H->p; j++) flag[j] &= ~(DROP | FRESH | DEP | HIT);
}

/* The boundary set at lambda: variables leaving A, reaching the boundary
 * (on the side of their event), staying on it, or found on it by their
 * correlation. */
static void boundary_set(path_state *H, double lambda)
{
    const double *c = H->c, *w = H->w;
    int *flag = H->flag;
    H->nE = 0;
    for (int j = 0; j < H->p; j++) {
        if (!(flag[j] & ELIG) || (flag[j] & (FREE | SPAN)) || H->pos[j] >= 0)
            continue;
        if (!(flag[j] & (DROP | HIT))) {
            double s = (H->nonneg || c[j] >= 0.0) ? 1.0 : -1.0;
            double cj = s * c[j];
            /* an unpenalized non-negative variable: on the boundary when
             * its correlation is 0 to rounding (on the scale of r) */
            int on = (flag[j] & BOUND) ||
                (w[j] > 0.0 ? cj >= lambda * w[j] * (1.0 - TIE_REL)
                            : cj >= -TIE_REL * H->rmax);
            if (!on) continue;
            H->sgn[j] = s;
        }
        H->g[j] = H->sgn[j] * w[j];
        H->E[H->nE++] = j;
    }
}

static void path_init(path_state *H, homotopy_path *out, const gram_op *G,
                      const double *r, const double *w, int nonneg,
                      int rank_max)
{
    const int p = G->p;
    const size_t np = (size_t) (p > 0 ? p : 1);
    H->G = G;
    H->r = r;
    H->w = w;
    H->p = p;
    H->nonneg = nonneg;
    H->cap = rank_max < p ? rank_max : p;
    if (H->cap < 1) H->cap = 1;
    const size_t cap = (size_t) H->cap;
    H->m = 0;
    H->A = (int *) R_alloc(np, sizeof(int));
    H->pos = (int *) R_alloc(np, sizeof(int));
    H->flag = (int *) R_alloc(np, sizeof(int));
    H->E = (int *) R_alloc(np, sizeof(int));
    H->nE = 0;
    H->R = (double *) R_alloc(cap * cap, sizeof(double));
    H->Z = (double *) R_alloc(2 * cap, sizeof(double));
    H->u = (double *) R_alloc(cap, sizeof(double));
    H->v = (double *) R_alloc(2 * cap, sizeof(double));
    H->work = (double *) R_alloc(cap, sizeof(double));
    double **vec[] = {&H->sgn, &H->g, &H->b, &H->c, &H->d, &H->a};
    for (size_t i = 0; i < sizeof(vec) / sizeof(vec[0]); i++) {
        *vec[i] = (double *) R_alloc(np, sizeof(double));
        memset(*vec[i], 0, np * sizeof(double));
    }
    H->rmax = 0.0;
    for (int j = 0; j < p; j++) {
        H->pos[j] = -1;
        H->flag[j] = (R_FINITE(w[j]) && G->diag[j] > 0.0) ? ELIG : 0;
        if ((H->flag[j] & ELIG) && w[j] == 0.0 && !nonneg) H->flag[j] |= FREE;
        if (H->flag[j] & ELIG) H->rmax = fmax(H->rmax, fabs(r[j]));
    }
    H->out = out;
    out->p = p;
    out->nknot = 0;
    out->knot_cap = 64;
    out->lambda = (double *) R_alloc(64, sizeof(double));
    out->beta = (double *) R_alloc(64 * np, sizeof(double));
    out->nevent = 0;
    out->event_cap = 16;
    out->ev_knot = (int *) R_alloc(16, sizeof(int));
    out->ev_var = (int *) R_alloc(16, sizeof(int));
    out->ev_type = (int *) R_alloc(16, sizeof(int));
    out->status = HOMOTOPY_DONE;
    out->unresolved = 0;
}

/* Above the first knot only the unpenalized coefficients are nonzero: the
 * least-squares fit on them (non-negative when nonneg), by the same program
 * with g = r. Returns lambda_max (0 when no penalized variable can enter). */
static double unpenalized_fit(path_state *H)
{
    int *flag = H->flag;
    const double *w = H->w;
    const int p = H->p, cap = H->cap;
    H->nE = 0;
    H->c_stale = 0;                  /* b = 0: c = r is exact */
    H->since_exact = 0;
    for (int j = 0; j < p; j++) {
        H->c[j] = H->r[j];
        if (!(flag[j] & ELIG) || w[j] != 0.0) continue;
        H->g[j] = H->r[j];
        H->sgn[j] = 1.0;
        if (!(flag[j] & FREE))
            H->E[H->nE++] = j;
        else if (active_add(H, j))
            flag[j] = DEP;           /* a combination of other free columns */
    }
    if (H->m > 0 || H->nE > 0) {
        segment(H, 0);
        direction(H, 0.0);
    }
    /* from here on the unpenalized variables have g = 0: at lambda_max, b
     * is the fit (d with g = r), c = r - M b, and the direction is 0 */
    for (int k = 0; k < H->m; k++) H->b[H->A[k]] = H->d[H->A[k]];
    for (int j = 0; j < p; j++) {
        if (w[j] == 0.0) H->g[j] = 0.0;
        flag[j] &= ~(FRESH | SPAN);
    }
    memset(H->Z + cap, 0, (size_t) H->m * sizeof(double));
    H->c_stale = 1;                  /* b jumped to the unpenalized fit */
    if (H->m > 0) segment(H, 0);
    H->nE = 0;
    double lambda = 0.0;
    for (int j = 0; j < p; j++) {
        if (!(flag[j] & ELIG) || w[j] == 0.0) continue;
        double cj = H->nonneg ? H->c[j] : fabs(H->c[j]);
        if (cj / w[j] > lambda) lambda = cj / w[j];
    }
    return lambda;
}

/* u_A = M_AA^{-1} r_A into H->u; returns max |u|. */
static double segment_intercept(path_state *H)
{
    double umax = 0.0;
    memcpy(H->u, H->Z, (size_t) H->m * sizeof(double));
    chol_back(H->R, H->cap, H->m, H->u, 1, H->work);
    for (int k = 0; k < H->m; k++) umax = fmax(umax, fabs(H->u[k]));
    return umax;
}

/* The next knot: the largest lambda' < lambda at which an active
 * coefficient reaches zero or an inactive correlation reaches the
 * boundary, or 0. On the segment, b_A(lambda') = u_A - lambda' d_A and
 * c(lambda') = c - (lambda - lambda') a, so
 *
 *   a drop at    lambda' = u_j / d_j,
 *   an entry at  lambda' = s (c_j - lambda a_j) / (w_j - s a_j)   (side s).
 *
 * Near lambda (within a factor 2) lambda' = lambda - t is as accurate,
 * with t the distance; below it only these direct forms keep the digits
 * of lambda' (lambda - t with lambda = 1e13 and lambda' = 45 has none
 * left), u_A being solved directly from R^{-T} r_A. Each candidate
 * carries the magnitude of the terms it is computed from (its scale):
 * an event within TIE_REL of its scale from lambda has happened at this
 * knot; one below TIE_REL of its scale is at lambda' = 0; two within
 * TIE_REL of the larger of lambda' and the scale are tied. Tied events
 * are flagged (DROP, HIT with the side in sgn); *ndrop counts drops. */
static double next_events(path_state *H, double lambda, int can_enter,
                          int *cand, double *lc, double *sc, int *ndrop)
{
    const double *b = H->b, *d = H->d, *c = H->c, *a = H->a, *w = H->w;
    double *sgn = H->sgn;
    int *flag = H->flag;
    const double below = lambda * (1.0 - TIE_REL);
    double best = 0.0, umax = -1.0;
    int nc = 0;
    for (int j = 0; j < H->p; j++) {
        const int f = flag[j];
        double l, scale;
        if (H->pos[j] >= 0) {
            /* moving toward zero: b(lambda - t) = b + t d */
            if ((f & FREE) || !(sgn[j] * d[j] < 0.0)) continue;
            double t = sgn[j] * b[j] / fabs(d[j]);
            if (t <= 0.5 * lambda) {
                l = fmin(lambda - t, below);
                scale = lambda;
            } else {
                if (umax < 0.0) umax = segment_intercept(H);
                l = H->u[H->pos[j]] / d[j];
                scale = umax / fabs(d[j]);
                if (!(l > TIE_REL * scale)) continue;
            }
            l = fmin(l, below);
            if (l + TIE_REL * fmax(best, scale) < best) continue;
            cand[nc] = j;
        } else {
            if (!can_enter || !(f & ELIG) || (f & (FREE | SPAN))) continue;
            const double cj = c[j], aj = a[j];
            /* the side the correlation moves toward (the other cannot be
             * reached at lambda' > 0 when this one is not) */
            const double s = (H->nonneg || cj - lambda * aj > 0.0) ? 1.0 : -1.0;
            if ((f & BOUND) && s == sgn[j]) continue;
            const double den = w[j] - s * aj;
            const double gap = lambda * w[j] - s * cj;     /* t den */
            const double e = s * (cj - lambda * aj);       /* lambda' den */
            scale = fabs(cj) + lambda * fabs(aj);          /* den scale */
            if (!(den > 0.0) || !(gap > TIE_REL * lambda * den) ||
                !(e > TIE_REL * scale))
                continue;
            scale /= den;
            l = gap <= 0.5 * lambda * den ? lambda - gap / den : e / den;
            if (l + TIE_REL * fmax(best, scale) < best) continue;
            cand[nc] = s > 0.0 ? j : -j - 1;
        }
        if (l > best) best = l;
        lc[nc] = l;
        sc[nc++] = scale;
    }
    *ndrop = 0;
    for (int k = 0; k < nc; k++) {
        if (lc[k] + TIE_REL * fmax(best, sc[k]) < best) continue;
        int j = cand[k] >= 0 ? cand[k] : -cand[k] - 1;
        if (H->pos[j] >= 0) {
            if (!(flag[j] & DROP)) (*ndrop)++;
            flag[j] |= DROP;
        } else {
            flag[j] |= HIT;
            sgn[j] = cand[k] >= 0 ? 1.0 : -1.0;
        }
    }
    return best;
}

/* The path of the equilibrated problem (see homotopy_run()). */
static void run_path(const gram_op *G, const double *r, const double *w,
                     int nonneg, int max_knots, int rank_max,
                     homotopy_path *out)
{
    path_state H;
    path_init(&H, out, G, r, w, nonneg, rank_max);
    const int p = G->p;
    double lambda = unpenalized_fit(&H);
    if (p == 0 || lambda <= 0.0) {
        close_knot(&H, 0.0, 1);
        return;
    }

    int *flag = H.flag;
    int first = 1, ndrop = 0;
    int *cand = (int *) R_alloc((size_t) p, sizeof(int));
    double *lc = (double *) R_alloc((size_t) p, sizeof(double));
    double *sc = (double *) R_alloc((size_t) p, sizeof(double));
    /* steps that record no knot (a column found in the span) are few; this
     * bounds them all the same */
    long steps_left = 2L * max_knots + 10L * p + 100L;

    for (long iter = 1;; iter++) {
        if (iter % 64 == 0) R_CheckUserInterrupt();

        /* at the knot lambda: b solved on A (leaving variables removed), c
         * extrapolated along the last segment, exact after segment() */
        boundary_set(&H, lambda);
        if (ndrop > 0) segment(&H, 0);
        int m0 = H.m;
        direction(&H, lambda);
        int changed = first || ndrop > 0 || H.m != m0;
        for (int k = 0; !changed && k < H.m; k++) changed = (flag[H.A[k]] & FRESH) != 0;
        close_knot(&H, lambda, changed);
        first = 0;
        if (out->nknot >= max_knots || --steps_left < 0) {
            out->status = HOMOTOPY_STEP_CAP;
            break;
        }

        /* to the next knot */
        double next = next_events(&H, lambda, H.m < rank_max, cand, lc, sc, &ndrop);
        const double t = lambda - next;
        for (int j = 0; j < p; j++) H.c[j] -= t * H.a[j];
        for (int k = H.m - 1; k >= 0; k--)
            if (flag[H.A[k]] & DROP) active_remove(&H, H.A[k]);
        lambda = next;
        if (ndrop > 0)
            for (int j = 0; j < p; j++) flag[j] &= ~SPAN;    /* the span shrank */
        coefficients_at(&H, lambda);
        if (lambda == 0.0) {
            H.c_stale = 1;
            segment(&H, 1);          /* c exact at the end, for its check */
            close_knot(&H, 0.0, 1);
            break;
        }
    }
}

/* 2^k closest (in log scale, within a factor sqrt 2) to x > 0 finite. */
static int pow2_exponent(double x)
{
    int e;
    double f = frexp(x, &e);          /* x = f 2^e, f in [1/2, 1) */
    return f < 0.70710678118654752 ? e - 1 : e;
}

/* -(e / 2) for the diagonal entry d = 2^e (within sqrt 2) of M: 2^(-e/2)
 * scales the column to unit diagonal; 0 for a zero or non-finite d. */
static int diag_exponent(double d)
{
    return d > 0.0 && R_FINITE(d) ? -(pow2_exponent(d) / 2) : 0;
}

/* The same for a column x of X whose d = x'x/n is zero, subnormal or
 * infinite (its squares underflowed, entries below about 1e-160, or
 * overflowed, above 1e154): from the column scaled by its largest
 * magnitude, a power of 2, so that such columns are equilibrated too. */
static int column_exponent(int n, const double *x)
{
    double m = 0.0;
    for (int i = 0; i < n; i++) m = fmax(m, fabs(x[i]));
    if (!(m > 0.0) || !R_FINITE(m)) return 0;
    int k;
    frexp(m, &k);
    double ss = 0.0;
    for (int i = 0; i < n; i++) {
        double v = ldexp(x[i], -k);
        ss += v * v;
    }
    return -((pow2_exponent(ss / n) + 2 * k) / 2);
}

void homotopy_run(const gram_op *G0, const double *r0, const double *w0,
                  int nonneg, int max_knots, int rank_max,
                  homotopy_path *out)
{
    /* Equilibrate, exactly: b = D beta_r bhat with D_j = 2^ej (unit
     * diagonal), beta_r = 2^er (r to unit size), and weights w D / 2^ew
     * (the largest finite one to unit size); then lambda = lambdahat
     * 2^(er - ew). */
    const int p = G0->p;
    const size_t np = (size_t) (p > 0 ? p : 1);
    int *ej = (int *) R_alloc(np, sizeof(int));
    double *r = (double *) R_alloc(np, sizeof(double));
    double *w = (double *) R_alloc(np, sizeof(double));
    double rmax = 0.0, wmax = 0.0;
    int scaled = 0;
    for (int j = 0; j < p; j++) {
        const double dj = G0->diag[j];
        ej[j] = G0->M || (dj >= DBL_MIN && R_FINITE(dj)) ? diag_exponent(dj)
              : column_exponent(G0->n, G0->X + (size_t) j * G0->n);
        scaled |= ej[j] != 0;
        r[j] = ldexp(r0[j], ej[j]);
        w[j] = ldexp(w0[j], ej[j]);
        rmax = fmax(rmax, fabs(r[j]));
        if (R_FINITE(w[j])) wmax = fmax(wmax, w[j]);
    }
    const int er = rmax > 0.0 ? pow2_exponent(rmax) : 0;
    const int ew = wmax > 0.0 ? pow2_exponent(wmax) : 0;
    out->zeroed = 0;
    for (int j = 0; j < p; j++) {
        r[j] = ldexp(r[j], -er);
        w[j] = ldexp(w[j], -ew);
        /* lambda_max would be near or beyond overflow: to double
         * precision such a weight is 0 */
        if (w[j] > 0.0 && w[j] < TINY_WEIGHT) {
            w[j] = 0.0;
            out->zeroed++;
        }
    }
    gram_op G1 = *G0;
    if (scaled) gram_scaled(&G1, G0, ej);
    /* with p <= n the Gram matrix is no larger than X: form it (from the
     * equilibrated columns, so that it neither overflows nor underflows) */
    if (!G1.M && p <= G1.n) gram_densify(&G1);
    const gram_op *G = &G1;
    run_path(G, r, w, nonneg, max_knots, rank_max, out);
    for (int k = 0; k < out->nknot; k++) {
        out->lambda[k] = ldexp(out->lambda[k], er - ew);
        double *bk = out->beta + (size_t) k * p;
        for (int j = 0; j < p; j++) bk[j] = ldexp(bk[j], ej[j] + er);
    }
}
