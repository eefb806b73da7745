/* .Call entries of the coordinate-descent path: check, set up the design
 * (dense copy, sparse parts, or the Gram form), run the kernel, return a
 * plain list. */
#include <R.h>
#include <Rinternals.h>
#include <string.h>
#include "check.h"
#include "cd.h"
#include "dlnpath.h"

/* Sparse parts: Xi (row indices, 0-based), Xp (p + 1 column starts), Xx. */
static void check_sparse(SEXP sp, int n, int p, const int **Xi, const int **Xp,
                         const double **Xx)
{
    if (TYPEOF(sp) != VECSXP || XLENGTH(sp) != 3)
        Rf_error("'sparse' must be a list of i, p and x");
    SEXP i = VECTOR_ELT(sp, 0), cp = VECTOR_ELT(sp, 1), x = VECTOR_ELT(sp, 2);
    if (TYPEOF(i) != INTSXP || TYPEOF(cp) != INTSXP || XLENGTH(cp) != p + 1)
        Rf_error("'sparse' must hold integer i and p (length %d)", p + 1);
    const int *ip = INTEGER_RO(cp), *ii = INTEGER_RO(i);
    R_xlen_t nnz = XLENGTH(i);
    if (ip[0] != 0 || ip[p] != nnz) Rf_error("'sparse' column starts are inconsistent");
    for (int j = 0; j < p; j++)
        if (ip[j + 1] < ip[j]) Rf_error("'sparse' column starts must not decrease");
    for (R_xlen_t k = 0; k < nnz; k++)
        if (ii[k] < 0 || ii[k] >= n) Rf_error("'sparse' row index out of range");
    *Xx = check_real(x, "sparse$x", nnz);
    *Xi = ii;
    *Xp = ip;
}

SEXP C_col_moments(SEXP x, SEXP sparse, SEXP dims, SEXP weights)
{
    if (TYPEOF(dims) != INTSXP || XLENGTH(dims) != 2) Rf_error("'dims' must be 2 integers");
    int n = INTEGER_RO(dims)[0], p = INTEGER_RO(dims)[1];
    if (n < 1 || p < 0) Rf_error("'dims' must be positive");
    const double *w = check_real(weights, "weights", n);
    const double *xx = NULL, *Xx = NULL;
    const int *Xi = NULL, *Xp = NULL;
    if (Rf_isNull(sparse)) {
        /* finiteness is reported, not checked: R turns it into its error */
        if (TYPEOF(x) != REALSXP || !Rf_isMatrix(x) || Rf_nrows(x) != n || Rf_ncols(x) != p)
            Rf_error("'x' must be a %d x %d double matrix", n, p);
        xx = REAL_RO(x);
    } else {
        check_sparse(sparse, n, p, &Xi, &Xp, &Xx);
    }
    const char *names[] = {"mean", "sd", "constant", "nonfinite", ""};
    const SEXPTYPE types[] = {REALSXP, REALSXP, LGLSXP, REALSXP};
    const int lens[] = {p, p, p, 1};
    SEXP ans = PROTECT(Rf_mkNamed(VECSXP, names));
    for (int k = 0; k < 4; k++)
        SET_VECTOR_ELT(ans, k, Rf_allocVector(types[k], lens[k]));
    design_moments(n, p, xx, Xi, Xp, Xx, w, REAL(VECTOR_ELT(ans, 0)),
                   REAL(VECTOR_ELT(ans, 1)), LOGICAL(VECTOR_ELT(ans, 2)),
                   REAL(VECTOR_ELT(ans, 3)));
    UNPROTECT(1);
    return ans;
}

static const double *opt_real(SEXP x, const char *name, R_xlen_t len)
{
    return Rf_isNull(x) ? NULL : check_real(x, name, len);
}

/* Box limits may be infinite: only NaN is refused. */
static const double *check_limits(SEXP x, const char *name, int p, int upper)
{
    if (TYPEOF(x) != REALSXP || XLENGTH(x) != p)
        Rf_error("'%s' must be a double vector of length %d", name, p);
    const double *v = REAL_RO(x);
    for (int j = 0; j < p; j++)
        if (ISNAN(v[j]) || (upper ? v[j] < 0.0 : v[j] > 0.0))
            Rf_error("'%s' must be %s 0", name, upper ? ">=" : "<=");
    return v;
}

typedef struct {
    cd_problem *P;
    const cd_control *C;
    const double *dense;      /* raw x to standardize, or NULL */
    const double *lam;
    int nlam;
    double ratio;
    const double *b0;
    double lam0;
    cd_result *out;
} run_args;

/* The path, with its large buffers in the arena (released by `release`
 * whether it returns or an interrupt unwinds it). */
static SEXP run_path(void *data)
{
    run_args *a = data;
    cd_problem *P = a->P;
    if (a->dense) {
        design *D = (design *) P->D;
        double *X = cd_arena_alloc(P->arena, (size_t) P->n * P->p, sizeof(double));
        design_dense(D, P->n, P->p, a->dense, D->center, D->scale, D->sw, X);
    }
    cd_path(P, a->C, a->lam, a->nlam, a->ratio, a->b0, a->lam0, a->out);
    return R_NilValue;
}

static void release(void *data, Rboolean jump)
{
    (void) jump;
    cd_arena_release(data);
}

SEXP C_cd_path(SEXP x, SEXP sparse, SEXP M, SEXP r, SEXP y, SEXP sw,
               SEXP center, SEXP scale, SEXP c, SEXP cnull, SEXP w, SEXP lo,
               SEXP hi, SEXP lambda, SEXP nlambda, SEXP lmr, SEXP control,
               SEXP b0, SEXP lam0)
{
    check_simd_option();
    cd_problem P;
    memset(&P, 0, sizeof P);
    design D;
    const double *dense = NULL;
    if (!Rf_isNull(M)) {
        P.p = Rf_ncols(M);
        P.M = check_matrix(M, "M", P.p, P.p);
        P.r = check_real(r, "r", P.p);
        P.n = 0;
    } else {
        if (TYPEOF(y) != REALSXP || XLENGTH(y) < 1) Rf_error("'y' must be a double vector");
        P.n = (int) XLENGTH(y);
        P.y = check_real(y, "y", P.n);
        const double *s = check_real(sw, "sw", P.n);
        if (Rf_isNull(sparse)) {
            /* R checked x (finite); a full pass here would cost as much as
             * a lambda of the path. Standardized in run_path. */
            if (TYPEOF(x) != REALSXP || !Rf_isMatrix(x) || Rf_nrows(x) != P.n)
                Rf_error("'x' must be a double matrix with %d rows", P.n);
            P.p = Rf_ncols(x);
            dense = REAL_RO(x);
            design_base(&D, P.n, P.p, check_real(center, "center", P.p),
                        check_real(scale, "scale", P.p), s);
        } else {
            P.p = (int) XLENGTH(center);
            const int *Xi, *Xp;
            const double *Xx;
            check_sparse(sparse, P.n, P.p, &Xi, &Xp, &Xx);
            design_sparse(&D, P.n, P.p, Xi, Xp, Xx, check_real(center, "center", P.p),
                          check_real(scale, "scale", P.p), s);
        }
        const double *sc = REAL_RO(scale);
        for (int j = 0; j < P.p; j++)
            if (!(sc[j] > 0.0)) Rf_error("'scale' must be positive");
        P.D = &D;
    }
    const int p = P.p;
    P.c = check_num(c, "c", 0.0, R_PosInf);
    P.cnull = check_num(cnull, "cnull", 0.0, R_PosInf);
    if (TYPEOF(w) != REALSXP || XLENGTH(w) != p)
        Rf_error("'w' must be a double vector of length %d", p);
    for (int j = 0; j < p; j++)
        if (ISNAN(REAL_RO(w)[j]) || REAL_RO(w)[j] < 0.0) Rf_error("'w' must be non-negative");
    P.w = REAL_RO(w);
    P.lo = check_limits(lo, "lo", p, 0);
    P.hi = check_limits(hi, "hi", p, 1);

    if (TYPEOF(control) != VECSXP || XLENGTH(control) != 5)
        Rf_error("'control' must be a list of tol, maxit, mode, early_stop, fdev");
    cd_control C;
    C.tol = check_num(VECTOR_ELT(control, 0), "tol", 0.0, 1.0);
    C.maxit = check_int(VECTOR_ELT(control, 1), "maxit", 1, 2000000000);
    C.mode = check_int(VECTOR_ELT(control, 2), "mode", CD_AUTO, CD_NAIVE);
    C.early_stop = check_flag(VECTOR_ELT(control, 3), "early_stop");
    C.fdev = check_num(VECTOR_ELT(control, 4), "fdev", 0.0, 1.0);

    const double *lam = NULL;
    int nlam;
    if (!Rf_isNull(lambda)) {
        nlam = (int) XLENGTH(lambda);
        lam = check_real(lambda, "lambda", nlam);
        if (nlam < 1) Rf_error("'lambda' must not be empty");
        for (int k = 0; k < nlam; k++)
            if (lam[k] < 0.0 || (k > 0 && lam[k] > lam[k - 1]))
                Rf_error("'lambda' must be non-negative and decreasing");
    } else {
        nlam = check_int(nlambda, "nlambda", 1, 1000000);
    }
    double ratio = check_num(lmr, "lmr", 0.0, 1.0);
    const double *bb = opt_real(b0, "b0", p);
    double l0 = check_num(lam0, "lam0", 0.0, R_PosInf);

    cd_result out;
    const char *names[] = {"lambda", "beta", "gap", "dev", "sweeps",
                           "certified", "lambda_max", "covariance", "df",
                           "lambda_round", ""};
    SEXP ans = PROTECT(Rf_mkNamed(VECSXP, names));
    SEXP lam_s = PROTECT(Rf_allocVector(REALSXP, nlam));
    SEXP beta = PROTECT(Rf_allocMatrix(REALSXP, p, nlam));
    SEXP gap = PROTECT(Rf_allocVector(REALSXP, nlam));
    SEXP dev = PROTECT(Rf_allocVector(REALSXP, nlam));
    SEXP sweeps = PROTECT(Rf_allocVector(INTSXP, nlam));
    SEXP cert = PROTECT(Rf_allocVector(LGLSXP, nlam));
    out.lambda = REAL(lam_s);
    out.beta = REAL(beta);
    out.gap = REAL(gap);
    out.dev = REAL(dev);
    out.sweeps = INTEGER(sweeps);
    out.certified = LOGICAL(cert);

    cd_arena arena = {{NULL}, 0};
    P.arena = &arena;
    run_args a = {&P, &C, dense, lam, nlam, ratio, bb, l0, &out};
    SEXP token = PROTECT(R_MakeUnwindCont());
    R_UnwindProtect(run_path, &a, release, &arena, token);

    /* keep the lambdas fitted (fewer after an early stop) */
    int K = out.nlam;
    SEXP kept[] = {lam_s, beta, gap, dev, sweeps, cert};
    for (int i = 0; i < 6; i++) {
        SEXP v = kept[i];
        if (K < nlam && i == 1) {
            v = Rf_allocMatrix(REALSXP, p, K);
            SET_VECTOR_ELT(ans, i, v);
            if ((size_t) p * K > 0)
                memcpy(REAL(v), REAL(beta), (size_t) p * K * sizeof(double));
        } else {
            SET_VECTOR_ELT(ans, i, K < nlam ? Rf_lengthgets(v, K) : v);
        }
    }
    SET_VECTOR_ELT(ans, 6, Rf_ScalarReal(out.lambda_max));
    SET_VECTOR_ELT(ans, 7, Rf_ScalarLogical(out.covariance));
    SET_VECTOR_ELT(ans, 9, Rf_ScalarReal(out.lambda_round));
    SEXP df = Rf_allocVector(INTSXP, K);
    SET_VECTOR_ELT(ans, 8, df);
    for (int k = 0; k < K; k++) {
        const double *bk = REAL(VECTOR_ELT(ans, 1)) + (size_t) k * p;
        int nz = 0;
        for (int j = 0; j < p; j++) nz += bk[j] != 0.0;
        INTEGER(df)[k] = nz;
    }
    UNPROTECT(8);
    return ans;
}
