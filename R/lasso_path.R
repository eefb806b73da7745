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
#' any `lambda`. The path ends at `lambda = 0` (the least-squares fit, or the
#' minimum-l1 interpolating fit when `p >= n`) unless `max_knots` stops it
#' first, with a warning of class `dlnpath_warning_step_cap`.
#'
#' A column that is, to about six digits, a linear combination of the active
#' ones cannot enter (the active Gram block would be singular): it is recorded
#' as a `"dependent"` event and waits until a variable leaves. Of exactly
#' duplicated columns the first one is used. Constant columns get coefficient
#' 0 on the whole path, as in glmnet.
#'
#' `method = "cd"` solves the lasso on a grid of `lambda` by coordinate
#' descent, as glmnet does, and certifies every solution: its duality gap,
#' relative to the null objective (the loss at zero coefficients,
#' intercept fitted), is at most `tol` (column `gap` of the fit). The default
#' grid is glmnet's: `nlambda` values, log-spaced from `lambda_max` (the
#' smallest `lambda` at which every penalized coefficient is zero, after the
#' unpenalized ones are fitted) down to `lambda_min_ratio * lambda_max`, so
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
#'   `lambda` values (sorted decreasing, with a message if they were not),
#'   or `nlambda` values down to `lambda_min_ratio * lambda_max` (default
#'   `0.01` when `n < p`, else `1e-4`, as glmnet). The exact path does not
#'   need a grid (use `coef(fit, lambda = )`).
#' @param nonneg If `TRUE`, coefficients are constrained to be non-negative
#'   (the positive lasso, tracked by `dln(param = "u2")`).
#' @param penalty_factor Non-negative weights \eqn{w_j} per column (default
#'   all 1): 0 leaves a column unpenalized, `Inf` excludes it. Rescaled to sum
#'   to `p`, as glmnet does.
#' @param standardize Scale columns by their 1/n standard deviation before
#'   fitting (coefficients are always reported on the original scale).
#' @param intercept Fit an unpenalized intercept (centre x and y).
#' @param ... For `method = "cd"` (an error otherwise):
#'   * `tol`: the relative duality gap certified at every `lambda` (default
#'     `1e-7`; glmnet's default `thresh` gives gaps of about `1e-4` to
#'     `1e-1`). Below about `1e-13` rounding may prevent certification.
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
#' @seealso [lasso_path_gram()] for a problem given by its Gram matrix,
#'   [coef.lasso_path()], [compare_paths()].
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
  method <- match.arg(method)
  if (method == "cd") {
    return(lasso_path_cd(x, y, lambda = lambda, nlambda = nlambda,
                         lambda_min_ratio = lambda_min_ratio, nonneg = nonneg,
                         penalty_factor = penalty_factor,
                         standardize = standardize, intercept = intercept, ...,
                         call = match.call()))
  }
  check_dots_empty(...)
  prob <- prepare_problem(x, y, standardize, intercept)
  # With p > n the Gram matrix is larger than X: work with X directly.
  op <- if (prob$p > prob$n) list(X = prob$x) else list(M = problem_gram(prob)$M)
  r <- drop(crossprod(prob$x, prob$y)) / prob$n
  fit_homotopy(op, r, prob, nonneg, penalty_factor, max_knots, lambda,
               call = match.call())
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
#' gaps are relative; when it is `NULL`, the smallest constant for which the
#' loss is non-negative, \eqn{r'M^+r/2}, is used (so the gaps are
#' conservative), and `r` must lie in the column space of `M`.
#'
#' @param M Symmetric positive semi-definite matrix (p x p).
#' @param r Numeric vector of length p.
#' @param ... Further arguments of [lasso_path()]: `method`, `nonneg`,
#'   `penalty_factor`, `max_knots`; for `method = "cd"`, `lambda`, `nlambda`,
#'   `lambda_min_ratio`, `lower`, `upper`, `tol`, `maxit`, `early_stop`.
#' @param c Optional constant of the loss, used when objective values are
#'   reported (default 0).
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
  match.arg(args$method %||% "homotopy", "homotopy")
  prob <- gram_problem(g)
  fit_homotopy(list(M = g$M), g$r, prob, args$nonneg %||% FALSE,
               args$penalty_factor, args$max_knots, NULL,
               call = match.call(), gram = g)
}

# Penalty weights with glmnet's conventions: Inf excludes a column (its
# weight counts as 1 in the rescaling), the rest are rescaled to sum to p.
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
  if (sum(pf) == 0) {
    dlnpath_abort("`penalty_factor` is zero for every column: there is no lasso path",
                  "penalty_factor")
  }
  w <- pf * p / sum(pf)
  w[excluded] <- Inf
  w
}

fit_homotopy <- function(op, r, prob, nonneg, penalty_factor, max_knots,
                         lambda, call, gram = NULL) {
  check_flag(nonneg, "nonneg")
  p <- prob$p
  w <- penalty_weights(penalty_factor, p)
  w[prob$constant] <- Inf
  max_knots <- if (is.null(max_knots)) 10L * p + 100L else check_count(max_knots, "max_knots")
  if (!is.null(lambda)) {
    message("the exact path is computed at its knots; ",
            "evaluate it anywhere with coef(fit, lambda = )")
  }
  res <- .Call(C_homotopy, op$M, op$X, r, w, nonneg, max_knots)
  if (res$status == 1L) {
    dlnpath_warn(sprintf(paste0(
      "the path stopped after max_knots = %d knots at lambda = %g; ",
      "increase `max_knots` to continue"), max_knots, min(res$lambda)),
      "step_cap")
  }
  B <- res$beta
  dimnames(B) <- list(prob$names, NULL)
  event_names <- c("1" = "enter", "-1" = "drop", "2" = "dependent")
  events <- data.frame(
    knot = res$event_knot,
    lambda = res$lambda[res$event_knot],
    term = prob$names[res$event_var],
    event = unname(event_names[as.character(res$event_type)]),
    stringsAsFactors = FALSE
  )
  structure(c(path_fields(prob, B, res$lambda), list(
    events = events,
    complete = res$status == 0L,
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
