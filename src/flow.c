/* Stiff integration of the averaged-trajectory ODE (see flow.h).
 *
 * Method: RODAS4 (Hairer & Wanner, Solving ODEs II, sec. IV.7), a 6-stage,
 * L-stable, stiffly accurate Rosenbrock method of order 4 with an embedded
 * order-3 error estimate, on the state (E, Z). Its Jacobian is analytic and
 * block lower triangular,
 *   d(E', Z')/d(E, Z) = [M D, 0; D, 0],  D = -L diag(c+ e+ + c- e-),
 * so each step costs one p x p LU of I/(h gamma) + L M diag(q), and Z's part
 * of every stage follows from E's without another solve.
 *
 * Error control: log b = log c -+ L (1 + kappa s +- E), so an error dE in E is
 * a relative error L dE in b. A step is accepted when the RMS over i of
 * L err(E)_i / tol, and of err(Z)_i / (tol (|Z_i| + 1/(L m))) with
 * m = max diag(M), are both at most one: tol bounds the local relative error
 * of b and of the averaged trajectory. Both scale with 1/L, which keeps the
 * number of steps independent of epsilon: transitions sharpen like 1/L, and
 * so does the step size needed to follow them. */
#include <R.h>
#include <R_ext/Utils.h>
#include <float.h>
#include <math.h>
#include <string.h>
#include "linalg.h"
#include "flow.h"

#define NSTAGE 6
/* exp() of more than this overflows; a stage that gets there is rejected */
#define EXP_CAP 700.0

static const double ros_gamma = 0.25;
static const double ros_alpha[NSTAGE] = {0.0, 0.386, 0.21, 0.63, 1.0, 1.0};
static const double ros_gam[NSTAGE] = {0.25, -0.1043, 0.1035,
                                       -0.3620000000000023e-01, 0.0, 0.0};
/* strictly lower triangular A and C, row-wise: (2,1), (3,1), (3,2), ... */
static const double ros_a[15] = {
    1.544, 0.9466785280815826, 0.2557011698983284,
    3.314825187068521, 2.896124015972201, 0.9986419139977817,
    1.221224509226641, 6.019134481288629, 12.53708332932087,
    -0.6878860361058950,
    1.221224509226641, 6.019134481288629, 12.53708332932087,
    -0.6878860361058950, 1.0};
static const double ros_c[15] = {
    -5.6688, -2.430093356833875, -0.2063599157091915,
    -0.1073529058151375, -9.594562251023355, -20.47028614809616,
    7.496443313967647, -10.24680431464352, -33.99990352819905,
    11.70890893206160,
    8.083246795921522, -7.981132988064893, -31.52159432874371,
    16.31930543123136, -6.058818238834054};

void flow_f(const flow_problem *P, double s, const double *E, double *f,
            double *q, double *fs)
{
    const int p = P->p;
    const double L = P->L, kappa = P->kappa, base = 1.0 + kappa * s;
    for (int i = 0; i < p; i++) {
        double xp = P->logcp[i] - L * (base + E[i]);
        double xm = P->logcm[i] - L * (base - E[i]);
        double ep = exp(xp < EXP_CAP ? xp : EXP_CAP);
        double em = exp(xm < EXP_CAP ? xm : EXP_CAP);
        f[i] = ep - em;
        if (q) q[i] = ep + em;
        if (fs) fs[i] = -L * kappa * (ep - em);
    }
}

/* Accepted steps, kept for restarts (coef() at any s). */
static void push_history(flow_control *ctl, int p, double s, const double *E,
                         const double *Z)
{
    if (ctl->nhist == ctl->hist_cap) {
        int cap = 2 * ctl->hist_cap;
        double *hs = (double *) R_alloc((size_t) cap, sizeof(double));
        double *he = (double *) R_alloc((size_t) cap * p, sizeof(double));
        double *hz = (double *) R_alloc((size_t) cap * p, sizeof(double));
        memcpy(hs, ctl->hist_s, (size_t) ctl->nhist * sizeof(double));
        memcpy(he, ctl->hist_E, (size_t) ctl->nhist * p * sizeof(double));
        memcpy(hz, ctl->hist_Z, (size_t) ctl->nhist * p * sizeof(double));
        ctl->hist_s = hs;
        ctl->hist_E = he;
        ctl->hist_Z = hz;
        ctl->hist_cap = cap;
    }
    ctl->hist_s[ctl->nhist] = s;
    memcpy(ctl->hist_E + (size_t) ctl->nhist * p, E, (size_t) p * sizeof(double));
    memcpy(ctl->hist_Z + (size_t) ctl->nhist * p, Z, (size_t) p * sizeof(double));
    ctl->nhist++;
}

/* Scratch for one Rosenbrock step. Stage vectors hold E's part in the first
 * p entries and Z's part in the next p. */
typedef struct {
    double *G, *K, *Y, *f, *q, *fs, *Ft, *ynew, *fi;
    int *ipiv;
} step_work;

/* F(s, y) = (M f - r, f) for y = (E, Z), f = f(s, E). */
static void full_rhs(const flow_problem *P, double s, const double *y,
                     double *F, double *fscratch)
{
    const int p = P->p;
    flow_f(P, s, y, fscratch, NULL, NULL);
    sym_mv(p, P->M, fscratch, F);
    for (int i = 0; i < p; i++) {
        F[i] -= P->r[i];
        F[p + i] = fscratch[i];
    }
}

/* One RODAS4 step of size h from (s, y), where W->f, W->q, W->fs hold f, q
 * and df/ds at (s, y). Returns the error norm (Inf when the step failed);
 * the candidate is left in W->ynew. */
static double rodas_step(const flow_problem *P, double s, const double *y,
                         double h, double tol, double zfloor, step_work *W,
                         flow_control *ctl)
{
    const int p = P->p, n2 = 2 * p, inc = 1, one_col = 1;
    const double L = P->L, dg = 1.0 / (h * ros_gamma);
    int info = 0;

    /* E-block of I/(h gamma) - J:  I/(h gamma) + L M diag(q) */
    for (int j = 0; j < p; j++) {
        const double *Mj = P->M + (size_t) j * p;
        double *Gj = W->G + (size_t) j * p, lq = L * W->q[j];
        for (int i = 0; i < p; i++) Gj[i] = Mj[i] * lq;
        Gj[j] += dg;
    }
    F77_CALL(dgetrf)(&p, &p, W->G, &p, W->ipiv, &info);
    ctl->nlu++;
    if (info != 0) return R_PosInf;

    /* time derivative of F: (M fs, fs); zero without weight decay */
    int have_ft = P->kappa != 0.0;
    if (have_ft) {
        sym_mv(p, P->M, W->fs, W->Ft);
        memcpy(W->Ft + p, W->fs, (size_t) p * sizeof(double));
    }

    for (int st = 0; st < NSTAGE; st++) {
        double *Ki = W->K + (size_t) st * n2;
        if (st == 0) {
            sym_mv(p, P->M, W->f, Ki);
            for (int i = 0; i < p; i++) {
                Ki[i] -= P->r[i];
                Ki[p + i] = W->f[i];
            }
        } else {
            memcpy(W->Y, y, (size_t) n2 * sizeof(double));
            const double *arow = ros_a + st * (st - 1) / 2;
            for (int j = 0; j < st; j++) {
                double aij = arow[j];
                F77_CALL(daxpy)(&n2, &aij, W->K + (size_t) j * n2, &inc, W->Y, &inc);
            }
            full_rhs(P, s + ros_alpha[st] * h, W->Y, Ki, W->fi);
            ctl->nrhs++;
            const double *crow = ros_c + st * (st - 1) / 2;
            for (int j = 0; j < st; j++) {
                double cij = crow[j] / h;
                F77_CALL(daxpy)(&n2, &cij, W->K + (size_t) j * n2, &inc, Ki, &inc);
            }
        }
        if (have_ft && ros_gam[st] != 0.0) {
            double hg = h * ros_gam[st];
            F77_CALL(daxpy)(&n2, &hg, W->Ft, &inc, Ki, &inc);
        }
        /* block solve: E part by LU, then Z part = h gamma (rhs_Z - L q k_E) */
        F77_CALL(dgetrs)("N", &p, &one_col, W->G, &p, W->ipiv, Ki, &p, &info
                         FCONE);
        const double hgam = h * ros_gamma;
        for (int i = 0; i < p; i++)
            Ki[p + i] = hgam * (Ki[p + i] - L * W->q[i] * Ki[i]);
    }

    /* stiffly accurate: ynew = Y6 + K6, and K6 is the error estimate */
    const double *K6 = W->K + (size_t) (NSTAGE - 1) * n2;
    for (int i = 0; i < n2; i++) W->ynew[i] = W->Y[i] + K6[i];
    /* E carries about 1e-16 absolute rounding error, which bounds how
     * accurately log b = -L(...) can be known when L is huge */
    const double tol_E = fmax(tol / L, 64.0 * DBL_EPSILON);
    double e1 = 0.0, e2 = 0.0;
    for (int i = 0; i < p; i++) {
        double u = K6[i] / tol_E;
        double zs = fmax(fabs(y[p + i]), fabs(W->ynew[p + i]));
        double v = K6[p + i] / (tol * (zs + zfloor));
        e1 += u * u;
        e2 += v * v;
    }
    double err = sqrt(fmax(e1, e2) / p);
    return R_FINITE(err) ? err : R_PosInf;
}

void flow_integrate(const flow_problem *P, double s0, const double *E0,
                    const double *Z0, int nout, const double *s_out,
                    double *E_out, double *Z_out, double *b_out,
                    flow_control *ctl)
{
    const int p = P->p, n2 = 2 * p;
    step_work W;
    W.G = (double *) R_alloc((size_t) p * p, sizeof(double));
    W.K = (double *) R_alloc((size_t) NSTAGE * n2, sizeof(double));
    W.Y = (double *) R_alloc((size_t) n2, sizeof(double));
    W.f = (double *) R_alloc((size_t) p, sizeof(double));
    W.q = (double *) R_alloc((size_t) p, sizeof(double));
    W.fs = (double *) R_alloc((size_t) p, sizeof(double));
    W.Ft = (double *) R_alloc((size_t) n2, sizeof(double));
    W.ynew = (double *) R_alloc((size_t) n2, sizeof(double));
    W.fi = (double *) R_alloc((size_t) p, sizeof(double));
    W.ipiv = (int *) R_alloc((size_t) p, sizeof(int));
    double *y = (double *) R_alloc((size_t) n2, sizeof(double));
    memcpy(y, E0, (size_t) p * sizeof(double));
    memcpy(y + p, Z0, (size_t) p * sizeof(double));

    ctl->status = FLOW_OK;
    ctl->naccept = ctl->nreject = ctl->nrhs = ctl->nlu = 0;
    ctl->s_fail = NA_REAL;
    ctl->nhist = 0;
    ctl->hist_cap = 64;
    ctl->hist_s = (double *) R_alloc(64, sizeof(double));
    ctl->hist_E = (double *) R_alloc((size_t) 64 * p, sizeof(double));
    ctl->hist_Z = (double *) R_alloc((size_t) 64 * p, sizeof(double));

    double mdiag = 0.0, rmax = 0.0;
    for (int i = 0; i < p; i++) {
        mdiag = fmax(mdiag, P->M[(size_t) i * p + i]);
        rmax = fmax(rmax, fabs(P->r[i]));
    }
    const double zfloor = 1.0 / (P->L * (mdiag > 0.0 ? mdiag : 1.0));
    const double rate = P->L * (rmax + P->kappa);
    /* the natural unit of s (the first knot is at 1/max|r|): rounding-level
     * step sizes are judged against it, so scaling y or X changes nothing */
    const double s_unit = 1.0 / (rmax + P->kappa > 0.0 ? rmax + P->kappa : 1.0);
    double s = s0;
    double h = 1e-2 / (rate > 0.0 ? rate : 1.0);
    int rejected_last = 0, rejected_more = 0, since_check = 0;
    /* interrupt checks about every 1e7 flops */
    const double step_flops = (double) p * p * p / 3.0 + 12.0 * p * (double) p;
    const int check_every = (int) (1e7 / step_flops) + 1;
    push_history(ctl, p, s, y, y + p);

    for (int k = 0; k < nout; k++) {
        const double target = s_out[k];
        while (s < target) {
            if (++since_check >= check_every) {
                since_check = 0;
                R_CheckUserInterrupt();
            }
            if (ctl->naccept + ctl->nreject >= ctl->max_steps) {
                ctl->status = FLOW_MAX_STEPS;
                ctl->s_fail = s;
                return;
            }
            /* land exactly on the grid point (avoiding a sliver of a step),
             * and do not let the landing shrink the next step */
            double remain = target - s, h_try = h;
            int lands = 0;
            if (h >= remain * (1.0 - 1e-12) || remain - h < 1e-3 * h) {
                h = remain;
                lands = 1;
            }
            if (!lands && h <= 1e-14 * fmax(fabs(s), s_unit)) {
                ctl->status = FLOW_STEP_TOO_SMALL;
                ctl->s_fail = s;
                return;
            }
            flow_f(P, s, y, W.f, W.q, W.fs);
            ctl->nrhs++;
            double err = rodas_step(P, s, y, h, ctl->tol, zfloor, &W, ctl);
            double fac = err > 0.0 ? 0.9 * pow(err, -0.25) : 6.0;
            fac = fmin(6.0, fmax(0.2, fac));
            if (err <= 1.0) {
                s = lands ? target : s + h;
                memcpy(y, W.ynew, (size_t) n2 * sizeof(double));
                push_history(ctl, p, s, y, y + p);
                ctl->naccept++;
                if (rejected_last) fac = fmin(fac, 1.0);
                h *= fac;
                if (lands && !rejected_last && h < h_try) h = h_try;
                rejected_last = rejected_more = 0;
            } else {
                ctl->nreject++;
                if (!R_FINITE(err)) fac = 0.25;
                else if (rejected_more) fac = 0.1;
                rejected_more = rejected_last;
                rejected_last = 1;
                h *= fac;
            }
        }
        memcpy(E_out + (size_t) k * p, y, (size_t) p * sizeof(double));
        memcpy(Z_out + (size_t) k * p, y + p, (size_t) p * sizeof(double));
        flow_f(P, s, y, b_out + (size_t) k * p, NULL, NULL);
    }
}
