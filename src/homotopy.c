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
 * A knot is recorded where the active set changes. */
#include <R.h>
#include <R_ext/Utils.h>
#include <math.h>
#include <string.h>
#include "chol.h"
#include "homotopy.h"

/* Two events closer than this fraction of lambda happen at the same knot. */
#define TIE_REL 1e-11
/* A boundary variable enters only if its dual exceeds this (the duals are
 * on the scale of the penalty weights, which have mean 1). */
#define DUAL_TOL 1e-10

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
    double *v, *work;       /* scratch: 2 cap */
    int *E, nE;             /* boundary variables at the knot */
    homotopy_path *out;
} path_state;

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
    gram_mv2(H->G, H->A, m, bA, dA, H->c, H->a);
    for (int j = 0; j < H->p; j++) H->c[j] = H->r[j] - H->c[j];
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

static double dual(const path_state *H, int j)
{
    return H->sgn[j] * (H->g[j] - H->a[j]);
}

/* The direction's quadratic program (see the top of the file), by
 * Lawson-Hanson from the current active set, whose segment is up to date.
 * On return A includes the entering variables (flag FRESH) and the segment
 * is up to date again. */
static void direction(path_state *H)
{
    int *flag = H->flag;
    const int cap = H->cap;
    for (int guard = 4 * H->nE + 8; guard > 0; guard--) {
        int best = -1;
        double top = DUAL_TOL;
        for (int e = 0; e < H->nE; e++) {
            int j = H->E[e];
            if (H->pos[j] >= 0 || (flag[j] & SPAN)) continue;
            double dj = dual(H, j);
            if (dj > top) {
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
        if (H->pos[j] >= 0 || (flag[j] & SPAN) || dual(H, j) < -DUAL_TOL)
            flag[j] &= ~BOUND;
        else if (!(flag[j] & BOUND) && in_span(H, j))
            flag[j] |= SPAN | DEP;
        else
            flag[j] |= BOUND;
    }
    if (record) {
        record_knot(H->out, lambda, H->b);
        for (int j = 0; j < H->p; j++)
            if (flag[j] & DROP) record_event(H->out, j, EV_DROP);
        for (int j = 0; j < H->p; j++)
            if ((flag[j] & FRESH) && H->pos[j] >= 0) record_event(H->out, j, EV_ENTER);
        for (int j = 0; j < H->p; j++)
            if (flag[j] & DEP) record_event(H->out, j, EV_DEPENDENT);
    }
    for (int j = 0; j < H->p; j++) flag[j] &= ~(DROP | FRESH | DEP | HIT);
}

/* The boundary set at lambda: variables leaving A, reaching the boundary,
 * staying on it, or found on it by their correlation. */
static void boundary_set(path_state *H, double lambda)
{
    const double *c = H->c, *w = H->w;
    int *flag = H->flag;
    H->nE = 0;
    for (int j = 0; j < H->p; j++) {
        if (!(flag[j] & ELIG) || (flag[j] & (FREE | SPAN)) || H->pos[j] >= 0)
            continue;
        if (!(flag[j] & DROP)) {
            double s = (H->nonneg || c[j] >= 0.0) ? 1.0 : -1.0;
            double cj = s * c[j];
            int on = (flag[j] & (HIT | BOUND)) ||
                (w[j] > 0.0 ? cj >= lambda * w[j] * (1.0 - TIE_REL)
                            : cj >= -TIE_REL * lambda);
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
    H->v = (double *) R_alloc(2 * cap, sizeof(double));
    H->work = (double *) R_alloc(cap, sizeof(double));
    double **vec[] = {&H->sgn, &H->g, &H->b, &H->c, &H->d, &H->a};
    for (size_t i = 0; i < sizeof(vec) / sizeof(vec[0]); i++) {
        *vec[i] = (double *) R_alloc(np, sizeof(double));
        memset(*vec[i], 0, np * sizeof(double));
    }
    for (int j = 0; j < p; j++) {
        H->pos[j] = -1;
        H->flag[j] = (R_FINITE(w[j]) && G->diag[j] > 0.0) ? ELIG : 0;
        if ((H->flag[j] & ELIG) && w[j] == 0.0 && !nonneg) H->flag[j] |= FREE;
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
        direction(H);
    }
    /* from here on the unpenalized variables have g = 0: at lambda_max, b
     * is the fit (d with g = r), c = r - M b, and the direction is 0 */
    for (int k = 0; k < H->m; k++) H->b[H->A[k]] = H->d[H->A[k]];
    for (int j = 0; j < p; j++) {
        if (w[j] == 0.0) H->g[j] = 0.0;
        flag[j] &= ~(FRESH | SPAN);
    }
    memset(H->Z + cap, 0, (size_t) H->m * sizeof(double));
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

/* The next event: an active coefficient reaching zero (after |b_j| / |d_j|)
 * or an inactive correlation c_j - t a_j reaching side * (lambda - t) w_j
 * (after (lambda w_j - side c_j) / (w_j - side a_j)), whichever comes first,
 * else lambda = 0 (t = lambda). Events within TIE_REL * lambda of it happen
 * at the same knot (flags DROP and HIT); times within TIE_REL * lambda of
 * now belong to this knot, already done. A variable staying on the
 * boundary (BOUND) has no event on its own side. One pass, dividing only
 * for the running minimum: candidates within the tie window of it are kept
 * in cand/tc and sorted out at the end. Returns t; *ndrop counts drops. */
static double next_events(path_state *H, double lambda, int can_enter,
                          int *cand, double *tc, int *ndrop)
{
    const double tmin = TIE_REL * lambda;
    const double *b = H->b, *d = H->d, *c = H->c, *a = H->a, *w = H->w,
        *sgn = H->sgn;
    int *flag = H->flag;
    double tstar = lambda;
    int nc = 0;
    for (int j = 0; j < H->p; j++) {
        const int f = flag[j];
        if (H->pos[j] >= 0) {
            if ((f & FREE) || !(b[j] * d[j] < 0.0)) continue;
            double num = fabs(b[j]), den = fabs(d[j]);
            if (num <= (tstar + tmin) * den) {
                double t = fmax(num / den, tmin);
                if (t < tstar) tstar = t;
                cand[nc] = j;
                tc[nc++] = t;
            }
            continue;
        }
        if (!can_enter || !(f & ELIG) || (f & (FREE | SPAN))) continue;
        for (int side = 1; side >= (H->nonneg ? 1 : -1); side -= 2) {
            if ((f & BOUND) && side == sgn[j]) continue;
            double den = w[j] - side * a[j];
            double num = lambda * w[j] - side * c[j];
            if (!(den > 0.0) || !(num > tmin * den) || num > (tstar + tmin) * den)
                continue;
            double t = num / den;
            if (t < tstar) tstar = t;
            cand[nc] = j;
            tc[nc++] = t;
        }
    }
    const double tie = tstar + tmin;
    *ndrop = 0;
    for (int k = 0; k < nc; k++) {
        int j = cand[k];
        if (tc[k] > tie) continue;
        if (H->pos[j] >= 0) {
            if (!(flag[j] & DROP)) (*ndrop)++;
            flag[j] |= DROP;
        } else {
            flag[j] |= HIT;
        }
    }
    return tstar;
}

void homotopy_run(const gram_op *G, const double *r, const double *w,
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
    /* an inactive variable can be a candidate on both sides */
    int *cand = (int *) R_alloc(2 * (size_t) p, sizeof(int));
    double *tc = (double *) R_alloc(2 * (size_t) p, sizeof(double));
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
        direction(&H);
        int changed = first || ndrop > 0 || H.m != m0;
        for (int k = 0; !changed && k < H.m; k++) changed = (flag[H.A[k]] & FRESH) != 0;
        close_knot(&H, lambda, changed);
        first = 0;
        if (out->nknot >= max_knots || --steps_left < 0) {
            out->status = HOMOTOPY_STEP_CAP;
            break;
        }

        /* to the next knot */
        double tstar = next_events(&H, lambda, H.m < rank_max, cand, tc, &ndrop);
        const int last = tstar >= lambda * (1.0 - TIE_REL);
        const double t = last ? lambda : tstar;
        for (int j = 0; j < p; j++) H.c[j] -= t * H.a[j];
        for (int k = H.m - 1; k >= 0; k--)
            if (flag[H.A[k]] & DROP) active_remove(&H, H.A[k]);
        lambda = last ? 0.0 : lambda - tstar;
        if (ndrop > 0)
            for (int j = 0; j < p; j++) flag[j] &= ~SPAN;    /* the span shrank */
        coefficients_at(&H, lambda);
        if (last) {
            close_knot(&H, 0.0, 1);
            break;
        }
    }
}
