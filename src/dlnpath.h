/* The .Call entry points, registered in init.c. */
#ifndef DLNPATH_H
#define DLNPATH_H

#include <Rinternals.h>

SEXP C_homotopy(SEXP M, SEXP X, SEXP r, SEXP w, SEXP nonneg, SEXP max_knots,
                SEXP rank_max);
SEXP C_gram_matrix(SEXP X);
SEXP C_standardize(SEXP X, SEXP intercept, SEXP standardize);
SEXP C_dln_flow(SEXP M, SEXP X, SEXP r, SEXP logcp, SEXP logcm, SEXP L,
                SEXP kappa, SEXP s0, SEXP E0, SEXP Z0, SEXP s_out, SEXP tol,
                SEXP max_steps, SEXP progress, SEXP blas);
SEXP C_flow_blas_faster(void);
SEXP C_dln_rhs(SEXP logcp, SEXP logcm, SEXP L, SEXP kappa, SEXP s, SEXP E);
SEXP C_dln_gd(SEXP M, SEXP X, SEXP Xt, SEXP y, SEXP r, SEXP logcp,
              SEXP logcm, SEXP L, SEXP kappa, SEXP u2, SEXP step, SEXP batch,
              SEXP k_out, SEXP state0, SEXP progress);
SEXP C_matvec_loop(SEXP M, SEXP x, SEXP reps, SEXP general);
SEXP C_dln_limit(SEXP M, SEXP r, SEXP kappa, SEXP onesided, SEXP max_phases,
                 SEXP tol);
SEXP C_cd_path(SEXP x, SEXP sparse, SEXP M, SEXP r, SEXP y, SEXP sw,
               SEXP center, SEXP scale, SEXP c, SEXP cnull, SEXP w, SEXP lo,
               SEXP hi, SEXP lambda, SEXP nlambda, SEXP lmr, SEXP control,
               SEXP b0, SEXP lam0);
SEXP C_col_moments(SEXP x, SEXP sparse, SEXP dims, SEXP weights);
SEXP C_simd_available(void);

#endif
