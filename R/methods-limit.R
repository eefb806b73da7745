#' Coefficients of the epsilon -> 0 limit of a diagonal linear network
#'
#' The limit is exact at any `s`: \eqn{Z(s)} is linear within each phase.
#' `average = FALSE` gives the limit of the network's own predictor (the
#' saddle of the phase containing `s`), `average = TRUE` the limit averaged
#' trajectory \eqn{Z(s)/s}.
#'
#' @param object A `"dln_limit"` fit.
#' @param s Rescaled times; default: the fit's grid.
#' @param average Return the averaged trajectory instead of the saddle.
#' @param newx Matrix or data frame of new observations (columns matched
#'   as in [predict.lasso_path()]).
#' @param type `"response"` or `"coefficients"`.
#' @param ... Unused.
#' @param lambda The times as penalties `lambda = weight_decay + 1/s`
#'   instead of `s`.
#' @param time For `predict()`, as for [predict.dln()] (training time is
#'   infinite in the limit: only `s` or `lambda` apply).
#' @return `coef()`: a (p + 1) x length(s) matrix, intercept first.
#'   `predict()`: an nrow(newx) x length(s) matrix.
#' @examples
#' lim <- dln_limit(as.matrix(diabetes[, 1:10]), diabetes$y)
#' coef(lim, s = c(0.05, 0.5), average = TRUE)
#' @export
coef.dln_limit <- function(object, s = NULL, average = FALSE, ..., lambda = NULL) {
  check_dots_empty(...)
  trajectory_coef(object, requested_s(object, s, NULL, lambda), average, limit_state)
}

#' @rdname coef.dln_limit
#' @export
predict.dln_limit <- predict.dln

#' @export
as.data.frame.dln_limit <- function(x, row.names = NULL, optional = FALSE, ...) {
  trajectory_frame(x, list(step = seq_along(x$s), s = x$s, lambda = x$lambda))
}

#' @export
print.dln_limit <- function(x, ..., n = 20) {
  n <- check_count(n, "n", 0, inf_ok = TRUE)
  ph <- x$phases
  cat(sprintf("Limit epsilon -> 0 of a diagonal linear network (%s)%s: %d phases\n",
              x$param, if (x$weight_decay > 0)
                sprintf(", weight decay %s", format(x$weight_decay)) else "",
              nrow(ph)))
  if (!x$complete) {
    cat(sprintf("  stopped by max_phases at s = %s: unknown beyond\n",
                format(x$s_end, digits = 4)))
  }
  show <- ph[seq_len(min(n, nrow(ph))), c("phase", "s_start", "lambda_start",
                                          "enter", "leave")]
  show$df <- phase_df(x)[seq_len(nrow(show))]
  show$s_start <- signif(show$s_start, 4)
  show$lambda_start <- signif(show$lambda_start, 4)
  if (n > 0) print(show, row.names = FALSE)
  if (nrow(ph) > n) cat(sprintf("  ... %d more phases\n", nrow(ph) - n))
  invisible(x)
}

# The number of nonzero coefficients of each phase's saddle.
phase_df <- function(lim) colSums(lim$saddles != 0)[lim$phases$phase + 1L]

#' @export
summary.dln_limit <- function(object, ...) {
  ph <- object$phases
  ph$df <- phase_df(object)
  structure(list(phases = ph, param = object$param, complete = object$complete,
                 s_end = object$s_end, weight_decay = object$weight_decay,
                 final = object$saddles[, ncol(object$saddles)]),
            class = "summary.dln_limit")
}

#' @export
print.summary.dln_limit <- function(x, ...) {
  ph <- x$phases
  jumps <- if (nrow(ph) < 2L) "no jumps" else
    paste0("jumps at s = ", paste(signif(utils::head(ph$s_start[-1L], 6), 3),
                                  collapse = ", "), if (nrow(ph) > 7) ", ..." else "")
  cat(sprintf("Limit epsilon -> 0 (%s): %d phase%s, %s\n", x$param, nrow(ph),
              if (nrow(ph) == 1L) "" else "s", jumps))
  cat(sprintf("  entries %d, exits %d; largest support %d; %s\n",
              sum(nzchar(ph$enter)), sum(nzchar(ph$leave)), max(ph$df),
              if (x$complete) "complete (the last saddle is the end of the path)"
              else sprintf("stopped by max_phases at s = %s", format(x$s_end, digits = 4))))
  cat("  last saddle:\n")
  print(signif(x$final, 4))
  invisible(x)
}

#' @export
plot.dln_limit <- function(x, average = TRUE, ...) {
  check_flag(average, "average")
  B <- if (average) x$beta_avg else x$beta
  base_plot(graphics::matplot, x$s, t(B), list(...), type = "l", log = "x", lty = 1,
            xlab = "rescaled time s (log scale)",
            ylab = if (average) "limit averaged coefficient" else "saddle")
  graphics::abline(h = 0, col = "grey")
  graphics::abline(v = x$knots[x$knots > 0], col = "grey", lty = 3)
  invisible(x)
}
