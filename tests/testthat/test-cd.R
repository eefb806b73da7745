# The coordinate-descent kernel (src/cd.c): covariance and residual updates,
# the switch between them, face steps, screening by gradient bounds, and the
# C entry's own argument checks.

test_that("covariance and residual updates give the same certified path", {
  for (d in list(random_design(120, 40, rho = 0.6, seed = 1),
                 random_design(30, 200, rho = 0.3, seed = 2))) {
    fits <- lapply(c("covariance", "naive", "auto"), function(type) {
      lasso_path(d$x, d$y, method = "cd", type = type, tol = 1e-11, nlambda = 50)
    })
    expect_equal(fits[[1]]$updates, "covariance")
    expect_equal(fits[[2]]$updates, "naive")
    for (f in fits) expect_true(all(f$gap <= 1e-11))
    expect_lt(max(abs(fits[[1]]$beta_std - fits[[2]]$beta_std)), 1e-8)
    expect_lt(max(abs(fits[[1]]$beta_std - fits[[3]]$beta_std)), 1e-8)
  }
})

test_that("the Gram block's budget switches to residual updates mid-path", {
  # p >> n: the cached block may hold sqrt(n p) = 49 columns
  d <- random_design(6, 400, rho = 0.7, seed = 1)
  auto <- lasso_path(d$x, d$y, method = "cd", tol = 1e-9, lambda_min_ratio = 1e-3)
  cov <- lasso_path(d$x, d$y, method = "cd", tol = 1e-9, lambda_min_ratio = 1e-3,
                    type = "covariance")
  expect_equal(auto$updates, "naive")
  expect_equal(cov$updates, "covariance")
  expect_true(all(auto$gap <= 1e-9))
  g <- gram_of(d$x, d$y)
  obj_auto <- primal_objective(g, auto$beta_std, auto$lambda)
  obj_cov <- primal_objective(g, cov$beta_std, cov$lambda)
  expect_lt(max(abs(obj_auto - obj_cov) / g$c), 1e-9)
})

test_that("face steps make high accuracy cheap on correlated designs", {
  d <- random_design(200, 60, rho = 0.95, seed = 3)
  exact <- lasso_path(d$x, d$y, method = "cd", tol = 1e-12)
  expect_true(all(exact$gap <= 1e-12))
  g <- gram_of(d$x, d$y)
  kkt <- vapply(seq_along(exact$lambda), function(k) {
    kkt_residual(g$M, g$r, exact$beta_std[, k], exact$lambda[k]) / exact$lambda[k]
  }, double(1))
  expect_lt(max(kkt), 1e-8)
  # a few sweeps per lambda find the supports; plain coordinate descent
  # needs thousands here (glmnet: over 2000 passes per lambda at
  # thresh = 1e-13 on such designs)
  expect_lt(mean(exact$sweeps), 30)
})

test_that("screening by gradient bounds never hides a KKT violation", {
  # wide and correlated: most coordinates stay outside the working set and
  # are checked through bounds on their stored gradients
  d <- random_design(40, 1500, rho = 0.4, seed = 4)
  for (type in c("naive", "covariance")) {
    fit <- lasso_path(d$x, d$y, method = "cd", type = type, tol = 1e-8, nlambda = 40)
    g <- gram_of(d$x, d$y)
    grad <- g$r - g$M %*% fit$beta_std
    viol <- sweep(abs(grad), 2, fit$lambda, "/")
    expect_lt(max(viol[fit$beta_std == 0]), 1 + 1e-6)
  }
})

test_that("unpenalized and bounded coordinates are certified", {
  d <- random_design(80, 30, rho = 0.5, seed = 5)
  pf <- c(0, 0, 0, rep(1, 27))
  fit <- lasso_path(d$x, d$y, method = "cd", penalty_factor = pf, lower = -0.3,
                    upper = 2, tol = 1e-12)
  expect_true(all(fit$gap <= 1e-12))
  expect_true(all(fit$beta >= -0.3 - 1e-12 & fit$beta <= 2 + 1e-12))
  # at lambda_max the unpenalized columns get box-constrained least squares:
  # zero gradient inside the box, pointing outwards at a limit
  g <- gram_of(d$x, d$y)
  b <- fit$beta_std[1:3, 1]
  grad <- drop(g$r - g$M %*% fit$beta_std[, 1])[1:3]
  lo <- -0.3 * g$sd[1:3]
  hi <- 2 * g$sd[1:3]
  inside <- b > lo + 1e-12 & b < hi - 1e-12
  expect_true(any(!inside))
  expect_lt(max(abs(grad[inside])), 1e-10)
  expect_true(all(grad[abs(b - hi) <= 1e-12] >= -1e-10))
  expect_true(all(grad[abs(b - lo) <= 1e-12] <= 1e-10))
})

test_that("below the gradients' rounding level the gap is an honest bound, and says so", {
  # near the least-squares fit the gradients are rounding errors, larger
  # than such a lambda: no certificate is possible (counting them as zero
  # certified fits 2.7e-9 from optimal on an ill-conditioned design), and
  # the warning says why instead of blaming the solver
  x <- diabetes_x(); y <- diabetes_y()
  ls <- coef(lm(y ~ x))
  w <- expect_warning(fit <- lasso_path(x, y, method = "cd", lambda = 1e-15),
                      class = "dlnpath_warning_not_converged")
  expect_match(conditionMessage(w), "rounding errors .* exceed the penalty")
  expect_equal(drop(coef(fit)), unname(ls), tolerance = 1e-8, ignore_attr = TRUE)
  # an ill-conditioned design (cond(x) = 1e7): the reported gap bounds the
  # suboptimality, computed from the least-squares fit, at every lambda
  set.seed(3)
  n <- 60; p <- 12
  s <- svd(matrix(rnorm(n * p), n))
  x <- s$u %*% diag(10^seq(0, -7, length.out = p)) %*% t(s$v)
  y <- drop(x %*% rnorm(p)) + 0.1 * rnorm(n)
  fit <- suppressWarnings(lasso_path(x, y, method = "cd", intercept = FALSE, tol = 1e-12,
                                     lambda = c(1e-3, 1e-6, 1e-9, 1e-12, 1e-15)))
  bls <- qr.coef(qr(x), y)
  rls <- y - x %*% bls
  cnull <- sum(y^2) / (2 * n)
  for (k in seq_along(fit$lambda)) {
    d <- x %*% (fit$beta[, k] - bls)
    # f(b) - f(b_ls) is at most the suboptimality (f* >= f(b_ls))
    below <- (sum(d^2) - 2 * sum(d * rls)) / (2 * n * cnull) +
      fit$lambda[k] * sum(fit$prep$scale * (abs(fit$beta[, k]) - abs(bls))) / cnull
    expect_gte(fit$gap[k], below - 1e-13)
  }
})

test_that("lambda_max follows the limited unpenalized fit in both update modes", {
  # nonneg, no intercept, n < p (residual updates): the stored gradients of
  # all the others must be refreshed after the unpenalized column's fit
  # (its lambda_max was max|X'y|/n at b = 0, 1.432 instead of glmnet's 1.4198)
  X <- matrix(c(0.52, 0.21, -0.13, 0.17, 0.96, 0.41, -0.47, -2.24, -0.8, -0.02,
                -2.51, 2.21, -1.49, -1.16, 1.46, -2.19, 0.74, -0.34, 0.46, 0.88,
                -0.96, -0.71, -3, -0.96), 4, 6)
  y <- c(0.38, 0.51, 2.03, 0.06)
  pf <- c(0, 1, 1, 1, 1, 1)
  b1 <- sum(X[, 1] * y) / sum(X[, 1]^2)
  ref <- max(abs(crossprod(X[, -1], y - X[, 1] * b1))) / 4 / (6 / 5)
  for (type in c("naive", "covariance")) {
    fit <- lasso_path(X, y, method = "cd", nonneg = TRUE, penalty_factor = pf,
                      standardize = FALSE, intercept = FALSE, type = type)
    expect_equal(fit$lambda_max, ref, tolerance = 1e-12)
    expect_equal(fit$lambda[1], ref, tolerance = 1e-12)
  }
  skip_if_not_installed("glmnet")
  g <- glmnet::glmnet(X, y, lower.limits = 0, penalty.factor = pf,
                      standardize = FALSE, intercept = FALSE)
  expect_equal(g$lambda[1], ref, tolerance = 1e-6)
  # two unpenalized columns, one pushed against its limit by the other: a
  # joint step from zero is stopped at once (lambda_max was taken at b = 0,
  # 0.716 instead of 0.6968); the fit is V1 = 0 and V2 by least squares
  set.seed(2)
  x <- matrix(rnorm(24), 4); y <- rnorm(4); pf <- c(0, 0, 1, 1, 1, 1)
  yc <- y - mean(y); xc <- scale(x, scale = FALSE)
  sdv <- sqrt(colMeans(xc^2)); xs <- sweep(xc, 2, sdv, "/")
  b2 <- sum(xs[, 2] * yc) / sum(xs[, 2]^2)
  ref <- max(abs(crossprod(xs[, -(1:2)], yc - xs[, 2] * b2))) / 4 / (6 / 4)
  for (type in c("naive", "covariance")) {
    fit <- lasso_path(x, y, method = "cd", nonneg = TRUE, penalty_factor = pf,
                      nlambda = 5, type = type)
    expect_equal(fit$lambda_max, ref, tolerance = 1e-10)
    expect_equal(unname(fit$beta[1:2, 1]), c(0, b2 / sdv[2]), tolerance = 1e-10)
  }
  g <- glmnet::glmnet(x, y, lower.limits = 0, penalty.factor = pf, nlambda = 5,
                      thresh = 1e-14)
  expect_equal(g$lambda[1], ref, tolerance = 1e-6)
})

test_that("the C entry checks its arguments", {
  x <- diabetes_x()
  n <- nrow(x); p <- ncol(x)
  ctl <- list(1e-7, 100L, 0L, FALSE, 1e-5)
  call_cd <- function(...) {
    a <- list(x = x, sparse = NULL, M = NULL, r = NULL, y = rep(0, n),
              sw = rep(1, n), center = rep(0, p), scale = rep(1, p), c = 0,
              cnull = 0, w = rep(1, p), lo = rep(-Inf, p), hi = rep(Inf, p),
              lambda = NULL, nlambda = 5L, lmr = 1e-4, control = ctl, b0 = NULL,
              lam0 = 0)
      a[names(list(...))] <- list(...)
      do.call(.Call, c(list(dlnpath:::C_cd_path), unname(a)))
  }
  expect_type(call_cd(), "list")
  expect_error(call_cd(y = rep(0, 3)), "length")
  expect_error(call_cd(scale = rep(0, p)), "positive")
  expect_error(call_cd(w = rep(-1, p)), "non-negative")
  expect_error(call_cd(lo = rep(1, p)), "<= 0")
  expect_error(call_cd(lambda = c(1, 2)), "decreasing")
  expect_error(call_cd(control = list(1)), "control")
  expect_error(call_cd(b0 = rep(NA_real_, p)), "finite")
  expect_error(call_cd(sparse = list(1L, 2L, 3)), "sparse")
})
