#' Coefficients and predictions of a diagonal linear network
#'
#' `coef()` gives the network's own predictor \eqn{b(s)}, or with
#' `average = TRUE` the averaged trajectory \eqn{\bar b(s)}{bbar(s)}, at any
#' rescaled time `s`: between the integrator's accepted steps the flow is
#' integrated again from the nearest earlier step, to the fit's tolerance.
#'
#' @param object A `"dln"` fit.
#' @param s Rescaled times; default: the fit's grid.
#' @param average Return the averaged trajectory instead of \eqn{b(s)}.
#' @param newx Matrix of new observations.
#' @param type `"response"` or `"coefficients"`.
#' @param ... Unused.
#' @return `coef()`: a (p + 1) x length(s) matrix, intercept first.
#'   `predict()`: an nrow(newx) x length(s) matrix.
#' @examples
#' x <- as.matrix(diabetes[, 1:10])
#' fit <- dln(x, diabetes$y, epsilon = 1e-10)
#' coef(fit, s = c(0.05, 0.5), average = TRUE)
#' predict(fit, x[1:3, ], s = 0.5)
#' @export
coef.dln <- function(object, s = NULL, average = FALSE, ...) {
  check_dots_empty(...)
  trajectory_coef(object, s, average, dln_state_at)
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
                        type = c("response", "coefficients"), ...) {
  type <- match.arg(type)
  beta <- coef(object, s = s, average = average, ...)
  if (type == "coefficients") return(beta)
  linear_predict(beta, newx, object$prep$names)
}

# Z(s) and b(s) on the internal scale at arbitrary s, by restarting the flow
# from the last accepted step at or before each s.
dln_state_at <- function(object, s) {
  h <- object$history
  p <- length(object$gram$r)
  E <- Z <- matrix(0, p, length(s))
  start <- findInterval(s, h$s)
  for (k in unique(start)) {
    idx <- which(start == k)
    ord <- order(s[idx])
    res <- .Call(C_dln_flow, object$gram$M, object$gram$r, object$init$logcp,
                 object$init$logcm, object$log_inv_epsilon, object$weight_decay,
                 h$s[k], h$E[, k], h$Z[, k], s[idx][ord], object$tol, 100000L)
    if (res$status != 0L) {
      dlnpath_abort(sprintf("the flow integration failed at s = %g", res$s_fail),
                    kind = "numeric")
    }
    E[, idx[ord]] <- res$E
    Z[, idx[ord]] <- res$Z
  }
  b <- .Call(C_dln_rhs, object$init$logcp, object$init$logcm,
             object$log_inv_epsilon, object$weight_decay, as.double(s), E)
  list(E = E, Z = Z, b = b)
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
              format(x$epsilon, digits = 3), format(x$log_inv_epsilon, digits = 4)))
  if (x$weight_decay > 0) cat(sprintf("  weight decay %s\n", format(x$weight_decay)))
  cat(sprintf("  %d times, s in [%s, %s] (lambda = %s1/s)\n", length(x$s),
              format(min(x$s), digits = 4), format(max(x$s), digits = 4),
              if (x$weight_decay > 0) "weight_decay + " else ""))
  st <- x$stats
  cat(sprintf("  integrator: %d steps (%d rejected), %d right-hand sides, tol %s\n",
              st[["steps"]], st[["rejected"]], st[["rhs"]], format(x$tol)))
  idx <- unique(round(seq(1, length(x$s), length.out = min(8L, length(x$s)))))
  tab <- data.frame(
    s = signif(x$s[idx], 4), lambda = signif(x$lambda[idx], 4),
    l1_avg = signif(colSums(abs(x$beta_avg[, idx, drop = FALSE])), 4),
    l1 = signif(colSums(abs(x$beta[, idx, drop = FALSE])), 4)
  )
  print(tab, row.names = FALSE)
  invisible(x)
}

#' @export
summary.dln <- function(object, ...) {
  structure(list(param = object$param, method = object$method,
                 epsilon = object$epsilon, log_inv_epsilon = object$log_inv_epsilon,
                 s_range = range(object$s), stats = object$stats,
                 final = coef(object)[, length(object$s)],
                 final_avg = coef(object, average = TRUE)[, length(object$s)]),
            class = "summary.dln")
}

#' @export
print.summary.dln <- function(x, ...) {
  cat(sprintf("Diagonal linear network (%s, %s), log(1/epsilon) = %s\n", x$param,
              x$method, format(x$log_inv_epsilon, digits = 4)))
  cat(sprintf("  s in [%s, %s]; %d integrator steps\n", format(x$s_range[1], digits = 4),
              format(x$s_range[2], digits = 4), x$stats[["steps"]]))
  cat("  coefficients at the last time (b and its average):\n")
  print(cbind(b = x$final, b_avg = x$final_avg))
  invisible(x)
}

#' @export
plot.dln <- function(x, average = TRUE, ...) {
  B <- if (average) x$beta_avg else x$beta
  graphics::matplot(x$s, t(B), type = "l", log = "x", lty = 1,
                    xlab = "rescaled time s (log scale)",
                    ylab = if (average) "averaged coefficient" else "coefficient", ...)
  graphics::abline(h = 0, col = "grey")
  invisible(x)
}
