/* Gradient descent on a diagonal linear network (see gd.h). */
#include <R.h>
#include <Rmath.h>
#include <R_ext/Random.h>
#include <math.h>
#include <string.h>
#include "linalg.h"
#include "progress.h"
#include "gd.h"

#define M_LO 1.52587890625e-05   /* 2^-16: mantissas stay in [M_LO, M_HI] */
#define M_HI 65536.0
#define E_FLUSH (-1005)          /* 2^e below this counts as 0 in the gradient
                                  * (so m 2^e is never a subnormal) */
#define CURV_STRIDE 32           /* one power iteration every so many steps */

/* 2^e as a double for the hot loop: 0 below the flush level. */
static double scale_of(double e)
{
    if (e < E_FLUSH) return 0.0;
    if (e > 1023.0) return R_PosInf;
    return ldexp(1.0, (int) e);
}

/* m 2^e exactly (subnormals included). */
static double exact_value(double m, double e)
{
    if (m == 0.0 || e < -2200.0) return 0.0;
    if (e > 2200.0) return R_PosInf;
    return ldexp(m, (int) e);
}

static void renormalize(double *m, double *e, double *sc)
{
    if (*m == 0.0 || !R_FINITE(*m)) return;
    int ex;
    *m = frexp(*m, &ex);
    *e += ex;
    *sc = scale_of(*e);
}

void gd_state_alloc(gd_state *st, int p)
{
    size_t n = (size_t) (p > 0 ? p : 1);
    st->k = 0.0;
    st->mp = (double *) R_alloc(n, sizeof(double));
    st->ep = (double *) R_alloc(n, sizeof(double));
    st->mm = (double *) R_alloc(n, sizeof(double));
    st->em = (double *) R_alloc(n, sizeof(double));
    st->S = (double *) R_alloc(n, sizeof(double));
    st->C = (double *) R_alloc(n, sizeof(double));
}

/* exp(lw) as m 2^e; lw = -Inf gives 0. */
static void from_log(double lw, double *m, double *e)
{
    if (lw == R_NegInf) {
        *m = 0.0;
        *e = 0.0;
        return;
    }
    double l2 = lw / M_LN2, fl = floor(l2);
    *m = exp2(l2 - fl);
    *e = fl;
}

void gd_state_init(gd_state *st, int p, const double *logcp,
                   const double *logcm, double L)
{
    gd_state_alloc(st, p);
    for (int i = 0; i < p; i++) {
        from_log(logcp[i] - L, st->mp + i, st->ep + i);
        from_log(logcm[i] - L, st->mm + i, st->em + i);
        st->S[i] = st->C[i] = 0.0;
    }
}

/* Minibatch gradient: (1/B) sum over B rows drawn without replacement (a
 * partial Fisher-Yates shuffle of perm with R's RNG) of x_j (x_j'b - y_j). */
static void batch_gradient(const gd_problem *P, int *perm, const double *b,
                           double *g)
{
    const int p = P->p, n = P->n, B = P->batch, inc = 1;
    memset(g, 0, (size_t) p * sizeof(double));
    for (int t = 0; t < B; t++) {
        int j = t + (int) R_unif_index((double) (n - t));
        int row = perm[j];
        perm[j] = perm[t];
        perm[t] = row;
        const double *xr = P->Xt + (size_t) row * p;
        double e = (vdot(p, xr, b) - P->y[row]) / B;
        F77_CALL(daxpy)(&p, &e, xr, &inc, g, &inc);
    }
}

/* One power iteration on D M D, D = diag(sqrt(W+ + W-)): v is replaced by
 * the normalized image, and the Rayleigh quotient (a lower bound on the
 * largest eigenvalue that converges as the iteration is repeated) is
 * returned. */
static double power_step(const gd_problem *P, const double *q, double *v,
                         double *dv, double *t)
{
    const int p = P->p;
    for (int i = 0; i < p; i++) dv[i] = sqrt(q[i]) * v[i];
    gram_mv(P->G, dv, t);
    double ray = 0.0, nrm = 0.0;
    for (int i = 0; i < p; i++) {
        t[i] *= sqrt(q[i]);
        ray += v[i] * t[i];
        nrm += t[i] * t[i];
    }
    nrm = sqrt(nrm);
    if (nrm > 0.0 && R_FINITE(nrm))
        for (int i = 0; i < p; i++) v[i] = t[i] / nrm;
    return ray;
}

static void save_output(const gd_state *st, int p, int j, double *b_out,
                        double *const ck[6])
{
    const double *src[6] = {st->mp, st->ep, st->mm, st->em, st->S, st->C};
    size_t off = (size_t) j * p;
    for (int i = 0; i < p; i++)
        b_out[off + i] = exact_value(st->mp[i], st->ep[i]) -
            exact_value(st->mm[i], st->em[i]);
    for (int a = 0; a < 6; a++)
        memcpy(ck[a] + off, src[a], (size_t) p * sizeof(double));
}

/* One step of the recursion, fused into a single branch-free pass (with
 * the product with M, the whole cost of a step): g <- g - r, the running
 * sum S += b, the mantissas updated by the squared factors, b <- the new
 * iterate. Returns the range of the mantissas (lo, hi) and of g, and the sum
 * of g (a non-finite sum means the run diverged). */
typedef struct { double lo, hi, gmin, gmax, gsum; } step_scan;

/* u2 is a constant at each call site, so the compiler specializes the loop
 * for each parametrization. */
static inline step_scan step_update(int u2, int p, double a, double kap,
                                    const double *restrict r,
                                    double *restrict g, double *restrict mp,
                                    double *restrict mm,
                                    const double *restrict scp,
                                    const double *restrict scm,
                                    double *restrict b, double *restrict S,
                                    double *restrict C)
{
    double lo = M_HI, hi = M_LO, gmin = R_PosInf, gmax = R_NegInf, gsum = 0.0;
    const double ap = u2 ? 2.0 * a : a;
    for (int i = 0; i < p; i++) {
        double gi = g[i] - r[i];
        g[i] = gi;
        double yv = b[i] - C[i], t = S[i] + yv;
        C[i] = (t - S[i]) - yv;
        S[i] = t;
        double fp = 1.0 - ap * (gi + kap);
        double np = mp[i] * (fp * fp), mn = np, mx = np;
        mp[i] = np;
        if (u2) {
            b[i] = np * scp[i];
        } else {
            double fm = 1.0 + a * (gi - kap);
            double nm = mm[i] * (fm * fm);
            mm[i] = nm;
            b[i] = np * scp[i] - nm * scm[i];
            mn = np < nm ? np : nm;
            mx = np > nm ? np : nm;
        }
        lo = mn < lo ? mn : lo;
        hi = mx > hi ? mx : hi;
        gmin = gi < gmin ? gi : gmin;
        gmax = gi > gmax ? gi : gmax;
        gsum += gi;
    }
    return (step_scan) {lo, hi, gmin, gmax, gsum};
}

void gd_run(const gd_problem *P, gd_state *st, int nout, const double *k_out,
            double *b_out, double *const ck[6], gd_control *ctl)
{
    const int p = P->p, u2 = P->u2;
    const double a = P->step, kap = P->kappa;
    double *scp = (double *) R_alloc((size_t) p, sizeof(double));
    double *scm = (double *) R_alloc((size_t) p, sizeof(double));
    double *b = (double *) R_alloc((size_t) p, sizeof(double));
    double *g = (double *) R_alloc((size_t) p, sizeof(double));
    double *q = (double *) R_alloc((size_t) p, sizeof(double));
    double *v = (double *) R_alloc((size_t) p, sizeof(double));
    double *w1 = (double *) R_alloc((size_t) p, sizeof(double));
    double *w2 = (double *) R_alloc((size_t) p, sizeof(double));
    int *perm = NULL;
    /* minibatch gradients come complete; the full one is M b, less r */
    const double *r = P->r;
    double *mp = st->mp, *ep = st->ep, *mm = st->mm, *em = st->em;

    ctl->status = GD_OK;
    ctl->k_fail = NA_REAL;
    ctl->idx_g = ctl->idx_c = 0.0;
    ctl->k_idx_g = ctl->k_idx_c = NA_REAL;
    ctl->first_flip = -1.0;
    for (int i = 0; i < p; i++) {
        ctl->flips_p[i] = ctl->flips_m[i] = 0.0;
        v[i] = 1.0 / sqrt((double) p);
        renormalize(mp + i, ep + i, scp + i);
        renormalize(mm + i, em + i, scm + i);
        scp[i] = scale_of(ep[i]);
        scm[i] = scale_of(em[i]);
        b[i] = mp[i] * scp[i] - mm[i] * scm[i];
    }

    /* cost of a step relative to one product with M, for the strides */
    double full_cost = P->G->M ? (double) p * p : 2.0 * P->G->n * (double) p;
    double step_cost = P->batch > 0 ? 2.0 * P->batch * (double) p : full_cost;
    const int curv_stride = CURV_STRIDE * (int) fmax(1.0, ceil(full_cost / step_cost));
    const int every = (int) (2e6 / (step_cost + 30.0 * p)) + 1;
    if (P->batch > 0) {
        GetRNGstate();
        double *zero = (double *) R_alloc((size_t) p, sizeof(double));
        memset(zero, 0, (size_t) p * sizeof(double));
        r = zero;
        perm = (int *) R_alloc((size_t) P->n, sizeof(int));
        for (int j = 0; j < P->n; j++) perm[j] = j;
    }
    progress_bar pb;
    progress_init(&pb, "gradient descent", ctl->progress, 1);
    const double k0 = st->k, K = nout > 0 ? k_out[nout - 1] : k0;
    int next = 0, since_curv = curv_stride, since_tick = 0;

    for (;;) {
        while (next < nout && k_out[next] <= st->k) save_output(st, p, next++, b_out, ck);
        if (st->k >= K) break;

        if (P->batch > 0) batch_gradient(P, perm, b, g);
        else gram_mv(P->G, b, g);
        step_scan sc = u2 ? step_update(1, p, a, kap, r, g, mp, mm, scp, scm, b, st->S, st->C)
            : step_update(0, p, a, kap, r, g, mp, mm, scp, scm, b, st->S, st->C);
        if (!R_FINITE(sc.gsum)) {
            ctl->status = GD_DIVERGED;
            ctl->k_fail = st->k;
            break;
        }
        double idx = u2 ? 2.0 * a * fmax(sc.gmax + kap, -(sc.gmin + kap))
            : a * (fmax(sc.gmax, -sc.gmin) + kap);
        if (idx > ctl->idx_g) {
            ctl->idx_g = idx;
            ctl->k_idx_g = st->k;
        }
        if (u2 ? 2.0 * a * (sc.gmax + kap) >= 1.0
            : (a * (sc.gmax + kap) >= 1.0 || a * (kap - sc.gmin) >= 1.0)) {
            for (int i = 0; i < p; i++) {
                if (1.0 - (u2 ? 2.0 : 1.0) * a * (g[i] + kap) <= 0.0) ctl->flips_p[i]++;
                if (!u2 && 1.0 + a * (g[i] - kap) <= 0.0) ctl->flips_m[i]++;
            }
            if (ctl->first_flip < 0.0) ctl->first_flip = st->k;
        }
        if (sc.lo < M_LO || sc.hi > M_HI) {
            for (int i = 0; i < p; i++) {
                if (mp[i] < M_LO || mp[i] > M_HI) renormalize(mp + i, ep + i, scp + i);
                if (!u2 && (mm[i] < M_LO || mm[i] > M_HI))
                    renormalize(mm + i, em + i, scm + i);
                b[i] = mp[i] * scp[i] - (u2 ? 0.0 : mm[i] * scm[i]);
            }
        }
        st->k += 1.0;

        if (++since_curv >= curv_stride) {
            since_curv = 0;
            for (int i = 0; i < p; i++) q[i] = mp[i] * scp[i] + mm[i] * scm[i];
            double ci = (u2 ? 2.0 : 1.0) * a * power_step(P, q, v, w1, w2);
            if (ci > ctl->idx_c) {
                ctl->idx_c = ci;
                ctl->k_idx_c = st->k;
            }
        }
        if (++since_tick >= every) {
            since_tick = 0;
            progress_tick(&pb, (st->k - k0) / (K - k0));
        }
    }
    if (P->batch > 0) PutRNGstate();
    progress_done(&pb);
}
