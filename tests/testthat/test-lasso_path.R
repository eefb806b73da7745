# lasso_path(): the exact homotopy path.

path_kkt <- function(fit, g, w = rep(1, length(g$r)), nonneg = FALSE) {
  lam <- fit$lambda
  B <- fit$beta_std
  K <- length(lam)
  at_knots <- vapply(seq_len(K), function(k) {
    kkt_residual(g$M, g$r, B[, k], lam[k], w, nonneg) / max(lam[k], lam[1] * 1e-3)
  }, double(1))
  mid <- vapply(seq_len(K - 1), function(k) {
    l <- (lam[k] + lam[k + 1]) / 2
    b <- (B[, k] + B[, k + 1]) / 2
    kkt_residual(g$M, g$r, b, l, w, nonneg) / l
  }, double(1))
  c(at_knots, mid)
}

test_that("KKT conditions hold at every knot and mid-segment on diabetes", {
  x <- diabetes_x(); y <- diabetes_y()
  for (opt in list(c(TRUE, TRUE), c(FALSE, FALSE), c(TRUE, FALSE), c(FALSE, TRUE))) {
    fit <- lasso_path(x, y, standardize = opt[1], intercept = opt[2])
    g <- gram_of(x, y, opt[1], opt[2])
    expect_lt(max(path_kkt(fit, g)), 1e-9)
    expect_true(all(diff(fit$lambda) < 0))
    expect_equal(fit$lambda[length(fit$lambda)], 0)
  }
})

test_that("KKT conditions hold on random designs (n > p, n < p, correlated)", {
  cases <- list(c(50, 10, 0), c(20, 60, 0), c(100, 30, 0.8), c(15, 40, 0.5))
  for (i in seq_along(cases)) {
    d <- random_design(cases[[i]][1], cases[[i]][2], cases[[i]][3], seed = i)
    fit <- lasso_path(d$x, d$y)
    g <- gram_of(d$x, d$y)
    expect_lt(max(path_kkt(fit, g)), 1e-9)
    expect_true(all(diff(fit$lambda) < 0))
  }
})

test_that("the path agrees with glmnet at 20 of its lambdas", {
  skip_if_not_installed("glmnet")
  x <- diabetes_x(); y <- diabetes_y()
  fit <- lasso_path(x, y, standardize = FALSE, intercept = FALSE)
  # At thresh = 1e-14 glmnet's own error on these raw (unscaled) columns is
  # ~7e-5 (its KKT residual ~4e-4 lambda; ours ~4e-12 lambda): there, the
  # exact path must never have a larger objective than glmnet's ...
  g <- glmnet::glmnet(x, y, standardize = FALSE, intercept = FALSE, thresh = 1e-14)
  lam <- g$lambda[round(seq(1, length(g$lambda), length.out = 20))]
  obj <- function(B) colSums((y - x %*% B[-1, ])^2) / (2 * nrow(x)) +
    lam * colSums(abs(B[-1, ]))
  ours <- obj(coef(fit, lambda = lam))
  theirs <- obj(as.matrix(coef(g, s = lam)))
  expect_true(all(ours <= theirs * (1 + 1e-13)))
  expect_lt(max((theirs - ours) / theirs), 1e-8)
  # ... and the two agree to 1e-6 once glmnet is run to full accuracy.
  g <- glmnet::glmnet(x, y, standardize = FALSE, intercept = FALSE, thresh = 1e-20,
                      nlambda = 80, maxit = 1e7)
  lam <- g$lambda[round(seq(1, length(g$lambda), length.out = 20))]
  expect_lt(max(abs(coef(fit, lambda = lam) - as.matrix(coef(g, s = lam)))), 1e-6)

  # standardized with intercept (coefficients up to ~800)
  g2 <- glmnet::glmnet(x, y, thresh = 1e-20, nlambda = 80, maxit = 1e7)
  fit2 <- lasso_path(x, y)
  lam2 <- g2$lambda[round(seq(1, length(g2$lambda), length.out = 20))]
  ref <- as.matrix(coef(g2, s = lam2))
  expect_lt(max(abs(coef(fit2, lambda = lam2) - ref) / pmax(1, abs(ref))), 1e-7)
})

test_that("knots equal lars after its scaling", {
  skip_if_not_installed("lars")
  x <- diabetes_x(); y <- diabetes_y()
  lr <- lars::lars(x, y, type = "lasso")
  fit <- lasso_path(x, y)
  n <- nrow(x)
  # lars normalizes columns to unit length: its lambda is sqrt(n) times ours
  expect_equal(fit$lambda[-length(fit$lambda)], lr$lambda / sqrt(n), tolerance = 1e-9)
  ours <- t(fit$beta)
  expect_equal(unname(ours), unname(coef(lr)), tolerance = 1e-8)
})

test_that("the end of the path is the least-squares fit", {
  x <- diabetes_x(); y <- diabetes_y()
  fit <- lasso_path(x, y)
  expect_equal(unname(coef(fit, lambda = 0)[, 1]), unname(coef(lm(y ~ x))),
               tolerance = 1e-8)
})

test_that("diabetes: s3 leaves the active set and comes back", {
  fit <- lasso_path(diabetes_x(), diabetes_y())
  ev <- fit$events
  drop <- ev[ev$event == "drop", ]
  expect_equal(drop$term, "s3")
  expect_equal(sum(ev$term == "s3" & ev$event == "enter"), 2)
  expect_equal(unname(fit$beta["s3", drop$knot]), 0)
  expect_equal(fit$df, c(0:9, 9, 9, 10))
})

test_that("p > n ends at an interpolating fit", {
  d <- random_design(15, 40, seed = 3)
  fit <- lasso_path(d$x, d$y)
  last <- coef(fit, lambda = 0)
  fitted <- drop(cbind(1, d$x) %*% last)
  expect_equal(fitted, d$y, tolerance = 1e-8)
  expect_lte(max(fit$df), 14)
})

test_that("non-negative path: coefficients >= 0 and its own KKT conditions", {
  x <- diabetes_x(); y <- diabetes_y()
  fit <- lasso_path(x, y, nonneg = TRUE)
  expect_true(all(fit$beta_std >= 0))
  expect_lt(max(path_kkt(fit, gram_of(x, y), nonneg = TRUE)), 1e-9)
  skip_if_not_installed("glmnet")
  g <- glmnet::glmnet(x, y, lower.limits = 0, thresh = 1e-20, nlambda = 60,
                      maxit = 1e7)
  lam <- g$lambda[c(5, 20, 40, 60)]
  ref <- as.matrix(coef(g, s = lam))
  expect_lt(max(abs(coef(fit, lambda = lam) - ref) / pmax(1, abs(ref))), 1e-6)
})

test_that("penalty factors: glmnet's rescaling, 0 = unpenalized, Inf = excluded", {
  x <- diabetes_x(); y <- diabetes_y()
  pf <- c(0, 1, 2, 1, Inf, 1, 1, 0.5, 1, 1)
  fit <- lasso_path(x, y, penalty_factor = pf)
  expect_true(all(fit$beta["s1", ] == 0))
  expect_true(fit$beta["age", 1] != 0)
  w <- fit$penalty_factor
  g <- gram_of(x, y)
  M <- g$M[-5, -5]; r <- g$r[-5]
  res <- vapply(seq_along(fit$lambda), function(k) {
    kkt_residual(M, r, fit$beta_std[-5, k], fit$lambda[k], w[-5]) /
      max(fit$lambda[k], 1e-3 * fit$lambda[1])
  }, double(1))
  expect_lt(max(res), 1e-9)
  skip_if_not_installed("glmnet")
  gl <- glmnet::glmnet(x, y, penalty.factor = pf, thresh = 1e-20, nlambda = 60,
                       maxit = 1e7)
  lam <- gl$lambda[c(3, 20, 40)]
  ref <- as.matrix(coef(gl, s = lam))
  expect_lt(max(abs(coef(fit, lambda = lam) - ref) / pmax(1, abs(ref))), 1e-6)
})

test_that("bad input gives classed errors naming the argument", {
  x <- diabetes_x(); y <- diabetes_y()
  x_na <- x; x_na[3, 2] <- NA
  err <- expect_error(lasso_path(x_na, y), class = "dlnpath_error_input")
  expect_equal(err$arg, "x")
  y_inf <- y; y_inf[5] <- Inf
  err <- expect_error(lasso_path(x, y_inf), class = "dlnpath_error_input")
  expect_equal(err$arg, "y")
  df <- as.data.frame(x); df$grp <- letters[seq_len(nrow(x)) %% 3 + 1]
  err <- expect_error(lasso_path(df, y), class = "dlnpath_error_input")
  expect_match(conditionMessage(err), "model.matrix")
  err <- expect_error(lasso_path(x, y[-1]), class = "dlnpath_error_input")
  expect_equal(err$arg, "y")
  err <- expect_error(lasso_path(x[1, , drop = FALSE], y[1]), class = "dlnpath_error_input")
  expect_equal(err$arg, "x")
  expect_error(lasso_path(x, factor(y)), class = "dlnpath_error_input")
  expect_error(lasso_path(x, y, penalty_factor = rep(-1, 10)), class = "dlnpath_error_input")
  expect_error(lasso_path(x, y, penalty_factor = rep(0, 10)), class = "dlnpath_error_input")
  expect_error(lasso_path(x, y, nonneg = NA), class = "dlnpath_error_input")
  expect_error(lasso_path(x, y, foo = 1), class = "dlnpath_error_input")
  expect_error(lasso_path(x, y), NA)
})

test_that("integer, logical and data.frame inputs are coerced", {
  x <- diabetes_x(); y <- diabetes_y()
  ref <- lasso_path(x, y)
  xi <- round(x * 100)
  storage.mode(xi) <- "integer"
  expect_equal(lasso_path(xi, y)$lambda, lasso_path(round(x * 100), y)$lambda)
  expect_equal(lasso_path(as.data.frame(x), y)$lambda, ref$lambda)
  expect_equal(lasso_path(x, matrix(y))$lambda, ref$lambda)
  xl <- cbind(x, flag = x[, "sex"] > 1)
  expect_s3_class(lasso_path(xl, y), "lasso_path")
})

test_that("lasso_path_gram uses the paper's units directly", {
  set.seed(7)
  X <- matrix(rnorm(12), 3, 4); y <- rnorm(3)
  M <- crossprod(X); r <- drop(crossprod(X, y))
  fit <- lasso_path_gram(M, r)
  expect_equal(fit$lambda[1], max(abs(r)))
  expect_lt(max(path_kkt(fit, list(M = M, r = r))), 1e-9)
  # the same problem through x/y: lambda scales by 1/n
  fit2 <- lasso_path(X, y, standardize = FALSE, intercept = FALSE)
  expect_equal(fit2$lambda, fit$lambda / 3, tolerance = 1e-10)
  expect_error(lasso_path_gram(M[, 1:3], r), class = "dlnpath_error_input")
  expect_error(lasso_path_gram(M, r, bogus = 2), class = "dlnpath_error_input")
})
