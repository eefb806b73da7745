#ifndef DLNPATH_FLOW_H
#define DLNPATH_FLOW_H

/* The averaged-trajectory ODE of a diagonal linear network in rescaled time s:
 *   dZ/ds = f(s, E) = c+ e^{-L (1 + kappa s + E)} - c- e^{-L (1 + kappa s - E)},
 *   E = M Z - s r,  L = log(1/epsilon),
 * componentwise, with b(s) = f(s, E(s)) and the averaged trajectory Z(s)/s.
 * E (= s times the loss gradient at the averaged trajectory) stays of order
 * one while M Z and s r grow with s, so it is integrated as a state of its
 * own, dE/ds = M f(s, E) - r, beside Z: computing it as M Z - s r would cost
 * all its digits to cancellation at large s. */
typedef struct {
    int p;
    const double *M, *r;     /* p x p, p */
    const double *X;         /* n x p with M = X'X/n, or NULL */
    int n;
    const double *logcp;     /* log c+ (R_NegInf where c+ = 0) */
    const double *logcm;     /* log c- */
    double L, kappa;
} flow_problem;

enum { FLOW_OK = 0, FLOW_MAX_STEPS = 1, FLOW_STEP_TOO_SMALL = 2 };

typedef struct {
    double tol;          /* local error bound, see flow.c */
    int max_steps;
    int progress;        /* show a progress bar on long runs */
    /* filled in */
    int status, naccept, nreject, nrhs, nlu;
    double s_fail;       /* where integration stopped if status != FLOW_OK */
} flow_control;

/* Integrate from (s0, E0, Z0) through the increasing grid s_out (all >= s0),
 * writing E, Z and b = f(s, E) at each grid point (p x nout, column-major). */
void flow_integrate(const flow_problem *P, double s0, const double *E0,
                    const double *Z0, int nout, const double *s_out,
                    double *E_out, double *Z_out, double *b_out,
                    flow_control *ctl);

/* f(s, E) into f; optionally the Jacobian weights q = c+ e+ + c- e- (so that
 * df/dE = -L diag(q)) and fs = df/ds. */
void flow_f(const flow_problem *P, double s, const double *E, double *f,
            double *q, double *fs);

#endif
