#' @export
as.data.frame.dln_comparison <- function(x, row.names = NULL, optional = FALSE,
                                         ...) {
  x$table
}

#' @export
print.dln_comparison <- function(x, ..., n = 12) {
  tab <- x$table
  worst <- which.max(tab$rel_gap)
  cat(sprintf("DLN (%s, %s) vs exact %slasso path at lambda = %s1/s\n",
              x$dln$param, epsilon_label(x$dln$epsilon),
              if (x$lasso$nonneg) "non-negative " else "",
              if (x$dln$weight_decay > 0) "weight_decay + " else ""))
  cat(sprintf("  lasso path monotone (theorem applies exactly): %s\n", x$monotone))
  cat(sprintf("  max relative gap %s at s = %s; max |bbar - b_lasso| %s\n",
              format(tab$rel_gap[worst], digits = 3), format(tab$s[worst], digits = 4),
              format(max(tab$max_abs_diff), digits = 3)))
  idx <- unique(round(seq(1, nrow(tab), length.out = min(n, nrow(tab)))))
  show <- tab[idx, c("s", "lambda", "rel_gap", "max_abs_diff", "support_agree")]
  show$s <- signif(show$s, 4)
  show$lambda <- signif(show$lambda, 4)
  show$rel_gap <- signif(show$rel_gap, 3)
  show$max_abs_diff <- signif(show$max_abs_diff, 3)
  print(show, row.names = FALSE)
  invisible(x)
}

#' @export
summary.dln_comparison <- function(object, ...) {
  tab <- object$table
  worst <- which.max(tab$rel_gap)
  diff <- abs(object$coef_avg[, worst] - object$coef_lasso[, worst])
  structure(list(
    monotone = object$monotone,
    max_rel_gap = tab$rel_gap[worst], s_at_max = tab$s[worst],
    lambda_at_max = tab$lambda[worst],
    term_at_max = if (length(diff)) names(diff)[which.max(diff)] else NA_character_,
    defect_at_max = tab$defect[worst],
    max_rel_gap_raw = max(tab$rel_gap_raw),
    max_abs_diff = max(tab$max_abs_diff),
    support_agree = mean(tab$support_agree),
    epsilon = object$dln$epsilon, param = object$dln$param
  ), class = "summary.dln_comparison")
}

#' @export
print.summary.dln_comparison <- function(x, ...) {
  cat(sprintf("DLN (%s, %s) vs lasso\n", x$param, epsilon_label(x$epsilon)))
  cat(sprintf("  lasso path monotone: %s\n", x$monotone))
  cat(sprintf("  worst relative gap of the averaged trajectory: %s at s = %s (lambda = %s)\n",
              format(x$max_rel_gap, digits = 3), format(x$s_at_max, digits = 4),
              format(x$lambda_at_max, digits = 4)))
  cat(sprintf("    farthest term there: %s; monotonicity defect there: %s\n",
              x$term_at_max, format(x$defect_at_max, digits = 3)))
  cat(sprintf("  worst relative gap of the raw trajectory: %s\n",
              format(x$max_rel_gap_raw, digits = 3)))
  cat(sprintf("  max |bbar - b_lasso|: %s; supports agree at %.0f%% of times\n",
              format(x$max_abs_diff, digits = 3), 100 * x$support_agree))
  invisible(x)
}

#' @export
plot.dln_comparison <- function(x, type = c("paths", "gap"), ...) {
  type <- match.arg(type)
  tab <- x$table
  if (type == "gap") {
    graphics::plot(tab$s, tab$rel_gap, type = "l", log = "x",
                   xlab = "rescaled time s (log scale)", ylab = "relative gap", ...)
  } else {
    graphics::matplot(tab$s, t(x$coef_lasso), type = "l", lty = 2, log = "x",
                      xlab = "rescaled time s (log scale)", ylab = "coefficient", ...)
    graphics::matlines(tab$s, t(x$coef_avg), lty = 1)
  }
  invisible(x)
}

epsilon_label <- function(epsilon) {
  if (epsilon == 0) "limit epsilon -> 0" else
    paste("epsilon =", format(epsilon, digits = 3))
}

#' @export
print.path_monotonicity <- function(x, ...) {
  kappa <- attr(x, "weight_decay") %||% 0
  cat(sprintf("z(mu) = mu * b_lasso(%s1/mu) is %s\n",
              if (kappa > 0) paste(format(kappa), "+ ") else "",
              if (isTRUE(attr(x, "monotone"))) "monotone: the theorem applies exactly" else
                "not monotone"))
  print.data.frame(x, row.names = FALSE)
  iv <- attr(x, "intervals")
  if (!is.null(iv) && nrow(iv)) {
    cat("|z| decreases on:\n")
    iv[] <- lapply(iv, function(v) if (is.numeric(v)) signif(v, 4) else v)
    print(iv, row.names = FALSE)
  }
  invisible(x)
}
