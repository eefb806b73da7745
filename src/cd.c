/* Coordinate descent along a lambda grid, certified by a duality gap.
 *
 * Per lambda (warm started from the previous solution):
 * - the sequential strong rule picks the working set W that CD visits;
 * - a face step first solves the problem restricted to the signs of the
 *   previous solution exactly (Cholesky factor of the free block, updated as
 *   the support changes): exact when no knot lies in between;
 * - otherwise CD cycles over W, then over its nonzero coordinates until the
 *   largest change M_jj db_j^2 falls below a (loose) threshold, glmnet's
 *   scheme, to find the new signs, and face steps solve on them (moving as
 *   far as signs and bounds allow; each partial step zeroes a coordinate);
 * - the KKT conditions of the coordinates outside W are checked, and the
 *   duality gap of the rescaled residual is computed; violators join W.
 *
 * Gradients g = r - M b are exact on the coordinates CD tracks. In the
 * covariance mode the Gram block G of a growing set E (containing W) is
 * cached and g is updated on E by each coordinate move; in the naive mode
 * the residual y - Xt b is updated and gradients are inner products with it.
 * Elsewhere a stored gradient g_j is kept with the "drift" at which it was
 * computed: the path length sum ||Xt (b_t+1 - b_t)|| / sqrt(n) travelled
 * since bounds |g_j(b)| <= |g_j| + sqrt(M_jj) * (drift - drift_j), so a
 * coordinate far from its threshold is never recomputed. */
#include <R.h>
#include <R_ext/Utils.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "linalg.h"
#include "kernels.h"
#include "chol.h"
#include "cd.h"

/* A free unpenalized coordinate whose gradient is below this fraction of
 * sqrt(M_jj * 2 cnull) counts as zero: rounding, not suboptimality. (Not so
 * for penalized ones at a lambda as small: on an ill-conditioned design a
 * gradient of 1e-12 can leave a suboptimality of 1e-9, so their gap stays
 * uncertified there: below lambda_round of the result.) */
#define CD_ETA 1e-11
/* glmnet's constants: smallest lambda ratio, deviance ratio to stop at,
 * lambdas before the early stop may apply */
#define GLMNET_EPS 1e-6
#define GLMNET_DEVMAX 0.999
#define GLMNET_MNLAM 5

void *cd_arena_alloc(cd_arena *A, size_t count, size_t size)
{
    if (A->n == (int) (sizeof A->block / sizeof A->block[0]))
        Rf_error("internal error: too many large buffers");
    void *ptr = calloc(count > 0 ? count : 1, size);
    if (!ptr) Rf_error("cannot allocate %.0f MB", (double) count * size / 1048576.0);
    A->block[A->n++] = ptr;
    return ptr;
}

void cd_arena_free(cd_arena *A, void *ptr)
{
    for (int k = 0; k < A->n; k++) {
        if (A->block[k] != ptr) continue;
        free(ptr);
        A->block[k] = A->block[--A->n];
        return;
    }
}

void cd_arena_release(cd_arena *A)
{
    while (A->n > 0) free(A->block[--A->n]);
}

/* Cholesky factor of M over a set of coordinates (a "face"). */
typedef struct {
    int m, cap;
    int *set;                 /* m coordinates, the column order of R */
    double *R;                /* cap x cap, upper triangular */
} face;

typedef struct {
    const cd_problem *P;
    int n, p;
    double *b, *d, *sd, *r;   /* coefficients, diag(M), its square roots, r */
    char *elig;               /* coordinate may be nonzero */
    int *W, nW;               /* working set */
    char *inW;
    int nout;                 /* eligible coordinates not tracked */
    /* covariance mode */
    int cov, *E, nE, capE, Emax, *posE;
    double *G, *gE, *bck;
    /* naive mode (and the covariance mode's on-demand residual) */
    rowvec res, res_ck;
    int res_valid;
    /* gradients: exact on tracked coordinates, stored elsewhere with the
     * drift at which they were exact and lead = (g_j in the directions the
     * box allows, at most) - sd_j * gdrift_j, so the bound is lead + sd drift */
    double *g, *gdrift, *lead, drift;
    int *outl, nol;           /* candidates for the untracked (may hold tracked) */
    face F, U;
    int nU;                   /* unpenalized eligible coordinates */
    /* scratch: lists (iwork holds two), zeroed flags, doubles */
    int *iwork, *cand, *fresh, *act, *flag;
    double *work, *work2, *nwork;  /* work2 holds 2p */
    const double **colp;      /* p column pointers */
    double thr;               /* CD convergence threshold, objective units */
    double thr_face;          /* the loosest it gets: CD has to find supports */
} state;

static double sq(double x) { return x * x; }

/* A gradient's rounding level, per unit of sqrt(M_jj): CD_ETA sqrt(2 c). */
static double grad_eta0(const cd_problem *P)
{
    return CD_ETA * sqrt(2.0 * (P->cnull > P->c ? P->cnull : P->c));
}

static int tracked(const state *S, int j)
{
    return S->cov ? S->posE[j] >= 0 : S->inW[j];
}

static double grad_of(const state *S, int j)
{
    return S->cov && S->posE[j] >= 0 ? S->gE[S->posE[j]] : S->g[j];
}

/* Store an exact gradient of an untracked coordinate at the current point. */
static void store_grad(state *S, int j, double g)
{
    double up = S->P->hi[j] > 0.0 ? g : R_NegInf;
    double down = S->P->lo[j] < 0.0 ? -g : R_NegInf;
    S->g[j] = g;
    S->gdrift[j] = S->drift;
    S->lead[j] = (up > down ? up : down) - S->sd[j] * S->drift;
}

/* The largest value the gradient of a stored coordinate may have now in a
 * direction its box lets it move: |g_j(b)| <= |g_j| + sqrt(M_jj) times the
 * drift since it was exact. */
static double reach(const state *S, int j)
{
    double a = S->lead[j] + S->sd[j] * S->drift;
    return a > 0.0 ? a : 0.0;
}

/* Would coordinate descent move b_j from 0 with gradient g at level lw? */
static int moves_from_zero(double g, double lw, double lo, double hi)
{
    return (g > lw && hi > 0.0) || (g < -lw && lo < 0.0);
}

static double coord_min(double bj, double gj, double dj, double lw, double lo,
                        double hi)
{
    double z = dj * bj + gj, nb = 0.0;
    if (z > lw) nb = (z - lw) / dj;
    else if (z < -lw) nb = (z + lw) / dj;
    return nb < lo ? lo : (nb > hi ? hi : nb);
}

/* ---------------------------------------------------------------- sets */

static void cov_to_naive(state *S);

/* Grow the cached Gram block by the coordinates J (not in E). */
static void cov_grow(state *S, const int *J, int k)
{
    const cd_problem *P = S->P;
    int nE = S->nE, m = nE + k;
    if (m > S->capE) {
        int cap = 2 * S->capE;
        if (cap < m) cap = m;
        if (cap < 64) cap = 64;
        if (cap > S->Emax) cap = S->Emax;
        double *G = (double *) cd_arena_alloc(P->arena, (size_t) cap * cap, sizeof(double));
        for (int a = 0; a < nE; a++)
            memcpy(G + (size_t) a * cap, S->G + (size_t) a * S->capE,
                   (size_t) nE * sizeof(double));
        if (S->G) cd_arena_free(P->arena, S->G);
        S->G = G;
        S->capE = cap;
    }
    for (int a = 0; a < k; a++) {
        S->E[nE + a] = J[a];
        S->posE[J[a]] = nE + a;
    }
    const int ld = S->capE;
    double *G = S->G;
    design_cross(P->D, S->E, m, J, k, 1, G + (size_t) nE * ld, ld, S->nwork);
    /* the rest by symmetry: new rows of the old columns, and the lower
     * triangle of the new block */
    for (int a = 0; a < k; a++)
        for (int i = 0; i < nE + a; i++)
            G[nE + a + (size_t) i * ld] = G[i + (size_t) (nE + a) * ld];
    /* exact gradients of the newcomers: the support of b lies in E */
    for (int a = 0; a < k; a++) {
        const double *col = G + (size_t) (nE + a) * ld;
        double s = S->r[J[a]];
        for (int i = 0; i < m; i++) s -= col[i] * S->b[S->E[i]];
        S->gE[nE + a] = s;
    }
    S->nE = m;
}

/* The Gram block grows in batches (at least 16 columns, or doubling E,
 * within its budget), so that its cross products run in blocks: the
 * untracked coordinates with the largest gradient bounds (the likeliest to
 * enter next) join the nf newcomers listed in fresh. Returns the new count. */
static int add_extra(state *S, int nf)
{
    int want = S->nE > 16 ? S->nE : 16;
    if (want > S->Emax - S->nE) want = S->Emax - S->nE;
    /* when at most as many remain, all of them (no more outside checks) */
    if (S->Emax == S->p && S->p - S->nE <= S->nE) want = S->p - S->nE;
    if (nf >= want) return nf;
    int m = 0;
    for (int j = 0; j < S->p; j++) {
        if (!S->elig[j] || S->posE[j] >= 0 || S->inW[j]) continue;
        S->act[m] = j;
        S->work2[m++] = -reach(S, j) / S->P->w[j];
    }
    if (m == 0) return nf;
    int take = want - nf < m ? want - nf : m;
    /* the take-th smallest score by partial sorting, then those below it */
    double *score = S->work2 + m;
    memcpy(score, S->work2, (size_t) m * sizeof(double));
    rPsort(score, m, take - 1);
    double cut = score[take - 1];
    for (int a = 0; a < m && nf < want; a++)
        if (S->work2[a] < cut) S->fresh[nf++] = S->act[a];
    for (int a = 0; a < m && nf < want; a++)
        if (S->work2[a] == cut) S->fresh[nf++] = S->act[a];
    return nf;
}

/* Add coordinates to the working set (and to E in the covariance mode). */
static void add_to_W(state *S, const int *J, int k)
{
    int nf = 0;
    for (int a = 0; a < k; a++) {
        int j = J[a];
        if (S->inW[j]) continue;
        S->inW[j] = 1;
        S->W[S->nW++] = j;
        if (!S->cov) S->nout--;
        else if (S->posE[j] < 0) S->fresh[nf++] = j;
    }
    if (!nf) return;
    if (S->nE + nf > S->Emax) {
        /* the Gram block would outgrow its budget: residual updates from
         * now on (the newcomers become untracked members of W first) */
        for (int a = 0; a < nf; a++) S->inW[S->fresh[a]] = 0;
        S->nW -= nf;
        cov_to_naive(S);
        for (int a = 0; a < nf; a++) {
            S->inW[S->fresh[a]] = 1;
            S->W[S->nW++] = S->fresh[a];
            S->nout--;
        }
        return;
    }
    nf = add_extra(S, nf);
    cov_grow(S, S->fresh, nf);
    S->nout -= nf;
}

/* ------------------------------------------------------------ residual */

static void ensure_residual(state *S)
{
    if (S->res_valid) return;
    const design *D = S->P->D;
    rowvec_set(D, &S->res, S->P->y);
    for (int k = 0; k < S->nW; k++) {
        int j = S->W[k];
        if (S->b[j] != 0.0) design_axpy(D, j, -S->b[j], &S->res);
    }
    S->res_valid = 1;
}

/* Close the current stretch of the path: drift += ||Xt (b - b_ck)|| / sqrt(n). */
static void checkpoint(state *S)
{
    if (S->nout == 0) return;
    double q = 0.0;
    if (S->cov) {
        int k = 0;
        for (int e = 0; e < S->nE; e++) {
            int j = S->E[e];
            double dl = S->b[j] - S->bck[j];
            if (dl != 0.0) {
                S->iwork[k] = e;
                S->work[k++] = dl;
                S->bck[j] = S->b[j];
            }
        }
        for (int a = 0; a < k; a++) {
            const double *col = S->G + (size_t) S->iwork[a] * S->capE;
            double s = 0.0;
            for (int c = 0; c < k; c++) s += col[S->iwork[c]] * S->work[c];
            q += S->work[a] * s;
        }
    } else {
        q = rowvec_dist2(S->P->D, &S->res, &S->res_ck) / S->n;
        rowvec_copy(S->P->D, &S->res_ck, &S->res);
    }
    if (q > 0.0) S->drift += sqrt(q);
}

static void cov_to_naive(state *S)
{
    checkpoint(S);
    ensure_residual(S);
    rowvec_copy(S->P->D, &S->res_ck, &S->res);
    for (int e = 0; e < S->nE; e++) {
        int j = S->E[e];
        store_grad(S, j, S->gE[e]);
        S->posE[j] = -1;
    }
    S->cov = 0;
    S->nout = S->nol = 0;
    for (int j = 0; j < S->p; j++) {
        if (S->elig[j] && !S->inW[j]) {
            S->nout++;
            S->outl[S->nol++] = j;
        }
    }
}

/* Exact gradients of the untracked coordinates whose bound exceeds
 * level * w_j (computed unless exact already at this point); returns their
 * number, listed in iwork. */
static int refresh_outside(state *S, double level)
{
    if (S->nout == 0) return 0;
    checkpoint(S);
    const cd_problem *P = S->P;
    int m = 0, stale = 0, kept = 0;
    int *list = S->iwork, *todo = S->iwork + S->p;
    const double drift = S->drift;
    for (int k = 0; k < S->nol; k++) {
        int j = S->outl[k];
        if (tracked(S, j)) continue;          /* dropped from the candidates */
        S->outl[kept++] = j;
        if (!(S->lead[j] + S->sd[j] * drift > level * P->w[j])) continue;
        list[m++] = j;
        if (S->gdrift[j] != drift) todo[stale++] = j;
    }
    S->nol = kept;
    if (stale == 0) return m;
    ensure_residual(S);
    design_grad(P->D, todo, stale, &S->res, S->work);
    for (int k = 0; k < stale; k++) store_grad(S, todo[k], S->work[k]);
    return m;
}

/* Naive mode: exact gradients on W. */
static void refresh_W(state *S)
{
    if (S->cov || S->nW == 0) return;
    design_grad(S->P->D, S->W, S->nW, &S->res, S->work);
    for (int k = 0; k < S->nW; k++) S->g[S->W[k]] = S->work[k];
}

/* ------------------------------------------------------------- sweeps */

static double sweep(state *S, double lam, const int *set, int m)
{
    const cd_problem *P = S->P;
    double dmax = 0.0;
    if (S->cov) {
        double *gE = S->gE;
        const int nE = S->nE;
        for (int k = 0; k < m; k++) {
            int j = set[k], e = S->posE[j];
            double bj = S->b[j];
            double nb = coord_min(bj, gE[e], S->d[j], lam * P->w[j], P->lo[j], P->hi[j]);
            if (nb == bj) continue;
            double delta = nb - bj;
            S->b[j] = nb;
            const double *col = S->G + (size_t) e * S->capE;
            const double minus = -delta;
            kern_gaxpy(nE, 1, &col, &minus, gE);
            double ch = S->d[j] * delta * delta;
            if (ch > dmax) dmax = ch;
        }
        S->res_valid = 0;
        return dmax;
    }
    const design *D = P->D;
    const double inv = 1.0 / S->n;
    for (int k = 0; k < m; k++) {
        int j = set[k];
        double bj = S->b[j], gj = design_dot(D, j, &S->res) * inv;
        S->g[j] = gj;
        double nb = coord_min(bj, gj, S->d[j], lam * P->w[j], P->lo[j], P->hi[j]);
        if (nb == bj) continue;
        double delta = nb - bj;
        S->b[j] = nb;
        design_axpy(D, j, -delta, &S->res);
        double ch = S->d[j] * delta * delta;
        if (ch > dmax) dmax = ch;
    }
    return dmax;
}

/* glmnet's cycling: a sweep over W, then sweeps over its nonzero
 * coordinates until they settle, then W again. Returns sweeps done. */
static int cd_converge(state *S, double lam, double thr, int budget)
{
    int done = 0;
    while (done < budget) {
        double dmax = sweep(S, lam, S->W, S->nW);
        done++;
        if (dmax < thr) break;
        int m = 0;
        for (int k = 0; k < S->nW; k++)
            if (S->b[S->W[k]] != 0.0) S->act[m++] = S->W[k];
        while (done < budget) {
            if (done % 64 == 0) R_CheckUserInterrupt();
            dmax = sweep(S, lam, S->act, m);
            done++;
            if (dmax < thr) break;
        }
    }
    return done;
}

/* -------------------------------------------------------------- faces */

/* Column M[set, j] and M[j, j]. */
static void gram_column(state *S, const int *set, int m, int j, double *out)
{
    const cd_problem *P = S->P;
    if (S->cov) {
        const double *col = S->G + (size_t) S->posE[j] * S->capE;
        for (int k = 0; k < m; k++) out[k] = col[S->posE[set[k]]];
    } else {
        design_cross(P->D, set, m, &j, 1, 0, out, m, S->nwork);
    }
}

/* Make F the factor of M over the coordinates T (m of them). Returns 0, or
 * 1 when M[T, T] is numerically singular (F then holds a subset). */
static int face_factor(state *S, face *F, const int *T, int m)
{
    int *target = S->flag;     /* zero on entry and on exit */
    for (int k = 0; k < m; k++) target[T[k]] = 1;
    for (int i = F->m - 1; i >= 0; i--) {
        if (target[F->set[i]]) continue;
        chol_del(F->R, F->cap, F->m, i);
        for (int k = i; k < F->m - 1; k++) F->set[k] = F->set[k + 1];
        F->m--;
    }
    for (int k = 0; k < F->m; k++) target[F->set[k]] = 2;
    int adds = 0;
    for (int k = 0; k < m; k++)
        if (target[T[k]] == 1) S->iwork[adds++] = T[k];
    for (int k = 0; k < m; k++) target[T[k]] = 0;
    for (int k = 0; k < F->m; k++) target[F->set[k]] = 0;
    if (adds == 0) return 0;
    if (m > F->cap) {
        int cap = 2 * F->cap > m ? 2 * F->cap : m;
        if (cap > S->p) cap = S->p;
        cd_arena *A = S->P->arena;
        if (F->R) {
            cd_arena_free(A, F->R);
            cd_arena_free(A, F->set);
        }
        F->R = (double *) cd_arena_alloc(A, (size_t) cap * cap, sizeof(double));
        F->set = (int *) cd_arena_alloc(A, (size_t) cap, sizeof(int));
        F->cap = cap;
        F->m = 0;
        adds = m;
        memcpy(S->iwork, T, (size_t) m * sizeof(int));
    }
    if (adds > 8 && adds > F->m / 2) {
        /* many newcomers: factor afresh */
        const int ld = F->cap;
        memcpy(F->set, T, (size_t) m * sizeof(int));
        if (S->cov) {
            for (int k = 0; k < m; k++)
                gram_column(S, F->set, k + 1, F->set[k], F->R + (size_t) k * ld);
        } else {
            design_cross(S->P->D, F->set, m, F->set, m, 1, F->R, ld, S->nwork);
        }
        if (chol_factor(F->R, ld, m) != 0) {
            F->m = 0;
            return 1;
        }
        F->m = m;
        return 0;
    }
    for (int a = 0; a < adds; a++) {
        int j = S->iwork[a];
        double *v = S->work2;
        gram_column(S, F->set, F->m, j, v);
        double djj = S->d[j];
        if (chol_add(F->R, F->cap, F->m, v, djj, S->work)) return 1;
        F->set[F->m++] = j;
    }
    return 0;
}

/* Minimize exactly over the free coordinates with their signs fixed (all
 * free ones, or the unpenalized ones only), moving as far towards that
 * minimizer as signs and bounds allow. Needs exact gradients on W. Returns
 * 1 when the full step was taken, 0 for a partial one, -1 if none. */
static int face_step(state *S, face *F, double lam, int unpenalized_only)
{
    const cd_problem *P = S->P;
    int *T = S->iwork + S->p;    /* second half of iwork */
    int m = 0;
    for (int k = 0; k < S->nW; k++) {
        int j = S->W[k];
        double bj = S->b[j];
        if (P->w[j] == 0.0) {
            /* unpenalized: free unless held at a limit by its gradient */
            double gj = grad_of(S, j);
            if ((bj > P->lo[j] || gj > 0.0) && (bj < P->hi[j] || gj < 0.0)) T[m++] = j;
            continue;
        }
        if (!(bj > P->lo[j] && bj < P->hi[j])) continue;
        if (!unpenalized_only && bj != 0.0) T[m++] = j;
    }
    if (m == 0) return -1;
    if (face_factor(S, F, T, m)) return -1;
    m = F->m;
    double *x = S->work2;
    for (int k = 0; k < m; k++) {
        int j = F->set[k];
        double bj = S->b[j];
        x[k] = grad_of(S, j) - lam * P->w[j] * (bj > 0.0 ? 1.0 : (bj < 0.0 ? -1.0 : 0.0));
    }
    chol_solve(F->R, F->cap, m, x, S->work2 + S->p);   /* x: work2's first half */
    double t = 1.0;
    int stop = -1;
    for (int k = 0; k < m; k++) {
        int j = F->set[k];
        double bj = S->b[j], nb = bj + x[k], tk = 1.0;
        if (P->w[j] > 0.0 && bj * nb < 0.0) tk = -bj / x[k];
        if (nb > P->hi[j]) tk = fmin(tk, (P->hi[j] - bj) / x[k]);
        if (nb < P->lo[j]) tk = fmin(tk, (P->lo[j] - bj) / x[k]);
        if (tk < t) {
            t = tk;
            stop = k;
        }
    }
    for (int k = 0; k < m; k++) {
        int j = F->set[k];
        double bj = S->b[j], nb = bj + t * x[k];
        if (k == stop) {
            double tz = P->w[j] > 0.0 && bj * (bj + x[k]) < 0.0 ? -bj / x[k] : 2.0;
            double th = x[k] > 0.0 ? (P->hi[j] - bj) / x[k] : (P->lo[j] - bj) / x[k];
            nb = tz <= th ? 0.0 : (x[k] > 0.0 ? P->hi[j] : P->lo[j]);
        }
        if (nb > P->hi[j]) nb = P->hi[j];
        if (nb < P->lo[j]) nb = P->lo[j];
        x[k] = nb - bj;
        S->b[j] = nb;
    }
    /* gradients follow the move: gE -= G[, F] x */
    if (S->cov) {
        int c = 0, *nz = S->act;
        for (int k = 0; k < m; k++)
            if (x[k] != 0.0) {
                nz[c] = k;
                x[c++] = x[k];
            }
        const double **cols = S->colp;
        for (int k = 0; k < c; k++) {
            cols[k] = S->G + (size_t) S->posE[F->set[nz[k]]] * S->capE;
            x[k] = -x[k];
        }
        kern_gaxpy(S->nE, c, cols, x, S->gE);
        S->res_valid = 0;
    } else {
        for (int k = 0; k < m; k++)
            if (x[k] != 0.0) design_axpy(P->D, F->set[k], -x[k], &S->res);
    }
    return stop < 0 ? 1 : 0;
}

/* --------------------------------------------------------- certificate */

/* Duality gap of b at lam (absolute), with the dual point s * residual / n;
 * loss receives 1/(2n) ||residual||^2. Needs exact gradients on the tracked
 * coordinates, and the others' bounds at most lam * w_j (as after the KKT
 * check): these then neither limit s nor add conjugate terms. */
static double duality_gap(const state *S, double lam, double *loss)
{
    const cd_problem *P = S->P;
    double rb = 0.0, bg = 0.0, l1 = 0.0;
    for (int k = 0; k < S->nW; k++) {
        int j = S->W[k];
        double bj = S->b[j];
        if (bj == 0.0) continue;
        double gj = grad_of(S, j);
        rb += S->r[j] * bj;
        bg += bj * gj;
        l1 += P->w[j] * fabs(bj);
    }
    double L = P->c - 0.5 * rb - 0.5 * bg;
    if (L < 0.0) L = 0.0;
    *loss = L;
    double primal = L + lam * l1;
    double eta0 = grad_eta0(P);
    /* the tracked coordinates: E (covariance mode) or W */
    const int nt = S->cov ? S->nE : S->nW;
    const int *tr = S->cov ? S->E : S->W;
    /* the largest s keeping s * g_j inside the dual domain: s g_j <= lam w_j
     * where b_j has no upper limit, s g_j >= -lam w_j where no lower one */
    double smax = 1.0;
    for (int k = 0; k < nt; k++) {
        int j = tr[k];
        if (!S->elig[j]) continue;
        double lw = lam * P->w[j], up = grad_of(S, j), down = -up;
        if (lw == 0.0) {
            /* rounding-level gradients of free unpenalized coordinates */
            double eta = eta0 * S->sd[j];
            if (up <= eta) up = 0.0;
            if (down <= eta) down = 0.0;
        }
        if (P->hi[j] == R_PosInf && up > lw) smax = fmin(smax, lw / up);
        if (P->lo[j] == R_NegInf && down > lw) smax = fmin(smax, lw / down);
    }
    double s = L > 0.0 ? 1.0 + bg / (2.0 * L) : 1.0;
    s = fmax(0.0, fmin(fmin(s, smax), 1.0));
    double dual = s * (2.0 * L + bg) - s * s * L;
    /* conjugates of the box terms at z = s * g_j */
    for (int k = 0; k < nt; k++) {
        int j = tr[k];
        if (!S->elig[j] || (P->hi[j] == R_PosInf && P->lo[j] == R_NegInf)) continue;
        double z = s * grad_of(S, j), lw = lam * P->w[j];
        if (z > lw && P->hi[j] < R_PosInf) dual -= P->hi[j] * (z - lw);
        if (z < -lw && P->lo[j] > R_NegInf) dual -= P->lo[j] * (z + lw);
    }
    double gap = primal - dual;
    return gap > 0.0 ? gap : 0.0;
}

/* ------------------------------------------------------------ driver */

/* Coordinates outside W that coordinate descent would move from zero at
 * level move * w_j (in a direction the box allows) join W; stored gradients
 * are first made exact where their bounds exceed refresh * w_j (refresh <=
 * move). The sequential strong rule at lambda_k is move = refresh =
 * 2 lambda_k - lambda_k-1; the KKT check at lambda is move = lambda, with
 * refresh = the next strong-rule level, which then finds all it needs
 * exact. Returns how many joined. */
static int admit(state *S, double move, double refresh)
{
    const cd_problem *P = S->P;
    if (move < 0.0) move = 0.0;
    if (refresh > move) refresh = move;
    int k = 0;
    if (S->cov) {
        for (int e = 0; e < S->nE; e++) {
            int j = S->E[e];
            if (S->elig[j] && !S->inW[j] &&
                moves_from_zero(S->gE[e], move * P->w[j], P->lo[j], P->hi[j]))
                S->cand[k++] = j;
        }
    }
    int m = refresh_outside(S, refresh);
    for (int a = 0; a < m; a++) {
        int j = S->iwork[a];
        if (moves_from_zero(S->g[j], move * P->w[j], P->lo[j], P->hi[j]))
            S->cand[k++] = j;
    }
    if (k) add_to_W(S, S->cand, k);
    return k;
}

/* Face steps until one is full (each partial step puts a coordinate on
 * zero or a bound, so at most |F| of them); 0 if none could be taken. */
static int face_moves(state *S, double lam)
{
    int any = 0;
    for (int k = 0; k <= S->nW; k++) {
        refresh_W(S);
        int st = face_step(S, &S->F, lam, 0);
        if (st < 0) break;
        any = 1;
        if (st == 1) break;
    }
    return any;
}

/* KKT check and gap after a move: 1 when certified, 0 when not, -1 when
 * violators joined W (more CD needed). */
static int certify(state *S, const cd_control *C, double lam, double next,
                   double *gap, double *loss)
{
    refresh_W(S);
    if (admit(S, lam, 2.0 * next - lam) > 0) return -1;
    *gap = duality_gap(S, lam, loss);
    return *gap <= C->tol * S->P->cnull;
}

/* Solve at lam; next is the following grid value (the KKT check refreshes
 * stored gradients down to its strong-rule level). Returns the certified
 * flag, with the absolute gap, the loss and the sweeps done. */
static int solve_at(state *S, const cd_control *C, double lam, double next,
                    double *gap, double *loss, int *sweeps)
{
    const cd_problem *P = S->P;
    const double tolabs = C->tol * P->cnull;
    int done = 0, ok = 0, stalls = 0;
    /* CD only has to find the support (a loose threshold); face steps then
     * solve on it. First along the previous solution's face: exact when no
     * knot lies in between. Without a usable face (singular), CD must
     * converge by itself. */
    int faces = face_moves(S, lam);
    if (faces && certify(S, C, lam, next, gap, loss) == 1) {
        *sweeps = 0;
        return 1;
    }
    double last = R_PosInf;
    for (;;) {
        done += cd_converge(S, lam, faces ? fmax(S->thr, S->thr_face) : S->thr,
                            C->maxit - done);
        if (faces || !S->nU) {
            faces = face_moves(S, lam);
        } else {
            /* at least the unpenalized coordinates exactly */
            refresh_W(S);
            face_step(S, &S->U, lam, 1);
        }
        ok = certify(S, C, lam, next, gap, loss);
        if (ok == 1 || done >= C->maxit) break;
        if (ok < 0) continue;
        /* rounding or a singular face can stall progress: give up then */
        if (*gap >= 0.99 * last && ++stalls >= 8) break;
        last = *gap;
        double ratio = *gap > 0.0 ? tolabs / *gap : 1.0;
        S->thr = fmax(S->thr * fmax(1e-4, fmin(0.25, 0.25 * ratio * ratio)),
                      1e-30 * P->cnull);
    }
    *sweeps = done;
    return ok == 1;
}

void cd_path(const cd_problem *P, const cd_control *C, const double *lambda,
             int nlam, double lmr, const double *b0, double lam0,
             cd_result *out)
{
    const int p = P->p, n = P->n;
    const int pp = p > 0 ? p : 1;
    state S;
    memset(&S, 0, sizeof S);     /* empty faces, no Gram block yet */
    S.P = P;
    S.p = p;
    S.n = n;
    double **dv[] = {&S.b, &S.d, &S.sd, &S.g, &S.gdrift, &S.lead, &S.bck, &S.gE, &S.work};
    for (size_t k = 0; k < sizeof dv / sizeof dv[0]; k++)
        *dv[k] = (double *) R_alloc(pp, sizeof(double));
    int **iv[] = {&S.W, &S.E, &S.posE, &S.cand, &S.fresh, &S.act, &S.flag, &S.outl};
    for (size_t k = 0; k < sizeof iv / sizeof iv[0]; k++)
        *iv[k] = (int *) R_alloc(pp, sizeof(int));
    S.iwork = (int *) R_alloc(2 * (size_t) pp, sizeof(int));
    S.work2 = (double *) R_alloc(2 * (size_t) pp, sizeof(double));
    S.elig = (char *) R_alloc(pp, sizeof(char));
    S.colp = (const double **) R_alloc(pp, sizeof(double *));
    S.inW = (char *) R_alloc(pp, sizeof(char));
    for (int j = 0; j < p; j++) {
        S.b[j] = b0 ? b0[j] : 0.0;
        S.bck[j] = S.b[j];
        S.inW[j] = 0;
        S.posE[j] = -1;
        S.gdrift[j] = 0.0;
        S.flag[j] = 0;
    }

    /* diag(M) and r; eligible coordinates; the exact gradient at b0 */
    if (P->D) {
        const design *D = P->D;
        S.nwork = (double *) R_alloc(n > 0 ? n : 1, sizeof(double));
        S.res.v = (double *) R_alloc(n > 0 ? n : 1, sizeof(double));
        S.res_ck.v = (double *) R_alloc(n > 0 ? n : 1, sizeof(double));
        S.r = (double *) R_alloc(pp, sizeof(double));
        rowvec_set(D, &S.res, P->y);
        for (int j = 0; j < p; j++) S.iwork[j] = j;
        design_diag_grad(D, &S.res, S.d, S.r);
    } else {
        S.r = (double *) P->r;
        for (int j = 0; j < p; j++) S.d[j] = P->M[(size_t) j * p + j];
    }
    for (int j = 0; j < p; j++) {
        S.sd[j] = sqrt(S.d[j]);
        S.elig[j] = R_FINITE(P->w[j]) && S.d[j] > 0.0 &&
                    !(P->lo[j] == 0.0 && P->hi[j] == 0.0);
        if (!S.elig[j]) S.b[j] = 0.0;
        S.bck[j] = S.b[j];
        if (S.elig[j] && P->w[j] == 0.0) S.nU++;
    }
    if (P->D) {
        const design *D = P->D;
        for (int j = 0; j < p; j++)
            if (S.b[j] != 0.0) design_axpy(D, j, -S.b[j], &S.res);
        if (b0) design_grad(D, S.iwork, p, &S.res, S.g);
        else memcpy(S.g, S.r, (size_t) p * sizeof(double));
        rowvec_copy(D, &S.res_ck, &S.res);
        S.res_valid = 1;
    } else {
        for (int j = 0; j < p; j++) {
            double s = P->r[j];
            for (int k = 0; k < p; k++) s -= P->M[(size_t) k * p + j] * S.b[k];
            S.g[j] = s;
        }
    }

    /* mode: the Gram form is all covariance; otherwise the Gram block of the
     * working set is cached while it stays smaller than the data */
    if (!P->D) {
        S.cov = 1;
        S.G = (double *) P->M;
        S.capE = S.Emax = p;
        S.nE = p;
        for (int j = 0; j < p; j++) {
            S.E[j] = j;
            S.posE[j] = j;
            S.gE[j] = S.g[j];
        }
    } else {
        /* automatic: covariance updates when n >= p (the Gram block of the
         * working set is then at most p x p, no larger than the data),
         * residual updates (glmnet's "naive") otherwise */
        int emax = p;
        S.cov = C->mode == CD_COVARIANCE || (C->mode == CD_AUTO && n >= p);
        S.Emax = emax > 1 ? emax : 1;
        S.capE = 0;
        S.nE = 0;
    }
    S.nout = 0;
    for (int j = 0; j < p; j++) {
        if (!S.elig[j]) continue;
        store_grad(&S, j, S.g[j]);       /* exact at drift 0 */
        if (!tracked(&S, j)) {
            S.nout++;
            S.outl[S.nol++] = j;
        }
    }

    /* W: unpenalized and nonzero coordinates */
    {
        int k = 0;
        for (int j = 0; j < p; j++)
            if (S.elig[j] && (P->w[j] == 0.0 || S.b[j] != 0.0)) S.cand[k++] = j;
        add_to_W(&S, S.cand, k);
    }

    /* CD's threshold on M_jj db_j^2: the gap of a CD iterate is roughly
     * 20 sqrt(threshold) (glmnet's default 1e-7 gives gaps near 1e-3 to
     * 1e-2); with face steps it need not go below 1e-8 */
    const double thr0 = fmax(sq(C->tol / 20.0), 1e-12) * P->cnull;

    /* lambda_max: after the exact fit of the unpenalized coordinates */
    if (!b0 && S.nU) {
        /* within their limits: coordinate descent finds which of them sit
         * at a limit (a joint step from zero can be stopped at once by one
         * that the others push out of its box), then face steps, each
         * stopped by a limit followed by another, until one is complete */
        int limited = 0;
        for (int j = 0; j < p; j++)
            if (S.elig[j] && P->w[j] == 0.0 && (P->lo[j] > R_NegInf || P->hi[j] < R_PosInf))
                limited = 1;
        if (limited) cd_converge(&S, 0.0, thr0, C->maxit);
        for (int it = 0; it <= 2 * S.nU; it++) {
            refresh_W(&S);          /* naive mode: exact gradients after a step */
            if (face_step(&S, &S.U, 0.0, 1) != 0) break;
        }
        refresh_outside(&S, R_NegInf);   /* every stored gradient */
    }
    double lmax = 0.0;
    for (int j = 0; j < p; j++) {
        if (!S.elig[j] || P->w[j] == 0.0) continue;
        double a = fabs(grad_of(&S, j)) / P->w[j];
        if (a > lmax) lmax = a;
    }
    out->lambda_max = lmax;
    /* the rounding level of a gradient, eta0 sqrt(M_jj) (as in
     * duality_gap), against the penalty lambda w_j */
    {
        double e0 = grad_eta0(P), lr = 0.0;
        for (int j = 0; j < p; j++)
            if (S.elig[j] && P->w[j] > 0.0) lr = fmax(lr, e0 * S.sd[j] / P->w[j]);
        out->lambda_round = lr;
    }
    if (lambda) {
        memcpy(out->lambda, lambda, (size_t) nlam * sizeof(double));
    } else if (lmax <= 0.0) {
        nlam = 1;
        out->lambda[0] = 0.0;
    } else {
        /* glmnet's grid, including its rounding: lambda_k = lambda_max *
         * alf^k by repeated products (glmnet's first value, extrapolated
         * back from the next two, is lambda_max up to rounding) */
        double alf = nlam > 1 ? pow(fmax(GLMNET_EPS, lmr), 1.0 / (nlam - 1)) : 1.0;
        out->lambda[0] = lmax;
        double l = lmax;
        for (int k = 1; k < nlam; k++) {
            l *= alf;
            out->lambda[k] = l;
        }

    }

    S.thr = thr0;
    S.thr_face = 1e-8 * P->cnull;
    double prev = b0 ? lam0 : lmax;
    double cdev = P->c > 0.0 ? P->c : P->cnull;
    int k = 0;
    for (; k < nlam; k++) {
        double lam = out->lambda[k];
        double next = k + 1 < nlam ? out->lambda[k + 1] : lam;
        R_CheckUserInterrupt();
        double level = 2.0 * lam - (prev > lam ? prev : lam);
        admit(&S, level, level);
        double gap = 0.0, loss = 0.0;
        int sw = 0;
        out->certified[k] = solve_at(&S, C, lam, next, &gap, &loss, &sw);
        out->gap[k] = P->cnull > 0.0 ? gap / P->cnull : gap;
        out->dev[k] = cdev > 0.0 ? 1.0 - loss / cdev : 0.0;
        out->sweeps[k] = sw;
        memcpy(out->beta + (size_t) k * p, S.b, (size_t) p * sizeof(double));
        prev = lam;
        /* relax the threshold a little for the next lambda */
        S.thr = fmin(S.thr * 4.0, thr0);
        if (C->early_stop && k + 1 >= GLMNET_MNLAM) {
            double gain = out->dev[k] - out->dev[k - 1];
            if (gain < C->fdev * out->dev[k] || out->dev[k] > GLMNET_DEVMAX) {
                k++;
                break;
            }
        }
    }
    out->nlam = k;
    out->covariance = S.cov;
}
