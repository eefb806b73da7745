#' Coefficients and predictions of a diagonal linear network
#'
#' `coef()` gives the network's own predictor \eqn{b(s)}, or with
#' `average = TRUE` the averaged trajectory \eqn{\bar b(s)}{bbar(s)}, at any
#' rescaled time `s` (or training time `time`, or penalty `lambda`). For
#' gradient flow, between the integrator's accepted steps the flow is
#' integrated again from the nearest earlier step, to the fit's tolerance.
#' For gradient descent, a time is served by the iterate
#' `k = round(t / step)`, recomputed exactly from the nearest earlier saved
#' iterate (minibatch runs are replayed from their start with the same
#' random numbers).
#'
#' @param object A `"dln"` fit.
#' @param s Rescaled times; default: the fit's grid.
#' @param average Return the averaged trajectory instead of \eqn{b(s)}.
#' @param newx Matrix or data frame of new observations (columns matched
#'   as in [predict.lasso_path()]).
#' @param type `"response"` or `"coefficients"`.
#' @param ... Unused.
#' @param time,lambda The times as training times or penalties
#'   (`lambda = weight_decay + 1/s`) instead of `s`.
#' @return `coef()`: a (p + 1) x length(s) matrix, intercept first.
#'   `predict()`: an nrow(newx) x length(s) matrix.
#' @examples
#' x <- as.matrix(diabetes[, 1:10])
#' fit <- dln(x, diabetes$y, epsilon = 1e-10)
#' coef(fit, s = c(0.05, 0.5), average = TRUE)
#' predict(fit, x[1:3, ], s = 0.5)
#' @export
coef.dln <- function(object, s = NULL, average = FALSE, ..., time = NULL,
                     lambda = NULL) {
  check_dots_empty(...)
  trajectory_coef(object, requested_s(object, s, time, lambda), average,
                  dln_state_at)
}

# coef() of a trajectory (a network, or its limit from dln_limit()): on the
# object's grid, or at any s from `state_at(object, s)` (Z and b there).
trajectory_coef <- function(object, s, average, state_at) {
  check_flag(average, "average")
  if (is.null(s)) {
    st <- object
    s <- object$s
  } else {
    if (!is.numeric(s) || !length(s) || anyNA(s) || any(!is.finite(s)) || any(s <= 0)) {
      dlnpath_abort("`s` must be positive finite numbers", "s")
    }
    st <- state_at(object, s)
  }
  B <- if (average) sweep(st$Z, 2L, s, "/") else st$b
  out <- to_original(object$prep, B)
  colnames(out) <- paste0("s=", signif(s, 5))
  out
}

#' @rdname coef.dln
#' @export
predict.dln <- function(object, newx, s = NULL, average = FALSE,
                        type = c("response", "coefficients"), ..., time = NULL,
                        lambda = NULL) {
  type <- check_choice(type, c("response", "coefficients"), "type")
  beta <- coef(object, s = requested_s(object, s, time, lambda), average = average,
               ...)
  if (type == "coefficients") return(beta)
  linear_predict(beta, newx, object$prep)
}

# Requested times as rescaled times s, in the order given (NULL: the grid).
requested_s <- function(object, s, time, lambda) {
  given <- c(s = !is.null(s), time = !is.null(time), lambda = !is.null(lambda))
  if (sum(given) > 1) {
    dlnpath_abort("give the times as one of `s`, `time`, `lambda`",
                  names(given)[given][2L])
  }
  if (!any(given)) return(NULL)
  arg <- names(given)[given]
  v <- list(s = s, time = time, lambda = lambda)[[arg]]
  if (!is.numeric(v) || !length(v) || anyNA(v) || any(!is.finite(v)) || any(v <= 0)) {
    dlnpath_abort(sprintf("`%s` must be positive finite numbers", arg), arg)
  }
  if (arg == "time" && !is.finite(object$log_inv_epsilon)) {
    dlnpath_abort("training time is infinite in the limit epsilon -> 0: give `s` or `lambda`",
                  "time")
  }
  switch(arg, s = v, time = v / dln_time_per_s(object), lambda = {
    if (any(v <= object$weight_decay)) {
      dlnpath_abort("`lambda` must exceed the fit's `weight_decay`", "lambda")
    }
    1 / (v - object$weight_decay)
  })
}

dln_time_per_s <- function(object) {
  object$log_inv_epsilon / if (object$param == "uv") 2 else 4
}

# Z(s) and b(s) on the internal scale at arbitrary s.
dln_state_at <- function(object, s) {
  if (object$method == "gd") gd_state_at(object, s) else flow_state_at(object, s)
}

# Flow: restart the integration from the last state on the fit's grid (or
# the origin) at or before each s: at most one grid interval is integrated
# again.
flow_state_at <- function(object, s) {
  p <- length(object$gram$r)
  h <- list(s = c(0, object$s), E = cbind(0, object$E), Z = cbind(0, object$Z))
  E <- Z <- matrix(0, p, length(s))
  start <- findInterval(s, h$s)
  for (k in unique(start)) {
    idx <- which(start == k)
    ord <- order(s[idx])
    res <- .Call(C_dln_flow, object$gram$M, object$gram$x, object$gram$r,
                 object$init$logcp, object$init$logcm, object$log_inv_epsilon,
                 object$weight_decay, h$s[k], h$E[, k], h$Z[, k], s[idx][ord],
                 object$tol, 100000L, FALSE, flow_blas())
    if (res$status != 0L) {
      dlnpath_abort(sprintf("the flow integration failed at s = %g", res$s_fail),
                    kind = "numeric")
    }
    E[, idx[ord]] <- res$E
    Z[, idx[ord]] <- res$Z
  }
  b <- .Call(C_dln_rhs, object$init$logcp, object$init$logcm,
             object$log_inv_epsilon, object$weight_decay, as.double(s), E)
  list(Z = Z, b = b)
}

# Gradient descent: the iterates k = round(t / step), run on from the
# nearest earlier saved iterate (minibatches: replayed from the start).
gd_state_at <- function(object, s) {
  gd <- object$gd
  k <- round(s * dln_time_per_s(object) / gd$step)
  if (any(k < 1)) {
    dlnpath_abort(sprintf("s = %g is before the first iteration (t = step = %g)",
                          min(s), gd$step), "s")
  }
  run <- c(gd[c("step", "use_x", "x", "y")],
           list(batch = gd$batch_size, g = object$gram, init = object$init,
                L = object$log_inv_epsilon, kappa = object$weight_decay,
                u2 = object$param == "u2"))
  ck <- gd$checkpoints
  start <- if (gd$batch_size > 0) rep(0L, length(k)) else findInterval(k, gd$k)
  b <- S <- matrix(0, length(object$gram$r), length(k))
  for (j in unique(start)) {
    idx <- which(start == j)
    kk <- sort(unique(k[idx]))
    state0 <- if (j > 0L) c(list(gd$k[j]), lapply(ck, function(m) m[, j]))
    res <- with_rng_state(gd$rng_state, gd_call(run, kk, state0))
    pos <- match(k[idx], kk)
    b[, idx] <- res$b[, pos]
    S[, idx] <- res$S[, pos]
  }
  # Z = s bbar_k at the requested s, so that Z / s is the iterate's average
  list(Z = sweep(S, 2L, s / k, "*"), b = b)
}

#' @export
as.data.frame.dln <- function(x, row.names = NULL, optional = FALSE, ...) {
  trajectory_frame(x, list(step = seq_along(x$s), time = x$time, s = x$s,
                           lambda = x$lambda))
}

# The long form of a trajectory (a network, or its limit): one row per
# (step, term), with `estimate` = b(s) and `estimate_avg` = bbar(s).
trajectory_frame <- function(x, cols) {
  est <- rbind(`(Intercept)` = x$a0, x$beta)
  avg <- rbind(`(Intercept)` = x$a0_avg, x$beta_avg)
  if (!x$prep$intercept) {
    est <- est[-1L, , drop = FALSE]
    avg <- avg[-1L, , drop = FALSE]
  }
  long_frame(list(estimate = est, estimate_avg = avg), cols)
}

#' @export
print.dln <- function(x, ...) {
  cat(sprintf("Diagonal linear network (%s), %s from epsilon = %s (log(1/epsilon) = %s)\n",
              x$param, if (x$method == "flow") "gradient flow" else "gradient descent",
              format_epsilon(x$epsilon, x$log_inv_epsilon),
              format(x$log_inv_epsilon, digits = 4)))
  if (x$weight_decay > 0) cat(sprintf("  weight decay %s\n", format(x$weight_decay)))
  cat(sprintf("  %d times, s in [%s, %s] (lambda = %s1/s)\n", length(x$s),
              format(min(x$s), digits = 4), format(max(x$s), digits = 4),
              if (x$weight_decay > 0) "weight_decay + " else ""))
  cat(" ", work_line(x), "\n")
  idx <- unique(round(seq(1, length(x$s), length.out = min(8L, length(x$s)))))
  tab <- data.frame(
    s = signif(x$s[idx], 4), lambda = signif(x$lambda[idx], 4),
    l1_avg = signif(colSums(abs(x$beta_avg[, idx, drop = FALSE])), 4),
    l1 = signif(colSums(abs(x$beta[, idx, drop = FALSE])), 4)
  )
  print(tab, row.names = FALSE)
  invisible(x)
}

# One line on the work done: integrator steps, or gradient-descent iterations.
work_line <- function(x) {
  st <- x$stats
  if (x$method == "flow") {
    return(sprintf("integrator: %.0f steps (%.0f rejected), %.0f right-hand sides, tol %s",
                   st[["steps"]], st[["rejected"]], st[["rhs"]], format(x$tol)))
  }
  gd <- x$gd
  sprintf("%.0f iterations of step %s%s; largest stable step along the run about %s",
          st[["steps"]], format(gd$step, digits = 4),
          if (gd$batch_size > 0) sprintf(" on minibatches of %d rows", gd$batch_size) else "",
          format(gd$largest_stable_step, digits = 3))
}

#' @export
summary.dln <- function(object, ...) {
  structure(list(param = object$param, method = object$method,
                 epsilon = object$epsilon, log_inv_epsilon = object$log_inv_epsilon,
                 s_range = range(object$s), stats = object$stats,
                 work = work_line(object),
                 final = coef(object)[, length(object$s)],
                 final_avg = coef(object, average = TRUE)[, length(object$s)]),
            class = "summary.dln")
}

#' @export
print.summary.dln <- function(x, ...) {
  cat(sprintf("Diagonal linear network (%s, %s), log(1/epsilon) = %s\n", x$param,
              x$method, format(x$log_inv_epsilon, digits = 4)))
  cat(sprintf("  s in [%s, %s]\n", format(x$s_range[1], digits = 4),
              format(x$s_range[2], digits = 4)))
  cat(" ", x$work, "\n")
  cat("  coefficients at the last time (b and its average):\n")
  print(cbind(b = x$final, b_avg = x$final_avg))
  invisible(x)
}

#' @export
plot.dln <- function(x, average = TRUE, xvar = c("s", "time", "lambda"), ...) {
  check_flag(average, "average")
  xvar <- check_choice(xvar, c("s", "time", "lambda"), "xvar")
  B <- if (average) x$beta_avg else x$beta
  base_plot(graphics::matplot, x[[xvar]], t(B), list(...), type = "l", log = "x",
            lty = 1, xlab = paste(dln_axis_label(xvar), "(log scale)"),
            ylab = if (average) "averaged coefficient" else "coefficient b")
  graphics::abline(h = 0, col = "grey")
  invisible(x)
}

# A base graphics call with the method's settings, which the user's named
# `dots` override (plot(fit, type = "p", xlab = NULL, ...)); unnamed ones
# follow x and y, as in a direct call.
base_plot <- function(fun, x, y, dots, ...) {
  args <- list(...)
  nm <- names(dots) %||% rep("", length(dots))
  named <- nzchar(nm)
  args[nm[named]] <- dots[named]
  do.call(fun, c(list(x, y), dots[!named], args))
}

dln_axis_label <- function(xvar) {
  switch(xvar, s = "rescaled time s", time = "training time t",
         lambda = "lambda = weight_decay + 1/s")
}
