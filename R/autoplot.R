# ggplot2 methods. Each reads the object's tidy form, so what is drawn is
# what as.data.frame() reports.

#' Plot dlnpath objects with ggplot2
#'
#' `autoplot()` methods for the three classes.
#' * `"lasso_path"`: coefficient paths against `lambda` (log axis), log
#'   `lambda`, or the l1 norm, with the number of nonzero coefficients on a
#'   secondary axis (as glmnet's plot shows it).
#' * `"dln"`: trajectories (averaged, or the network's own `b(s)`) against
#'   `s`, the training time `t`, or `lambda`.
#' * `"dln_comparison"`: the averaged network paths drawn over the lasso paths
#'   against `s` (`type = "paths"`), or the relative objective gap
#'   (`type = "gap"`).
#'
#' @param object A fit.
#' @param xvar Horizontal axis.
#' @param average For `"dln"`: plot the averaged trajectory.
#' @param type For `"dln_comparison"`: `"paths"` or `"gap"`.
#' @param standardized For `"dln_comparison"` paths: draw coefficients on the
#'   scale of the standardized columns (coefficient times column standard
#'   deviation), where paths of differently scaled columns are comparable.
#' @param ... Unused.
#' @return A ggplot object.
#' @examples
#' if (requireNamespace("ggplot2", quietly = TRUE)) {
#'   x <- as.matrix(diabetes[, 1:10])
#'   cmp <- compare_paths(dln(x, diabetes$y, epsilon = 1e-30))
#'   ggplot2::autoplot(cmp)
#'   ggplot2::autoplot(cmp, type = "gap")
#' }
#' @name autoplot.dlnpath
NULL

#' @rdname autoplot.dlnpath
#' @exportS3Method ggplot2::autoplot
autoplot.lasso_path <- function(object, xvar = c("lambda", "loglambda", "l1"),
                                ...) {
  xvar <- match.arg(xvar)
  df <- as.data.frame(object)
  df <- df[df$term != "(Intercept)", , drop = FALSE]
  l1 <- colSums(abs(object$beta))
  df$l1 <- l1[df$step]
  df$x <- switch(xvar, lambda = df$lambda, loglambda = log(df$lambda), l1 = df$l1)
  if (xvar != "l1") df <- df[df$lambda > 0, , drop = FALSE]
  xlab <- switch(xvar, lambda = "lambda (log scale)", loglambda = "log(lambda)",
                 l1 = "l1 norm of the coefficients")
  # df as a secondary axis: the knots' df placed at their x positions
  knots <- data.frame(x = switch(xvar, lambda = object$lambda,
                                 loglambda = log(object$lambda), l1 = l1),
                      df = object$df)
  knots <- knots[is.finite(knots$x) & (xvar == "l1" | object$lambda > 0), ]
  p <- ggplot2::ggplot(df, ggplot2::aes(.data$x, .data$estimate,
                                        colour = .data$term)) +
    ggplot2::geom_hline(yintercept = 0, colour = "grey70") +
    ggplot2::geom_line() +
    ggplot2::labs(x = xlab, y = "coefficient (original scale)", colour = NULL)
  top <- ggplot2::dup_axis(name = "nonzero coefficients",
                           breaks = knots$x, labels = knots$df)
  if (nrow(knots) > 25) {
    keep <- unique(round(seq(1, nrow(knots), length.out = 25)))
    top <- ggplot2::dup_axis(name = "nonzero coefficients",
                             breaks = knots$x[keep], labels = knots$df[keep])
  }
  if (xvar == "lambda") {
    p + ggplot2::scale_x_log10(sec.axis = top)
  } else if (xvar == "loglambda") {
    p + ggplot2::scale_x_continuous(sec.axis = top)
  } else {
    p + ggplot2::scale_x_continuous(sec.axis = top)
  }
}

#' @rdname autoplot.dlnpath
#' @exportS3Method ggplot2::autoplot
autoplot.dln <- function(object, xvar = c("s", "time", "lambda"), average = TRUE,
                         ...) {
  xvar <- match.arg(xvar)
  df <- as.data.frame(object)
  df <- df[df$term != "(Intercept)", , drop = FALSE]
  df$y <- if (average) df$estimate_avg else df$estimate
  df$x <- df[[xvar]]
  p <- ggplot2::ggplot(df, ggplot2::aes(.data$x, .data$y, colour = .data$term)) +
    ggplot2::geom_hline(yintercept = 0, colour = "grey70") +
    ggplot2::geom_line() +
    ggplot2::labs(x = dln_axis_label(xvar),
                  y = if (average) "averaged coefficient" else "coefficient b(s)",
                  colour = NULL,
                  title = sprintf("Diagonal linear network (%s), %s, epsilon = %s",
                                  object$param,
                                  if (object$method == "flow") "gradient flow" else
                                    sprintf("gradient descent (step %s)",
                                            format(object$gd$step, digits = 3)),
                                  format(object$epsilon, digits = 3)))
  p + ggplot2::scale_x_log10()
}

#' @rdname autoplot.dlnpath
#' @exportS3Method ggplot2::autoplot
autoplot.dln_comparison <- function(object, type = c("paths", "gap"),
                                    standardized = FALSE, ...) {
  type <- match.arg(type)
  eps <- format(object$dln$epsilon, digits = 3)
  if (type == "gap") {
    df <- object$table
    df$curve <- "averaged trajectory"
    raw <- object$table
    raw$rel_gap <- raw$rel_gap_raw
    raw$curve <- "raw trajectory b(s)"
    df <- rbind(df, raw)
    df <- df[df$rel_gap > 0, , drop = FALSE]
    return(ggplot2::ggplot(df, ggplot2::aes(.data$s, .data$rel_gap,
                                            linetype = .data$curve)) +
      ggplot2::geom_line() +
      ggplot2::scale_x_log10() + ggplot2::scale_y_log10() +
      ggplot2::labs(x = "rescaled time s", y = "relative objective gap",
                    linetype = NULL,
                    title = sprintf("Lasso objective gap at lambda = 1/s, epsilon = %s",
                                    eps)))
  }
  s <- object$table$s
  terms <- rownames(object$coef_avg)
  unit <- if (standardized) object$dln$prep$scale else 1
  df <- rbind(
    data.frame(s = rep(s, each = length(terms)), term = terms,
               estimate = as.vector(object$coef_lasso * unit),
               curve = "lasso at lambda = 1/s"),
    data.frame(s = rep(s, each = length(terms)), term = terms,
               estimate = as.vector(object$coef_avg * unit),
               curve = "averaged network")
  )
  ggplot2::ggplot(df, ggplot2::aes(.data$s, .data$estimate, colour = .data$term,
                                   linetype = .data$curve)) +
    ggplot2::geom_hline(yintercept = 0, colour = "grey70") +
    ggplot2::geom_line() +
    ggplot2::scale_x_log10() +
    ggplot2::scale_linetype_manual(values = c("averaged network" = "solid",
                                              "lasso at lambda = 1/s" = "22")) +
    ggplot2::labs(x = "rescaled time s",
                  y = if (standardized) "coefficient x column sd" else
                    "coefficient (original scale)",
                  colour = NULL, linetype = NULL,
                  title = sprintf("Averaged DLN trajectory over the lasso path, epsilon = %s",
                                  eps))
}
