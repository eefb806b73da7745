#include <R.h>
#include <R_ext/Utils.h>
#include <math.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include "linalg.h"
#include "gram.h"

/* The eight inner products of four vectors a0..a3 with two vectors b0, b1
 * (length n): t[q] = a_q'b0, t[4 + q] = a_q'b1. The hot loop of the Gram
 * matrix and of the products in X mode. With SSE2 (every x86-64) pairs of
 * observations go through packed registers: twice the arithmetic per
 * instruction that -O2 would give. */
static void dot_block(int n, const double *a0, const double *a1,
                      const double *a2, const double *a3, const double *b0,
                      const double *b1, double t[8])
{
    int l = 0;
    for (int q = 0; q < 8; q++) t[q] = 0.0;
#if defined(__SSE2__)
    __m128d c00 = _mm_setzero_pd(), c10 = c00, c20 = c00, c30 = c00,
        c01 = c00, c11 = c00, c21 = c00, c31 = c00;
    for (; l + 1 < n; l += 2) {
        __m128d y0 = _mm_loadu_pd(b0 + l), y1 = _mm_loadu_pd(b1 + l);
        __m128d x0 = _mm_loadu_pd(a0 + l), x1 = _mm_loadu_pd(a1 + l),
            x2 = _mm_loadu_pd(a2 + l), x3 = _mm_loadu_pd(a3 + l);
        c00 = _mm_add_pd(c00, _mm_mul_pd(x0, y0));
        c10 = _mm_add_pd(c10, _mm_mul_pd(x1, y0));
        c20 = _mm_add_pd(c20, _mm_mul_pd(x2, y0));
        c30 = _mm_add_pd(c30, _mm_mul_pd(x3, y0));
        c01 = _mm_add_pd(c01, _mm_mul_pd(x0, y1));
        c11 = _mm_add_pd(c11, _mm_mul_pd(x1, y1));
        c21 = _mm_add_pd(c21, _mm_mul_pd(x2, y1));
        c31 = _mm_add_pd(c31, _mm_mul_pd(x3, y1));
    }
    double h[16];
    _mm_storeu_pd(h, c00); _mm_storeu_pd(h + 2, c10);
    _mm_storeu_pd(h + 4, c20); _mm_storeu_pd(h + 6, c30);
    _mm_storeu_pd(h + 8, c01); _mm_storeu_pd(h + 10, c11);
    _mm_storeu_pd(h + 12, c21); _mm_storeu_pd(h + 14, c31);
    for (int q = 0; q < 8; q++) t[q] = h[2 * q] + h[2 * q + 1];
#endif
    for (; l < n; l++) {
        double y0 = b0[l], y1 = b1[l];
        t[0] += a0[l] * y0; t[1] += a1[l] * y0;
        t[2] += a2[l] * y0; t[3] += a3[l] * y0;
        t[4] += a0[l] * y1; t[5] += a1[l] * y1;
        t[6] += a2[l] * y1; t[7] += a3[l] * y1;
    }
}

/* out1[k] <- scale * X[:, c_k]'u1 and out2[k] <- scale * X[:, c_k]'u2 for
 * k < m, c_k = idx[k] (or k when idx is NULL); X is n x (any), column-major.
 * Four columns at a time; u2 may be NULL (then out2 is not written). */
static void dots(int n, const double *X, const int *idx, int m,
                 const double *u1, const double *u2, double scale,
                 double *out1, double *out2)
{
    int k = 0;
    double t[8];
    for (; k + 3 < m; k += 4) {
        const double *x0 = X + (size_t) (idx ? idx[k] : k) * n;
        const double *x1 = X + (size_t) (idx ? idx[k + 1] : k + 1) * n;
        const double *x2 = X + (size_t) (idx ? idx[k + 2] : k + 2) * n;
        const double *x3 = X + (size_t) (idx ? idx[k + 3] : k + 3) * n;
        dot_block(n, x0, x1, x2, x3, u1, u2 ? u2 : u1, t);
        for (int q = 0; q < 4; q++) {
            out1[k + q] = scale * t[q];
            if (u2) out2[k + q] = scale * t[4 + q];
        }
    }
    for (; k < m; k++) {
        const double *x0 = X + (size_t) (idx ? idx[k] : k) * n;
        double s0 = 0.0, t0 = 0.0;
        for (int i = 0; i < n; i++) {
            s0 += x0[i] * u1[i];
            if (u2) t0 += x0[i] * u2[i];
        }
        out1[k] = scale * s0;
        if (u2) out2[k] = scale * t0;
    }
}

/* out1 <- sum_k v1[k] C[:, A[k]] and out2 likewise with v2, for columns of
 * length len (leading dimension len) of C. Four columns per sweep. */
static void combine2(int len, const double *restrict C, const int *A, int m,
                     const double *v1, const double *v2,
                     double *restrict out1, double *restrict out2)
{
    for (int i = 0; i < len; i++) out1[i] = out2[i] = 0.0;
    int k = 0;
    for (; k + 3 < m; k += 4) {
        const double *restrict c0 = C + (size_t) A[k] * len;
        const double *restrict c1 = C + (size_t) A[k + 1] * len;
        const double *restrict c2 = C + (size_t) A[k + 2] * len;
        const double *restrict c3 = C + (size_t) A[k + 3] * len;
        double p0 = v1[k], p1 = v1[k + 1], p2 = v1[k + 2], p3 = v1[k + 3];
        double q0 = v2[k], q1 = v2[k + 1], q2 = v2[k + 2], q3 = v2[k + 3];
        int i = 0;
        for (; i + 1 < len; i += 2) {   /* pairs: packed by -O2's vectorizer */
            out1[i] += p0 * c0[i] + p1 * c1[i] + p2 * c2[i] + p3 * c3[i];
            out1[i + 1] += p0 * c0[i + 1] + p1 * c1[i + 1] + p2 * c2[i + 1] + p3 * c3[i + 1];
            out2[i] += q0 * c0[i] + q1 * c1[i] + q2 * c2[i] + q3 * c3[i];
            out2[i + 1] += q0 * c0[i + 1] + q1 * c1[i + 1] + q2 * c2[i + 1] + q3 * c3[i + 1];
        }
        for (; i < len; i++) {
            out1[i] += p0 * c0[i] + p1 * c1[i] + p2 * c2[i] + p3 * c3[i];
            out2[i] += q0 * c0[i] + q1 * c1[i] + q2 * c2[i] + q3 * c3[i];
        }
    }
    for (; k < m; k++) {
        const double *restrict c0 = C + (size_t) A[k] * len;
        double p0 = v1[k], q0 = v2[k];
        for (int i = 0; i < len; i++) {
            out1[i] += p0 * c0[i];
            out2[i] += q0 * c0[i];
        }
    }
}

void gram_init(gram_op *G, int p, int n, const double *M, const double *X)
{
    G->p = p;
    G->n = n;
    G->M = M;
    G->X = X;
    G->diag = (double *) R_alloc((size_t) (p > 0 ? p : 1), sizeof(double));
    G->u = NULL;
    if (M) {
        for (int j = 0; j < p; j++) G->diag[j] = M[(size_t) j * p + j];
    } else {
        G->u = (double *) R_alloc((size_t) 2 * (n > 0 ? n : 1), sizeof(double));
        for (int j = 0; j < p; j++) {
            const double *xj = X + (size_t) j * n;
            double s = 0.0;
            for (int i = 0; i < n; i++) s += xj[i] * xj[i];
            G->diag[j] = s / n;
        }
    }
}

void gram_scaled(gram_op *G, const gram_op *G0, const int *e)
{
    const int p = G0->p, n = G0->n;
    double *s = (double *) R_alloc((size_t) (p > 0 ? p : 1), sizeof(double));
    for (int j = 0; j < p; j++) s[j] = ldexp(1.0, e[j]);
    if (G0->M) {
        double *M = (double *) R_alloc((size_t) p * p, sizeof(double));
        for (int j = 0; j < p; j++) {
            const double *src = G0->M + (size_t) j * p;
            double *dst = M + (size_t) j * p;
            for (int i = 0; i < p; i++) dst[i] = src[i] * s[i] * s[j];
        }
        gram_init(G, p, 0, M, NULL);
    } else {
        double *X = (double *) R_alloc((size_t) n * p, sizeof(double));
        for (int j = 0; j < p; j++) {
            const double *src = G0->X + (size_t) j * n;
            double *dst = X + (size_t) j * n;
            for (int i = 0; i < n; i++) dst[i] = src[i] * s[j];
        }
        gram_init(G, p, n, NULL, X);
    }
}

void gram_entries(const gram_op *G, const int *A, int m, int j, double *out)
{
    if (G->M) {
        const double *col = G->M + (size_t) j * G->p;
        for (int k = 0; k < m; k++) out[k] = col[A[k]];
        return;
    }
    dots(G->n, G->X, A, m, G->X + (size_t) j * G->n, NULL, 1.0 / G->n,
         out, NULL);
}

void gram_mv2(const gram_op *G, const int *A, int m, const double *v1,
              const double *v2, double *out1, double *out2)
{
    if (G->M) {
        combine2(G->p, G->M, A, m, v1, v2, out1, out2);
        return;
    }
    const int n = G->n;
    combine2(n, G->X, A, m, v1, v2, G->u, G->u + n);
    dots(n, G->X, NULL, G->p, G->u, G->u + n, 1.0 / n, out1, out2);
}

/* Four rows by two columns of X'X per pass over the n observations: each
 * loaded element feeds two or four products. */
void gram_matrix(int n, int p, const double *X, double *M)
{
    const double s = 1.0 / n;
    double t[8];
    for (int j = 0; j < p; j += 2) {
        if (j % 256 == 0) R_CheckUserInterrupt();
        const int two = j + 1 < p;
        const double *b0 = X + (size_t) j * n;
        const double *b1 = two ? b0 + n : b0;
        const int top = j + two;            /* rows 0..top of these columns */
        int i = 0;
        for (; i + 3 <= top; i += 4) {
            const double *a0 = X + (size_t) i * n;
            dot_block(n, a0, a0 + n, a0 + 2 * n, a0 + 3 * n, b0, b1, t);
            double *m0 = M + (size_t) j * p + i;
            for (int q = 0; q < 4; q++) m0[q] = s * t[q];
            if (two)
                for (int q = 0; q < 4; q++) m0[p + q] = s * t[4 + q];
        }
        for (; i <= top; i++) {
            const double *a0 = X + (size_t) i * n;
            double s0 = 0.0, s1 = 0.0;
            for (int l = 0; l < n; l++) {
                s0 += a0[l] * b0[l];
                s1 += a0[l] * b1[l];
            }
            M[(size_t) j * p + i] = s * s0;
            if (two) M[(size_t) (j + 1) * p + i] = s * s1;
        }
    }
    for (int j = 0; j < p; j++)
        for (int i = j + 1; i < p; i++)
            M[(size_t) j * p + i] = M[(size_t) i * p + j];
}

void gram_mv(const gram_op *G, const double *v, double *out)
{
    int p = G->p, n = G->n;
    if (G->M) {
        if (p <= SMALL_SYM_MV) small_sym_mv(p, G->M, v, out);
        else sym_mv(p, G->M, v, out);
        return;
    }
    const double one = 1.0, zero = 0.0, alpha = 1.0 / n;
    const int inc = 1;
    F77_CALL(dgemv)("N", &n, &p, &one, G->X, &n, v, &inc, &zero, G->u,
                    &inc FCONE);
    F77_CALL(dgemv)("T", &n, &p, &alpha, G->X, &n, G->u, &inc, &zero, out,
                    &inc FCONE);
}
