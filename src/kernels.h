/* The dense inner loops the solvers spend their time in: inner products,
 * column combinations and cross-product (Gram) blocks. Each exists twice in
 * kernels.c: portable C99, and an AVX2 + FMA build (x86-64 with GCC or
 * clang) chosen at load time when the CPU has both, about twice as fast
 * (see kernels.c). Results of the two agree to rounding, not bit for bit.
 * Columns are given by pointers, so that subsets of columns, and rows
 * i0.. of them, need no copies. */
#ifndef DLNPATH_KERNELS_H
#define DLNPATH_KERNELS_H

/* nonzero when the AVX2 + FMA builds are in use */
extern int kern_simd;

/* Detect the CPU (from R_init_dlnpath). */
void kern_init(void);
/* Whether the CPU and the compiler allow the AVX2 + FMA builds. */
int kern_simd_available(void);
/* Use them (when available) or not. */
void kern_select(int use);

/* x'y with four partial sums (a single sum is bound by the latency of one
 * addition): the portable kernel, inline for the short products of
 * triangular solves. */
static inline double kern_dot4(int n, const double *x, const double *y)
{
    double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    int i = 0;
    for (; i + 3 < n; i += 4) {
        s0 += x[i] * y[i];
        s1 += x[i + 1] * y[i + 1];
        s2 += x[i + 2] * y[i + 2];
        s3 += x[i + 3] * y[i + 3];
    }
    for (; i < n; i++) s0 += x[i] * y[i];
    return (s0 + s1) + (s2 + s3);
}

/* Below this length the vector build does not pay for the call. */
#define KERN_SHORT 24

double kern_dot_simd(int n, const double *x, const double *y);

/* x'y */
static inline double kern_dot(int n, const double *x, const double *y)
{
    return kern_simd && n >= KERN_SHORT ? kern_dot_simd(n, x, y)
                                        : kern_dot4(n, x, y);
}

/* y <- M x for a symmetric p x p matrix M (full storage) of order at most
 * KERN_SMALL, where calls and horizontal sums of the vector kernels cost
 * more than the products: scalar, four rows at a time (each row summed in
 * turn, the same order for every row). */
#define KERN_SMALL 32
void kern_symv_small(int p, const double *M, const double *x, double *y);

/* out[k] = scale * x[k]'y for k < m (vectors of length n). */
void kern_dots(int n, int m, const double *const *x, const double *y,
               double scale, double *out);

/* out += sum_k c[k] x[k] over k < m (vectors of length n). */
void kern_gaxpy(int n, int m, const double *const *x, const double *c,
                double *out);

/* out[i + j ld] = scale * a[i]'b[j] for i < na, j < nb (vectors of length
 * n). With off >= 0 only the entries with i <= off + j are needed (the
 * upper triangle of a symmetric block whose b columns are a's last ones
 * when off = na - nb); some entries below it, in the same blocks, get
 * their values too. */
void kern_cross(int n, int na, const double *const *a, int nb,
                const double *const *b, int off, double scale, double *out,
                int ld);

#endif
