#' @export
as.data.frame.dln_comparison <- function(x, row.names = NULL, optional = FALSE,
                                         ...) {
  x$table
}

#' @export
print.dln_comparison <- function(x, ..., n = 12) {
  n <- check_count(n, "n", 0, inf_ok = TRUE)
  tab <- x$table
  sm <- summary(x)
  cat(sprintf("DLN (%s, %s) vs exact %slasso path at lambda = %s1/s\n",
              x$dln$param, epsilon_label(x$dln),
              if (x$lasso$nonneg) "non-negative " else "",
              if (x$dln$weight_decay > 0) "weight_decay + " else ""))
  cat(sprintf("  lasso path monotone (theorem applies exactly): %s\n",
              monotone_label(x$monotone, x$lasso)))
  cat(sprintf("  max relative gap %s; max |bbar - b_lasso| %s\n", gap_label(sm),
              format(sm$max_abs_diff, digits = 3)))
  idx <- unique(round(seq(1, nrow(tab), length.out = min(n, nrow(tab)))))
  show <- tab[idx, c("s", "lambda", "rel_gap", "max_abs_diff", "support_agree")]
  show$s <- signif(show$s, 4)
  show$lambda <- signif(show$lambda, 4)
  show$rel_gap <- signif(show$rel_gap, 3)
  show$max_abs_diff <- signif(show$max_abs_diff, 3)
  if (n > 0) print(show, row.names = FALSE)
  invisible(x)
}

#' @export
summary.dln_comparison <- function(object, ...) {
  tab <- object$table
  # the times compared: the lasso is known there and its objective is not 0
  ok <- !is.na(tab$rel_gap)
  worst <- if (any(ok)) which.max(tab$rel_gap) else NA_integer_
  at <- function(v) if (is.na(worst)) NA else v[worst]
  diff <- if (is.na(worst)) numeric(0) else
    abs(object$coef_avg[, worst] - object$coef_lasso[, worst])
  known <- !is.na(tab$max_abs_diff)
  structure(list(
    monotone = object$monotone,
    complete = object$lasso$complete,
    lambda_min = min(object$lasso$lambda),
    compared = sum(ok), times = nrow(tab), known = sum(known),
    max_rel_gap = at(tab$rel_gap), s_at_max = at(tab$s),
    lambda_at_max = at(tab$lambda),
    term_at_max = if (length(diff)) names(diff)[which.max(diff)] else NA_character_,
    defect_at_max = at(tab$defect),
    max_rel_gap_raw = if (any(ok)) max(tab$rel_gap_raw[ok]) else NA_real_,
    max_abs_diff = if (any(known)) max(tab$max_abs_diff[known]) else NA_real_,
    support_agree = if (any(known)) mean(tab$support_agree[known]) else NA_real_,
    epsilon = epsilon_label(object$dln), param = object$dln$param
  ), class = "summary.dln_comparison")
}

#' @export
print.summary.dln_comparison <- function(x, ...) {
  cat(sprintf("DLN (%s, %s) vs lasso\n", x$param, x$epsilon))
  cat(sprintf("  lasso path monotone: %s\n",
              monotone_label(x$monotone, list(complete = x$complete,
                                              lambda = x$lambda_min))))
  if (x$known < x$times) {
    cat(sprintf(paste0("  compared at %d of %d times: the lasso path stops at ",
                       "lambda = %s (max_knots)\n"), x$known, x$times,
                format(x$lambda_min, digits = 4)))
  }
  cat(sprintf("  worst relative gap of the averaged trajectory: %s\n", gap_label(x)))
  if (!is.na(x$max_rel_gap)) {
    cat(sprintf("    farthest term there: %s; monotonicity defect there: %s\n",
                x$term_at_max, format(x$defect_at_max, digits = 3)))
    cat(sprintf("  worst relative gap of the raw trajectory: %s\n",
                format(x$max_rel_gap_raw, digits = 3)))
  }
  cat(sprintf("  max |bbar - b_lasso|: %s; supports agree at %s of the %d times compared\n",
              format(x$max_abs_diff, digits = 3),
              if (is.na(x$support_agree)) "none" else
                sprintf("%.0f%%", 100 * x$support_agree), x$known))
  invisible(x)
}

# "0.0327 at s = 2.1 (lambda = 0.48)", or why there is no gap.
gap_label <- function(sm) {
  if (!is.na(sm$max_rel_gap)) {
    return(sprintf("%s at s = %s (lambda = %s)", format(sm$max_rel_gap, digits = 3),
                   format(sm$s_at_max, digits = 4), format(sm$lambda_at_max, digits = 4)))
  }
  if (sm$known == 0) return("undefined (no time before the end of the lasso path)")
  "undefined (the lasso objective is 0: nothing to fit)"
}

# TRUE / FALSE, or why monotonicity is unknown.
monotone_label <- function(monotone, lasso) {
  if (!is.na(monotone)) return(format(monotone))
  sprintf("unknown below lambda = %s (the path stops there, max_knots); none found above",
          format(min(lasso$lambda), digits = 4))
}

#' @export
plot.dln_comparison <- function(x, type = c("paths", "gap"), ...) {
  type <- check_choice(type, c("paths", "gap"), "type")
  tab <- x$table
  if (type == "gap") {
    ok <- which(is.finite(tab$rel_gap))
    if (!length(ok)) no_gap_to_plot(x)
    base_plot(graphics::plot, tab$s[ok], tab$rel_gap[ok], list(...), type = "l",
              log = "x", xlab = "rescaled time s (log scale)", ylab = "relative gap")
  } else {
    base_plot(graphics::matplot, tab$s, t(x$coef_lasso), list(...), type = "l",
              lty = 2, log = "x", xlab = "rescaled time s (log scale)",
              ylab = "coefficient")
    graphics::matlines(tab$s, t(x$coef_avg), lty = 1)
  }
  invisible(x)
}

no_gap_to_plot <- function(x) {
  dlnpath_abort(sprintf("there is no relative gap to plot: it is %s; use type = \"paths\"",
                        gap_label(summary(x))), "type")
}

# "epsilon = 1e-05", "epsilon = 1.14e-4343" (below the double range: from
# log(1/epsilon)), or the limit.
epsilon_label <- function(fit) {
  if (!is.finite(fit$log_inv_epsilon)) return("limit epsilon -> 0")
  paste("epsilon =", format_epsilon(fit$epsilon, fit$log_inv_epsilon))
}

format_epsilon <- function(epsilon, log_inv_epsilon) {
  if (epsilon > 0) return(format(epsilon, digits = 3))
  e10 <- -log_inv_epsilon / log(10)
  ex <- floor(e10)
  sprintf("%se%d", format(10^(e10 - ex), digits = 3), ex)
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

#' @export
plot.path_monotonicity <- function(x, ...) {
  print(autoplot.path_monotonicity(x, ...))
  invisible(x)
}
