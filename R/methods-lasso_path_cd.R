# Methods of the coordinate-descent path ("lasso_path_cd", a "lasso_path").
# predict, as.data.frame, plot and autoplot are those of "lasso_path".

#' Coefficients of a coordinate-descent lasso path
#'
#' On the grid, the stored solutions. Off the grid, a coordinate-descent path
#' is not linear in `lambda` (only the exact homotopy path is), so the lasso
#' is solved again at each requested `lambda`, warm-started from the nearest
#' grid point above it and certified to the fit's `tol` like the grid
#' points. This needs the data, which the fit keeps.
#'
#' @param object A fit from `lasso_path(method = "cd")`.
#' @param lambda Penalty values; default: the grid.
#' @param ... Unused.
#' @return A (p + 1) x length(lambda) matrix, intercept first, as in glmnet.
#' @examples
#' x <- as.matrix(diabetes[, 1:10])
#' fit <- lasso_path(x, diabetes$y, method = "cd", nlambda = 20)
#' coef(fit, lambda = fit$lambda[5])      # stored
#' coef(fit, lambda = 3)                  # solved at lambda = 3
#' @export
coef.lasso_path_cd <- function(object, lambda = NULL, ...) {
  check_lambda_spelling(...)
  check_dots_empty(...)
  if (is.null(lambda)) {
    lambda <- object$lambda
    B <- object$beta_std
  } else {
    lambda <- check_lambda_query(lambda)
    B <- cd_at(object, lambda)
  }
  out <- to_original(object$prep, B)
  colnames(out) <- format_lambda(lambda)
  out
}

#' @export
print.lasso_path_cd <- function(x, ..., n = 20) {
  K <- length(x$lambda)
  cat(sprintf("Lasso path by coordinate descent%s: %d lambda%s from %s to %s, %s updates\n",
              if (x$nonneg) " (non-negative)" else "", K, if (K == 1L) "" else "s",
              format(max(x$lambda), digits = 4), format(min(x$lambda), digits = 4),
              x$updates))
  cat(sprintf("  relative duality gap <= %s certified at %d of %d lambdas (largest %s)\n",
              format(x$tol, digits = 3), sum(x$gap <= x$tol), length(x$gap),
              format(max(x$gap), digits = 3)))
  tab <- data.frame(step = seq_along(x$lambda), lambda = signif(x$lambda, 5),
                    df = x$df, dev.ratio = round(x$dev.ratio, 4),
                    gap = signif(x$gap, 3))
  print(utils::head(tab, n), row.names = FALSE)
  if (nrow(tab) > n) cat(sprintf("... %d more lambdas\n", nrow(tab) - n))
  invisible(x)
}

#' @export
summary.lasso_path_cd <- function(object, ...) {
  structure(list(
    nlambda = length(object$lambda),
    lambda_range = range(object$lambda),
    lambda_max = object$lambda_max,
    max_df = max(object$df),
    tol = object$tol,
    max_gap = max(object$gap),
    certified = sum(object$gap <= object$tol),
    sweeps = sum(object$sweeps),
    updates = object$updates,
    dev_ratio = object$dev.ratio[length(object$dev.ratio)],
    nonneg = object$nonneg
  ), class = "summary.lasso_path_cd")
}

#' @export
print.summary.lasso_path_cd <- function(x, ...) {
  cat(sprintf("Lasso path by coordinate descent%s (%s updates)\n",
              if (x$nonneg) " (non-negative)" else "", x$updates))
  cat(sprintf("  %d lambdas in [%s, %s]; lambda_max = %s\n", x$nlambda,
              format(x$lambda_range[1], digits = 4),
              format(x$lambda_range[2], digits = 4),
              format(x$lambda_max, digits = 4)))
  cat(sprintf("  largest active set: %d; deviance ratio at the end: %s\n", x$max_df,
              format(x$dev_ratio, digits = 4)))
  cat(sprintf(paste0("  relative duality gap <= %s certified at %d of %d lambdas ",
                     "(largest %s); %d coordinate sweeps\n"),
              format(x$tol, digits = 3), x$certified, x$nlambda,
              format(x$max_gap, digits = 3), x$sweeps))
  invisible(x)
}
