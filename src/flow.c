/* Stiff integration of the averaged-trajectory ODE (see flow.h).
 *
 * Method: RODAS4 (Hairer & Wanner, Solving ODEs II, sec. IV.7), a 6-stage,
 * L-stable, stiffly accurate Rosenbrock method of order 4 with an embedded
 * order-3 error estimate, on the state (E, Z). (Rodas5P, of order 5(4), was
 * tried: fewer steps at a given tol, but no less work at a given accuracy.)
 * Its Jacobian is analytic and block lower triangular,
 *   d(E', Z')/d(E, Z) = [M D, 0; D, 0],  D = -L diag(q),  q = c+ e+ + c- e-,
 * so each step needs one solve with  I/(h gamma) + L M diag(q)  (6 right-hand
 * sides), and Z's part of every stage follows from E's without a solve.
 *
 * The solve exploits the structure. Coordinates far inside the box
 * |E_i| < 1 have q_i = O(epsilon^(1 - |E_i|)): where h gamma L q_j times the
 * column sum of |M[, j]| is below the unit roundoff, column j of L M diag(q)
 * is below rounding level next to the identity, and is dropped (exact to
 * rounding). On the remaining active set A the block is symmetrized,
 *   (I/(h gamma) + L M_AA Q_A) x_A = v_A  <=>  S y = v_A,  x_A = y / (L q_A),
 *   S = diag(1 / (h gamma L q_A)) + M_AA  (symmetric positive definite),
 * and solved by Cholesky (a^3/6 flops for |A| = a, instead of an LU of
 * p^3/3), with x_I = h gamma (v_I - M_IA y) for the others. In the same way,
 * products M f skip the f_j whose contributions are below rounding level.
 * When the prepared design X (n x p, M = X'X/n) is at hand and a exceeds
 * about 1.7 n, the Woodbury identity is cheaper: with d = h gamma L q_A,
 *   G = n I + X_A diag(d) X_A'  (n x n),  z = G^{-1} X_A (d v_A),
 *   x = h gamma (v - X'z)  (every coordinate, in and out of A),
 * n^2 a / 2 + n^3 / 6 flops to factor instead of a^3 / 6; each step takes
 * the cheaper of the two by their flop counts, and M f goes through X
 * when that is cheaper too. (On a 50 x 1000 design at epsilon = 1e-30: 1.6 s
 * instead of 18 s; on the 100 x 200 design of inst/bench, no difference.)
 * With epsilon -> 0 most coordinates are far inside the box most of the
 * time, and a step costs O(p a) instead of O(p^3).
 *
 * Dense work, two ways. The factorization of S or G, the two substitutions,
 * the products with M (all of f, or y scattered on A) and with X or X_A
 * (G = n I + (X_A D^1/2)(X_A D^1/2)' by dsyrk) go through R's BLAS/LAPACK
 * (dpotrf, dtrsv, dsymv, dgemv, dsyrk) when it is an optimized one, and
 * through the column kernels of kernels.h (kern_gaxpy, kern_dots) when it
 * is the reference one, which is two to four times slower than these
 * loops at every size met here (factor of order 200: 0.87 ms against
 * 0.18 ms; dsymv of order 200: 8.8 us against 4.1 us, measured with the
 * kernels' portable build; their AVX2 build makes whole runs another 1.2
 * to 1.3 times faster) while OpenBLAS is faster than them (0.08 ms;
 * 2.1 us). Which BLAS R uses is known only by
 * timing it: flow_blas_faster() times the factor of order 96 and four
 * products of order 192 both ways, once per session (R side, option
 * dlnpath.flow_blas to fix it). Either way, below order BLAS_MIN_ORDER = 40
 * the factor and the substitutions stay written out (OpenBLAS's dpotrf
 * only breaks even at 32-48), products with fewer than half of the columns
 * of M stay sparse (O(p m) by kern_gaxpy; a dense BLAS product costs p^2), and
 * length-p stage combinations are loops. Whole runs (default grid, tol
 * 1e-8, CPU time, before/after interleaved): with OpenBLAS 0.3.21 the
 * BLAS path is 1.8, 1.3 and 1.1 times faster than the loops on the
 * 100 x 200 design of inst/bench at epsilon = 1e-5, 1e-30 and 1e-100
 * (0.19 s against 0.34 s at 1e-5), and 1.4 times on a 50 x 1000 design at
 * 1e-30 (Woodbury); forced onto the reference BLAS it is 2.6, 2.0, 1.6 and
 * 1.7 times slower, hence the choice by timing.
 *
 * Measured and not kept (simulated 100 x 200 design of inst/bench, default
 * grid, tol 1e-8): (1) the Rosenbrock-W method ROS34PW2 (Rang & Angermann
 * 2005; order 3 with any matrix in place of J), which may drop every
 * column with h gamma L q_j sum|M[, j]| < 0.01 (a = 50 instead of 200 at
 * epsilon = 1e-5), took 2.5 times the steps of RODAS4 at the same tol for
 * 10 times its error; at equal accuracy it was 1.1x faster at 1e-5 and 1.8x
 * and 3.2x slower at 1e-30 and 1e-100. Reusing its factorization over
 * steps while h and q moved by under 10% had a third of the steps
 * rejected. (2) Gustafsson's predictive step control: 4x fewer rejections,
 * the same work (they are 1% of the steps); a PI controller: 40% more
 * steps.
 *
 * Error control: log b = log c -+ L (1 + kappa s +- E), so an error dE in E is
 * a relative error L dE in b. A step is accepted when the RMS over i of
 * L err(E)_i / tol, and of err(Z)_i / (tol (|Z_i| + 1/(L m))) with
 * m = max diag(M), are both at most one: tol bounds the local relative error
 * of b and of the averaged trajectory. Transitions sharpen like 1/L, and so
 * does the step size needed to follow them, but not the number of steps: a
 * variable entering rises like a logistic curve of width 1/(L g) (g its
 * gradient), whose complex singularities lie at a distance of order
 * 1/(L g) from the real axis, so a method of fixed order needs a fixed
 * number of steps per transition at a given tol, whatever L (one variable,
 * M = r = 1, one transition: 1986 right-hand sides at epsilon = 1e-5, 2148
 * at 1e-100, 2250 at log(1/epsilon) = 2e4). What grows is the number of
 * transitions resolved one by one: knots of the lasso path that overlap
 * into one smooth motion at large epsilon become separate transitions at
 * small epsilon. On the 100 x 200 design of inst/bench (98 knots in the
 * grid): 7212, 22482, 44706 and 72006 right-hand sides at epsilon = 1e-5,
 * 1e-30, 1e-100 and 1e-300, and 145338 at log(1/epsilon) = 2e4, about 250
 * steps per knot once all are separate; deSolve's bdf grows more (9.3 times
 * from 1e-5 to 1e-100, against 6.2). Coordinates far inside the box count
 * fully in the norm: their errors in E become relative errors of b when
 * they enter. (E itself carries an absolute rounding error
 * of order 1e-16, that is L 1e-16 in log b: where tol / L falls below 64 u,
 * u the unit roundoff, the bound is raised to it.) */
#include <R.h>
#include <R_ext/Utils.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "linalg.h"
#include "kernels.h"
#include "progress.h"
#include "flow.h"

#define NSTAGE 6
/* exp() of more than this overflows; a stage that gets there is rejected */
#define EXP_CAP 700.0

/* RODAS4 in the form of Hairer & Wanner's RODAS code: stage i solves
 * (I/(h gamma) - J) K_i = F(s + alpha_i h, y + sum_j a_ij K_j)
 *   + sum_j (c_ij / h) K_j + h gam_i dF/ds,
 * with a and c strictly lower triangular, stored row-wise: (2,1), (3,1),
 * (3,2), ... The new solution is y + sum_i m_i K_i (stiffly accurate: the
 * last stage's argument plus K_6), and K_6 the error estimate (of the
 * embedded method of order 3). */
static const double ros_gamma = 0.25;
static const double ros_alpha[NSTAGE] = {0.0, 0.386, 0.21, 0.63, 1.0, 1.0};
static const double ros_gam[NSTAGE] = {0.25, -0.1043, 0.1035,
                                       -0.3620000000000023e-01, 0.0, 0.0};
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
static const double ros_m[NSTAGE] = {1.221224509226641, 6.019134481288629,
                                     12.53708332932087, -0.6878860361058950,
                                     1.0, 1.0};

/* y += alpha x, length n */
static inline void axpy(int n, double alpha, const double *restrict x,
                        double *restrict y)
{
    for (int i = 0; i < n; i++) y[i] += alpha * x[i];
}

/* f (and optionally q, df/ds) at (s, E). With ek (ek_i = c+ c- e^{-2L},
 * zero where that underflows), the smaller of the two exponentials is
 * obtained from the larger by one division, since their product is
 * ek_i e^{-2 L kappa s}: one exp per coordinate instead of two. */
static void eval_f(const flow_problem *P, double s, const double *E,
                   const double *ek, double *f, double *q, double *fs)
{
    const int p = P->p;
    const double L = P->L, kappa = P->kappa, base = 1.0 + kappa * s;
    const double tiny = 1e-280;
    const double ekscale = ek && kappa != 0.0 ? exp(-2.0 * L * kappa * s) : 1.0;
    for (int i = 0; i < p; i++) {
        double xp = P->logcp[i] - L * (base + E[i]);
        double xm = P->logcm[i] - L * (base - E[i]);
        double ep, em, prod = ek ? ek[i] * ekscale : 0.0;
        if (prod > tiny && xp >= xm && xp < EXP_CAP) {
            ep = exp(xp);
            em = ep > tiny ? prod / ep : exp(xm);
        } else if (prod > tiny && xm > xp && xm < EXP_CAP) {
            em = exp(xm);
            ep = em > tiny ? prod / em : exp(xp);
        } else {
            ep = exp(xp < EXP_CAP ? xp : EXP_CAP);
            em = exp(xm < EXP_CAP ? xm : EXP_CAP);
        }
        f[i] = ep - em;
        if (q) q[i] = ep + em;
        if (fs) fs[i] = -L * kappa * (ep - em);
    }
}

void flow_f(const flow_problem *P, double s, const double *E, double *f,
            double *q, double *fs)
{
    eval_f(P, s, E, NULL, f, q, fs);
}

/* Scratch for one Rosenbrock step. Stage vectors hold E's part in the first
 * p entries and Z's part in the next p. */
typedef struct {
    double *S, *K, *Y, *f, *q, *fs, *Ft, *ynew, *fi, *t, *z, *yA;
    double *colsum;   /* sum_i |M_ij| */
    double *ek;       /* c+ c- e^{-2L}, for eval_f */
    double *fneg;     /* |f_j| below this: M[, j] f_j is below rounding */
    int *A, *fidx;
    const double **col;  /* column pointers and coefficients for kern_gaxpy */
    const double **xcols;  /* the columns of X */
    double *coef;
    double *dinv;     /* reciprocals of the factor's diagonal */
    int a;            /* active set size; S holds the Cholesky factor */
    int wood;         /* the factor is G's (Woodbury through X), not S's */
    double *G, *w;    /* n x n, n */
    double *XA, *sd;  /* BLAS mode: X_A diag(sd) (n x a), sd = sqrt(d) */
    double *Yt;       /* loops: diag(sd) X_A' (a x n) */
} step_work;

/* out <- alpha X'w (X n x p): dgemv with a fast BLAS, else kern_dots. */
static void xt_mv(const flow_problem *P, double alpha, const double *w,
                  double *out, const step_work *W)
{
    const int n = P->n, p = P->p;
    if (P->blas) {
        const double zero = 0.0;
        const int inc = 1;
        F77_CALL(dgemv)("T", &n, &p, &alpha, P->X, &n, w, &inc, &zero, out,
                        &inc FCONE);
    } else {
        kern_dots(n, p, W->xcols, w, alpha, out);
    }
}

/* out <- M f - r, skipping the columns whose contribution is below rounding
 * level; through X'(X f)/n when that costs fewer flops. With a fast BLAS,
 * more than half of the columns make it one dense product (all of f). */
static void mf_minus_r(const flow_problem *P, const double *f, double *out,
                       step_work *W)
{
    const int p = P->p, inc = 1;
    const double one = 1.0, zero = 0.0;
    int m = 0;
    for (int j = 0; j < p; j++)
        if (fabs(f[j]) > W->fneg[j]) W->fidx[m++] = j;
    const int dense = P->blas && 2 * m > p;
    if (m == p && p <= KERN_SMALL) {
        kern_symv_small(p, P->M, f, out);
    } else if (P->X && (double) P->n * (m + p) < (double) p * m) {
        /* through X: X'(X f)/n */
        const int n = P->n;
        if (dense) {
            F77_CALL(dgemv)("N", &n, &p, &one, P->X, &n, f, &inc, &zero, W->w,
                            &inc FCONE);
        } else {
            memset(W->w, 0, (size_t) n * sizeof(double));
            for (int k = 0; k < m; k++) {
                int j = W->fidx[k];
                W->col[k] = P->X + (size_t) j * n;
                W->coef[k] = f[j];
            }
            kern_gaxpy(n, m, W->col, W->coef, W->w);
        }
        xt_mv(P, 1.0 / n, W->w, out, W);
    } else if (dense) {
        sym_mv(p, P->M, f, out);
    } else {
        for (int i = 0; i < p; i++) out[i] = 0.0;
        for (int k = 0; k < m; k++) {
            int j = W->fidx[k];
            W->col[k] = P->M + (size_t) j * p;
            W->coef[k] = f[j];
        }
        kern_gaxpy(p, m, W->col, W->coef, out);
    }
    for (int i = 0; i < p; i++) out[i] -= P->r[i];
}

/* F(s, y) = (M f - r, f) for y = (E, Z), f = f(s, E). */
static void full_rhs(const flow_problem *P, double s, const double *y,
                     double *F, step_work *W)
{
    const int p = P->p;
    eval_f(P, s, y, W->ek, W->fi, NULL, NULL);
    mf_minus_r(P, W->fi, F, W);
    memcpy(F + p, W->fi, (size_t) p * sizeof(double));
}

/* Lower Cholesky factor of the a x a symmetric matrix S (lower triangle
 * used) in place, left-looking, with the column updates done by kern_gaxpy;
 * col and coef are scratch of length a; dinv receives the reciprocals of
 * the diagonal (the substitutions multiply by them: a division's latency
 * is several times a multiplication's, and it sits on their chain of
 * dependent updates). Nonzero when S is not numerically
 * positive definite. (Faster than the reference LAPACK's dpotrf at every
 * order this integrator meets.) */
static int chol_lower(double *S, int a, const double **col, double *coef,
                      double *dinv)
{
    for (int j = 0; j < a; j++) {
        double *Sj = S + (size_t) j * a;
        if (a <= KERN_SMALL) {
            /* small orders: plain loops (a call costs more than the work) */
            for (int k = 0; k < j; k++) {
                const double *Sk = S + (size_t) k * a;
                const double c = Sk[j];
                for (int i = j; i < a; i++) Sj[i] -= c * Sk[i];
            }
        } else {
            for (int k = 0; k < j; k++) {
                const double *Sk = S + (size_t) k * a;
                col[k] = Sk + j;
                coef[k] = -Sk[j];
            }
            kern_gaxpy(a - j, j, col, coef, Sj + j);
        }
        if (!(Sj[j] > 0.0)) return j + 1;
        double d = sqrt(Sj[j]), di = 1.0 / d;
        Sj[j] = d;
        dinv[j] = di;
        for (int i = j + 1; i < a; i++) Sj[i] *= di;
    }
    return 0;
}

/* y <- (C C')^{-1} y for the lower Cholesky factor C (a x a), dinv the
 * reciprocals of its diagonal: two substitutions, written out. */
static void chol_solve_lower(const double *C, int a, double *y,
                             const double **col, double *coef,
                             const double *dinv)
{
    if (a <= KERN_SMALL) {
        /* forward, small orders: plain loops */
        for (int j = 0; j < a; j++) {
            const double *Cj = C + (size_t) j * a;
            const double yj = y[j] * dinv[j];
            y[j] = yj;
            for (int i = j + 1; i < a; i++) y[i] -= Cj[i] * yj;
        }
    } else {
        /* forward, four columns at a time: their triangle, then the rows
         * below them by one kern_gaxpy */
        for (int j0 = 0; j0 < a; j0 += 4) {
            const int j1 = j0 + 4 < a ? j0 + 4 : a;
            for (int j = j0; j < j1; j++) {
                const double *Cj = C + (size_t) j * a;
                double yj = y[j] * dinv[j];
                y[j] = yj;
                for (int i = j + 1; i < j1; i++) y[i] -= Cj[i] * yj;
                col[j - j0] = Cj + j1;
                coef[j - j0] = -yj;
            }
            kern_gaxpy(a - j1, j1 - j0, col, coef, y + j1);
        }
    }
    for (int j = a - 1; j >= 0; j--) {
        const double *Cj = C + (size_t) j * a;
        y[j] = (y[j] - kern_dot(a - j - 1, Cj + j + 1, y + j + 1)) * dinv[j];
    }
}

/* The factor and the solve: LAPACK/BLAS with a fast BLAS from order
 * BLAS_MIN_ORDER on, else the loops above (see the header comment). */
#define BLAS_MIN_ORDER 40

static int chol_factor(double *S, int a, int blas, const double **col,
                       double *coef, double *dinv)
{
    if (blas && a >= BLAS_MIN_ORDER) {
        int info = 0;
        F77_CALL(dpotrf)("L", &a, S, &a, &info FCONE);
        return info;
    }
    return chol_lower(S, a, col, coef, dinv);
}

static void chol_solve(const double *C, int a, double *y, int blas,
                       const double **col, double *coef, const double *dinv)
{
    if (blas && a >= BLAS_MIN_ORDER) {
        const int inc = 1;
        F77_CALL(dtrsv)("L", "N", "N", &a, C, &a, y, &inc FCONE FCONE FCONE);
        F77_CALL(dtrsv)("L", "T", "N", &a, C, &a, y, &inc FCONE FCONE FCONE);
    } else {
        chol_solve_lower(C, a, y, col, coef, dinv);
    }
}

/* Factor the E-block for step size h (see the header comment): S, or with
 * X at hand and when it is cheaper, G = n I + X_A diag(d) X_A' with
 * d = h gamma L q_A (S^{-1} by the Woodbury identity). Returns 0 on
 * success. */
static int factor(const flow_problem *P, double hg, step_work *W)
{
    const int p = P->p, n = P->n;
    const double L = P->L, eps = DBL_EPSILON;
    int a = 0;
    for (int j = 0; j < p; j++)
        if (hg * L * W->q[j] * W->colsum[j] > eps) W->A[a++] = j;
    W->a = a;
    W->wood = 0;
    if (a == 0) return 0;
    /* flops of a factorization and six solves either way */
    const double da = a, dn = n, dp = p;
    const double cost_s = da * da * da / 6.0 + 6.0 * (da * da + (a < p ? dp * da : 0.0));
    const double cost_g = dn * dn * da / 2.0 + dn * dn * dn / 6.0 +
                          6.0 * (dn * (da + dp) + dn * dn);
    if (P->X && cost_g < cost_s) {
        W->wood = 1;
        if (P->blas) {
            /* G = n I + (X_A D^1/2)(X_A D^1/2)', lower triangle, by dsyrk */
            for (int jj = 0; jj < a; jj++) {
                const double *xj = P->X + (size_t) W->A[jj] * n;
                double *out = W->XA + (size_t) jj * n;
                const double sd = sqrt(hg * L * W->q[W->A[jj]]);
                W->sd[jj] = sd;
                for (int i = 0; i < n; i++) out[i] = sd * xj[i];
            }
            const double one = 1.0, zero = 0.0;
            F77_CALL(dsyrk)("L", "N", &n, &a, &one, W->XA, &n, &zero, W->G, &n
                            FCONE FCONE);
            for (int k = 0; k < n; k++) W->G[(size_t) k * n + k] += n;
        } else {
            /* G = Y'Y + n I with the a x n matrix Y = D^1/2 X_A' (its
             * column k: row k of X_A, scaled), by the Gram kernel: the upper
             * triangle, then mirrored into the lower one that is factored */
            for (int jj = 0; jj < a; jj++) {
                const double *xj = P->X + (size_t) W->A[jj] * n;
                const double sd = sqrt(hg * L * W->q[W->A[jj]]);
                for (int k = 0; k < n; k++) W->Yt[jj + (size_t) k * a] = sd * xj[k];
            }
            for (int k = 0; k < n; k++) W->col[k] = W->Yt + (size_t) k * a;
            kern_cross(a, n, W->col, n, W->col, 0, 1.0, W->G, n);
            for (int l = 0; l < n; l++) {
                W->G[(size_t) l * n + l] += n;
                for (int k = 0; k < l; k++)
                    W->G[l + (size_t) k * n] = W->G[k + (size_t) l * n];
            }
        }
        return chol_factor(W->G, n, P->blas, W->col, W->coef, W->dinv);
    }
    for (int jj = 0; jj < a; jj++) {
        const double *Mj = P->M + (size_t) W->A[jj] * p;
        double *Sj = W->S + (size_t) jj * a;
        for (int ii = jj; ii < a; ii++) Sj[ii] = Mj[W->A[ii]];
        Sj[jj] += 1.0 / (hg * L * W->q[W->A[jj]]);
    }
    /* not numerically positive definite (M_AA singular and h q_A huge): the
     * step is rejected, and a smaller h adds more to the diagonal */
    return chol_factor(W->S, a, P->blas, W->col, W->coef, W->dinv);
}

/* v (a stage: E part, then Z part) <- (I/(h gamma) - J)^{-1} v: the E part
 * through the factored block, then Z part = h gamma (v_Z - L q x_E). */
static void solve(const flow_problem *P, double hg, double *v, step_work *W)
{
    const int p = P->p, a = W->a;
    const double L = P->L;
    if (a == 0) {
        for (int i = 0; i < p; i++) v[i] *= hg;
    } else if (W->wood) {
        /* u = d v_A, w = X_A u, z = G^{-1} w; then y = u - d X_A'z and
         * M_IA y = X_I' X_A y / n = X_I'z (X_A y = n z by G's definition):
         * x_A = y / (L q_A) = hg (v_A - X_A'z), x_I = hg (v_I - X_I'z) */
        const int n = P->n;
        if (P->blas) {
            /* X_A (d v_A) = (X_A D^1/2)(D^1/2 v_A) */
            const double one = 1.0, zero = 0.0;
            const int inc = 1;
            for (int jj = 0; jj < a; jj++) W->coef[jj] = W->sd[jj] * v[W->A[jj]];
            F77_CALL(dgemv)("N", &n, &a, &one, W->XA, &n, W->coef, &inc, &zero,
                            W->w, &inc FCONE);
        } else {
            for (int jj = 0; jj < a; jj++) {
                int j = W->A[jj];
                W->coef[jj] = hg * L * W->q[j] * v[j];
                W->col[jj] = P->X + (size_t) j * n;
            }
            memset(W->w, 0, (size_t) n * sizeof(double));
            kern_gaxpy(n, a, W->col, W->coef, W->w);
        }
        chol_solve(W->G, n, W->w, P->blas, W->col, W->coef, W->dinv);
        xt_mv(P, 1.0, W->w, W->t, W);
        for (int i = 0; i < p; i++) v[i] = hg * (v[i] - W->t[i]);
    } else {
        for (int jj = 0; jj < a; jj++) W->yA[jj] = v[W->A[jj]];
        chol_solve(W->S, a, W->yA, P->blas, W->col, W->coef, W->dinv);
        /* t = M[, A] y; x_I = hg (v_I - t_I); x_A = y / (L q_A) */
        if (a < p) {
            if (P->blas && 2 * a > p) {
                /* one dense product with y scattered into a length-p vector */
                memset(W->z, 0, (size_t) p * sizeof(double));
                for (int jj = 0; jj < a; jj++) W->z[W->A[jj]] = W->yA[jj];
                sym_mv(p, P->M, W->z, W->t);
            } else {
                memset(W->t, 0, (size_t) p * sizeof(double));
                for (int jj = 0; jj < a; jj++)
                    W->col[jj] = P->M + (size_t) W->A[jj] * p;
                kern_gaxpy(p, a, W->col, W->yA, W->t);
            }
            for (int i = 0; i < p; i++) v[i] = hg * (v[i] - W->t[i]);
        }
        for (int jj = 0; jj < a; jj++) {
            int j = W->A[jj];
            v[j] = W->yA[jj] / (L * W->q[j]);
        }
    }
    for (int i = 0; i < p; i++) v[p + i] = hg * (v[p + i] - L * W->q[i] * v[i]);
}

/* One Rosenbrock step of size h from (s, y), where W->f, W->q, W->fs hold f, q
 * and df/ds at (s, y). Returns the error norm (Inf when the step failed);
 * the candidate is left in W->ynew. */
static double ros_step(const flow_problem *P, double s, const double *y,
                       double h, double tol, double zfloor, step_work *W,
                       flow_control *ctl)
{
    const int p = P->p, n2 = 2 * p;
    const double L = P->L, hg = h * ros_gamma;

    if (factor(P, hg, W) != 0) return R_PosInf;
    ctl->nlu++;

    /* time derivative of F: (M fs, fs); zero without weight decay */
    int have_ft = P->kappa != 0.0;
    if (have_ft) {
        sym_mv(p, P->M, W->fs, W->Ft);
        memcpy(W->Ft + p, W->fs, (size_t) p * sizeof(double));
    }

    /* stage combinations by kern_gaxpy over the stages so far */
    const double *Kc[NSTAGE];
    double ch[NSTAGE];
    for (int st = 0; st < NSTAGE; st++) Kc[st] = W->K + (size_t) st * n2;
    for (int st = 0; st < NSTAGE; st++) {
        double *Ki = W->K + (size_t) st * n2;
        if (st == 0) {
            mf_minus_r(P, W->f, Ki, W);
            memcpy(Ki + p, W->f, (size_t) p * sizeof(double));
        } else {
            /* the right-hand side reads only E */
            memcpy(W->Y, y, (size_t) p * sizeof(double));
            kern_gaxpy(p, st, Kc, ros_a + st * (st - 1) / 2, W->Y);
            full_rhs(P, s + ros_alpha[st] * h, W->Y, Ki, W);
            ctl->nrhs++;
            const double *crow = ros_c + st * (st - 1) / 2;
            for (int j = 0; j < st; j++) ch[j] = crow[j] / h;
            kern_gaxpy(n2, st, Kc, ch, Ki);
        }
        if (have_ft && ros_gam[st] != 0.0) axpy(n2, h * ros_gam[st], W->Ft, Ki);
        solve(P, hg, Ki, W);
    }

    memcpy(W->ynew, y, (size_t) n2 * sizeof(double));
    kern_gaxpy(n2, NSTAGE, Kc, ros_m, W->ynew);
    const double *Kl = Kc[NSTAGE - 1];
    /* E carries about 1e-16 absolute rounding error, which bounds how
     * accurately log b = -L(...) can be known when L is huge */
    const double tol_E = fmax(tol / L, 64.0 * DBL_EPSILON);
    double e1 = 0.0, e2 = 0.0;
    for (int i = 0; i < p; i++) {
        double u = Kl[i] / tol_E;
        double zs = fmax(fabs(y[p + i]), fabs(W->ynew[p + i]));
        double v = Kl[p + i] / (tol * (zs + zfloor));
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
    W.S = (double *) R_alloc((size_t) p * p, sizeof(double));
    W.K = (double *) R_alloc((size_t) NSTAGE * n2, sizeof(double));
    W.Y = (double *) R_alloc((size_t) n2, sizeof(double));
    W.f = (double *) R_alloc((size_t) p, sizeof(double));
    W.q = (double *) R_alloc((size_t) p, sizeof(double));
    W.fs = (double *) R_alloc((size_t) p, sizeof(double));
    W.Ft = (double *) R_alloc((size_t) n2, sizeof(double));
    W.ynew = (double *) R_alloc((size_t) n2, sizeof(double));
    W.fi = (double *) R_alloc((size_t) p, sizeof(double));
    W.t = (double *) R_alloc((size_t) p, sizeof(double));
    W.z = (double *) R_alloc((size_t) p, sizeof(double));
    W.yA = (double *) R_alloc((size_t) p, sizeof(double));
    W.colsum = (double *) R_alloc((size_t) p, sizeof(double));
    W.fneg = (double *) R_alloc((size_t) p, sizeof(double));
    W.ek = (double *) R_alloc((size_t) p, sizeof(double));
    for (int i = 0; i < p; i++) W.ek[i] = exp(P->logcp[i] + P->logcm[i] - 2.0 * P->L);
    W.A = (int *) R_alloc((size_t) p, sizeof(int));
    W.fidx = (int *) R_alloc((size_t) p, sizeof(int));
    const int pn = p > P->n ? p : P->n;
    W.col = (const double **) R_alloc((size_t) pn, sizeof(double *));
    W.xcols = (const double **) R_alloc((size_t) p, sizeof(double *));
    for (int j = 0; j < p; j++) W.xcols[j] = P->X ? P->X + (size_t) j * P->n : NULL;
    W.coef = (double *) R_alloc((size_t) pn, sizeof(double));
    W.dinv = (double *) R_alloc((size_t) pn, sizeof(double));
    W.G = P->X ? (double *) R_alloc((size_t) P->n * P->n, sizeof(double)) : NULL;
    W.w = P->X ? (double *) R_alloc((size_t) P->n, sizeof(double)) : NULL;
    const int blas_x = P->X && P->blas;
    W.XA = blas_x ? (double *) R_alloc((size_t) P->n * p, sizeof(double)) : NULL;
    W.sd = blas_x ? (double *) R_alloc((size_t) p, sizeof(double)) : NULL;
    W.Yt = P->X && !P->blas ? (double *) R_alloc((size_t) P->n * p, sizeof(double)) : NULL;
    double *y = (double *) R_alloc((size_t) n2, sizeof(double));
    memcpy(y, E0, (size_t) p * sizeof(double));
    memcpy(y + p, Z0, (size_t) p * sizeof(double));

    ctl->status = FLOW_OK;
    ctl->naccept = ctl->nreject = ctl->nrhs = ctl->nlu = 0;
    ctl->s_fail = NA_REAL;

    double mdiag = 0.0, rmax = 0.0;
    for (int i = 0; i < p; i++) {
        mdiag = fmax(mdiag, P->M[(size_t) i * p + i]);
        rmax = fmax(rmax, fabs(P->r[i]));
    }
    for (int j = 0; j < p; j++) {
        double cs = 0.0, cm = 0.0;
        const double *Mj = P->M + (size_t) j * p;
        for (int i = 0; i < p; i++) {
            cs += fabs(Mj[i]);
            cm = fmax(cm, fabs(Mj[i]));
        }
        W.colsum[j] = cs;
        /* p dropped terms of M[i, j] f_j stay below u max|r| */
        W.fneg[j] = cm > 0.0 ? DBL_EPSILON * rmax / (p * cm) : R_PosInf;
    }
    const double zfloor = 1.0 / (P->L * (mdiag > 0.0 ? mdiag : 1.0));
    const double rate = P->L * (rmax + P->kappa);
    /* the natural unit of s (the first knot is at 1/max|r|): rounding-level
     * step sizes are judged against it, so scaling y or X changes nothing */
    const double s_unit = 1.0 / (rmax + P->kappa > 0.0 ? rmax + P->kappa : 1.0);
    double s = s0;
    double h = 1e-2 / (rate > 0.0 ? rate : 1.0);
    int rejected_last = 0, rejected_more = 0;
    /* interrupt checks about every 1e7 flops */
    const double step_flops = (double) p * p * p / 6.0 + 12.0 * p * (double) p;
    progress_bar pb;
    progress_init(&pb, "gradient flow", ctl->progress, (int) (1e7 / step_flops) + 1);

    for (int k = 0; k < nout; k++) {
        const double target = s_out[k], s_prev = s;
        while (s < target) {
            progress_tick(&pb, (k + (s - s_prev) / (target - s_prev)) / nout);
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
            eval_f(P, s, y, W.ek, W.f, W.q, W.fs);
            ctl->nrhs++;
            double err = ros_step(P, s, y, h, ctl->tol, zfloor, &W, ctl);
            double fac = err > 0.0 ? 0.9 * pow(err, -0.25) : 6.0;
            fac = fmin(6.0, fmax(0.2, fac));
            if (err <= 1.0) {
                s = lands ? target : s + h;
                memcpy(y, W.ynew, (size_t) n2 * sizeof(double));
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
    progress_done(&pb);
}

/* Times the dense work of a step both ways, best of three: a factorization
 * of order 96 and four products with a 192 x 192 matrix. The reference
 * BLAS is about 2.5 times slower than the loops there and OpenBLAS about
 * 1.7 times faster, so timing noise does not decide. */
int flow_blas_faster(void)
{
    const int a = 96, p = 192, reps = 50;
    double *S0 = (double *) R_alloc((size_t) a * a, sizeof(double));
    double *S = (double *) R_alloc((size_t) a * a, sizeof(double));
    double *M = (double *) R_alloc((size_t) p * p, sizeof(double));
    double *x = (double *) R_alloc((size_t) p, sizeof(double));
    double *y = (double *) R_alloc((size_t) p, sizeof(double));
    const double **col = (const double **) R_alloc((size_t) p, sizeof(double *));
    double *coef = (double *) R_alloc((size_t) p, sizeof(double));
    double *dinv = (double *) R_alloc((size_t) p, sizeof(double));
    /* 0.5^|i-j| is positive definite */
    for (int j = 0; j < p; j++) {
        x[j] = 1.0 / (1.0 + j);
        for (int i = 0; i < p; i++) M[i + (size_t) j * p] = pow(0.5, abs(i - j));
    }
    for (int j = 0; j < a; j++)
        for (int i = 0; i < a; i++) S0[i + (size_t) j * a] = M[i + (size_t) j * p];
    double best[2] = {R_PosInf, R_PosInf};
    for (int trial = 0; trial < 3; trial++) {
        for (int blas = 0; blas < 2; blas++) {
            clock_t t0 = clock();
            for (int r = 0; r < reps; r++) {
                memcpy(S, S0, (size_t) a * a * sizeof(double));
                chol_factor(S, a, blas, col, coef, dinv);
                for (int k = 0; k < 4; k++) {
                    if (blas) {
                        sym_mv(p, M, x, y);
                    } else {
                        memset(y, 0, (size_t) p * sizeof(double));
                        for (int j = 0; j < p; j++) col[j] = M + (size_t) j * p;
                        kern_gaxpy(p, p, col, x, y);
                    }
                }
            }
            best[blas] = fmin(best[blas], (double) (clock() - t0));
        }
    }
    return best[1] < best[0];
}
