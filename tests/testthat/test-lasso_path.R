# lasso_path(): the exact homotopy path.

# KKT residuals relative to lambda at every knot and mid-segment. At the
# last knot (lambda = 0) the scale is 1e-3 top (default lambda_max); `floor`
# raises the scale to floor * top everywhere (ill-conditioned designs, where
# rounding in r - M b is larger than 1e-9 lambda at tiny lambda). With a tiny
# penalty factor lambda_max is astronomical: pass top = max(abs(g$r)).
path_kkt <- function(fit, g, w = rep(1, length(g$r)), nonneg = FALSE, floor = 0,
                     top = fit$lambda[1]) {
  lam <- fit$lambda
  B <- fit$beta_std
  K <- length(lam)
  at_knots <- vapply(seq_len(K), function(k) {
    kkt_residual(g$M, g$r, B[, k], lam[k], w, nonneg) /
      max(lam[k], top * max(floor, 1e-3))
  }, double(1))
  mid <- vapply(seq_len(K - 1), function(k) {
    l <- (lam[k] + lam[k + 1]) / 2
    b <- (B[, k] + B[, k + 1]) / 2
    kkt_residual(g$M, g$r, b, l, w, nonneg) / max(l, floor * top)
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
  for (pf in list(rep(-1, 10), c(NA, rep(1, 9)), rep(1, 9), letters[1:10], c(NaN, rep(1, 9)))) {
    err <- expect_error(lasso_path(x, y, penalty_factor = pf), class = "dlnpath_error_input")
    expect_equal(err$arg, "penalty_factor")
  }
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

# The degenerate cases of issue 3.

test_that("ties: of three variables tied at entry, the two that can move enter", {
  x <- cbind(c(1, 1, 0, 0), c(0, 0, 1, 1), c(1, 0, 1, 0))
  y <- c(1, 1, 1, 1)
  fit <- lasso_path(x, y, standardize = FALSE, intercept = FALSE)
  # M = X'X/4, r = X'y/4 = (1/2, 1/2, 1/2): all tie at lambda = 1/2. With all
  # three active the direction M^-1 (1, 1, 1) = (2, 2, 0) leaves x3 at zero
  # and its correlation on the boundary: the path is b = (1 - 2 lambda) (1, 1, 0).
  expect_equal(fit$lambda, c(0.5, 0))
  expect_equal(unname(fit$beta[, 2]), c(1, 1, 0), tolerance = 1e-14)
  expect_equal(fit$events$term, c("V1", "V2"))
  expect_true(all(fit$events$event == "enter" & fit$events$knot == 1))
  expect_equal(unname(coef(fit, lambda = 0.2)[-1, 1]), c(0.6, 0.6, 0), tolerance = 1e-14)
  g <- list(M = crossprod(x) / 4, r = drop(crossprod(x, y)) / 4)
  expect_lt(max(path_kkt(fit, g)), 1e-12)
})

test_that("duplicated columns: the first takes the coefficient, the path is unchanged", {
  d <- random_design(50, 8, rho = 0.3, seed = 5)
  colnames(d$x) <- paste0("V", 1:8)
  x <- cbind(d$x, dup3 = d$x[, 3], dup6 = d$x[, 6])
  ref <- lasso_path(d$x, d$y)
  fit <- lasso_path(x, d$y)
  expect_lt(max(path_kkt(fit, gram_of(x, d$y))), 1e-9)
  expect_equal(fit$lambda, ref$lambda, tolerance = 1e-12)
  expect_equal(fit$beta[1:8, ], ref$beta, tolerance = 1e-10)
  expect_true(all(fit$beta[c("dup3", "dup6"), ] == 0))
  # each duplicate is reported where its twin enters
  dep <- fit$events[fit$events$event == "dependent", ]
  ent <- fit$events[fit$events$event == "enter", ]
  expect_setequal(dep$term, c("dup3", "dup6"))
  expect_equal(dep$knot[match(c("dup3", "dup6"), dep$term)],
               ent$knot[match(c("V3", "V6"), ent$term)])
  # the column given first is the one used: swap the twins
  fit2 <- lasso_path(x[, c(9, 1:8, 10)], d$y)
  expect_true(all(fit2$beta["V3", ] == 0))
  expect_equal(fit2$beta["dup3", ], ref$beta["V3", ], tolerance = 1e-10)
})

test_that("exactly collinear columns: KKT holds and the same call gives the same path", {
  d <- random_design(50, 8, rho = 0.3, seed = 6)
  x <- cbind(d$x, d$x[, 1] - 2 * d$x[, 2], 0.5 * (d$x[, 4] + d$x[, 5]))
  fit <- lasso_path(x, d$y)
  expect_lt(max(path_kkt(fit, gram_of(x, d$y))), 1e-9)
  expect_true(all(diff(fit$lambda) < 0))
  expect_identical(lasso_path(x, d$y)$beta, fit$beta)
  expect_equal(drop(predict(fit, x, lambda = 0)), unname(fitted(lm(d$y ~ x))),
               tolerance = 1e-8)
})

test_that("degree-2 diabetes (sex^2 collinear with sex): KKT and the least-squares end", {
  x <- poly(diabetes_x(), degree = 2, raw = TRUE)
  storage.mode(x) <- "double"
  x <- matrix(x, nrow(x), dimnames = list(NULL, paste0("t", seq_len(ncol(x)))))
  y <- diabetes_y()
  fit <- lasso_path(x, y)
  expect_true(fit$complete)
  expect_true(all(diff(fit$lambda) < 0))
  # 1e-9 lambda down to 1e-4 lambda_max; below, rounding in r - M b of these
  # ill-conditioned active sets (condition numbers ~1e7) dominates
  expect_lt(max(path_kkt(fit, gram_of(x, y), floor = 1e-4)), 1e-9)
  expect_equal(drop(predict(fit, x, lambda = 0)), unname(fitted(lm(y ~ x))),
               tolerance = 1e-8)
})

test_that("zero-variance columns have coefficient 0 on the whole path", {
  x <- cbind(diabetes_x(), const = 3, zero = 0)
  y <- diabetes_y()
  for (std in c(TRUE, FALSE)) {
    fit <- lasso_path(x, y, standardize = std)
    expect_true(all(fit$beta[c("const", "zero"), ] == 0))
    ref <- lasso_path(x[, 1:10], y, standardize = std)
    expect_equal(fit$lambda, ref$lambda)
    expect_equal(fit$beta[1:10, ], ref$beta, tolerance = 1e-12)
  }
})

test_that("p > n: the path ends at the interpolating fit of minimum l1 norm", {
  d <- random_design(30, 80, rho = 0.2, seed = 9)
  fit <- lasso_path(d$x, d$y)
  g <- gram_of(d$x, d$y)
  expect_lt(max(path_kkt(fit, g)), 1e-9)
  K <- length(fit$lambda)
  expect_equal(fit$lambda[K], 0)
  expect_equal(drop(predict(fit, d$x, lambda = 0)), d$y, tolerance = 1e-9)
  expect_lte(max(fit$df), 29)            # centred columns span n - 1 dimensions
  # Certificate of minimum l1 norm among interpolating fits: on the last
  # segment b = b_end + lambda d, and a = M d is a dual vector, equal to
  # sign(b_end) on the support and at most 1 in absolute value elsewhere.
  dd <- (fit$beta_std[, K - 1] - fit$beta_std[, K]) / fit$lambda[K - 1]
  a <- drop(g$M %*% dd)
  on <- fit$beta_std[, K] != 0
  expect_equal(unname(a[on]), unname(-sign(fit$beta_std[on, K])), tolerance = 1e-9)
  expect_lte(max(abs(a[!on])), 1 + 1e-9)
  skip_if_not_installed("lars")
  lr <- lars::lars(d$x, d$y, type = "lasso", use.Gram = FALSE)
  expect_equal(fit$lambda[-K], lr$lambda / sqrt(30), tolerance = 1e-9)
})

test_that("non-negative: unpenalized columns are constrained too, as in glmnet", {
  x <- diabetes_x(); y <- diabetes_y()
  pf <- c(1, 0, 1, 1, 1, 1, 1, 1, 1, 0)          # sex (negative in lm) and s6 free
  fit <- lasso_path(x, y, nonneg = TRUE, penalty_factor = pf)
  expect_true(all(fit$beta_std >= 0))
  expect_true(all(fit$beta["sex", ] == 0))
  w <- fit$penalty_factor
  expect_lt(max(path_kkt(fit, gram_of(x, y), w = w, nonneg = TRUE)), 1e-9)
  skip_if_not_installed("glmnet")
  g <- glmnet::glmnet(x, y, lower.limits = 0, penalty.factor = pf, thresh = 1e-20,
                      nlambda = 60, maxit = 1e7)
  lam <- g$lambda[c(2, 15, 30, 50)]
  ref <- as.matrix(coef(g, s = lam))
  expect_lt(max(abs(coef(fit, lambda = lam) - ref) / pmax(1, abs(ref))), 1e-6)
})

test_that("all penalty factors zero: the least-squares fit, one knot at lambda = 0", {
  x <- diabetes_x(); y <- diabetes_y()
  fit <- lasso_path(x, y, penalty_factor = rep(0, 10))
  expect_equal(fit$lambda, 0)
  expect_equal(unname(coef(fit, lambda = 3)[, 1]), unname(coef(lm(y ~ x))),
               tolerance = 1e-8)
  # non-negative least squares: its own optimality conditions
  fit <- lasso_path(x, y, penalty_factor = rep(0, 10), nonneg = TRUE)
  b <- fit$beta_std[, 1]
  g <- gram_of(x, y)
  grad <- drop(g$r - g$M %*% b)
  expect_true(all(b >= 0))
  expect_lt(max(abs(grad[b > 0]), pmax(grad[b == 0], 0)), 1e-10)
})

# The construction of Mairal and Yu (2012): from (X, y), the design
# [[X, 2 a y], [0, a g]] with response (y, g) has a path of 3k - 1 segments
# when (X, y) has k, for a small enough and g^2 = F(lambda_min) / (2 a). These
# a and g are the values the recursion needs, in closed form.
mairal_yu <- function(p) {
  X <- matrix(1, 1, 1)
  y <- 1
  for (k in seq_len(p - 1)) {
    a <- 1 / (4 * 5^(k - 1))
    g <- (5 / 13)^((k - 1) / 2)
    X <- rbind(cbind(X, 2 * a * y), c(rep(0, ncol(X)), a * g))
    y <- c(y, g)
  }
  list(M = crossprod(X), r = drop(crossprod(X, y)))
}

test_that("an exponentially long path: every one of its (3^p + 1) / 2 knots", {
  for (p in 2:8) {
    d <- mairal_yu(p)
    fit <- lasso_path_gram(d$M, d$r, max_knots = 1e5)
    expect_length(fit$lambda, (3^p + 1) / 2)
    expect_true(all(diff(fit$lambda) < 0))
    # the condition number of M grows 65-fold per variable (2.8e10 at p = 7)
    # and the smallest knot is 1e-7 lambda_max: KKT to 1e-9 lambda through
    # p = 6, then to the rounding of r - M b
    if (p <= 6) expect_lt(max(path_kkt(fit, d)), 1e-9)
  }
})

test_that("the step cap stops an exponentially long path with a classed warning", {
  d <- mairal_yu(14)                                  # 2391485 knots
  expect_warning(fit <- lasso_path_gram(d$M, d$r), class = "dlnpath_warning_step_cap")
  expect_length(fit$lambda, 10 * 14 + 100)
  expect_false(fit$complete)
  expect_lt(max(path_kkt(fit, d)), 1e-9)
})

test_that("invariances: scaling y scales lambda and b; permuting columns permutes b", {
  d <- random_design(40, 12, rho = 0.4, seed = 21)
  fit <- lasso_path(d$x, d$y)
  for (s in c(3, 1e-3)) {
    fs <- lasso_path(d$x, s * d$y)
    expect_equal(fs$lambda, s * fit$lambda, tolerance = 1e-12)
    expect_equal(fs$beta, s * fit$beta, tolerance = 1e-10)
  }
  fn <- lasso_path(d$x, -d$y)
  expect_equal(fn$lambda, fit$lambda, tolerance = 1e-12)
  expect_equal(fn$beta, -fit$beta, tolerance = 1e-10)
  perm <- c(7, 3, 12, 1, 5, 9, 2, 11, 4, 10, 8, 6)
  fp <- lasso_path(d$x[, perm], d$y)
  expect_equal(fp$lambda, fit$lambda, tolerance = 1e-12)
  expect_equal(unname(fp$beta), unname(fit$beta[perm, ]), tolerance = 1e-10)
})

test_that("data scaled by 1e50 and 1e-50 give finite, correctly scaled paths", {
  d <- random_design(40, 12, rho = 0.4, seed = 22)
  for (std in c(TRUE, FALSE)) {
    ref <- lasso_path(d$x, d$y, standardize = std)
    for (sx in c(1e50, 1e-50, 1)) for (sy in c(1e50, 1e-50, 1)) {
      fit <- lasso_path(sx * d$x, sy * d$y, standardize = std)
      expect_true(all(is.finite(fit$lambda)) && all(is.finite(fit$beta)))
      # lambda scales by sy (standardized) or sx sy; b by sy / sx
      expect_equal(fit$lambda, ref$lambda * sy * if (std) 1 else sx, tolerance = 1e-10)
      expect_equal(fit$beta, ref$beta * sy / sx, tolerance = 1e-10)
      expect_equal(fit$a0, ref$a0 * sy, tolerance = 1e-10)
    }
  }
})

test_that("n > p, full rank: the end of the path is lm() on random designs", {
  for (i in 1:3) {
    d <- random_design(60, 15, rho = c(0, 0.5, 0.9)[i], seed = 30 + i)
    fit <- lasso_path(d$x, d$y)
    expect_equal(unname(coef(fit, lambda = 0)[, 1]), unname(coef(lm(d$y ~ d$x))),
                 tolerance = 1e-8)
    fit0 <- lasso_path(d$x, d$y, intercept = FALSE, standardize = FALSE)
    expect_equal(unname(coef(fit0, lambda = 0)[-1, 1]), unname(coef(lm(d$y ~ d$x - 1))),
                 tolerance = 1e-8)
  }
})

test_that("knots equal lars on random designs, n > p and n < p", {
  skip_if_not_installed("lars")
  for (case in list(c(80, 20, 0.3), c(25, 60, 0.5))) {
    d <- random_design(case[1], case[2], rho = case[3], seed = 40)
    fit <- lasso_path(d$x, d$y)
    lr <- lars::lars(d$x, d$y, type = "lasso", use.Gram = case[1] > case[2])
    K <- length(fit$lambda)
    expect_equal(fit$lambda[-K], lr$lambda / sqrt(case[1]), tolerance = 1e-9)
    expect_equal(unname(t(fit$beta)), unname(coef(lr)), tolerance = 1e-8)
  }
})

# Extreme scales. Every event is located in its own scale, so a first knot at
# 1e13 (or 1e101) does not swallow the next one at 38.

test_that("a tiny penalty factor: every knot, KKT, lm() at the end, glmnet between", {
  x <- diabetes_x(); y <- diabetes_y()
  g <- gram_of(x, y)
  ref <- NULL
  for (pf1 in c(1e-9, 1e-12, 1e-20, 1e-100)) {
    pf <- c(pf1, rep(1, 9))
    expect_no_warning(fit <- lasso_path(x, y, penalty_factor = pf))
    expect_true(fit$complete)
    w <- fit$penalty_factor
    expect_equal(fit$lambda[1], unname(abs(g$r[1]) / w[1]), tolerance = 1e-12)
    # age enters alone at lambda_max; below, the path of a nearly free age
    expect_equal(fit$lambda[2], 38.2339, tolerance = 1e-5)
    expect_equal(max(fit$df), 10)
    expect_lt(max(path_kkt(fit, g, w = w, top = max(abs(g$r)))), 1e-9)
    expect_equal(unname(coef(fit, lambda = 0)[, 1]), unname(coef(lm(y ~ x))),
                 tolerance = 1e-8)
    # scaling every penalty factor changes nothing
    expect_equal(lasso_path(x, y, penalty_factor = pf * 1e150)$lambda, fit$lambda)
    # the paths for different tiny factors agree below lambda = 38 to their
    # difference in penalty (1e-9 lambda at most)
    grid <- c(30, 10, 2, 1, 0.5, 0.1, 0.01)
    if (is.null(ref)) ref <- coef(fit, lambda = grid)
    expect_lt(max(abs(coef(fit, lambda = grid) - ref) / pmax(1, abs(ref))), 1e-8)
    skip_if_not_installed("glmnet")
    gl <- glmnet::glmnet(x, y, penalty.factor = pf, lambda = c(5, 1), thresh = 1e-18,
                         maxit = 1e7)
    gref <- as.matrix(coef(gl))
    expect_lt(max(abs(coef(fit, lambda = c(5, 1)) - gref) / pmax(1, abs(gref))), 1e-7)
  }
})

test_that("a tiny weight flips sign at one knot when the band is below resolution", {
  x <- diabetes_x(); y <- diabetes_y()
  # with pf = 1e-20, age reaches 0 at lambda = 1.94 and comes back with the
  # other sign 1e-20 lambda later: one knot, a drop and an entry
  fit <- lasso_path(x, y, penalty_factor = c(1e-20, rep(1, 9)))
  ev <- fit$events[fit$events$term == "age", ]
  expect_equal(ev$event, c("enter", "drop", "enter"))
  expect_equal(ev$knot[2], ev$knot[3])
  k <- ev$knot[2]
  expect_equal(fit$lambda[k], 1.9384, tolerance = 1e-4)
  expect_equal(sign(fit$beta["age", k - 1]), -sign(fit$beta["age", k + 1]))
  expect_equal(unname(fit$beta["age", k]), 0)
})

test_that("a column scaled by 1e12 without standardization is a penalty factor of 1e-12", {
  x <- diabetes_x(); y <- diabetes_y()
  x2 <- x; x2[, 1] <- x2[, 1] * 1e12
  fit <- lasso_path(x2, y, standardize = FALSE)
  expect_true(length(fit$lambda) >= 18)
  ref <- lasso_path(x, y, standardize = FALSE, penalty_factor = c(1e-12, rep(1, 9)))
  # ref's weights are pf * 10 / sum(pf)
  expect_equal(fit$lambda, ref$lambda * 10 / (9 + 1e-12), tolerance = 1e-12)
  expect_equal(fit$beta[-1, ], ref$beta[-1, ], tolerance = 1e-12)
  expect_equal(fit$beta[1, ] * 1e12, ref$beta[1, ], tolerance = 1e-12)
})

test_that("columns scaled by factors from 1e-100 to 1e100: the same path, to rounding", {
  x <- diabetes_x(); y <- diabetes_y()
  set.seed(3)
  s <- 10^runif(10, -100, 100)
  xs <- sweep(x, 2, s, "*")
  # standardized: nothing changes but the scale of the coefficients
  f1 <- lasso_path(x, y)
  fs <- lasso_path(xs, y)
  expect_equal(fs$lambda, f1$lambda, tolerance = 1e-12)
  expect_equal(sweep(fs$beta, 1, s, "*"), f1$beta, tolerance = 1e-12)
  # raw: knots from lambda = 5e61 to 3e-75, the penalty factors 1 / s
  fr <- lasso_path(xs, y, standardize = FALSE)
  ref <- lasso_path(x, y, standardize = FALSE, penalty_factor = 1 / s)
  expect_length(fr$lambda, 18)
  expect_equal(fr$lambda, ref$lambda * 10 / sum(1 / s), tolerance = 1e-12)
  expect_equal(sweep(fr$beta, 1, s, "*"), ref$beta, tolerance = 1e-12)
  g <- gram_of(x, y, standardize = FALSE)
  expect_lt(max(path_kkt(ref, g, w = ref$penalty_factor, top = max(abs(g$r)))), 1e-9)
})

test_that("x and y scaled by 1e150 and 1e-150: the same knots, drops included", {
  x <- diabetes_x(); y <- diabetes_y()
  for (std in c(TRUE, FALSE)) {
    ref <- lasso_path(x, y, standardize = std)
    expect_length(ref$lambda, if (std) 13 else 19)
    for (sx in c(1e150, 1e-150, 1)) for (sy in c(1e150, 1e-150, 1)) {
      fit <- lasso_path(sx * x, sy * y, standardize = std)
      expect_equal(fit$events, transform(ref$events, lambda = fit$events$lambda))
      expect_equal(fit$lambda, ref$lambda * sy * if (std) 1 else sx, tolerance = 1e-12)
      expect_equal(fit$beta, ref$beta * sy / sx, tolerance = 1e-12)
      expect_equal(fit$a0, ref$a0 * sy, tolerance = 1e-12)
    }
  }
})

test_that("what double precision cannot resolve is a classed warning", {
  x <- diabetes_x(); y <- diabetes_y()
  # a penalty factor 1e-310 times the others: lambda_max would overflow
  expect_warning(fit <- lasso_path(x, y, penalty_factor = c(1e-310, rep(1, 9))),
                 class = "dlnpath_warning_precision")
  ref <- lasso_path(x, y, penalty_factor = c(0, rep(1, 9)))
  expect_equal(fit$lambda, ref$lambda, tolerance = 1e-12)   # same weights: sum(pf) = 9
  expect_equal(fit$beta, ref$beta, tolerance = 1e-12)
  # the Mairal-Yu design at p = 12 has condition number ~1e20: its knots
  # below 1e-12 lambda_max are beyond double precision
  d <- mairal_yu(12)
  expect_warning(lasso_path_gram(d$M, d$r, max_knots = 1e6),
                 class = "dlnpath_warning_precision")
})

test_that("property: 300 random problems give finite, ordered, optimal paths", {
  worst <- 0
  for (seed in property_seeds(300)) {
    d <- random_problem(seed)
    fit <- lasso_path(d$x, d$y, standardize = d$standardize, intercept = d$intercept)
    info <- sprintf("seed %d (n = %d, p = %d)", seed, d$n, d$p)
    expect_true(fit$complete, info = info)
    expect_true(all(is.finite(fit$beta)) && all(is.finite(fit$a0)), info = info)
    expect_true(all(diff(fit$lambda) < 0), info = info)
    expect_equal(fit$lambda[length(fit$lambda)], 0, info = info)
    # KKT at every knot and mid-segment, relative to max(lambda, 1e-3
    # lambda_max): the designs reach condition numbers of 1e30, where the
    # rounding of r - M b is about 1e-10 of lambda_max
    kkt <- path_kkt(fit, d, floor = 1e-3)
    worst <- max(worst, kkt)
    expect_lt(max(kkt), 1e-9, label = info)
  }
  expect_lt(worst, 1e-9)
})
