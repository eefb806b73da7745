#' Compare a network's averaged trajectory with the lasso path
#'
#' For every rescaled time `s` of `dln_fit`, evaluates the lasso objective
#' \deqn{\mathrm{Lasso}(b, s) = l(b) + (\kappa + 1/s)\|b\|_1}{Lasso(b, s) = l(b) + (kappa + 1/s) ||b||_1}
#' (constant of the loss included) at the averaged trajectory
#' \eqn{\bar b(s)}{bbar(s)}, at the network's predictor \eqn{b(s)}, and at the
#' exact lasso solution, and reports the relative gap
#' \eqn{(\mathrm{Lasso}(\bar b, s) - \mathrm{Lasso}^*(s)) / \mathrm{Lasso}^*(s)}{(Lasso(bbar, s) - Lasso*(s)) / Lasso*(s)}.
#' The theorem illustrated (Berthier 2025): for every `s` the gap of the
#' averaged trajectory tends to 0 as `epsilon` tends to 0 when the lasso path
#' is monotone ([path_monotonicity()]).
#'
#' @param dln_fit A `"dln"` fit.
#' @param lasso_fit The exact lasso path of the same problem (`"lasso_path"`
#'   from `method = "homotopy"`); computed when `NULL` (non-negative for
#'   `param = "u2"`).
#' @return An object of class `"dln_comparison"`. `as.data.frame()` gives one
#'   row per `s` with `s`, `lambda`, `objective_avg`, `objective_raw`,
#'   `objective_lasso`, `rel_gap`, `rel_gap_raw`, `max_abs_diff` (the largest
#'   \eqn{|\bar b_j - b^{lasso}_j|}{|bbar_j - blasso_j|} on the original scale
#'   of `x`, intercept excluded) and `support_agree` (the same nonzero
#'   coefficients, counting an averaged coefficient as nonzero above `1e-3` of
#'   the largest lasso coefficient on the grid).
#' @examples
#' x <- as.matrix(diabetes[, 1:10])
#' cmp <- compare_paths(dln(x, diabetes$y, epsilon = 1e-30))
#' cmp
#' summary(as.data.frame(cmp)$rel_gap)
#' @export
compare_paths <- function(dln_fit, lasso_fit = NULL) {
  if (!inherits(dln_fit, "dln")) {
    dlnpath_abort("`dln_fit` must be a fit from dln() or dln_gram()", "dln_fit")
  }
  nonneg <- dln_fit$param == "u2"
  g <- dln_fit$gram
  if (is.null(lasso_fit)) {
    lasso_fit <- fit_homotopy(list(M = g$M), g$r, dln_fit$prep, nonneg, NULL,
                              NULL, NULL, call = quote(compare_paths()))
  } else {
    check_same_problem(dln_fit, lasso_fit)
  }
  s <- dln_fit$s
  lambda <- dln_fit$lambda
  Blasso <- path_at(lasso_fit, lambda)
  Bavg <- sweep(dln_fit$Z, 2L, s, "/")
  obj_avg <- lasso_objective(g, Bavg, lambda)
  obj_raw <- lasso_objective(g, dln_fit$b, lambda)
  obj_lasso <- lasso_objective(g, Blasso, lambda)
  scale <- dln_fit$prep$scale
  diff <- abs(Bavg - Blasso) / scale
  # the averaged trajectory is never exactly zero: a coordinate counts as
  # nonzero above 1e-3 of the largest lasso coefficient on the grid
  zero_tol <- 1e-3 * max(abs(Blasso), 0)
  support_agree <- colSums((abs(Bavg) > zero_tol) != (Blasso != 0)) == 0
  table <- data.frame(
    s = s, lambda = lambda,
    objective_avg = obj_avg, objective_raw = obj_raw,
    objective_lasso = obj_lasso,
    rel_gap = (obj_avg - obj_lasso) / obj_lasso,
    rel_gap_raw = (obj_raw - obj_lasso) / obj_lasso,
    max_abs_diff = if (nrow(diff)) apply(diff, 2L, max) else rep(0, length(s)),
    support_agree = support_agree
  )
  mono <- path_monotonicity(lasso_fit)
  structure(list(
    table = table,
    coef_avg = dln_fit$beta_avg,
    coef_lasso = Blasso / scale,
    monotone = attr(mono, "monotone"),
    monotonicity = mono,
    dln = dln_fit,
    lasso = lasso_fit
  ), class = "dln_comparison")
}

# The lasso and the network must be fitted on the same problem.
check_same_problem <- function(dln_fit, lasso_fit) {
  if (!inherits(lasso_fit, "lasso_path") || lasso_fit$method != "homotopy") {
    dlnpath_abort("`lasso_fit` must be an exact path from lasso_path(method = \"homotopy\")",
                  "lasso_fit")
  }
  same <- length(lasso_fit$r) == length(dln_fit$gram$r) &&
    isTRUE(all.equal(lasso_fit$r, dln_fit$gram$r, tolerance = 1e-10,
                     check.attributes = FALSE)) &&
    isTRUE(all.equal(lasso_fit$prep$scale, dln_fit$prep$scale)) &&
    isTRUE(all.equal(lasso_fit$prep$center, dln_fit$prep$center))
  if (!same) {
    dlnpath_abort(paste0("`lasso_fit` was computed on other data, or with other ",
                         "`standardize`/`intercept` settings, than `dln_fit`"),
                  "lasso_fit")
  }
  if (any(is.finite(lasso_fit$penalty_factor) & lasso_fit$penalty_factor != 1)) {
    dlnpath_abort("`lasso_fit` must use unit penalty factors to match a network",
                  "lasso_fit")
  }
  if (lasso_fit$nonneg != (dln_fit$param == "u2")) {
    dlnpath_abort(sprintf("a network with param = \"%s\" tracks the %s lasso; refit `lasso_fit` with nonneg = %s",
                          dln_fit$param,
                          if (dln_fit$param == "u2") "non-negative" else "ordinary",
                          dln_fit$param == "u2"), "lasso_fit")
  }
}

# Coefficients of an exact path on the internal scale at any lambda: linear
# interpolation between knots, the first knot above lambda_0.
path_at <- function(fit, lambda) {
  knots <- fit$lambda
  B <- fit$beta_std
  K <- length(knots)
  out <- matrix(0, nrow(B), length(lambda), dimnames = list(rownames(B), NULL))
  for (k in seq_along(lambda)) {
    l <- lambda[k]
    if (l >= knots[1L]) {
      out[, k] <- B[, 1L]
    } else if (l <= knots[K]) {
      out[, k] <- if (l == knots[K] || fit$complete) B[, K] else NA_real_
    } else {
      j <- findInterval(-l, -knots)     # knots[j] > l >= knots[j + 1]
      w <- (knots[j] - l) / (knots[j] - knots[j + 1L])
      out[, k] <- (1 - w) * B[, j] + w * B[, j + 1L]
    }
  }
  out
}

#' Is the lasso path monotone in the sense of the theorem?
#'
#' With \eqn{\mu = 1/\lambda}{mu = 1/lambda}, the theorem of Berthier (2025)
#' assumes that \eqn{z(\mu) = \mu\, b^{lasso}(\mu)}{z(mu) = mu * blasso(mu)}
#' is monotone in each coordinate (non-decreasing or non-increasing; for the
#' non-negative lasso, non-decreasing). On each segment of the exact path
#' \eqn{z} is affine in \eqn{\mu} with slope
#' \eqn{M_{AA}^{-1} r_A}{M_AA^-1 r_A}, so monotonicity is decided exactly
#' from the knots.
#'
#' @param lasso_fit An exact path from `lasso_path(method = "homotopy")`.
#' @return A data frame with one row per term: `term`, `monotone`,
#'   `direction` (`"increasing"`, `"decreasing"`, `"zero"` for a term never
#'   active, or `"non-monotone"`) and `lambda_break`, the knot at which
#'   \eqn{z} first turns back (`NA` when monotone); attribute `monotone` is
#'   `TRUE` when every term is monotone.
#' @examples
#' path_monotonicity(lasso_path(as.matrix(diabetes[, 1:10]), diabetes$y))
#' @export
path_monotonicity <- function(lasso_fit) {
  if (!inherits(lasso_fit, "lasso_path") || lasso_fit$method != "homotopy") {
    dlnpath_abort("`lasso_fit` must be an exact path from lasso_path(method = \"homotopy\")",
                  "lasso_fit")
  }
  slopes <- z_slopes(lasso_fit)
  knots <- lasso_fit$lambda
  rows <- lapply(seq_len(nrow(slopes)), function(i) {
    v <- slopes[i, ]
    tiny <- 1e-9 * max(abs(v), 0)
    sgn <- ifelse(v > tiny, 1, ifelse(v < -tiny, -1, 0))
    first <- sgn[sgn != 0][1]
    if (is.na(first)) return(list("zero", NA_real_))
    allowed <- if (lasso_fit$nonneg) 1 else first
    bad <- which(sgn == -allowed)
    if (!length(bad)) {
      return(list(if (first > 0) "increasing" else "decreasing", NA_real_))
    }
    list("non-monotone", knots[bad[1]])
  })
  dirs <- vapply(rows, `[[`, character(1), 1L)
  out <- data.frame(term = rownames(lasso_fit$beta_std),
                    monotone = dirs != "non-monotone", direction = dirs,
                    lambda_break = vapply(rows, `[[`, double(1), 2L),
                    stringsAsFactors = FALSE)
  attr(out, "monotone") <- all(out$monotone)
  out
}

# Slope of z(mu) = mu b(mu) on each segment between consecutive knots
# (p x (K - 1)): z is affine on a segment with slope b_k - lambda_k d_k, where
# d_k is the slope of b in lambda there (b extrapolated to lambda = 0).
z_slopes <- function(fit) {
  lam <- fit$lambda
  B <- fit$beta_std
  K <- length(lam)
  if (K < 2L) return(matrix(0, nrow(B), 0L))
  d <- (B[, -1L, drop = FALSE] - B[, -K, drop = FALSE]) /
    rep(lam[-1L] - lam[-K], each = nrow(B))
  B[, -K, drop = FALSE] - d * rep(lam[-K], each = nrow(B))
}
