#' The lasso regularization path
#'
#' Computes the lasso path for the squared loss with glmnet's scaling,
#' \deqn{\frac{1}{2n}\|y - a_0 - X\beta\|^2 + \lambda \sum_j w_j |\beta_j|,}{
#' 1/(2n) ||y - a0 - X b||^2 + lambda sum_j w_j |b_j|,}
#' so that `lambda` means what it means in `glmnet(family = "gaussian")`.
#'
#' `method = "homotopy"` computes the exact path (LARS with the lasso
#' modification): the knots \eqn{\lambda_0 = \max_j |X_j'y|/(n w_j) >
#' \lambda_1 > \dots} where a variable enters or leaves the active set, and
#' the coefficients at each knot. Between knots the coefficients are linear
#' in `lambda`, so [coef.lasso_path()] and [predict.lasso_path()] are exact at
#' any `lambda`. The path ends at `lambda = 0`: the least-squares fit, or,
#' when the columns span the data (`p >= n`), the interpolating fit of
#' minimum l1 norm. `max_knots` stops it earlier, with a warning of class
#' `dlnpath_warning_step_cap`: the number of knots can grow exponentially
#' with `p` on adversarial designs (Mairal and Yu, 2012).
#'
#' At each knot the coefficients are solved afresh from the Cholesky factor
#' of the active Gram block (updated and downdated one column at a time), and
#' the correlations \eqn{X_j'(y - X\beta)/n} are recomputed exactly, so no
#' error accumulates along the path.
#'
#' @section Scales and precision:
#' The path is computed on an equilibrated copy of the problem (columns,
#' response and penalty factors rescaled by exact powers of 2), so it is the
#' same, to rounding, when `x`, `y` or `penalty_factor` are multiplied by
#' any factor that keeps the data finite (tested from `1e-150` to `1e150`).
#' Without standardization a column scaled by `s` is a column with penalty
#' factor `1/s`, and tiny penalty factors make `lambda` span many orders of
#' magnitude (with `penalty_factor = c(1e-12, 1, ...)` the first knot is at
#' `1e13` and the next at 38): every knot is therefore located as a `lambda`
#' value in its own scale, never as a difference from the previous knot. A
#' coefficient whose penalty is too small to resolve the interval where it
#' sits at zero changes sign at one knot (a `"drop"` and an `"enter"` event
#' there). At every knot the kernel checks the optimality conditions; where
#' double precision cannot resolve the path (condition numbers near
#' `1e20`), or a penalty factor is below `1e-270` times the largest (taken as
#' 0), it says so with a warning of class `dlnpath_warning_precision`.
#'
#' @section Degenerate data:
#' * **Ties.** When several variables reach the boundary
#'   \eqn{|X_j'r|/n = \lambda w_j} at the same knot (to a relative `1e-11`),
#'   or leave it, the direction of the path is the solution of a small
#'   sign-constrained quadratic program over them (solved by the
#'   Lawson-Hanson method): exactly those enter whose coefficients can move
#'   with the sign of their correlation, the others stay at zero on the
#'   boundary. Several entries and drops can happen at one knot.
#' * **Collinear columns.** A column that is a linear combination of the
#'   active ones (to about six digits) never needs to enter: its correlation
#'   is the same combination of theirs, so the optimality conditions hold
#'   with its coefficient at zero. When it reaches the boundary it is
#'   recorded as a `"dependent"` event and stays at zero until a variable
#'   leaves the active set. Of exactly duplicated columns, the first one
#'   takes the whole coefficient.
#' * **Constant columns** (zero variance) get coefficient 0 on the whole
#'   path, as in glmnet.
#' * **Unpenalized columns** (`penalty_factor` 0) are fitted by least
#'   squares above the first knot and stay active; with `nonneg = TRUE` they
#'   are constrained to be non-negative too (as `glmnet(lower.limits = 0)`
#'   does), and may then enter and leave like the others. When every
#'   penalty factor is 0 there is no penalty: the path is the single
#'   least-squares fit, one knot at `lambda = 0`.
#'
#' `method = "cd"` solves the lasso on a grid of `lambda` by coordinate
#' descent, as glmnet does, and certifies every solution: its duality gap,
#' relative to the null objective (the loss at zero coefficients,
#' intercept fitted), is at most `tol` (column `gap` of the fit). The default
#' grid is glmnet's: `nlambda` values, log-spaced from `lambda_max` (the
#' smallest `lambda` at which every penalized coefficient is zero, after the
#' unpenalized ones are fitted; with `nonneg` or limits, glmnet's value, the
#' largest \eqn{|X_j'r|/(n w_j)}{|X_j'r| / (n w_j)} whatever the sign, which
#' may exceed it) down to `lambda_min_ratio * lambda_max`, so
#' `fit$lambda` equals `glmnet(x, y)$lambda` (which stops early when the
#' deviance ratio saturates; `early_stop = TRUE` does the same). Warm starts,
#' the sequential strong rule with a KKT check, glmnet's active-set cycling,
#' covariance updates (a cached Gram block) or residual updates (chosen
#' automatically, or by `type`); coordinate descent only has to find the
#' signs of the solution, which is then solved for exactly on them (Cholesky
#' factor of the active block, updated as variables enter and leave), so
#' high accuracy costs little more than low accuracy. Accepts
#' observation weights, box limits and a sparse Matrix `x` (used as a
#' `dgCMatrix`, centred implicitly, never densified). See [coef.lasso_path_cd()] for coefficients
#' off the grid.
#'
#' @param x Numeric matrix (n x p), or a data frame of numeric columns.
#'   Integer and logical columns are coerced.
#' @param y Numeric response of length n (a vector, one-column matrix or
#'   one-column data frame).
#' @param method `"homotopy"`: the exact path; `"cd"`: coordinate descent on
#'   a grid, with a certified duality gap.
#' @param lambda,nlambda,lambda_min_ratio The grid of `method = "cd"`: the
#'   `lambda` values (sorted decreasing, duplicates dropped, with a message if
#'   they were not), or `nlambda` values down to `lambda_min_ratio *
#'   lambda_max` (default `0.01` when `n < p`, else `1e-4`, as glmnet). The
#'   exact path does not need a grid (use `coef(fit, lambda = )`). They are
#'   checked for every method: `lambda` finite and non-negative, `nlambda` a
#'   whole number >= 1, `lambda_min_ratio` in (0, 1).
#' @param nonneg If `TRUE`, coefficients are constrained to be non-negative
#'   (the positive lasso, tracked by `dln(param = "u2")`).
#' @param penalty_factor Non-negative weights \eqn{w_j} per column (default
#'   all 1): 0 leaves a column unpenalized, `Inf` excludes it. Rescaled to sum
#'   to `p` (an excluded column counting 1), as glmnet does.
#' @param standardize Scale columns by their 1/n standard deviation before
#'   fitting (coefficients are always reported on the original scale).
#' @param intercept Fit an unpenalized intercept (centre x and y).
#' @param ... `tol`, for both methods: the accuracy target. For `"cd"`, the
#'   relative duality gap certified at every `lambda` (default `1e-7`;
#'   glmnet's default `thresh` gives gaps of about `1e-4` to `1e-1`; below
#'   about `1e-13` rounding may prevent certification). The exact path meets
#'   any target (its KKT residuals are at rounding level): `tol` is checked
#'   and has no effect. Further, for `method = "cd"` only (an error
#'   otherwise):
#'   * `weights`: observation weights (rescaled to sum to n, as glmnet does).
#'   * `lower`, `upper`: limits on the coefficients (original scale), one
#'     value or p values, `lower <= 0 <= upper` as in glmnet's
#'     `lower.limits`/`upper.limits`; `nonneg = TRUE` is `lower = 0`.
#'   * `maxit`: coordinate sweeps allowed per `lambda` (default `1e5`); a
#'     `lambda` not certified by then gives a warning of class
#'     `dlnpath_warning_not_converged`.
#'   * `type`: `"auto"`, `"covariance"` or `"naive"` updates.
#'   * `early_stop`: stop, as glmnet does, once the deviance ratio exceeds
#'     0.999 or gains less than `1e-5` of itself (default `FALSE`: the
#'     whole grid).
#' @param max_knots Maximum number of knots of the exact path (default
#'   `10 * p + 100`).
#' @return An object of class `"lasso_path"`: a list with `lambda` (knots,
#'   decreasing), `beta` (p x K coefficients on the original scale), `a0`
#'   (intercepts), `df`, `events` (a data frame: `knot`, `lambda`, `term`,
#'   `event` in `"enter"`, `"drop"`, `"dependent"`), and the settings used.
#'   For `method = "cd"`, an object of class `c("lasso_path_cd",
#'   "lasso_path")` with `lambda` (the grid), `beta`, `a0`, `df`, `gap` (the
#'   certified relative duality gaps), `dev.ratio`, `sweeps`, `lambda_max`
#'   and, for re-solving off the grid, the prepared data.
#'
#' @references Efron, B., Hastie, T., Johnstone, I. and Tibshirani, R. (2004)
#'   Least angle regression. *Annals of Statistics* 32, 407-499.
#'
#'   Mairal, J. and Yu, B. (2012) Complexity analysis of the lasso
#'   regularization path. *ICML 2012*.
#' @seealso [lasso_path_gram()] for a problem given by its Gram matrix,
#'   [coef.lasso_path()], [plot.lasso_path()], [compare_paths()].
#' @examples
#' fit <- lasso_path(as.matrix(diabetes[, 1:10]), diabetes$y)
#' fit
#' coef(fit, lambda = c(10, 1))
#' head(as.data.frame(fit))
#'
#' # coordinate descent on glmnet's grid, each solution certified
#' cd <- lasso_path(as.matrix(diabetes[, 1:10]), diabetes$y, method = "cd",
#'                  tol = 1e-10)
#' max(cd$gap)
#' @export
lasso_path <- function(x, y, method = c("homotopy", "cd"), lambda = NULL,
                       nlambda = 100, lambda_min_ratio = NULL, nonneg = FALSE,
                       penalty_factor = NULL, standardize = TRUE,
                       intercept = TRUE, ..., max_knots = NULL) {
  method <- check_choice(method, c("homotopy", "cd"), "method")
  grid <- check_lambda_grid(lambda, nlambda, lambda_min_ratio)
  if (method == "cd") {
    check_dots_known(list(...), cd_arguments)
    if (!is.null(max_knots)) {
      dlnpath_abort("`max_knots` is for method = \"homotopy\" (the exact path)",
                    "max_knots")
    }
    return(lasso_path_cd(x, y, grid, lambda, nonneg = nonneg,
                         penalty_factor = penalty_factor,
                         standardize = standardize, intercept = intercept, ...,
                         call = match.call()))
  }
  # the exact path meets any accuracy target: `tol` is checked, then moot
  dots <- list(...)
  check_dots_known(dots, "tol")
  if (!is.null(dots$tol)) check_number(dots$tol, "tol", 0, 1, open = c(TRUE, TRUE))
  prob <- prepare_problem(x, y, standardize, intercept)
  # the kernel forms the Gram matrix when p <= n, from equilibrated columns
  fit_homotopy(list(X = prob$x), problem_r(prob), prob, nonneg, penalty_factor,
               max_knots, grid$lambda, call = match.call())
}

# The grid arguments of lasso_path(), checked for every method: `lambda`
# non-negative finite values (returned sorted decreasing, duplicates
# removed), `nlambda` a whole number >= 1, `lambda_min_ratio` in (0, 1).
check_lambda_grid <- function(lambda, nlambda, lambda_min_ratio) {
  if (!is.null(lambda)) lambda <- check_grid(lambda, "lambda", decreasing = TRUE,
                                             positive = FALSE)
  nlambda <- check_count(nlambda, "nlambda")
  if (!is.null(lambda_min_ratio)) {
    lambda_min_ratio <- check_number(lambda_min_ratio, "lambda_min_ratio", 0, 1,
                                     open = c(TRUE, TRUE))
  }
  list(lambda = lambda, nlambda = nlambda, lambda_min_ratio = lambda_min_ratio)
}

#' The lasso path of a problem given by its Gram matrix
#'
#' Same as [lasso_path()] for the objective
#' \eqn{\frac12 b'Mb - r'b + c + \lambda \sum_j w_j |b_j|}{1/2 b'Mb - r'b + c +
#' lambda sum_j w_j |b_j|}: use it with the paper's units (`M = X'X`,
#' `X'y` for `r`) or with a Gram matrix computed elsewhere. There is no
#' intercept and no standardization.
#'
#' With `method = "cd"`, `c` is also the null objective to which the duality
#' gaps are relative (with the default `c`, the smallest possible, the gaps
#' are conservative).
#'
#' @param M Symmetric positive semi-definite matrix (p x p), p >= 1. An
#'   indefinite `M` (the objective would not be convex) is refused with an
#'   error of class `dlnpath_error_input`; rounding errors of about `1e-10`
#'   of `max(diag(M))` are tolerated.
#' @param r Numeric vector of length p, in the range of `M` (as `X'y` is in
#'   that of `X'X`): otherwise the loss is unbounded below along a direction
#'   where `M` is zero, and `r` is refused with an error of class
#'   `dlnpath_error_input`.
#' @param ... Further arguments of [lasso_path()]: `method`, `nonneg`,
#'   `penalty_factor`, `max_knots`; for `method = "cd"`, `lambda`, `nlambda`,
#'   `lambda_min_ratio`, `lower`, `upper`, `tol`, `maxit`, `early_stop`.
#' @param c Constant of the loss, used when objective values are reported
#'   ([compare_paths()]). Default: \eqn{r'M^+r/2}{r'M^+ r / 2}, the smallest
#'   constant for which the loss \eqn{\frac12 b'Mb - r'b + c}{1/2 b'Mb - r'b + c}
#'   is nonnegative (its minimum is then 0). For `M = X'X/n` and `r` = `X'y/n`
#'   it is \eqn{y'y/(2n)}{y'y/(2n)} less the part of it that no coefficient
#'   can fit (half the mean squared residual of the least-squares fit), so
#'   objective values differ from those of [lasso_path()]`(x, y)` by that
#'   constant; give `c = sum(y^2) / (2 * n)` to have them equal. A `c` below
#'   \eqn{r'M^+r/2}{r'M^+ r / 2} is refused: the loss would take negative
#'   values and relative gaps would be meaningless. `M`, `r` and `c` are
#'   checked and `c` computed from one pivoted Cholesky factorization of `M`.
#' @return An object of class `"lasso_path"`.
#' @examples
#' set.seed(1)
#' X <- matrix(rnorm(12), 3, 4); y <- rnorm(3)
#' fit <- lasso_path_gram(crossprod(X), drop(crossprod(X, y)))
#' fit$lambda
#' @export
lasso_path_gram <- function(M, r, ..., c = NULL) {
  g <- check_gram(M, r, c)
  args <- list(...)
  if (identical(args$method, "cd")) return(lasso_path_gram_cd(g, args, match.call()))
  check_dots_known(args, c("method", "nonneg", "penalty_factor", "max_knots"))
  check_choice(args$method %||% "homotopy", "homotopy", "method")
  prob <- gram_problem(g)
  fit_homotopy(list(M = g$M), g$r, prob, args$nonneg %||% FALSE,
               args$penalty_factor, args$max_knots, NULL,
               call = match.call(), gram = g)
}

# Penalty weights with glmnet's conventions: Inf excludes a column (its
# weight counts as 1 in the rescaling), the rest are rescaled to sum to p.
# All zero: no penalty at all (the path is the least-squares fit).
penalty_weights <- function(penalty_factor, p) {
  if (is.null(penalty_factor)) return(rep(1, p))
  pf <- penalty_factor
  if (!is.numeric(pf) || length(pf) != p || anyNA(pf) || any(pf < 0)) {
    dlnpath_abort(sprintf(
      "`penalty_factor` must be %d non-negative numbers (0 = unpenalized, Inf = excluded)",
      p), "penalty_factor")
  }
  excluded <- is.infinite(pf)
  pf[excluded] <- 1
  w <- if (sum(pf) > 0) pf * p / sum(pf) else pf
  w[excluded] <- Inf
  w
}

fit_homotopy <- function(op, r, prob, nonneg, penalty_factor, max_knots,
                         lambda, call, gram = NULL) {
  check_flag(nonneg, "nonneg")
  p <- prob$p
  w <- penalty_weights(penalty_factor, p)
  w[prob$constant] <- Inf
  max_knots <- if (is.null(max_knots)) 10L * p + 100L else
    check_count(max_knots, "max_knots", hi = 1e8)
  if (!is.null(lambda)) {
    message("the exact path is computed at its knots; ",
            "evaluate it anywhere with coef(fit, lambda = )")
  }
  # centred columns span at most n - 1 dimensions
  rank_max <- if (is.na(prob$n)) p else min(p, prob$n - prob$intercept)
  res <- .Call(C_homotopy, op$M, op$X, r, w, nonneg, max_knots,
               as.integer(max(rank_max, 1L)))
  if (res$status == 1L) {
    dlnpath_warn(sprintf(paste0(
      "the path stopped after max_knots = %d knots at lambda = %g; ",
      "increase `max_knots` to continue"), max_knots, min(res$lambda)),
      "step_cap")
  }
  if (res$zeroed > 0L) {
    dlnpath_warn(sprintf(paste0(
      "%d penalty factor(s) below 1e-270 times the largest (counting the ",
      "scale of the columns) are beyond double precision: taken as 0 (unpenalized)"),
      res$zeroed), "precision")
  }
  if (res$unresolved > 0L) {
    k <- res$unresolved
    dlnpath_warn(sprintf(paste0(
      "double precision cannot resolve the path after lambda = %g (knot %d): ",
      "its optimality conditions fail beyond rounding at the next knot ",
      "(lambda = %g)"),
      res$lambda[max(k - 1L, 1L)], max(k - 1L, 1L), res$lambda[k]), "precision")
  }
  B <- res$beta
  res$beta <- NULL            # B is then its only reference: named in place
  dimnames(B) <- list(prob$names, NULL)
  events <- list2DF(list(       # data.frame() costs more than the path here
    knot = res$event_knot,
    lambda = res$lambda[res$event_knot],
    term = prob$names[res$event_var],
    event = c("drop", "", "enter", "dependent")[res$event_type + 2L]
  ))
  structure(c(path_fields(prob, B, res$lambda, res$df), list(
    events = events,
    complete = res$status == 0L,
    fingerprint = if (is.null(op$M)) gram_fingerprint(X = op$X, n = prob$n) else
      gram_fingerprint(op$M),
    method = "homotopy",
    nonneg = nonneg,
    penalty_factor = w,
    prep = prob[setdiff(names(prob), c("x", "y"))],
    r = r,
    null_loss = if (is.null(gram)) sum(prob$y^2) / (2 * prob$n) else gram$c,
    gram = gram,
    call = call
  )), class = "lasso_path")
}

# The fields every lasso path has: its lambdas, the coefficients on the
# original (a0, beta) and internal (beta_std, p x K) scales, and df.
path_fields <- function(prep, B, lambda, df = colSums(B != 0)) {
  o <- original_scale(prep, B)
  dimnames(o$beta) <- list(prep$names, NULL)
  list(lambda = lambda, a0 = o$a0, beta = o$beta, beta_std = B, df = df)
}
