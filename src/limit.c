#include <R.h>
#include <math.h>
#include <string.h>
#include "linalg.h"
#include "limit.h"

/* A pivot whose square falls below this fraction of the diagonal entry
 * means the new column lies in the span of the passive ones. */
#define SUB_DEPENDENT 1e-12
/* Rates (dE/ds, in units of max|r| + kappa) below this count as zero: a
 * coordinate that would need s > 1e11 / max|r| to reach the box edge never
 * does (rounding of M b - r is far above the true rate there). */
#define RATE_ZERO 1e-11

/* Scratch of the sign-constrained least-squares subproblem (size <= p). */
typedef struct {
    double *H, *q, *w, *z, *F;
    int *passive, *blocked, *order;
} sub_work;

/* z[P] <- H[P, P]^{-1} q[P] for the passive set listed in order[0..np-1]
 * (the column just added last), by LAPACK's Cholesky factorization.
 * Returns 0, or 1 when the last column is dependent on the others. */
static int solve_passive(int m, const double *H, const double *q, int np,
                         sub_work *W)
{
    const int *ord = W->order;
    for (int a = 0; a < np; a++) {
        for (int c = 0; c < np; c++)
            W->F[a + (size_t) c * np] = H[ord[a] + (size_t) ord[c] * m];
        W->z[a] = q[ord[a]];
    }
    int info = 0, one = 1;
    F77_CALL(dpotrf)("U", &np, W->F, &np, &info FCONE);
    if (info != 0) return 1;
    double piv = W->F[(np - 1) + (size_t) (np - 1) * np];
    if (piv * piv < SUB_DEPENDENT * H[ord[np - 1] + (size_t) ord[np - 1] * m])
        return 1;
    F77_CALL(dpotrs)("U", &np, &one, W->F, &np, W->z, &np, &info FCONE);
    return info != 0;
}

/* Non-negative least squares in Gram form, min 1/2 w'Hw - q'w s.t. w >= 0
 * (H m x m, positive semi-definite), by the Lawson-Hanson active-set
 * method. On entry W->passive is the warm start (the previous saddle's
 * support; all zero for a cold start): from w = 0 the first inner loop
 * keeps the part of it that stays positive, so a phase that changes one
 * coordinate costs one or two factorizations. A column dependent on the
 * passive ones (singular H) is set aside until a variable leaves, so the
 * solution is a basic one. gtol: gradient level counted as zero. Returns 0,
 * or 1 at the iteration cap (w is then the last feasible iterate). */
static int sign_lsq(int m, const double *H, const double *q, double gtol,
                    int max_iter, sub_work *W)
{
    double *w = W->w;
    int warm = 0;
    for (int j = 0; j < m; j++) {
        w[j] = 0.0;
        W->blocked[j] = 0;
        warm |= W->passive[j];
    }
    int iter = 0;
    for (;;) {
        int add = -1;
        if (!warm) {
            /* the most descending coordinate at zero enters */
            double best = gtol;
            for (int j = 0; j < m; j++) {
                if (W->passive[j] || W->blocked[j]) continue;
                double gj = q[j];
                for (int c = 0; c < m; c++)
                    if (W->passive[c]) gj -= H[j + (size_t) c * m] * w[c];
                if (gj > best) {
                    best = gj;
                    add = j;
                }
            }
            if (add < 0) return 0;
            W->passive[add] = 1;
        }
        for (;;) {
            if (++iter > max_iter) return 1;
            int np = 0;
            for (int j = 0; j < m; j++)
                if (W->passive[j] && j != add) W->order[np++] = j;
            if (add >= 0) W->order[np++] = add;
            if (solve_passive(m, H, q, np, W) ||
                (add >= 0 && W->z[np - 1] <= 0.0)) {
                if (add >= 0) {
                    W->passive[add] = 0;
                    W->blocked[add] = 1;
                } else if (warm) {          /* a singular warm start: go cold */
                    for (int j = 0; j < m; j++) W->passive[j] = 0;
                    for (int j = 0; j < m; j++) w[j] = 0.0;
                } else {
                    return 1;               /* a sub-block of a factored block */
                }
                break;
            }
            /* step towards the unconstrained minimizer on the passive set,
             * as far as feasibility allows */
            double alpha = 1.0;
            int leave = -1;
            for (int a = 0; a < np; a++) {
                int j = W->order[a];
                if (W->z[a] <= 0.0) {
                    double t = w[j] / (w[j] - W->z[a]);
                    if (t < alpha) {
                        alpha = t;
                        leave = j;
                    }
                }
            }
            for (int a = 0; a < np; a++) {
                int j = W->order[a];
                w[j] += alpha * (W->z[a] - w[j]);
            }
            if (leave < 0) break;
            W->passive[leave] = 0;
            for (int a = 0; a < np; a++) {
                int j = W->order[a];
                if (W->z[a] <= 0.0 && w[j] <= 1e-14 * -W->z[a]) W->passive[j] = 0;
            }
            /* the blocking variable(s) left: the passive set changed */
            for (int j = 0; j < m; j++) {
                if (!W->passive[j]) w[j] = 0.0;
                W->blocked[j] = 0;
            }
            add = -1;
        }
        warm = 0;
    }
}

static void grow(limit_path *out)
{
    int p = out->p, cap = 2 * out->cap;
    size_t n = (size_t) out->nphase;
    double *s = (double *) R_alloc((size_t) cap, sizeof(double));
    double *Z = (double *) R_alloc((size_t) cap * p, sizeof(double));
    double *E = (double *) R_alloc((size_t) cap * p, sizeof(double));
    double *b = (double *) R_alloc((size_t) cap * p, sizeof(double));
    memcpy(s, out->s, n * sizeof(double));
    memcpy(Z, out->Z, n * p * sizeof(double));
    memcpy(E, out->E, n * p * sizeof(double));
    memcpy(b, out->b, n * p * sizeof(double));
    out->s = s;
    out->Z = Z;
    out->E = E;
    out->b = b;
    out->cap = cap;
}

static void record(limit_path *out, double s, const double *Z,
                   const double *E, const double *b)
{
    int p = out->p;
    if (out->nphase == out->cap) grow(out);
    size_t k = (size_t) out->nphase++;
    out->s[k] = s;
    memcpy(out->Z + k * p, Z, (size_t) p * sizeof(double));
    memcpy(out->E + k * p, E, (size_t) p * sizeof(double));
    memcpy(out->b + k * p, b, (size_t) p * sizeof(double));
}

/* Puts E_i exactly on the box edge when it is within tol of it (or beyond,
 * by rounding). */
static void snap(int p, double *E, double edge, int onesided, double tol)
{
    for (int i = 0; i < p; i++) {
        if (E[i] <= -edge * (1.0 - tol)) E[i] = -edge;
        else if (!onesided && E[i] >= edge * (1.0 - tol)) E[i] = edge;
    }
}

void limit_run(int p, const double *M, const double *r, double kappa,
               int onesided, int max_phases, double tol, limit_path *out)
{
    out->p = p;
    out->nphase = 0;
    out->cap = 16;
    out->s = (double *) R_alloc((size_t) out->cap, sizeof(double));
    out->Z = (double *) R_alloc((size_t) out->cap * p, sizeof(double));
    out->E = (double *) R_alloc((size_t) out->cap * p, sizeof(double));
    out->b = (double *) R_alloc((size_t) out->cap * p, sizeof(double));
    out->s_end = R_PosInf;
    out->status = LIMIT_DONE;
    out->nsub_capped = 0;

    double scale = kappa;
    for (int i = 0; i < p; i++) if (fabs(r[i]) + kappa > scale) scale = fabs(r[i]) + kappa;
    if (!(scale > 0.0)) scale = 1.0;
    const double rate_tol = RATE_ZERO * scale;

    double *Z = (double *) R_alloc((size_t) p, sizeof(double));
    double *E = (double *) R_alloc((size_t) p, sizeof(double));
    double *b = (double *) R_alloc((size_t) p, sizeof(double));
    double *g = (double *) R_alloc((size_t) p, sizeof(double));
    int *idx = (int *) R_alloc((size_t) p, sizeof(int));
    int *sigma = (int *) R_alloc((size_t) p, sizeof(int));
    sub_work W;
    W.H = (double *) R_alloc((size_t) p * p, sizeof(double));
    W.F = (double *) R_alloc((size_t) p * p, sizeof(double));
    W.q = (double *) R_alloc((size_t) p, sizeof(double));
    W.w = (double *) R_alloc((size_t) p, sizeof(double));
    W.z = (double *) R_alloc((size_t) p, sizeof(double));
    W.passive = (int *) R_alloc((size_t) p, sizeof(int));
    W.blocked = (int *) R_alloc((size_t) p, sizeof(int));
    W.order = (int *) R_alloc((size_t) p, sizeof(int));
    for (int i = 0; i < p; i++) Z[i] = E[i] = b[i] = 0.0;

    double s = 0.0;
    for (int phase = 0;; phase++) {
        if (phase % 64 == 63) R_CheckUserInterrupt();
        double edge = 1.0 + kappa * s;
        /* the coordinates on the box edge, with the sign they may take */
        int m = 0;
        for (int i = 0; i < p; i++) {
            sigma[i] = 0;
            if (E[i] <= -edge * (1.0 - tol)) sigma[i] = 1;
            else if (!onesided && E[i] >= edge * (1.0 - tol)) sigma[i] = -1;
            if (sigma[i]) idx[m++] = i;
        }
        /* the saddle: argmin l(b) + kappa sum sigma_i b_i over the signed
         * cone, as non-negative least squares in w = sigma * b */
        for (int a = 0; a < m; a++) {
            int i = idx[a];
            /* warm start: the previous saddle's support (b still holds it) */
            W.passive[a] = sigma[i] * b[i] > 0.0;
            W.q[a] = sigma[i] * r[i] - kappa;
            for (int c = 0; c < m; c++)
                W.H[a + (size_t) c * m] =
                    sigma[i] * sigma[idx[c]] * M[i + (size_t) idx[c] * p];
        }
        if (m > 0 && sign_lsq(m, W.H, W.q, 1e-12 * scale, 30 + 10 * m, &W))
            out->nsub_capped++;
        for (int i = 0; i < p; i++) b[i] = 0.0;
        for (int a = 0; a < m; a++) b[idx[a]] = sigma[idx[a]] * W.w[a];
        record(out, s, Z, E, b);

        /* E moves with the gradient g = M b - r; the phase ends when a
         * coordinate off the edge (or leaving it) reaches the edge, which
         * itself moves at rate kappa */
        sym_mv(p, M, b, g);
        for (int i = 0; i < p; i++) g[i] -= r[i];
        double dt = R_PosInf;
        int hit = -1, hit_side = 0;
        for (int i = 0; i < p; i++) {
            if (b[i] != 0.0) continue;          /* held on the edge */
            double gap = E[i] + edge, rate = -(g[i] + kappa);
            if (gap > tol * edge && rate > rate_tol && gap / rate < dt) {
                dt = gap / rate;
                hit = i;
                hit_side = -1;
            }
            if (onesided) continue;
            gap = edge - E[i];
            rate = g[i] - kappa;
            if (gap > tol * edge && rate > rate_tol && gap / rate < dt) {
                dt = gap / rate;
                hit = i;
                hit_side = 1;
            }
        }
        if (hit < 0) break;                     /* the last saddle is a minimizer */
        if (out->nphase >= max_phases) {
            out->status = LIMIT_PHASE_CAP;
            out->s_end = s + dt;
            break;
        }
        s += dt;
        for (int i = 0; i < p; i++) {
            Z[i] += dt * b[i];
            E[i] += dt * g[i];
        }
        edge = 1.0 + kappa * s;
        snap(p, E, edge, onesided, tol);
        E[hit] = hit_side * edge;
    }
}
