# ggplot2 methods. Each reads the object's tidy form, so what is drawn is
# what as.data.frame() reports.

#' Plot dlnpath objects with ggplot2
#'
#' `autoplot()` methods for the three classes.
#' * `"lasso_path"`: coefficient paths (original scale) against `lambda`
#'   (log axis), log `lambda`, or the l1 norm, with the number of nonzero
#'   coefficients on a secondary axis at the axis breaks (as glmnet's plot
#'   shows it); `label = TRUE` writes the term names at the end of the
#'   paths (and drops the legend).
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
#' @param label For `"lasso_path"`: write the term names at the end of
#'   their paths.
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
                                label = FALSE, ...) {
  xvar <- match.arg(xvar)
  cv <- path_curves(object, xvar)
  df <- long_frame(cv$beta, list(x = cv$x))
  # the number of nonzero coefficients at the breaks of the axis, on top
  top <- ggplot2::dup_axis(name = "nonzero coefficients",
                           labels = function(at) df_at(object, xvar, at))
  p <- ggplot2::ggplot(df, ggplot2::aes(.data$x, .data$estimate,
                                        colour = .data$term)) +
    ggplot2::geom_hline(yintercept = 0, colour = "grey70") +
    ggplot2::geom_line() +
    ggplot2::labs(x = cv$label, y = "coefficient (original scale)", colour = NULL) +
    if (xvar == "lambda") ggplot2::scale_x_log10(sec.axis = top) else
      ggplot2::scale_x_continuous(sec.axis = top)
  if (label) {
    end <- df[df$x == (if (xvar == "l1") max(df$x) else min(df$x)), , drop = FALSE]
    p <- p + ggplot2::geom_text(data = end, ggplot2::aes(label = .data$term),
                                hjust = if (xvar == "l1") -0.1 else 1.1,
                                size = 3, show.legend = FALSE) +
      ggplot2::theme(legend.position = "none")
  }
  p
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
    ggplot2::labs(x = switch(xvar, s = "rescaled time s", time = "training time t",
                             lambda = "lambda = weight_decay + 1/s"),
                  y = if (average) "averaged coefficient" else "coefficient b(s)",
                  colour = NULL,
                  title = sprintf("Diagonal linear network (%s), epsilon = %s",
                                  object$param, format(object$epsilon, digits = 3)))
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
