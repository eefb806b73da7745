/* glmnet's preparation of a design, one column at a time. */
#ifndef DLNPATH_PREPARE_H
#define DLNPATH_PREPARE_H

/* For each column j of the n x p matrix x: center[j] = its mean when
 * intercept (else 0); scale[j] = its centred 1/n standard deviation when
 * standardize (else 1); constant[j] = 1 when all its entries are equal
 * (then scale[j] = 1 and the column of xs is 0). A zero sd also gives
 * scale 1. xs = (x - center) / scale. */
void standardize_columns(int n, int p, const double *x, int intercept,
                         int standardize, double *xs, double *center,
                         double *scale, int *constant);

#endif
