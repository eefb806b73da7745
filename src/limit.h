/* The epsilon -> 0 limit of a diagonal linear network (saddle-to-saddle
 * dynamics, DESIGN.md section 3): Z(s) is piecewise linear, with slope the
 * saddle b_k of phase k, and E(s) = M Z(s) - s r stays in the box
 * |E_i| <= 1 + kappa s (one-sided, E_i >= -(1 + kappa s), for u2). */
#ifndef DLNPATH_LIMIT_H
#define DLNPATH_LIMIT_H

enum { LIMIT_DONE = 0, LIMIT_PHASE_CAP = 1 };

/* Phases in growable R_alloc buffers: phase k starts at s[k] (s[0] = 0)
 * with Z and E given in column k and moves with the saddle b (column k). */
typedef struct {
    int p, nphase, cap;
    double *s, *Z, *E, *b;
    double s_end;      /* end of the last phase: Inf unless the cap stopped it */
    int status;        /* LIMIT_DONE or LIMIT_PHASE_CAP */
    int nsub_capped;   /* phases whose subproblem reached its iteration cap */
} limit_path;

/* Runs the recursion from Z = E = 0 until the saddle is a minimizer of
 * l + kappa ||.||_1 (the last phase lasts forever) or max_phases phases.
 * tol: relative distance to the box edge within which E_i counts as on it. */
void limit_run(int p, const double *M, const double *r, double kappa,
               int onesided, int max_phases, double tol, limit_path *out);

#endif
