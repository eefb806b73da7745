# lasso_path(method = "cd"): the lasso on a lambda grid by coordinate
# descent (src/cd.c), every solution certified by a duality gap. Data are
# prepared with glmnet's semantics (observation weights, standardization,
# sparse input centred implicitly), the kernel is called once, and the result
# is a "lasso_path_cd" object (a "lasso_path" whose coef() re-solves off the
# grid).

# The arguments of method = "cd" that lasso_path() takes through `...`.
cd_arguments <- c("weights", "lower", "upper", "tol", "maxit", "type",
                  "early_stop")

# Entry point from lasso_path(): `grid` from check_lambda_grid(), `lambda`
# as given (for the message when it was not sorted); the arguments after
# `intercept` arrive through lasso_path()'s `...`.
lasso_path_cd <- function(x, y, grid, lambda, nonneg = FALSE,
                          penalty_factor = NULL, standardize = TRUE,
                          intercept = TRUE, weights = NULL, lower = -Inf,
                          upper = Inf, tol = 1e-7, maxit = 100000L,
                          type = c("auto", "covariance", "naive"),
                          early_stop = FALSE, call = NULL) {
  data <- cd_data(x, y, weights, standardize, intercept)
  settings <- cd_settings(data, nonneg, penalty_factor, lower, upper, tol,
                          maxit, type, early_stop)
  new_lasso_path_cd(cd_run(data, settings, cd_grid(grid, lambda, data)), data,
                    settings, call)
}

# lasso_path_gram(M, r, method = "cd", ...): `g` from check_gram(), whose
# `c` (given, or the smallest possible) is the null objective of the gaps.
lasso_path_gram_cd <- function(g, args, call) {
  check_dots_known(args, c("method", "lambda", "nlambda", "lambda_min_ratio",
                           "nonneg", "penalty_factor", "lower", "upper", "tol",
                           "maxit", "early_stop"))
  grid <- check_lambda_grid(args$lambda, args$nlambda %||% 100,
                            args$lambda_min_ratio)
  p <- length(g$r)
  data <- list(kind = "gram", M = g$M, r = g$r, n = NA_integer_, p = p,
               names = g$names, named = g$named, center = rep(0, p),
               scale = rep(1, p),
               ymean = 0, constant = diag(g$M) == 0, standardize = FALSE,
               intercept = FALSE, c = g$c, cnull = g$c)
  settings <- cd_settings(data, args$nonneg %||% FALSE, args$penalty_factor,
                          args$lower %||% -Inf, args$upper %||% Inf,
                          args$tol %||% 1e-7, args$maxit %||% 100000L, "auto",
                          args$early_stop %||% FALSE)
  fit <- new_lasso_path_cd(cd_run(data, settings, cd_grid(grid, args$lambda, data)),
                           data, settings, call)
  fit$gram <- g
  fit
}

# Validation and glmnet's preparation. Weights are rescaled to sum to n;
# columns are centred at their weighted means (intercept) and divided by their
# centred weighted 1/n standard deviations (standardize); the response is
# centred likewise; row i is then multiplied by sqrt(w_i). Constant columns
# are excluded. Dense x is standardized in C; sparse x never is.
cd_data <- function(x, y, weights, standardize, intercept) {
  named <- !is.null(colnames(x))
  x <- check_x(x, sparse_ok = TRUE, finite = FALSE)
  check_min_rows(x)
  n <- nrow(x)
  p <- ncol(x)
  y <- check_y(y, n)
  check_flag(standardize, "standardize")
  check_flag(intercept, "intercept")
  wts <- check_weights(weights, n)
  sparse <- if (inherits(x, "dgCMatrix")) list(x@i, x@p, x@x)
  dense <- if (is.null(sparse)) x
  mom <- .Call(C_col_moments, dense, sparse, c(n, p), wts)
  if (mom$nonfinite > 0) check_finite(x, "x")   # the classed error
  constant <- mom$constant
  center <- if (intercept) mom$mean else rep(0, p)
  scale <- if (standardize) mom$sd else rep(1, p)
  scale[constant | !(scale > 0)] <- 1
  ymean <- if (!intercept) 0 else if (is.null(weights)) mean(y) else sum(wts * y) / n
  sw <- sqrt(wts)
  ytil <- sw * (y - ymean)
  check_cd_range(ytil, "y")
  if (!standardize) check_cd_range(if (is.null(sparse)) dense else sparse[[3L]], "x")
  c0 <- sum(ytil^2) / (2 * n)
  list(kind = if (is.null(sparse)) "dense" else "sparse", x = dense,
       sparse = sparse, y = ytil, sw = sw, n = n, p = p, names = colnames(x),
       named = named,
       center = center, scale = scale, ymean = ymean, constant = constant,
       standardize = standardize, intercept = intercept, c = c0, cnull = c0)
}

# The kernel squares the data (gradients, gaps): beyond these sizes they
# overflow or underflow there, and the certificate with them (measured on
# diabetes: y's sum of squares beyond 1e307, x's entries beyond 1e154 or
# below 1e-155 gave wrong paths reported as certified). The path scales
# exactly, so rescaling the data is the remedy.
check_cd_range <- function(v, arg) {
  m <- max(abs(range(v, 0)))
  big <- if (arg == "y") !(sum(v^2) <= 1e307) else m > 1e153
  if (big || (m > 0 && m < 1e-152)) {
    dlnpath_abort(sprintf(paste0(
      "`%s` has entries of size %.3g, beyond what method = \"cd\" can square ",
      "(the path scales with the data: rescale `%s`%s, or use method = ",
      "\"homotopy\")"), arg, m, arg,
      if (arg == "x") " or use `standardize = TRUE`" else ""), arg,
      kind = "numeric")
  }
}

# Observation weights: non-negative, not all zero; rescaled to sum to n.
check_weights <- function(weights, n) {
  if (is.null(weights)) return(rep(1, n))
  if (!is.numeric(weights) || length(weights) != n || anyNA(weights) ||
      any(!is.finite(weights)) || any(weights < 0) || sum(weights) <= 0) {
    dlnpath_abort(sprintf(
      "`weights` must be %d finite non-negative numbers, not all zero", n),
      "weights")
  }
  as.double(weights) * n / sum(weights)
}

# Everything the kernel needs besides the data: penalty weights (Inf:
# excluded), box limits on the internal scale, and the control list.
cd_settings <- function(data, nonneg, penalty_factor, lower, upper, tol, maxit,
                        type, early_stop) {
  p <- data$p
  check_flag(nonneg, "nonneg")
  check_flag(early_stop, "early_stop")
  w <- penalty_weights(penalty_factor, p)
  w[data$constant] <- Inf
  lower <- check_limit(lower, p, "lower")
  upper <- check_limit(upper, p, "upper")
  if (nonneg) lower <- pmax(lower, 0)
  tol <- check_number(tol, "tol", 0, 1, open = c(TRUE, TRUE))
  maxit <- check_count(maxit, "maxit")
  types <- c("auto", "covariance", "naive")
  mode <- match(check_choice(type, types, "type"), types) - 1L
  # glmnet turns its deviance-change stop off when a limit is 0
  fdev <- if (any(lower == 0 | upper == 0)) 0 else 1e-5
  list(w = w, lower = lower, upper = upper, lo = lower * data$scale,
       hi = upper * data$scale, nonneg = nonneg,
       control = list(tol, maxit, mode, early_stop, fdev))
}

# glmnet's limits: one value or p values, lower <= 0 <= upper, on the
# original scale of x.
check_limit <- function(v, p, arg) {
  upper <- arg == "upper"
  ok <- is.numeric(v) && length(v) %in% c(1L, p) && !anyNA(v) &&
    all(if (upper) v >= 0 else v <= 0)
  if (!ok) {
    how_many <- if (p == 1L) "one number" else sprintf("one number or %d numbers", p)
    dlnpath_abort(sprintf("`%s` must be %s, all %s 0 (as in glmnet)",
                          arg, how_many, if (upper) ">=" else "<="), arg)
  }
  rep_len(as.double(v), p)
}

# The kernel's grid: the checked user grid (with a message when `lambda`
# was not already decreasing without duplicates), or the size and lower end
# of glmnet's grid.
cd_grid <- function(grid, lambda, data) {
  if (!is.null(grid$lambda)) {
    if (!identical(grid$lambda, as.double(lambda))) {
      message("`lambda` sorted in decreasing order",
              if (length(grid$lambda) < length(lambda)) " (duplicates dropped)")
    }
    return(list(lambda = grid$lambda, nlambda = length(grid$lambda), ratio = 0))
  }
  list(lambda = NULL, nlambda = grid$nlambda,
       ratio = grid$lambda_min_ratio %||% default_lambda_min_ratio(data$n, data$p))
}

# One call of the kernel; b0 (internal scale) is a warm start optimal at lam0.
cd_run <- function(data, settings, grid, b0 = NULL, lam0 = 0) {
  .Call(C_cd_path, data$x, data$sparse, data$M, data$r, data$y, data$sw,
        data$center, data$scale, data$c, data$cnull, settings$w, settings$lo,
        settings$hi, grid$lambda, grid$nlambda, grid$ratio, settings$control,
        b0, lam0)
}

new_lasso_path_cd <- function(res, data, settings, call) {
  warn_uncertified(res, settings)
  B <- res[["beta"]]
  res[["beta"]] <- NULL     # B alone holds it: naming it copies nothing
  dimnames(B) <- list(data$names, NULL)
  prep <- data[c("n", "p", "names", "named", "center", "scale", "ymean",
                 "constant", "standardize", "intercept")]
  structure(c(path_fields(prep, B, res$lambda, res$df), list(
    gap = res$gap,
    dev.ratio = res$dev,
    sweeps = res$sweeps,
    lambda_max = res$lambda_max,
    tol = settings$control[[1L]],
    updates = if (res$covariance) "covariance" else "naive",
    complete = all(res$certified),
    method = "cd",
    nonneg = settings$nonneg,
    lower = settings$lower,
    upper = settings$upper,
    penalty_factor = settings$w,
    prep = prep,
    solver = list(data = data, settings = settings),
    call = call
  )), class = c("lasso_path_cd", "lasso_path"))
}

warn_uncertified <- function(res, settings) {
  bad <- !res$certified
  if (!any(bad)) return(invisible())
  maxit <- settings$control[[2L]]
  # below lambda_round the gradients' rounding errors exceed the penalty:
  # no dual point of double precision is feasible there
  low <- bad & res$lambda < (res$lambda_round %||% 0)
  other <- bad & !low
  why <- c(
    if (any(low)) sprintf(paste0(
      "%d below lambda = %.3g, where the gradients' rounding errors (about 1e-11 ",
      "of their scale) exceed the penalty: a duality gap cannot certify there, ",
      "however accurate the fit"), sum(low), res$lambda_round),
    # the kernel also gives up when the gap stops decreasing (rounding, or an
    # ill-conditioned face), well before maxit
    if (any(other & res$sweeps >= maxit)) "increase `maxit`",
    if (any(other & res$sweeps < maxit)) sprintf(paste0(
      "progress stalled after %d sweeps, below maxit = %d: rounding or ",
      "ill-conditioning; a larger `tol` can be certified"),
      max(res$sweeps[other & res$sweeps < maxit]), maxit))
  dlnpath_warn(sprintf(paste0(
    "the duality gap did not reach tol = %g at %d lambda(s) (largest ",
    "relative gap %.3g at lambda = %g): %s"),
    settings$control[[1L]], sum(bad),
    max(res$gap[bad]), res$lambda[bad][which.max(res$gap[bad])],
    paste(why, collapse = "; ")), "not_converged")
}

# Solutions at `lambda` on the internal scale: stored ones on the grid, and
# off it an exact re-solve (to the fit's tol) warm-started from the nearest
# grid point above (a CD path is not linear between grid points).
cd_at <- function(fit, lambda) {
  grid <- fit$lambda
  B <- fit$beta_std
  out <- matrix(0, nrow(B), length(lambda), dimnames = list(rownames(B), NULL))
  for (k in seq_along(lambda)) {
    l <- lambda[k]
    hit <- which(abs(grid - l) <= 1e-12 * pmax(grid, l))
    if (length(hit)) {
      out[, k] <- B[, hit[1L]]
      next
    }
    above <- which(grid >= l)
    from <- if (length(above)) max(above) else 1L
    res <- cd_run(fit$solver$data, fit$solver$settings,
                  list(lambda = l, nlambda = 1L, ratio = 0),
                  b0 = B[, from], lam0 = grid[from])
    warn_uncertified(res, fit$solver$settings)
    out[, k] <- res$beta[, 1L]
  }
  out
}
