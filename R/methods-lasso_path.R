#' Coefficients and predictions of a lasso path
#'
#' The exact path is linear in `lambda` between knots, so these are exact at
#' any `lambda`. Above the first knot the coefficients are those of the first
#' knot (zero, unless some columns are unpenalized).
#'
#' @param object A `"lasso_path"` fit.
#' @param lambda Penalty values; default: the knots.
#' @param newx Matrix of new observations (same columns as `x`).
#' @param type `"response"` (fitted values) or `"coefficients"`.
#' @param ... Unused.
#' @return `coef()`: a (p + 1) x length(lambda) matrix, intercept first (as
#'   in glmnet). `predict()`: an nrow(newx) x length(lambda) matrix.
#' @examples
#' fit <- lasso_path(as.matrix(diabetes[, 1:10]), diabetes$y)
#' coef(fit, lambda = 5)
#' predict(fit, as.matrix(diabetes[1:3, 1:10]), lambda = c(5, 0.5))
#' @export
coef.lasso_path <- function(object, lambda = NULL, ...) {
  check_dots_empty(...)
  lambda <- if (is.null(lambda)) object$lambda else check_lambda_query(lambda)
  B <- path_at(object, lambda)
  if (anyNA(B)) {
    dlnpath_warn(sprintf(paste0(
      "the path stops at lambda = %g (max_knots); coefficients below it are NA"),
      min(object$lambda)), "step_cap")
  }
  out <- to_original(object$prep, B)
  colnames(out) <- format_lambda(lambda)
  out
}

#' @rdname coef.lasso_path
#' @export
predict.lasso_path <- function(object, newx, lambda = NULL,
                               type = c("response", "coefficients"), ...) {
  type <- match.arg(type)
  beta <- coef(object, lambda = lambda, ...)
  if (type == "coefficients") return(beta)
  linear_predict(beta, newx, object$prep$names)
}

check_lambda_query <- function(lambda) {
  if (!is.numeric(lambda) || !length(lambda) || anyNA(lambda) || any(lambda < 0)) {
    dlnpath_abort("`lambda` must be non-negative numbers", "lambda")
  }
  as.double(lambda)
}

format_lambda <- function(lambda) paste0("lambda=", signif(lambda, 5))

# newx %*% beta + a0 for a (p + 1) x k coefficient matrix.
linear_predict <- function(beta, newx, names) {
  if (is.null(dim(newx)) && length(newx) == length(names)) {
    newx <- matrix(newx, nrow = 1L)
  }
  newx <- check_x(newx, "newx", sparse_ok = TRUE)
  if (ncol(newx) != length(names)) {
    dlnpath_abort(sprintf("`newx` must have %d columns (as `x`), not %d",
                          length(names), ncol(newx)), "newx")
  }
  out <- as.matrix(newx %*% beta[-1L, , drop = FALSE]) +
    rep(beta[1L, ], each = nrow(newx))
  colnames(out) <- colnames(beta)
  out
}

#' @export
print.lasso_path <- function(x, ..., n = 20) {
  ev <- x$events
  cat(sprintf("Exact lasso path%s: %d knots, lambda from %s to %s\n",
              if (x$nonneg) " (non-negative)" else "", length(x$lambda),
              format(max(x$lambda), digits = 4), format(min(x$lambda), digits = 4)))
  if (!x$complete) cat("  stopped at max_knots before lambda = 0\n")
  sym <- c(enter = "+", drop = "-", dependent = "~")
  events <- vapply(seq_along(x$lambda), function(k) {
    e <- ev[ev$knot == k, , drop = FALSE]
    paste0(sym[e$event], e$term, collapse = " ")
  }, character(1))
  tab <- data.frame(knot = seq_along(x$lambda), lambda = signif(x$lambda, 5),
                    df = x$df, events = events)
  print(utils::head(tab, n), row.names = FALSE)
  if (nrow(tab) > n) cat(sprintf("... %d more knots\n", nrow(tab) - n))
  invisible(x)
}

#' @export
summary.lasso_path <- function(object, ...) {
  ev <- object$events
  structure(list(
    knots = length(object$lambda),
    lambda_range = range(object$lambda),
    complete = object$complete,
    max_df = max(object$df),
    entries = sum(ev$event == "enter"),
    drops = sum(ev$event == "drop"),
    dependent = unique(ev$term[ev$event == "dependent"]),
    monotone = attr(path_monotonicity(object), "monotone"),
    nonneg = object$nonneg
  ), class = "summary.lasso_path")
}

#' @export
print.summary.lasso_path <- function(x, ...) {
  cat(sprintf("Exact lasso path%s\n", if (x$nonneg) " (non-negative)" else ""))
  cat(sprintf("  knots: %d, lambda in [%s, %s]%s\n", x$knots,
              format(x$lambda_range[1], digits = 4),
              format(x$lambda_range[2], digits = 4),
              if (x$complete) "" else " (stopped at max_knots)"))
  cat(sprintf("  entries: %d, drops: %d, largest active set: %d\n", x$entries,
              x$drops, x$max_df))
  if (length(x$dependent)) {
    cat("  linearly dependent columns held out:", paste(x$dependent, collapse = ", "),
        "\n")
  }
  cat(sprintf("  z(mu) = mu * b(mu) monotone in every coordinate: %s\n", x$monotone))
  invisible(x)
}

#' @export
as.data.frame.lasso_path <- function(x, row.names = NULL, optional = FALSE, ...) {
  coefs <- rbind(`(Intercept)` = x$a0, x$beta)
  if (!x$prep$intercept) coefs <- coefs[-1L, , drop = FALSE]
  long_frame(coefs, list(step = seq_along(x$lambda), lambda = x$lambda))
}

# One row per (step, term), terms varying fastest: `cols` are per-step
# columns, `coefs` a terms x steps matrix (or a named list of them).
long_frame <- function(coefs, cols) {
  if (!is.list(coefs)) coefs <- list(estimate = coefs)
  terms <- rownames(coefs[[1L]])
  k <- length(cols[[1L]])
  out <- lapply(cols, rep, each = length(terms))
  out$term <- rep(terms, times = k)
  for (nm in names(coefs)) out[[nm]] <- as.vector(coefs[[nm]])
  as.data.frame(out, stringsAsFactors = FALSE)
}

#' @export
plot.lasso_path <- function(x, ...) {
  lam <- x$lambda
  keep <- lam > 0
  graphics::matplot(lam[keep], t(x$beta[, keep, drop = FALSE]), type = "l",
                    log = "x", lty = 1, xlab = "lambda (log scale)",
                    ylab = "coefficient", xlim = rev(range(lam[keep])), ...)
  graphics::abline(h = 0, col = "grey")
  invisible(x)
}
