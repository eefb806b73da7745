/* The dense kernels of kernels.h, in two builds.
 *
 * Portable: plain C99 that keeps several independent sums (so that the
 * additions pipeline) and reuses each loaded element in several products;
 * GCC >= 12 at -O2 packs it into two-lane SSE2 code on x86-64. It is 2 to
 * 4 times faster than the reference BLAS, whose inner loops are single
 * chains of scalar additions.
 *
 * AVX2 + FMA: the same loops on four-lane vectors with fused multiply-adds,
 * compiled for that instruction set by a function attribute (the package's
 * own flags stay the user's) and used only when the CPU reports both
 * (__builtin_cpu_supports checks the OS support too). On the AMD EPYC of
 * inst/bench the cross products of a 1000 x 100 block run at 24 GFMA/s
 * against 12 for the portable build, and 20 against 10 at 5000 x 1000,
 * where the portable build is itself 2.3 times the reference dsyrk.
 *
 * The cross products work on chunks of CHUNK rows, so that the columns of
 * one block of b stay in the first-level cache while every block of a
 * passes over them. */
#include <math.h>
#include <string.h>
#include "kernels.h"

/* DLNPATH_PORTABLE builds the portable kernels only (as on other CPUs) */
#if (defined(__GNUC__) || defined(__clang__)) && defined(__x86_64__) && \
    !defined(DLNPATH_PORTABLE)
#define KERN_X86 1
#include <immintrin.h>
#define KERN_AVX2 __attribute__((target("avx2,fma")))
/* unrolled loops over a group of columns keep their sums in registers */
#ifdef __clang__
#define UNROLL _Pragma("unroll")
#else
#define UNROLL _Pragma("GCC unroll 8")
#endif
#endif

#define CHUNK 512

int kern_simd = 0;
static int simd_ok = 0;

void kern_init(void)
{
#ifdef KERN_X86
    __builtin_cpu_init();
    simd_ok = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#endif
    kern_simd = simd_ok;
}

int kern_simd_available(void)
{
    return simd_ok;
}

void kern_select(int use)
{
    kern_simd = use && simd_ok;
}

/* ------------------------------------------------------------ portable */

static void dots_c(int n, int m, const double *const *x, const double *y,
                   double scale, double *out)
{
    int k = 0;
    for (; k + 4 <= m; k += 4) {
        const double *a = x[k], *b = x[k + 1], *c = x[k + 2], *d = x[k + 3];
        double s[4][2] = {{0.0, 0.0}};
        int i = 0;
        for (; i + 2 <= n; i += 2) {
            for (int t = 0; t < 2; t++) {
                double yi = y[i + t];
                s[0][t] += a[i + t] * yi;
                s[1][t] += b[i + t] * yi;
                s[2][t] += c[i + t] * yi;
                s[3][t] += d[i + t] * yi;
            }
        }
        if (i < n) {
            s[0][0] += a[i] * y[i];
            s[1][0] += b[i] * y[i];
            s[2][0] += c[i] * y[i];
            s[3][0] += d[i] * y[i];
        }
        for (int t = 0; t < 4; t++) out[k + t] = scale * (s[t][0] + s[t][1]);
    }
    /* the rest in the same order (two halves), so that equal columns give
     * equal products wherever they sit */
    for (; k < m; k++) {
        const double *a = x[k];
        double s0 = 0.0, s1 = 0.0;
        int i = 0;
        for (; i + 2 <= n; i += 2) {
            s0 += a[i] * y[i];
            s1 += a[i + 1] * y[i + 1];
        }
        if (i < n) s0 += a[i] * y[i];
        out[k] = scale * (s0 + s1);
    }
}

void kern_symv_small(int p, const double *restrict M, const double *restrict x,
                     double *restrict y)
{
    int i = 0;
    for (; i + 3 < p; i += 4) {
        /* rows i..i+3 of M are its columns, by symmetry */
        const double *M0 = M + (size_t) i * p, *M1 = M0 + p, *M2 = M1 + p,
            *M3 = M2 + p;
        double a0 = 0.0, a1 = 0.0, a2 = 0.0, a3 = 0.0;
        for (int j = 0; j < p; j++) {
            double xj = x[j];
            a0 += M0[j] * xj;
            a1 += M1[j] * xj;
            a2 += M2[j] * xj;
            a3 += M3[j] * xj;
        }
        y[i] = a0;
        y[i + 1] = a1;
        y[i + 2] = a2;
        y[i + 3] = a3;
    }
    for (; i < p; i++) {
        const double *Mi = M + (size_t) i * p;
        double acc = 0.0;
        for (int j = 0; j < p; j++) acc += Mi[j] * x[j];
        y[i] = acc;
    }
}

/* Four columns per pass over out (one load and store of out per four
 * products), rows in pairs. */
static void gaxpy_c(int n, int m, const double *const *x, const double *c,
                    double *restrict out)
{
    int j = 0;
    for (; j + 4 <= m; j += 4) {
        const double *restrict x0 = x[j], *restrict x1 = x[j + 1],
            *restrict x2 = x[j + 2], *restrict x3 = x[j + 3];
        const double c0 = c[j], c1 = c[j + 1], c2 = c[j + 2], c3 = c[j + 3];
        int i = 0;
        for (; i + 2 <= n; i += 2) {
            double o0 = out[i], o1 = out[i + 1];
            o0 += c0 * x0[i] + c1 * x1[i] + c2 * x2[i] + c3 * x3[i];
            o1 += c0 * x0[i + 1] + c1 * x1[i + 1] + c2 * x2[i + 1] +
                  c3 * x3[i + 1];
            out[i] = o0;
            out[i + 1] = o1;
        }
        if (i < n) out[i] += c0 * x0[i] + c1 * x1[i] + c2 * x2[i] + c3 * x3[i];
    }
    for (; j < m; j++) {
        const double *restrict x0 = x[j];
        const double c0 = c[j];
        for (int i = 0; i < n; i++) out[i] += c0 * x0[i];
    }
}

/* out[0..1][0..3] (ld) += the 2 x 4 block a[0..1]'b[0..3]: each loaded
 * element is used in 4 or 2 products, each sum kept in two halves (even
 * and odd rows). */
static void block_c(int n, const double *const *a, const double *const *b,
                    double *out, int ld)
{
    const double *a0 = a[0], *a1 = a[1];
    const double *b0 = b[0], *b1 = b[1], *b2 = b[2], *b3 = b[3];
    double s[8][2] = {{0.0, 0.0}};
    int i = 0;
    for (; i + 2 <= n; i += 2) {
        for (int t = 0; t < 2; t++) {
            double x0 = a0[i + t], x1 = a1[i + t];
            double y0 = b0[i + t], y1 = b1[i + t], y2 = b2[i + t], y3 = b3[i + t];
            s[0][t] += x0 * y0; s[1][t] += x0 * y1; s[2][t] += x0 * y2; s[3][t] += x0 * y3;
            s[4][t] += x1 * y0; s[5][t] += x1 * y1; s[6][t] += x1 * y2; s[7][t] += x1 * y3;
        }
    }
    if (i < n) {
        s[0][0] += a0[i] * b0[i]; s[1][0] += a0[i] * b1[i];
        s[2][0] += a0[i] * b2[i]; s[3][0] += a0[i] * b3[i];
        s[4][0] += a1[i] * b0[i]; s[5][0] += a1[i] * b1[i];
        s[6][0] += a1[i] * b2[i]; s[7][0] += a1[i] * b3[i];
    }
    for (int c = 0; c < 4; c++) {
        out[(size_t) c * ld] += s[c][0] + s[c][1];
        out[(size_t) c * ld + 1] += s[4 + c][0] + s[4 + c][1];
    }
}

/* ---------------------------------------------------------- AVX2 + FMA */

#ifdef KERN_X86

KERN_AVX2 static inline double hsum(__m256d v)
{
    __m128d lo = _mm256_castpd256_pd128(v), hi = _mm256_extractf128_pd(v, 1);
    lo = _mm_add_pd(lo, hi);
    return _mm_cvtsd_f64(_mm_add_sd(lo, _mm_unpackhi_pd(lo, lo)));
}

/* Every inner product of the vector build sums in one order: row i into
 * lane i mod 4 of one accumulator, the lanes as (0 + 2) + (1 + 3), then the
 * last n mod 4 rows in turn. Equal columns then give equal products
 * wherever they sit in a block (a network fitted on duplicated columns
 * splits them exactly, since the Gram matrix stays exactly symmetric
 * in them). Parallelism comes from several columns per pass. */
KERN_AVX2 double kern_dot_simd(int n, const double *x, const double *y)
{
    __m256d s0 = _mm256_setzero_pd();
    int i = 0;
    for (; i + 4 <= n; i += 4)
        s0 = _mm256_fmadd_pd(_mm256_loadu_pd(x + i), _mm256_loadu_pd(y + i), s0);
    double t = hsum(s0);
    for (; i < n; i++) t = fma(x[i], y[i], t);
    return t;
}

/* g = 8 or 4 columns c[0..g) per pass over y (as many independent chains),
 * t[r] = c[r]'y; inlined with g constant, so the sums stay in registers */
KERN_AVX2 static inline __attribute__((always_inline)) void
dots_group(int n, int g, const double *const *c, const double *y, double *t)
{
    __m256d acc[8];
    UNROLL for (int r = 0; r < g; r++) acc[r] = _mm256_setzero_pd();
    int i = 0;
    for (; i + 4 <= n; i += 4) {
        __m256d yi = _mm256_loadu_pd(y + i);
        UNROLL for (int r = 0; r < g; r++)
            acc[r] = _mm256_fmadd_pd(_mm256_loadu_pd(c[r] + i), yi, acc[r]);
    }
    UNROLL for (int r = 0; r < g; r++) t[r] = hsum(acc[r]);
    for (; i < n; i++)
        UNROLL for (int r = 0; r < g; r++) t[r] = fma(c[r][i], y[i], t[r]);
}

/* Eight columns per pass, then a group of four; a last partial group
 * repeats its first column in the empty places. */
KERN_AVX2 static void dots_avx(int n, int m, const double *const *x,
                               const double *y, double scale, double *out)
{
    for (int k = 0; k < m;) {
        const int rest = m - k, g = rest > 4 ? 8 : 4, take = rest < g ? rest : g;
        const double *c[8];
        double t[8];
        for (int r = 0; r < g; r++) c[r] = x[k + (r < take ? r : 0)];
        if (g == 8) dots_group(n, 8, c, y, t);
        else dots_group(n, 4, c, y, t);
        for (int r = 0; r < take; r++) out[k + r] = scale * t[r];
        k += take;
    }
}

KERN_AVX2 static void gaxpy_avx(int n, int m, const double *const *x,
                                const double *c, double *out)
{
    int j = 0;
    for (; j + 4 <= m; j += 4) {
        const double *x0 = x[j], *x1 = x[j + 1], *x2 = x[j + 2], *x3 = x[j + 3];
        const __m256d c0 = _mm256_set1_pd(c[j]), c1 = _mm256_set1_pd(c[j + 1]),
                      c2 = _mm256_set1_pd(c[j + 2]), c3 = _mm256_set1_pd(c[j + 3]);
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            __m256d o = _mm256_loadu_pd(out + i);
            o = _mm256_fmadd_pd(c0, _mm256_loadu_pd(x0 + i), o);
            o = _mm256_fmadd_pd(c1, _mm256_loadu_pd(x1 + i), o);
            o = _mm256_fmadd_pd(c2, _mm256_loadu_pd(x2 + i), o);
            o = _mm256_fmadd_pd(c3, _mm256_loadu_pd(x3 + i), o);
            _mm256_storeu_pd(out + i, o);
        }
        /* the last rows as the vector lanes: the same chain of FMAs */
        for (; i < n; i++)
            out[i] = fma(c[j + 3], x3[i], fma(c[j + 2], x2[i],
                         fma(c[j + 1], x1[i], fma(c[j], x0[i], out[i]))));
    }
    for (; j < m; j++) {
        const double *x0 = x[j];
        const __m256d c0 = _mm256_set1_pd(c[j]);
        int i = 0;
        for (; i + 4 <= n; i += 4)
            _mm256_storeu_pd(out + i, _mm256_fmadd_pd(c0, _mm256_loadu_pd(x0 + i),
                                                      _mm256_loadu_pd(out + i)));
        for (; i < n; i++) out[i] = fma(c[j], x0[i], out[i]);
    }
}

/* out (ld) += the 4 x 3 block a[0..3]'b[0..3): twelve four-lane sums, each
 * loaded vector used in three or four FMAs. */
KERN_AVX2 static void block_avx(int n, const double *const *a,
                                const double *const *b, double *out, int ld)
{
    const double *a0 = a[0], *a1 = a[1], *a2 = a[2], *a3 = a[3];
    const double *b0 = b[0], *b1 = b[1], *b2 = b[2];
    __m256d s00 = _mm256_setzero_pd(), s10 = s00, s20 = s00, s30 = s00;
    __m256d s01 = s00, s11 = s00, s21 = s00, s31 = s00;
    __m256d s02 = s00, s12 = s00, s22 = s00, s32 = s00;
    int i = 0;
    for (; i + 4 <= n; i += 4) {
        __m256d x0 = _mm256_loadu_pd(a0 + i), x1 = _mm256_loadu_pd(a1 + i),
                x2 = _mm256_loadu_pd(a2 + i), x3 = _mm256_loadu_pd(a3 + i);
        __m256d y = _mm256_loadu_pd(b0 + i);
        s00 = _mm256_fmadd_pd(x0, y, s00); s10 = _mm256_fmadd_pd(x1, y, s10);
        s20 = _mm256_fmadd_pd(x2, y, s20); s30 = _mm256_fmadd_pd(x3, y, s30);
        y = _mm256_loadu_pd(b1 + i);
        s01 = _mm256_fmadd_pd(x0, y, s01); s11 = _mm256_fmadd_pd(x1, y, s11);
        s21 = _mm256_fmadd_pd(x2, y, s21); s31 = _mm256_fmadd_pd(x3, y, s31);
        y = _mm256_loadu_pd(b2 + i);
        s02 = _mm256_fmadd_pd(x0, y, s02); s12 = _mm256_fmadd_pd(x1, y, s12);
        s22 = _mm256_fmadd_pd(x2, y, s22); s32 = _mm256_fmadd_pd(x3, y, s32);
    }
    double t[3][4] = {
        {hsum(s00), hsum(s10), hsum(s20), hsum(s30)},
        {hsum(s01), hsum(s11), hsum(s21), hsum(s31)},
        {hsum(s02), hsum(s12), hsum(s22), hsum(s32)}};
    for (; i < n; i++)
        for (int c = 0; c < 3; c++) {
            const double y = b[c][i];
            t[c][0] = fma(a0[i], y, t[c][0]);
            t[c][1] = fma(a1[i], y, t[c][1]);
            t[c][2] = fma(a2[i], y, t[c][2]);
            t[c][3] = fma(a3[i], y, t[c][3]);
        }
    for (int c = 0; c < 3; c++)
        for (int r = 0; r < 4; r++) out[r + (size_t) c * ld] += t[c][r];
}

#else

double kern_dot_simd(int n, const double *x, const double *y)
{
    return kern_dot4(n, x, y);
}

#endif

/* ------------------------------------------------------------ dispatch */

void kern_dots(int n, int m, const double *const *x, const double *y,
               double scale, double *out)
{
#ifdef KERN_X86
    if (kern_simd) {
        dots_avx(n, m, x, y, scale, out);
        return;
    }
#endif
    dots_c(n, m, x, y, scale, out);
}

void kern_gaxpy(int n, int m, const double *const *x, const double *c,
                double *out)
{
#ifdef KERN_X86
    if (kern_simd) {
        gaxpy_avx(n, m, x, c, out);
        return;
    }
#endif
    gaxpy_c(n, m, x, c, out);
}

typedef void (*block_fn)(int n, const double *const *a, const double *const *b,
                         double *out, int ld);

/* rows of column j that kern_cross must fill */
static int rows_needed(int off, int na, int j)
{
    return off >= 0 && off + j + 1 < na ? off + j + 1 : na;
}

void kern_cross(int n, int na, const double *const *a, int nb,
                const double *const *b, int off, double scale, double *out,
                int ld)
{
    /* the block kernel's shape: ra columns of a by rb of b */
    block_fn blk = block_c;
    int ra = 2, rb = 4;
#ifdef KERN_X86
    if (kern_simd) {
        blk = block_avx;
        ra = 4;
        rb = 3;
    }
#endif
    const double *ac[4], *bc[4];
    double t[4];
    /* the rows the blocks of each column reach (those of its last column) */
#define REACH(j) rows_needed(off, na, ((j) / rb) * rb + rb <= nb ? ((j) / rb) * rb + rb - 1 : nb - 1)
    for (int j = 0; j < nb; j++)
        memset(out + (size_t) j * ld, 0, (size_t) REACH(j) * sizeof(double));
    for (int i0 = 0; i0 < n; i0 += CHUNK) {
        const int len = n - i0 < CHUNK ? n - i0 : CHUNK;
        for (int jb = 0; jb < nb; jb += rb) {
            const int w = nb - jb < rb ? nb - jb : rb;
            int ia = 0;
            if (w == rb) {
                const int rows = REACH(jb);
                for (int c = 0; c < rb; c++) bc[c] = b[jb + c] + i0;
                for (; ia + ra <= rows; ia += ra) {
                    for (int r = 0; r < ra; r++) ac[r] = a[ia + r] + i0;
                    blk(len, ac, bc, out + ia + (size_t) jb * ld, ld);
                }
            }
            /* what the blocks left: rows ia.. of these columns, by dots */
            for (int j = jb; j < jb + w; j++) {
                const int rows = REACH(j);
                for (int i = ia; i < rows; i += 4) {
                    const int k = rows - i < 4 ? rows - i : 4;
                    for (int r = 0; r < k; r++) ac[r] = a[i + r] + i0;
                    kern_dots(len, k, ac, b[j] + i0, 1.0, t);
                    for (int r = 0; r < k; r++) out[i + r + (size_t) j * ld] += t[r];
                }
            }
        }
    }
    if (scale != 1.0)
        for (int j = 0; j < nb; j++) {
            double *o = out + (size_t) j * ld;
            const int rows = REACH(j);
            for (int i = 0; i < rows; i++) o[i] *= scale;
        }
#undef REACH
}
