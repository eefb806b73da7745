#' Coefficients and predictions of a lasso path
#'
#' The exact path is linear in `lambda` between knots, so these are exact at
#' any `lambda`. Above the first knot the coefficients are those of the first
#' knot (zero, unless some columns are unpenalized).
#'
#' @param object A `"lasso_path"` fit.
#' @param lambda Penalty values; default: the knots.
#' @param newx Matrix or data frame of new observations, with the columns
#'   of `x`: matched by name when `newx` has column names that include all
#'   of `x`'s (other columns are ignored), by position when `newx` or `x` has
#'   none; an error otherwise. A vector is one row.
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
  check_lambda_spelling(...)
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
  type <- check_choice(type, c("response", "coefficients"), "type")
  beta <- coef(object, lambda = lambda, ...)
  if (type == "coefficients") return(beta)
  linear_predict(beta, newx, object$prep)
}

# glmnet users write coef(fit, s = 0.1): say what it is called here.
check_lambda_spelling <- function(...) {
  if ("s" %in% names(list(...))) {
    dlnpath_abort(paste0("a lasso path takes the penalty as `lambda =` ",
                         "(glmnet's `s`), not `s =`"), "s")
  }
}

check_lambda_query <- function(lambda) {
  if (!is.numeric(lambda) || !length(lambda) || !all(is.finite(lambda)) ||
      any(lambda < 0)) {
    dlnpath_abort("`lambda` must be non-negative finite numbers", "lambda")
  }
  as.double(lambda)
}

format_lambda <- function(lambda) paste0("lambda=", signif(lambda, 5))

# "a, b, c and 470 more": at most `n` names.
name_list <- function(v, n = 10) {
  if (length(v) <= n) return(paste(v, collapse = ", "))
  sprintf("%s and %d more", paste(v[seq_len(n)], collapse = ", "), length(v) - n)
}

# newx %*% beta + a0 for a (p + 1) x k coefficient matrix; `prep` gives
# the fit's column names and whether x had them.
linear_predict <- function(beta, newx, prep) {
  if (missing(newx)) {
    dlnpath_abort("`newx` is missing: give the new observations (or use coef())",
                  "newx")
  }
  names <- prep$names
  named <- !is.null(colnames(newx))
  if (is.null(dim(newx)) && !is.data.frame(newx) && length(names) > 1L) {
    # a vector is one observation (of one column, it is a column)
    if (length(newx) != length(names)) {
      dlnpath_abort(sprintf(paste0(
        "`newx` is a vector of length %d: one observation needs %d values (as ",
        "`x` has columns); give several as the rows of a matrix"),
        length(newx), length(names)), "newx")
    }
    named <- !is.null(names(newx))
    newx <- matrix(newx, nrow = 1L, dimnames = list(NULL, names(newx)))
  }
  newx <- check_x(newx, "newx", warn_names = FALSE, sparse_ok = TRUE)
  if (named && !isFALSE(prep$named)) {
    pos <- match(names, colnames(newx))
    if (anyNA(pos)) {
      dlnpath_abort(sprintf(paste0(
        "`newx` lacks column(s) %s of `x` (columns are matched by name when ",
        "both have names; drop the names of `newx` to match by position)"),
        paste0("'", utils::head(names[is.na(pos)], 5), "'", collapse = ", ")),
        "newx")
    }
    if (!identical(pos, seq_len(ncol(newx)))) newx <- newx[, pos, drop = FALSE]
  } else if (ncol(newx) != length(names)) {
    dlnpath_abort(sprintf("`newx` must have %d columns (as `x`), not %d",
                          length(names), ncol(newx)), "newx")
  }
  out <- as.matrix(newx %*% beta[-1L, , drop = FALSE]) +
    rep(beta[1L, ], each = nrow(newx))
  colnames(out) <- colnames(beta)
  out
}

#' Print, summarize and plot an exact lasso path
#'
#' `print()` lists the knots: `lambda`, the number of nonzero coefficients
#' (`df`) after the knot, and the events there (`+` enters, `-` leaves, `~`
#' dependent: reached the boundary as a combination of the active columns).
#' `summary()` gives the path's extent, how it ends, and one row per term:
#' where it first enters, how often it enters and leaves, and its final
#' coefficient. `plot()` draws the coefficient paths (original scale)
#' against `lambda` (log axis), `log(lambda)` or the l1 norm, with the
#' number of nonzero coefficients on the top axis, as glmnet's plot does.
#'
#' @param x,object A `"lasso_path"` fit.
#' @param n Number of knots printed.
#' @param xvar Horizontal axis: `"lambda"` (log scale), `"loglambda"` or
#'   `"l1"` (the l1 norm of the coefficients on the original scale).
#' @param label Write the term names at the end of their paths.
#' @param ... Passed to [graphics::matplot()] by `plot()`; unused otherwise.
#' @return `print()` and `plot()` return `x` invisibly; `summary()` an object
#'   of class `"summary.lasso_path"` with a data frame `terms`.
#' @examples
#' fit <- lasso_path(as.matrix(diabetes[, 1:10]), diabetes$y)
#' print(fit, n = 5)
#' summary(fit)
#' plot(fit, label = TRUE)
#' plot(fit, xvar = "l1")
#' @name print.lasso_path
#' @export
print.lasso_path <- function(x, ..., n = 20) {
  n <- check_count(n, "n", 0, inf_ok = TRUE)
  ev <- x$events
  cat(sprintf("Exact lasso path%s: %d knots, lambda from %s to %s\n",
              if (x$nonneg) " (non-negative)" else "", length(x$lambda),
              format(max(x$lambda), digits = 4), format(min(x$lambda), digits = 4)))
  if (!x$complete) cat("  stopped at max_knots before lambda = 0\n")
  sym <- c(enter = "+", drop = "-", dependent = "~")
  events <- vapply(split(paste0(sym[ev$event], ev$term),
                         factor(ev$knot, levels = seq_along(x$lambda))),
                   paste, character(1), collapse = " ")
  tab <- data.frame(knot = seq_along(x$lambda), lambda = signif(x$lambda, 5),
                    df = x$df, events = unname(events))
  if (n > 0) print(utils::head(tab, n), row.names = FALSE)
  if (nrow(tab) > n) cat(sprintf("... %d more knots\n", nrow(tab) - n))
  invisible(x)
}

#' @rdname print.lasso_path
#' @export
summary.lasso_path <- function(object, ...) {
  ev <- object$events
  K <- length(object$lambda)
  terms <- rownames(object$beta)
  enters <- ev[ev$event == "enter", , drop = FALSE]
  first <- enters$lambda[match(terms, enters$term)]
  count <- function(what) {
    as.vector(table(factor(ev$term[ev$event == what], levels = terms)))
  }
  tab <- data.frame(term = terms, first_lambda = first, entries = count("enter"),
                    drops = count("drop"), final = unname(object$beta[, K]),
                    stringsAsFactors = FALSE)
  tab <- tab[order(-ifelse(is.na(tab$first_lambda), -Inf, tab$first_lambda)), ]
  rownames(tab) <- NULL
  p <- length(terms)
  n <- object$prep$n
  end <- if (!object$complete) "stopped at max_knots" else
    if (!is.na(n) && max(object$df) >= min(n - object$prep$intercept, p) &&
        min(n - object$prep$intercept, p) < p) "the interpolating fit of minimum l1 norm" else
    "the least-squares fit"
  structure(list(
    knots = K,
    lambda_range = range(object$lambda),
    complete = object$complete,
    end = end,
    max_df = max(object$df),
    entries = sum(ev$event == "enter"),
    drops = sum(ev$event == "drop"),
    dependent = unique(ev$term[ev$event == "dependent"]),
    monotone = attr(monotonicity(object, 0), "monotone"),
    nonneg = object$nonneg,
    terms = tab
  ), class = "summary.lasso_path")
}

#' @export
print.summary.lasso_path <- function(x, ...) {
  cat(sprintf("Exact lasso path%s\n", if (x$nonneg) " (non-negative)" else ""))
  cat(sprintf("  knots: %d, lambda in [%s, %s]; ends at %s\n", x$knots,
              format(x$lambda_range[1], digits = 4),
              format(x$lambda_range[2], digits = 4), x$end))
  cat(sprintf("  entries: %d, drops: %d, largest active set: %d\n", x$entries,
              x$drops, x$max_df))
  if (length(x$dependent)) {
    cat("  linear combinations of active columns, held at zero:",
        name_list(x$dependent), "\n")
  }
  cat(sprintf("  z(mu) = mu * b(mu) monotone in every coordinate: %s\n",
              monotone_label(x$monotone, list(lambda = x$lambda_range))))
  cat("Terms in order of entry:\n")
  tab <- x$terms
  tab$first_lambda <- signif(tab$first_lambda, 5)
  tab$final <- signif(tab$final, 5)
  print(utils::head(tab, 20), row.names = FALSE)
  if (nrow(tab) > 20) cat(sprintf("... %d more terms\n", nrow(tab) - 20))
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

#' @rdname print.lasso_path
#' @export
plot.lasso_path <- function(x, xvar = c("lambda", "loglambda", "l1"),
                            label = FALSE, ...) {
  xvar <- check_choice(xvar, c("lambda", "loglambda", "l1"), "xvar")
  check_flag(label, "label")
  cv <- path_curves(x, xvar)
  base_plot(graphics::matplot, cv$x, t(cv$beta), list(...), type = "l", lty = 1,
            log = if (xvar == "lambda") "x" else "", xlab = cv$label,
            ylab = "coefficient (original scale)")
  graphics::abline(h = 0, col = "grey")
  at <- graphics::axTicks(1)
  graphics::axis(3, at = at, labels = df_at(x, xvar, at), tcl = NA)
  graphics::mtext("nonzero coefficients", side = 3, line = 2, cex = 0.8)
  if (label) {
    end <- if (xvar == "l1") which.max(cv$x) else which.min(cv$x)
    graphics::text(cv$x[end], cv$beta[, end], rownames(cv$beta),
                   pos = if (xvar == "l1") 4 else 2, cex = 0.7, xpd = TRUE)
  }
  invisible(x)
}

# The coefficient paths (original scale) as drawn against `xvar`: lambda
# (positive knots only, for a log axis), log(lambda), or the l1 norm. The
# path is linear in lambda and in the l1 norm between knots but not in
# log(lambda): on those axes each segment gets points in between (while the
# path has at most 500 knots), so the curves drawn are the exact path. An
# exact path that ends at lambda = 0 is drawn two decades past its last
# positive knot (its last segment; with one variable, its only one).
path_curves <- function(fit, xvar) {
  lam <- fit$lambda
  if (xvar == "l1") {
    return(list(x = colSums(abs(fit$beta)), beta = fit$beta,
                label = "l1 norm of the coefficients"))
  }
  ends_at_zero <- identical(fit$method, "homotopy") && any(lam == 0)
  lam <- lam[lam > 0]
  if (ends_at_zero && length(lam)) lam <- c(lam, min(lam) / 100)
  if (!length(lam)) {
    why <- if (all(fit$beta == 0)) "zero: nothing to fit, e.g. a constant response" else
      "the unpenalized fit: no penalized column can enter (none, or all constant)"
    dlnpath_abort(sprintf(paste0(
      "the path has no knot with lambda > 0 (it is the same for every lambda, %s); ",
      "use xvar = \"l1\""), why), "xvar")
  }
  if (length(lam) > 1L && length(lam) <= 500L) {
    steps <- seq(0, 1, length.out = 9L)[-9L]
    lam <- c(as.vector(outer(steps, log(lam[-length(lam)]), function(s, a) a * (1 - s)) +
                         outer(steps, log(lam[-1L]), function(s, b) b * s)),
             log(lam[length(lam)]))
    lam <- exp(lam)
  }
  beta <- coef(fit, lambda = lam)[-1L, , drop = FALSE]
  list(x = if (xvar == "lambda") lam else log(lam), beta = beta,
       label = if (xvar == "lambda") "lambda (log scale)" else "log(lambda)")
}

# Number of nonzero coefficients at positions `at` of that axis ("" outside
# the path), from the exact coefficients there. An l1 norm is first mapped
# to the largest lambda at which the path reaches it (the norm is linear in
# lambda between knots).
df_at <- function(fit, xvar, at) {
  out <- rep("", length(at))
  lam <- switch(xvar, lambda = at, loglambda = exp(at),
                l1 = vapply(at, l1_to_lambda, double(1), fit = fit))
  ok <- !is.na(lam) & lam >= 0 & (fit$complete | lam >= min(fit$lambda))
  if (any(ok)) out[ok] <- colSums(path_at(fit, lam[ok]) != 0)
  out
}

l1_to_lambda <- function(fit, l1) {
  norms <- colSums(abs(fit$beta))
  K <- length(norms)
  if (is.na(l1) || K < 2L) return(if (K && isTRUE(l1 == norms[1])) fit$lambda[1] else NA_real_)
  k <- which((norms[-K] - l1) * (norms[-1L] - l1) <= 0)[1]
  if (is.na(k)) return(NA_real_)
  w <- if (norms[k + 1L] == norms[k]) 0 else (l1 - norms[k]) / (norms[k + 1L] - norms[k])
  fit$lambda[k] + w * (fit$lambda[k + 1L] - fit$lambda[k])
}
