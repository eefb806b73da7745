#' @export
summary.dln_epsilon_study <- function(object, ...) {
  df <- as.data.frame(object)
  by_eps <- split(df, df$log_inv_epsilon)
  tab <- do.call(rbind, lapply(by_eps, function(d) {
    w <- which.max(d$rel_gap)
    if (!length(w)) w <- NA_integer_          # no gap defined (nothing to fit)
    data.frame(epsilon = d$epsilon[1L], log_inv_epsilon = d$log_inv_epsilon[1L],
               max_rel_gap = d$rel_gap[w], s_at_max = d$s[w],
               gap_times_log = d$rel_gap[w] * d$log_inv_epsilon[1L],
               max_limit_diff = max(d$limit_diff, na.rm = TRUE))
  }))
  rownames(tab) <- NULL
  # least-squares slope of log(max gap) and log(distance to the limit)
  # against log(log(1/epsilon)): -1 is the rate 1/log(1/epsilon)
  slope <- function(v) {
    ok <- which(v > 0)
    if (length(ok) < 2L) return(NA_real_)
    unname(stats::coef(stats::lm(log(v[ok]) ~ log(tab$log_inv_epsilon[ok])))[2L])
  }
  structure(tab, rate_gap = slope(tab$max_rel_gap),
            rate_limit = slope(tab$max_limit_diff),
            monotone = attr(object, "monotone"),
            class = c("summary.dln_epsilon_study", "data.frame"))
}

#' @export
print.summary.dln_epsilon_study <- function(x, ...) {
  cat(sprintf("Gap of the averaged trajectory as epsilon -> 0 (lasso path %s)\n",
              if (isTRUE(attr(x, "monotone"))) "monotone" else "not monotone"))
  show <- as.data.frame(lapply(unclass(x), function(v) if (is.numeric(v)) signif(v, 3) else v))
  # epsilon below the double range (given by log(1/epsilon)) is 0 as a number
  show$epsilon <- mapply(format_epsilon, x$epsilon, x$log_inv_epsilon)
  print(show, row.names = FALSE)
  rate <- function(v) if (is.na(v)) "? (needs two epsilons where it is positive)" else
    sprintf("%.2f", v)
  cat(sprintf(paste0("  max gap ~ log(1/epsilon)^%s; max |bbar - limit| ~ ",
                     "log(1/epsilon)^%s (1/log(1/epsilon) is ^-1)\n"),
              rate(attr(x, "rate_gap")), rate(attr(x, "rate_limit"))))
  invisible(x)
}

#' @export
print.dln_epsilon_study <- function(x, ...) {
  print(summary(x))
  cat(sprintf("  (a data frame of %d rows, one per (epsilon, s): %s)\n", nrow(x),
              paste(names(x), collapse = ", ")))
  invisible(x)
}

#' @export
as.data.frame.dln_epsilon_study <- function(x, row.names = NULL, optional = FALSE,
                                            ...) {
  attributes(x) <- attributes(x)[c("names", "row.names")]
  class(x) <- "data.frame"
  x
}

#' @export
summary.dln_random_study <- function(object, ...) {
  inst <- object$instances
  groups <- split(inst, factor(ifelse(inst$monotone, "monotone", "non-monotone"),
                               levels = c("monotone", "non-monotone")))
  tab <- do.call(rbind, lapply(names(groups), function(nm) {
    d <- groups[[nm]]
    q <- if (nrow(d)) stats::quantile(d$max_rel_gap, c(0.5, 0.9), names = FALSE) else
      c(NA_real_, NA_real_)
    data.frame(group = nm, count = nrow(d),
               median_gap = q[1L], q90_gap = q[2L],
               max_gap = if (nrow(d)) max(d$max_rel_gap) else NA_real_,
               below_0.04 = if (nrow(d)) mean(d$max_rel_gap < 0.04) else NA_real_,
               median_limit_gap = if (nrow(d)) stats::median(d$limit_gap) else NA_real_,
               stringsAsFactors = FALSE)
  }))
  structure(list(table = tab, fraction_monotone = object$fraction_monotone,
                 se = object$se, N = object$N, n = object$n, p = object$p,
                 epsilon = object$epsilon,
                 log_inv_epsilon = object$log_inv_epsilon %||% -log(object$epsilon),
                 ratio = tab$median_gap[2L] / tab$median_gap[1L]),
            class = "summary.dln_random_study")
}

#' @export
print.summary.dln_random_study <- function(x, ...) {
  cat(sprintf("%d random instances, X (%d x %d) and y iid N(0, 1), epsilon = %s\n",
              x$N, x$n, x$p, format_epsilon(x$epsilon, x$log_inv_epsilon)))
  cat(sprintf("  monotone lasso path: %.1f%% (binomial s.e. %.1f%%); the paper: 76%%\n",
              100 * x$fraction_monotone, 100 * x$se))
  cat("  largest relative gap over the grid, by instance:\n")
  show <- x$table
  show[] <- lapply(show, function(v) if (is.double(v)) signif(v, 3) else v)
  print(show, row.names = FALSE)
  if (is.finite(x$ratio)) {
    cat(sprintf("  median gap: %.1f times smaller on monotone instances\n", x$ratio))
  } else {
    cat("  median gap: no ratio (instances of one kind only, or gaps of 0)\n")
  }
  invisible(x)
}

#' @export
print.dln_random_study <- function(x, ...) {
  print(summary(x))
  invisible(x)
}

#' @export
as.data.frame.dln_random_study <- function(x, row.names = NULL, optional = FALSE,
                                           ...) {
  x$instances
}

# Their pictures are the autoplot() ones (ggplot2 is imported).

#' @export
plot.dln_epsilon_study <- function(x, ...) {
  print(autoplot.dln_epsilon_study(x, ...))
  invisible(x)
}

#' @export
plot.dln_random_study <- function(x, ...) {
  print(autoplot.dln_random_study(x, ...))
  invisible(x)
}
