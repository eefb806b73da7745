/* Cheap re-checks of what R hands to the C entry points: type, shape and
 * finiteness. R validates first with classed errors; these only make sure
 * that a direct .Call with bad arguments errors instead of crashing. */
#ifndef DLNPATH_CHECK_H
#define DLNPATH_CHECK_H

#include <Rinternals.h>

/* A double vector of length len (len < 0: any length), all finite. */
const double *check_real(SEXP x, const char *name, R_xlen_t len);
/* A double matrix with the given dimensions (negative: any), all finite. */
const double *check_matrix(SEXP x, const char *name, int nrow, int ncol);
int check_int(SEXP x, const char *name, int lo, int hi);
double check_num(SEXP x, const char *name, double lo, double hi);
int check_flag(SEXP x, const char *name);
/* Logs of weights: a double vector of length p, finite or -Inf. */
const double *check_logc(SEXP x, const char *name, int p);

/* Option dlnpath.simd (TRUE, FALSE or unset): whether the dense kernels
 * use their AVX2 + FMA build where the CPU has it (kernels.h). Read by every
 * entry point that calls them. */
void check_simd_option(void);

#endif
