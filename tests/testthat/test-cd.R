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
