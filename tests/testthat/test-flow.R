# src/flow.c and src/api_flow.c.

test_that("the flow entry point errors instead of crashing on bad input", {
  C_dln_flow <- getFromNamespace("C_dln_flow", "dlnpath")
  M <- diag(2); r <- c(1, -1); lc <- log(c(0.25, 0.25))
  ok <- function(...) .Call(C_dln_flow, M, NULL, r, lc, lc, 10, 0, 0, c(0, 0), c(0, 0),
                            c(0.5, 1), 1e-8, 1000L, FALSE)
  expect_equal(ok()$status, 0L)
  expect_error(.Call(C_dln_flow, M, NULL, r, lc, lc, 10, 0, 0, c(0, 0), c(0, 0),
                     c(1, 0.5), 1e-8, 1000L, FALSE), "non-decreasing")
  expect_error(.Call(C_dln_flow, M, NULL, r, lc[1], lc, 10, 0, 0, c(0, 0), c(0, 0),
                     1, 1e-8, 1000L, FALSE), "logcp")
  expect_error(.Call(C_dln_flow, M, NULL, r, lc, lc, -1, 0, 0, c(0, 0), c(0, 0),
                     1, 1e-8, 1000L, FALSE), "'L'")
  expect_error(.Call(C_dln_flow, M, NULL, r, lc, lc, 10, 0, 0, c(0, NaN), c(0, 0),
                     1, 1e-8, 1000L, FALSE), "finite")
  expect_error(.Call(C_dln_flow, "M", NULL, r, lc, lc, 10, 0, 0, c(0, 0), c(0, 0),
                     1, 1e-8, 1000L, FALSE), "'M'")
})

test_that("E stays consistent with Z: E = M Z - s r", {
  x <- diabetes_x(); y <- diabetes_y()
  fit <- dln(x, y, epsilon = 1e-30)
  E <- fit$gram$M %*% fit$Z - outer(fit$gram$r, fit$s)
  expect_lt(max(abs(E - fit$E)), 1e-9)
  # and inside the dual box up to the boundary layer: |b| = e^{-L(1 - |E|)}/4
  bound <- 1 + log(4 * max(abs(fit$b))) / fit$log_inv_epsilon
  expect_lt(max(abs(fit$E)), bound + 1e-9)
  expect_gt(max(abs(fit$E)), 1)
})

# dln() at tol 1e-10 against RK4 in training time at s = c(lo, mid, hi) /
# max|r|: b and bbar to 1e-8 of max|b|, with at least `nonzero` coordinates
# of b(s_hi) above 1e-3 of it (so that the comparison is not vacuous).
expect_rk4_agreement <- function(x, y, epsilon, s, dt, nonzero) {
  g <- gram_of(x, y)
  s <- s / max(abs(g$r))
  ref <- rk4_reference(g$M, g$r, epsilon, s, dt = dt)
  fit <- dln(x, y, epsilon = epsilon, s = s, tol = 1e-10)
  scale <- max(abs(ref$b))
  expect_lt(max(abs(fit$beta * g$sd - ref$b)) / scale, 1e-8)
  expect_lt(max(abs(fit$beta_avg * g$sd - ref$bavg)) / scale, 1e-8)
  expect_gte(sum(abs(ref$b[, length(s)]) > 1e-3 * scale), nonzero)
}

test_that("p > n at epsilon = 1e-100: the structured solve agrees with RK4 in training time", {
  # most coordinates sit far inside the box, where the Jacobian is dropped at
  # rounding level; M is singular
  set.seed(4); n <- 20; p <- 40
  x <- matrix(rnorm(n * p), n, p)
  y <- drop(x[, 1:3] %*% c(2, -1.5, 1)) + 0.5 * rnorm(n)
  expect_rk4_agreement(x, y, 1e-100, c(0.8, 1.5, 3), dt = 8e-3, nonzero = 3)
})

test_that("dense solve (every coordinate active, p = 70): agrees with RK4", {
  # at epsilon = 1e-5 no column is below rounding level, so the whole 70 x 70
  # block goes through the written-out Cholesky, substitutions and products
  # (70 is not a multiple of their four-column blocks)
  d <- random_design(50, 70, rho = 0.3, seed = 7)
  expect_rk4_agreement(d$x, d$y, 1e-5, c(0.5, 1.5, 4), dt = 2e-3, nonzero = 11)
})

test_that("wide design (n = 20, p = 120): the solves through X agree with RK4 and with M", {
  # at epsilon = 1e-5 up to all 120 coordinates are active, far more than
  # n = 20: the Woodbury solve through X is the cheaper one
  d <- random_design(20, 120, rho = 0.3, seed = 11)
  expect_rk4_agreement(d$x, d$y, 1e-5, c(0.5, 1.5, 4), dt = 2e-3, nonzero = 30)
  g <- gram_of(d$x, d$y)
  s <- c(0.5, 1.5, 4) / max(abs(g$r))
  via_x <- dln(d$x, d$y, epsilon = 1e-5, s = s, tol = 1e-10)
  via_m <- dln_gram(g$M, g$r, epsilon = 1e-5, s = s, tol = 1e-10)
  diff <- max(abs(via_x$b - via_m$b)) / max(abs(via_m$b))
  expect_lt(diff, 1e-12)
  expect_gt(diff, 0)   # the two paths did differ, at rounding level
  # coef() restarts through X as well
  expect_equal(coef(via_x, s = s[2] * 1.1), coef(dln(d$x, d$y, epsilon = 1e-5,
               s = s[2] * 1.1, tol = 1e-10)), tolerance = 1e-8, ignore_attr = TRUE)
})

test_that("duplicated columns keep identical coefficients at any epsilon", {
  x <- diabetes_x(); y <- diabetes_y()
  xd <- cbind(x, dup = x[, "bmi"])
  for (e in c(1e-5, 1e-300)) {
    fit <- dln(xd, y, epsilon = e)
    expect_equal(fit$b["bmi", ], fit$b["dup", ], tolerance = 1e-9)
    expect_gt(max(abs(fit$b["bmi", ])), 1)
  }
})

test_that("a tol below the rounding level of log b is raised to it", {
  # log b = -L (1 -+ E): E carries L * 2.2e-16 of rounding in log b
  a <- dln_gram(matrix(1), 1, log_inv_epsilon = 1e4, s = c(0.5, 2, 100), tol = 1e-12)
  b <- dln_gram(matrix(1), 1, log_inv_epsilon = 1e4, s = c(0.5, 2, 100), tol = 1e-9)
  expect_equal(a$b, b$b, tolerance = 1e-8)
  expect_equal(drop(a$b)[2:3], c(1, 1), tolerance = 1e-8)
})

test_that("a fit keeps the states on its grid, not every step", {
  x <- diabetes_x(); y <- diabetes_y()
  fit <- dln(x, y, epsilon = 1e-100)
  expect_gt(fit$stats[["steps"]], 20 * length(fit$s))
  # nothing in the object grows with the number of steps
  sizes <- vapply(unclass(fit), function(v) length(unlist(v)), double(1))
  expect_lt(max(sizes), 2 * (ncol(x) + 1) * length(fit$s))
  expect_null(fit$history)
})

test_that("Ctrl-C stops the gradient flow and leaves the session usable", {
  expect_interruptible(
    "set.seed(1); X <- matrix(rnorm(300 * 300), 300); y <- rnorm(300)",
    "dln(X, y, epsilon = 1e-5, ns = 20)")
})
