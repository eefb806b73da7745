#include <R.h>
#include <R_ext/Utils.h>
#include <math.h>
#include <string.h>
#include "linalg.h"
#include "chol.h"
#include "homotopy.h"

/* Two events closer than this fraction of lambda happen at the same knot. */
#define TIE_REL 1e-11

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

/* Working state of the active set. */
typedef struct {
    int p, m;
    int *A;          /* m active indices, in the column order of R */
    int *pos;        /* p: position in A, or -1 */
    double *sgn;     /* p: sign of an active penalized coefficient, 0 if free */
    double *R;       /* p x p Cholesky factor of M[A, A] */
    double *col, *work;
} active_set;

static int active_add(active_set *S, const gram_op *G, int j, double sign)
{
    gram_col(G, j, S->col);
    for (int k = 0; k < S->m; k++) S->work[k] = S->col[S->A[k]];
    if (chol_add(S->R, S->p, S->m, S->work, G->diag[j], S->work + S->p))
        return 1;
    S->A[S->m] = j;
    S->pos[j] = S->m;
    S->sgn[j] = sign;
    S->m++;
    return 0;
}

static void active_drop(active_set *S, int j)
{
    int i = S->pos[j];
    chol_del(S->R, S->p, S->m, i);
    for (int k = i; k < S->m - 1; k++) {
        S->A[k] = S->A[k + 1];
        S->pos[S->A[k]] = k;
    }
    S->m--;
    S->pos[j] = -1;
    S->sgn[j] = 0.0;
}

/* c <- r - M b, from the active coefficients only. */
static void correlations(const gram_op *G, const active_set *S,
                         const double *r, const double *b, double *c,
                         double *bA, double *tmp)
{
    for (int k = 0; k < S->m; k++) bA[k] = b[S->A[k]];
    gram_mv_cols(G, S->A, S->m, bA, tmp);
    for (int i = 0; i < G->p; i++) c[i] = r[i] - tmp[i];
}

void homotopy_run(const gram_op *G, const double *r, const double *w,
                  int nonneg, int max_knots, homotopy_path *out)
{
    const int p = G->p;
    out->p = p;
    out->nknot = 0;
    out->knot_cap = 16;
    out->lambda = (double *) R_alloc(16, sizeof(double));
    out->beta = (double *) R_alloc((size_t) 16 * (p > 0 ? p : 1), sizeof(double));
    out->nevent = 0;
    out->event_cap = 16;
    out->ev_knot = (int *) R_alloc(16, sizeof(int));
    out->ev_var = (int *) R_alloc(16, sizeof(int));
    out->ev_type = (int *) R_alloc(16, sizeof(int));
    out->status = HOMOTOPY_DONE;
    if (p == 0) return;

    active_set S;
    S.p = p;
    S.m = 0;
    S.A = (int *) R_alloc((size_t) p, sizeof(int));
    S.pos = (int *) R_alloc((size_t) p, sizeof(int));
    S.sgn = (double *) R_alloc((size_t) p, sizeof(double));
    S.R = (double *) R_alloc((size_t) p * p, sizeof(double));
    S.col = (double *) R_alloc((size_t) p, sizeof(double));
    S.work = (double *) R_alloc((size_t) 2 * p, sizeof(double));

    double *b = (double *) R_alloc((size_t) p, sizeof(double));
    double *c = (double *) R_alloc((size_t) p, sizeof(double));
    double *a = (double *) R_alloc((size_t) p, sizeof(double));
    double *delta = (double *) R_alloc((size_t) p, sizeof(double));
    double *vA = (double *) R_alloc((size_t) p, sizeof(double));
    double *tmp = (double *) R_alloc((size_t) p, sizeof(double));
    int *eligible = (int *) R_alloc((size_t) p, sizeof(int));
    double *tev = (double *) R_alloc((size_t) p, sizeof(double));
    int *dependent = (int *) R_alloc((size_t) p, sizeof(int));
    int *just_dropped = (int *) R_alloc((size_t) p, sizeof(int));
    int *entering = (int *) R_alloc((size_t) p, sizeof(int));

    for (int j = 0; j < p; j++) {
        b[j] = 0.0;
        S.pos[j] = -1;
        S.sgn[j] = 0.0;
        dependent[j] = 0;
        just_dropped[j] = 0;
        tev[j] = R_PosInf;
        eligible[j] = R_FINITE(w[j]) && G->diag[j] > 0.0;
    }

    /* Unpenalized variables are active from the start: least squares on them. */
    for (int j = 0; j < p; j++) {
        if (eligible[j] && w[j] == 0.0 && active_add(&S, G, j, 0.0)) {
            eligible[j] = 0;
            dependent[j] = 1;
        }
    }
    if (S.m > 0) {
        for (int k = 0; k < S.m; k++) vA[k] = r[S.A[k]];
        chol_solve(S.R, p, S.m, vA);
        for (int k = 0; k < S.m; k++) b[S.A[k]] = vA[k];
    }
    correlations(G, &S, r, b, c, vA, tmp);

    double lambda = 0.0;
    for (int j = 0; j < p; j++) {
        if (!eligible[j] || w[j] == 0.0) continue;
        double cj = nonneg ? c[j] : fabs(c[j]);
        if (cj / w[j] > lambda) lambda = cj / w[j];
    }
    record_knot(out, lambda, b);
    for (int j = 0; j < p; j++) {
        if (dependent[j]) record_event(out, j, EV_DEPENDENT);
        dependent[j] = 0;
    }
    if (lambda <= 0.0) return;

    int nent = 0;
    for (int j = 0; j < p; j++) {
        if (!eligible[j] || w[j] == 0.0) continue;
        double cj = nonneg ? c[j] : fabs(c[j]);
        if (cj >= lambda * w[j] * (1.0 - TIE_REL)) entering[nent++] = j;
    }

    int iter = 0;
    for (;;) {
        if (++iter % 64 == 0) R_CheckUserInterrupt();

        /* entries at the current knot; a column in the span of the active
         * ones cannot enter and waits until the active set shrinks */
        for (int e = 0; e < nent; e++) {
            int j = entering[e];
            double sign = c[j] >= 0.0 ? 1.0 : -1.0;
            if (active_add(&S, G, j, sign)) {
                if (!dependent[j]) record_event(out, j, EV_DEPENDENT);
                dependent[j] = 1;
            } else {
                dependent[j] = 0;
                record_event(out, j, EV_ENTER);
            }
        }

        /* direction: b(lambda - t) = b(lambda) + t delta on A, and the
         * correlations move as c(lambda - t) = c(lambda) - t a */
        for (int k = 0; k < S.m; k++) vA[k] = S.sgn[S.A[k]] * w[S.A[k]];
        chol_solve(S.R, p, S.m, vA);
        for (int j = 0; j < p; j++) delta[j] = 0.0;
        for (int k = 0; k < S.m; k++) delta[S.A[k]] = vA[k];
        gram_mv_cols(G, S.A, S.m, vA, a);

        /* the next event: an inactive correlation reaching the boundary, an
         * active coefficient reaching zero, or lambda reaching zero. Times
         * within TIE_REL * lambda of now belong to this knot, already done. */
        const double tmin = TIE_REL * lambda;
        double tstar = lambda;
        for (int j = 0; j < p; j++) {
            tev[j] = R_PosInf;
            if (!eligible[j] || S.pos[j] >= 0 || dependent[j] || w[j] == 0.0)
                continue;
            double lw = lambda * w[j], t, den = w[j] - a[j];
            if (den > 0.0) {
                t = (lw - c[j]) / den;
                if (t > tmin && t < tev[j]) tev[j] = t;
            }
            if (!nonneg) {
                den = w[j] + a[j];
                if (den > 0.0) {
                    t = (lw + c[j]) / den;
                    if (t > tmin && t < tev[j]) tev[j] = t;
                }
            }
            if (tev[j] < tstar) tstar = tev[j];
        }
        for (int k = 0; k < S.m; k++) {
            int j = S.A[k];
            if (S.sgn[j] == 0.0 || !(b[j] * delta[j] < 0.0)) continue;
            double t = -b[j] / delta[j];
            tev[j] = t > tmin ? t : tmin;
            if (tev[j] < tstar) tstar = tev[j];
        }

        const double tie = tstar + TIE_REL * lambda;
        int last = tstar >= lambda * (1.0 - TIE_REL);
        for (int k = 0; k < S.m; k++) b[S.A[k]] += tstar * delta[S.A[k]];
        lambda = last ? 0.0 : lambda - tstar;

        if (last) {
            record_knot(out, lambda, b);
            break;
        }

        /* drops: active coefficients that reached zero */
        int dropped = 0;
        for (int k = S.m - 1; k >= 0; k--) {
            int j = S.A[k];
            if (S.sgn[j] == 0.0 || tev[j] > tie) continue;
            b[j] = 0.0;
            just_dropped[j] = 1;
            dropped = 1;
        }
        record_knot(out, lambda, b);
        for (int j = 0; j < p; j++) {
            if (!just_dropped[j]) continue;
            active_drop(&S, j);
            record_event(out, j, EV_DROP);
        }
        if (dropped)
            for (int j = 0; j < p; j++) dependent[j] = 0;

        if (out->nknot >= max_knots) {
            out->status = HOMOTOPY_STEP_CAP;
            break;
        }

        /* exact correlations at the new knot, then who enters */
        correlations(G, &S, r, b, c, vA, tmp);
        nent = 0;
        for (int j = 0; j < p; j++) {
            if (!eligible[j] || S.pos[j] >= 0 || w[j] == 0.0 || just_dropped[j]
                || dependent[j])
                continue;
            double cj = nonneg ? c[j] : fabs(c[j]);
            if (tev[j] <= tie || cj >= lambda * w[j] * (1.0 - TIE_REL))
                entering[nent++] = j;
        }
        for (int j = 0; j < p; j++) just_dropped[j] = 0;
    }
}
