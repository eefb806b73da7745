# tidy() and glance() for the generics package (broom's conventions for
# glmnet fits), registered lazily: generics stays in Suggests.

#' Tidy a lasso path
#'
#' `tidy()` gives one row per (step, term) with broom's columns for glmnet
#' fits: `term`, `step`, `estimate`, `lambda`, `dev.ratio` (the fraction of
#' the null deviance explained). As in broom, zero coefficients are dropped
#' unless `return_zeros = TRUE`; `as.data.frame()` keeps them.
#' `glance()` gives one row about the whole path.
#'
#' For the exact path the steps are the knots, and the deviance ratio is
#' exact there: the loss is \eqn{c - (r'b + \lambda \sum_j w_j |b_j|)/2} at a
#' lasso solution. For a path from [lasso_path_gram()] without `c` it is `NA`.
#'
#' @param x A `"lasso_path"` fit.
#' @param return_zeros Keep the zero coefficients.
#' @param ... Unused.
#' @return A data frame.
#' @examples
#' fit <- lasso_path(as.matrix(diabetes[, 1:10]), diabetes$y, method = "cd",
#'                   nlambda = 20)
#' if (requireNamespace("generics", quietly = TRUE)) {
#'   head(generics::tidy(fit))
#'   generics::glance(fit)
#' }
#' @name tidy.lasso_path
#' @exportS3Method generics::tidy
tidy.lasso_path <- function(x, return_zeros = FALSE, ...) {
  check_dots_empty(...)
  check_flag(return_zeros, "return_zeros")
  df <- as.data.frame(x)
  df$dev.ratio <- path_dev_ratio(x)[df$step]
  df <- df[c("term", "step", "estimate", "lambda", "dev.ratio")]
  if (!return_zeros) df <- df[df$estimate != 0, , drop = FALSE]
  rownames(df) <- NULL
  df
}

#' @rdname tidy.lasso_path
#' @exportS3Method generics::glance
glance.lasso_path <- function(x, ...) {
  check_dots_empty(...)
  cd <- x$method == "cd"
  null_loss <- if (cd) x$solver$data$c else x$null_loss %||% NA_real_
  data.frame(
    method = x$method,
    nobs = x$prep$n,
    nulldev = 2 * x$prep$n * null_loss,
    n_lambda = length(x$lambda),
    max_df = max(x$df),
    dev.ratio = utils::tail(path_dev_ratio(x), 1L),
    npasses = if (cd) sum(x$sweeps) else NA_integer_,
    max_gap = if (cd) max(x$gap) else NA_real_,
    stringsAsFactors = FALSE
  )
}

# 1 - loss / null loss at each step of the path.
path_dev_ratio <- function(fit) {
  if (fit$method == "cd") return(fit$dev.ratio)
  c0 <- fit$null_loss
  if (is.null(c0) || !(c0 > 0)) return(rep(NA_real_, length(fit$lambda)))
  B <- fit$beta_std
  w <- fit$penalty_factor
  w[!is.finite(w)] <- 0
  # at a lasso solution b'g = lambda sum_j w_j |b_j|, so the loss
  # c - r'b + b'Mb/2 equals c - (r'b + lambda sum_j w_j |b_j|) / 2
  loss <- c0 - 0.5 * (colSums(B * fit$r) + fit$lambda * colSums(abs(B) * w))
  1 - loss / c0
}

#' Tidy a network's trajectory or its comparison with the lasso
#'
#' `tidy(<dln>)`: one row per (step, term) with `term`, `step`, `time`, `s`,
#' `lambda`, `estimate` (the network's b(t)) and `estimate_avg` (the
#' averaged trajectory); rows where both are zero are dropped unless
#' `return_zeros = TRUE` (`as.data.frame()` keeps them). `glance(<dln>)`:
#' one row about the run. `tidy(<dln_comparison>)` is its per-time table
#' (as `as.data.frame()`), `glance()` one row with the worst gap and where it
#' occurs.
#'
#' @param x A `"dln"` fit or a `"dln_comparison"`.
#' @param return_zeros Keep the rows whose coefficients are all zero.
#' @param ... Unused.
#' @return A data frame.
#' @examples
#' fit <- dln(as.matrix(diabetes[, 1:10]), diabetes$y, epsilon = 1e-10, ns = 10)
#' if (requireNamespace("generics", quietly = TRUE)) {
#'   head(generics::tidy(fit))
#'   generics::glance(fit)
#'   generics::glance(compare_paths(fit))
#' }
#' @name tidy.dln
#' @exportS3Method generics::tidy
tidy.dln <- function(x, return_zeros = FALSE, ...) {
  check_dots_empty(...)
  check_flag(return_zeros, "return_zeros")
  df <- as.data.frame(x)
  df <- df[c("term", "step", "time", "s", "lambda", "estimate", "estimate_avg")]
  if (!return_zeros) df <- df[df$estimate != 0 | df$estimate_avg != 0, , drop = FALSE]
  rownames(df) <- NULL
  df
}

#' @rdname tidy.dln
#' @exportS3Method generics::glance
glance.dln <- function(x, ...) {
  check_dots_empty(...)
  data.frame(
    param = x$param, method = x$method, nobs = x$prep$n,
    epsilon = x$epsilon, log_inv_epsilon = x$log_inv_epsilon,
    weight_decay = x$weight_decay, n_s = length(x$s),
    s_min = min(x$s), s_max = max(x$s),
    steps = if (x$method == "flow") unname(x$stats[["steps"]]) else NA_real_,
    tol = if (x$method == "flow") x$tol else NA_real_,
    stringsAsFactors = FALSE
  )
}

#' @rdname tidy.dln
#' @exportS3Method generics::tidy
tidy.dln_comparison <- function(x, ...) {
  check_dots_empty(...)
  as.data.frame(x)
}

#' @rdname tidy.dln
#' @exportS3Method generics::glance
glance.dln_comparison <- function(x, ...) {
  check_dots_empty(...)
  sm <- summary(x)
  data.frame(
    param = sm$param, monotone = sm$monotone, n_s = sm$times,
    max_rel_gap = sm$max_rel_gap, s_at_max = sm$s_at_max,
    lambda_at_max = sm$lambda_at_max, term_at_max = sm$term_at_max,
    max_rel_gap_raw = sm$max_rel_gap_raw, max_abs_diff = sm$max_abs_diff,
    support_agree = sm$support_agree, stringsAsFactors = FALSE
  )
}
