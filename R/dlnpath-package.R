#' dlnpath: diagonal linear networks and the lasso regularization path
#'
#' Computes the training trajectory of diagonal linear networks (gradient
#' flow from a small initialization, integrated by a stiff solver that stays
#' cheap as the initialization scale goes to zero) and the exact lasso
#' regularization path, and compares them: the averaged trajectory at
#' rescaled time `s` tracks the lasso at `lambda = 1/s`.
#'
#' Main entry points: [dln()], [lasso_path()], [compare_paths()],
#' [path_monotonicity()], [dln_limit()] (the limit as the initialization
#' scale goes to 0), [epsilon_study()] and [random_instances()] (the paper's
#' study). Data sets: [diabetes], [prostate]. Vignettes: "Getting started
#' with dlnpath", "Reproducing the paper", "Training time as regularization
#' on real data", "dlnpath and glmnet".
#'
#' @section Errors, warnings and degenerate data:
#' Every entry point validates its arguments in R and stops with a condition
#' of class `dlnpath_error_input` (bad input) or `dlnpath_error_numeric` (a
#' computation that cannot be carried out in double precision), both also
#' of class `dlnpath_error`; the field `arg` of the condition names the
#' argument at fault and the message says what would be accepted. Warnings
#' are of class `dlnpath_warning_<kind>` and `dlnpath_warning`: `step_cap`
#' (a path or recursion stopped by its cap), `step` (a gradient-descent step
#' near or beyond stability), `names` (column names repaired), `degenerate`
#' (nothing to fit), `precision` (the exact path at the limit of double
#' precision). The compiled code checks again the type, size and finiteness
#' of what it is given, looks for interrupts (Ctrl-C) in every long loop and
#' allocates only memory that R frees when it is interrupted.
#'
#' * **Data.** `x` is a numeric matrix, a numeric vector (one column) or a
#'   data frame of numeric or logical columns (integer and logical values are
#'   used as doubles); character, factor, list and complex data, sparse
#'   matrices, `NA`, `NaN` and `Inf` are refused (the first offender is
#'   reported as `[row, column]`). `y` is a numeric vector or a one-column
#'   matrix or data frame of length `nrow(x)`. At least 2 rows and 1 column.
#' * **Column names.** Missing, empty or `NA` names become `V<column>`;
#'   duplicated names and a column named `"(Intercept)"` are made unique by
#'   [make.unique()], with a warning. `predict()` matches the columns of
#'   `newx` by name when both have names, by position otherwise.
#' * **Constant response** (with an intercept): there is nothing to fit. The
#'   lasso path is zero (one knot, at `lambda = 0`), the network stays near
#'   its initialization \eqn{b(0) = \epsilon \beta_0 \gamma_0}{b(0) =
#'   epsilon beta0 gamma0} (exactly 0 with the default `gamma0 = 0`; the u2
#'   network starts at \eqn{\epsilon \alpha_0^2}{epsilon alpha0^2} and moves
#'   away from it only as fast as `M b` lets it), and [compare_paths()]
#'   reports relative gaps as `NA`
#'   (the lasso objective is 0) with a `dlnpath_warning_degenerate`. A
#'   response constant up to rounding (within 4 ulps of its mean) is treated
#'   as constant. Without an intercept a constant response is an ordinary
#'   problem.
#' * **Constant and all-zero columns** get coefficient 0 on the whole path,
#'   with or without an intercept, as in glmnet; the network keeps them at
#'   their initialization (\eqn{\epsilon \beta_0 \gamma_0}{epsilon beta0
#'   gamma0}, 0 by default, or \eqn{\epsilon \alpha_0^2}{epsilon alpha0^2}
#'   for `param = "u2"`). A column whose spread is
#'   below the double range (subnormal entries) counts as constant under
#'   `standardize`. **Duplicated columns** (equal after the preparation, up
#'   to sign): the lasso solution is not unique; the exact path gives their
#'   coefficient to the first, `method = "cd"` may share it in any
#'   proportion (the objective and the pair's total are the same), the
#'   network and its limit [dln_limit()] split it equally. **p > n** is
#'   supported throughout.
#' * **Gram input.** `M` must be symmetric and positive semi-definite and `r`
#'   must lie in the range of `M` (otherwise the lasso is unbounded below);
#'   both are checked by one pivoted Cholesky factorization, which also gives
#'   the default constant `c = r'M^+r/2` (see [lasso_path_gram()]).
#' * **Scale.** The lasso path is equivariant: data scaled by `1e150` or
#'   `1e-150` give the same path with `lambda` and the coefficients scaled
#'   (the exact path, without `standardize`, down to `1e-200` and up to
#'   `1e200`). `method = "cd"` squares the data: a response whose sum of
#'   squares exceeds `1e307`, entries of `x` beyond `1e153` without
#'   `standardize`, or entries below `1e-152` stop with a
#'   `dlnpath_error_numeric` (rescale, or use the exact path). The network
#'   refuses `x` whose `X'X/n` underflows (entries below about `1e-152`
#'   without `standardize`).
#'   The network is not invariant to the scale of `y`: scaling `y` by `a`
#'   acts as dividing `epsilon` by `a` (see [dln()]); when `epsilon` is not
#'   small against the coefficients the flow may stop with a
#'   `dlnpath_error_numeric` that says so. Products `X'X/n` or `X'y/n`
#'   beyond the double range (entries beyond about `1e150` without
#'   `standardize`), and rescaled times `s` beyond about `1e-290` or `1e300`,
#'   stop with classed errors that name the remedy.
#'
#' Memory checks (the test suite under valgrind and under AddressSanitizer
#' and UndefinedBehaviorSanitizer, and `gctorture()` on every entry point)
#' run with `make memcheck` from the source tree; see the README.
#'
#' @section Options:
#' * `dlnpath.flow_blas`: whether the gradient flow of [dln()] does its dense
#'   linear algebra (Cholesky factorizations, triangular solves, products
#'   with `M` and `X`) through R's BLAS/LAPACK (`TRUE`) or through its own
#'   written-out loops (`FALSE`). Unset (`NULL`, the default), the faster of
#'   the two with the BLAS R uses is timed once per session (about 0.03 s):
#'   an optimized BLAS such as OpenBLAS wins (a flow at `epsilon = 1e-5` on
#'   a 100 x 200 design is 1.8 times faster), the reference BLAS loses (2.6
#'   times slower than the loops). The two give the same results to
#'   rounding; set the option for results reproducible to the last bit
#'   across sessions.
#' * `dlnpath.simd`: whether the dense kernels every method spends its time
#'   in (inner products, column combinations, Gram matrices) use their AVX2
#'   and FMA build on x86-64 processors that have those instructions
#'   (`TRUE` or unset, the default) or their portable build (`FALSE`). The
#'   vector build is about twice as fast (a Gram matrix of a 5000 x 1000
#'   design: 0.097 s against 0.20 s, and 1.49 s with the reference BLAS's
#'   `dsyrk`); the two agree to rounding, not to the last bit, so set `FALSE`
#'   for results identical across machines with and without these
#'   instructions. Read at every call.
#'
#' @references Berthier, R. (2025). Diagonal linear networks and the lasso
#'   regularization path. arXiv:2509.18766.
#' @examples
#' x <- as.matrix(diabetes[, 1:10])
#' cmp <- compare_paths(dln(x, diabetes$y, epsilon = 1e-30))
#' summary(cmp)
#' @keywords internal
#' @useDynLib dlnpath, .registration = TRUE, .fixes = "C_"
#' @importFrom stats coef predict
"_PACKAGE"

utils::globalVariables(".data")
