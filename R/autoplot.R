# ggplot2 methods. Each reads the object's tidy form, so what is drawn is
# what as.data.frame() reports.

#' Plot dlnpath objects with ggplot2
#'
#' `autoplot()` methods for the package's classes:
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
#' * `"dln_limit"`: the limit averaged trajectory \eqn{Z(s)/s} (or the
#'   saddles, `average = FALSE`) against `s`, phase starts dotted.
#' * `"path_monotonicity"`: \eqn{z(\mu)}{z(mu)} per term, thick where
#'   \eqn{|z_i|} decreases (`type = "z"`), or the defect
#'   \eqn{z_\downarrow(\mu)}{z_down(mu)} and the bound \eqn{\eta}{eta}
#'   (`type = "defect"`).
#' * `"dln_epsilon_study"`: the largest gap against \eqn{\log(1/\epsilon)}{log(1/epsilon)}
#'   on log-log axes with the rate \eqn{C/\log(1/\epsilon)}{C / log(1/epsilon)}
#'   dashed (`type = "rate"`), or the gap curves, one per epsilon
#'   (`type = "gap"`).
#' * `"dln_random_study"`: the distribution of the largest gap for monotone
#'   and non-monotone instances (`type = "distribution"`), or the gap curves
#'   of `n_curves` instances of each kind (`type = "curves"`).
#'
#' @param object A fit.
#' @param xvar Horizontal axis.
#' @param average For `"dln"`: plot the averaged trajectory.
#' @param type The kind of plot (see the list above).
#' @param label For `"lasso_path"`: write the term names at the end of
#'   their paths.
#' @param standardized For `"dln_comparison"` paths: draw coefficients on the
#'   scale of the standardized columns (coefficient times column standard
#'   deviation), where paths of differently scaled columns are comparable.
#' @param n_curves For `"dln_random_study"` curves: instances drawn per kind.
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
  xvar <- check_choice(xvar, c("lambda", "loglambda", "l1"), "xvar")
  check_flag(label, "label")
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
  xvar <- check_choice(xvar, c("s", "time", "lambda"), "xvar")
  check_flag(average, "average")
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
                                  format_epsilon(object$epsilon,
                                                 object$log_inv_epsilon)))
  p + ggplot2::scale_x_log10()
}

#' @rdname autoplot.dlnpath
#' @exportS3Method ggplot2::autoplot
autoplot.dln_comparison <- function(object, type = c("paths", "gap"),
                                    standardized = FALSE, ...) {
  type <- check_choice(type, c("paths", "gap"), "type")
  check_flag(standardized, "standardized")
  eps <- epsilon_label(object$dln)
  if (type == "gap") {
    df <- object$table
    df$curve <- "averaged trajectory"
    raw <- object$table
    raw$rel_gap <- raw$rel_gap_raw
    raw$curve <- "raw trajectory b(s)"
    df <- rbind(df, raw)
    df <- df[which(df$rel_gap > 0), , drop = FALSE]     # log axis; NA: not compared
    if (!nrow(df)) no_gap_to_plot(object)
    return(ggplot2::ggplot(df, ggplot2::aes(.data$s, .data$rel_gap,
                                            linetype = .data$curve)) +
      ggplot2::geom_line() +
      ggplot2::scale_x_log10() + ggplot2::scale_y_log10() +
      ggplot2::labs(x = "rescaled time s", y = "relative objective gap",
                    linetype = NULL,
                    title = sprintf("Lasso objective gap at lambda = 1/s, %s",
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
                  title = sprintf("Averaged DLN trajectory over the lasso path, %s",
                                  eps))
}

#' @rdname autoplot.dlnpath
#' @exportS3Method ggplot2::autoplot
autoplot.dln_limit <- function(object, average = TRUE, ...) {
  check_flag(average, "average")
  # the grid and the phase starts inside it: exact where the phases change
  s <- sort(unique(c(object$s, object$knots[object$knots >= min(object$s) &
                                              object$knots <= max(object$s)])))
  B <- coef(object, s = s, average = average)[-1L, , drop = FALSE]
  df <- data.frame(s = rep(s, each = nrow(B)), term = rownames(B),
                   estimate = as.vector(B))
  knots <- object$knots[object$knots > 0 & object$knots <= max(s)]
  p <- ggplot2::ggplot(df, ggplot2::aes(.data$s, .data$estimate, colour = .data$term)) +
    ggplot2::geom_hline(yintercept = 0, colour = "grey70") +
    ggplot2::geom_vline(xintercept = knots, colour = "grey80", linetype = "dotted") +
    ggplot2::scale_x_log10() +
    ggplot2::labs(x = "rescaled time s",
                  y = if (average) "limit averaged coefficient Z(s)/s" else "saddle",
                  colour = NULL,
                  title = sprintf("Limit epsilon -> 0 (%s): %d phases", object$param,
                                  length(object$knots)))
  if (average) p + ggplot2::geom_line() else p + ggplot2::geom_step()
}

#' @rdname autoplot.dlnpath
#' @exportS3Method ggplot2::autoplot
autoplot.path_monotonicity <- function(object, type = c("z", "defect"), ...) {
  type <- check_choice(type, c("z", "defect"), "type")
  seg <- attr(object, "segments")
  if (!length(seg$mu_from)) {
    return(ggplot2::ggplot() + ggplot2::labs(title = "the lasso path is zero"))
  }
  last <- utils::tail(seg$mu_to, 1L)
  top <- if (is.finite(last)) last else 3 * utils::tail(seg$mu_from, 1L)
  mu <- sort(unique(c(exp(seq(log(seg$mu_from[1L] / 2), log(top), length.out = 300)),
                      seg$mu_from)))
  if (type == "defect") {
    d <- monotonicity_defect(object, mu)
    df <- rbind(data.frame(mu = mu, value = d$defect, curve = "defect z_down(mu)"),
                data.frame(mu = mu, value = d$eta, curve = "eta"))
    return(ggplot2::ggplot(df, ggplot2::aes(.data$mu, .data$value)) +
      ggplot2::geom_line() +
      ggplot2::facet_wrap(ggplot2::vars(.data$curve), scales = "free_y", ncol = 1) +
      ggplot2::scale_x_log10() +
      ggplot2::labs(x = "mu = s", y = NULL,
                    title = "Monotonicity defect of the lasso path"))
  }
  # each term scaled by its largest |z| on the range: z grows like mu, and
  # the shape (does |z| turn back?) is what matters
  Z <- z_at(object, mu)
  unit <- apply(abs(Z), 1L, max, na.rm = TRUE)
  unit[!(unit > 0)] <- 1
  Z <- Z / unit
  df <- data.frame(mu = rep(mu, each = nrow(Z)), term = rownames(Z),
                   z = as.vector(Z))
  iv <- attr(object, "intervals")
  bad <- do.call(rbind, lapply(seq_len(nrow(iv)), function(k) {
    m <- mu[mu >= iv$mu_from[k] & mu <= iv$mu_to[k]]
    data.frame(mu = m, term = iv$term[k], z = Z[iv$term[k], match(m, mu)], run = k)
  }))
  p <- ggplot2::ggplot(df, ggplot2::aes(.data$mu, .data$z, colour = .data$term)) +
    ggplot2::geom_hline(yintercept = 0, colour = "grey70") +
    ggplot2::geom_line() +
    ggplot2::scale_x_log10() +
    ggplot2::labs(x = "mu = s", y = "z(mu) / max |z| (per term)", colour = NULL,
                  title = if (isTRUE(attr(object, "monotone"))) "z(mu) is monotone" else
                    "z(mu): thick where |z| decreases")
  if (!is.null(bad)) {
    p <- p + ggplot2::geom_line(data = bad, ggplot2::aes(group = .data$run),
                                linewidth = 1.6, alpha = 0.6)
  }
  p
}

#' @rdname autoplot.dlnpath
#' @exportS3Method ggplot2::autoplot
autoplot.dln_epsilon_study <- function(object, type = c("rate", "gap"), ...) {
  type <- check_choice(type, c("rate", "gap"), "type")
  if (!any(object$rel_gap > 0, na.rm = TRUE)) {
    dlnpath_abort(paste0("the study has no positive gap to draw (nothing to ",
                         "fit, e.g. a constant response, gives NA gaps)"), "object")
  }
  if (type == "gap") {
    df <- as.data.frame(object)
    labels <- mapply(format_epsilon, df$epsilon, df$log_inv_epsilon)
    df$epsilon_label <- factor(labels, levels = unique(labels))
    df <- df[which(df$rel_gap > 0), , drop = FALSE]
    return(ggplot2::ggplot(df, ggplot2::aes(.data$s, .data$rel_gap,
                                            colour = .data$epsilon_label)) +
      ggplot2::geom_line() +
      ggplot2::scale_x_log10() + ggplot2::scale_y_log10() +
      ggplot2::labs(x = "rescaled time s", y = "relative objective gap",
                    colour = "epsilon",
                    title = "Gap of the averaged trajectory for each epsilon"))
  }
  tab <- summary(object)
  ref <- tab$gap_times_log[1L] / tab$log_inv_epsilon
  df <- rbind(
    data.frame(L = tab$log_inv_epsilon, value = tab$max_rel_gap,
               curve = "largest relative gap"),
    data.frame(L = tab$log_inv_epsilon, value = ref,
               curve = "C / log(1/epsilon)"))
  lim <- suppressWarnings(max(object$rel_gap_limit, na.rm = TRUE))
  p <- ggplot2::ggplot(df, ggplot2::aes(.data$L, .data$value, linetype = .data$curve)) +
    ggplot2::geom_line() +
    ggplot2::geom_point(data = df[df$curve == "largest relative gap", ]) +
    ggplot2::scale_x_log10() + ggplot2::scale_y_log10() +
    ggplot2::scale_linetype_manual(values = c("largest relative gap" = "solid",
                                              "C / log(1/epsilon)" = "dashed")) +
    ggplot2::labs(x = "log(1/epsilon)", y = "largest relative gap over s",
                  linetype = NULL,
                  title = sprintf("Gap against log(1/epsilon): slope %.2f (rate 1/log(1/epsilon): -1)",
                                  attr(tab, "rate_gap")))
  if (is.finite(lim) && lim > 0) {
    p <- p + ggplot2::geom_hline(yintercept = lim, linetype = "dotted") +
      ggplot2::labs(caption = "dotted: the largest gap of the limit epsilon -> 0")
  }
  p
}

#' @rdname autoplot.dlnpath
#' @exportS3Method ggplot2::autoplot
autoplot.dln_random_study <- function(object, type = c("distribution", "curves"),
                                      n_curves = 20, ...) {
  type <- check_choice(type, c("distribution", "curves"), "type")
  n_curves <- check_count(n_curves, "n_curves")
  kind <- function(m) factor(ifelse(m, "monotone", "non-monotone"),
                             levels = c("monotone", "non-monotone"))
  if (type == "curves") {
    cv <- object$curves
    keep <- unlist(lapply(split(unique(cv[, c("instance", "monotone")])$instance,
                                unique(cv[, c("instance", "monotone")])$monotone),
                          utils::head, n = n_curves))
    cv <- cv[which(cv$instance %in% keep & cv$rel_gap > 0), , drop = FALSE]
    cv$kind <- kind(cv$monotone)
    return(ggplot2::ggplot(cv, ggplot2::aes(.data$s, .data$rel_gap,
                                            group = .data$instance,
                                            colour = .data$kind)) +
      ggplot2::geom_line(alpha = 0.6) +
      ggplot2::scale_x_log10() + ggplot2::scale_y_log10() +
      ggplot2::labs(x = "rescaled time s", y = "relative objective gap",
                    colour = NULL,
                    title = sprintf("Gap curves of %d instances of each kind", n_curves)))
  }
  inst <- object$instances
  inst$kind <- kind(inst$monotone)
  inst <- inst[which(inst$max_rel_gap > 0), , drop = FALSE]
  ggplot2::ggplot(inst, ggplot2::aes(.data$max_rel_gap, fill = .data$kind)) +
    ggplot2::geom_histogram(bins = 40, alpha = 0.6, position = "identity") +
    ggplot2::scale_x_log10() +
    ggplot2::labs(x = "largest relative gap over s (log scale)", y = "instances",
                  fill = NULL,
                  title = sprintf("%d random instances: %.0f%% monotone (paper: 76%%)",
                                  object$N, 100 * object$fraction_monotone))
}
