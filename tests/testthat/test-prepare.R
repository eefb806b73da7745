# Data preparation (R/prepare.R) on degenerate data and at extreme scales:
# every entry point gives the right values or a classed error.

test_that("constant y with an intercept: nothing to fit, said and drawn as such", {
  x <- diabetes_x()
  for (y in list(rep(3, 442), rep(0.1, 442))) {   # 0.1: centring leaves rounding
    fit <- lasso_path(x, y)
    expect_equal(fit$lambda, 0)
    expect_true(all(fit$beta == 0))
    expect_equal(unname(predict(fit, x[1:3, ], lambda = 1)[, 1]), rep(y[1], 3))
    d <- dln(x, y, ns = 20)
    # r = 0 and beta0 = 1, gamma0 = 0: b = 0, to the rounding of epsilon c+-
    expect_lt(max(abs(d$b), abs(sweep(d$Z, 2, d$s, "/"))), 1e-15 * d$epsilon)
    expect_equal(unname(d$a0_avg), rep(y[1], 20))
    lim <- dln_limit(x, y, ns = 20)
    expect_true(all(lim$beta_avg == 0))
    w <- expect_warning(cmp <- compare_paths(d), class = "dlnpath_warning_degenerate")
    expect_match(conditionMessage(w), "nothing to fit")
    expect_true(all(is.na(cmp$table$rel_gap)))
    expect_true(all(cmp$table$objective_lasso == 0))
    expect_lt(max(cmp$table$max_abs_diff), 1e-15)
    sm <- summary(cmp)
    expect_true(is.na(sm$max_rel_gap))
    expect_output(print(sm), "undefined \\(the lasso objective is 0: nothing to fit\\)")
    expect_output(print(cmp), "max relative gap undefined")
    pdf(NULL)
    err <- expect_error(plot(cmp, type = "gap"), class = "dlnpath_error_input")
    expect_identical(err$arg, "type")
    plot(cmp)                                   # the paths: all zero
    err <- expect_error(plot(fit), class = "dlnpath_error_input")
    expect_identical(err$arg, "xvar")
    plot(fit, xvar = "l1")                      # one point
    grDevices::dev.off()
    if (requireNamespace("ggplot2", quietly = TRUE)) {
      expect_error(ggplot2::autoplot(cmp, type = "gap"), class = "dlnpath_error_input")
      expect_s3_class(ggplot2::autoplot(cmp), "ggplot")
    }
  }
  # the same problem through its Gram matrix: r = 0, so the default c is 0
  g <- gram_of(x, diabetes_y())
  expect_warning(cmp <- compare_paths(dln_gram(g$M, rep(0, 10), ns = 10)),
                 class = "dlnpath_warning_degenerate")
  expect_true(all(is.na(cmp$table$rel_gap)))
})

test_that("constant y without an intercept is an ordinary problem", {
  x <- diabetes_x(); y <- rep(3, 442)
  fit <- lasso_path(x, y, intercept = FALSE)
  g <- gram_of(x, y, intercept = FALSE)
  for (k in seq_along(fit$lambda)) {
    expect_lt(kkt_residual(g$M, g$r, fit$beta_std[, k], fit$lambda[k]),
              1e-9 * max(fit$lambda[k], 1e-3 * fit$lambda[1]))
  }
  cmp <- compare_paths(dln(x, y, intercept = FALSE, epsilon = 1e-10, ns = 30))
  expect_true(all(is.finite(cmp$table$rel_gap)))
  expect_gte(min(cmp$table$rel_gap), -1e-8)
})

test_that("all-zero and constant columns get exactly 0, the others are unchanged", {
  x <- diabetes_x(); y <- diabetes_y()
  x0 <- cbind(x[, 1:5], zero = 0, const = 5, x[, 6:10])
  keep <- -(6:7)
  ref <- lasso_path(x, y)
  fit <- lasso_path(x0, y)
  expect_true(all(fit$beta[6:7, ] == 0))
  expect_equal(fit$beta[keep, ], ref$beta, tolerance = 1e-10)
  s <- ref$lambda[1] / c(0.5, 2, 10, 100)
  s <- 1 / s
  d0 <- dln(x0, y, s = s, tol = 1e-10)
  d <- dln(x, y, s = s, tol = 1e-10)
  # r_j = 0 and a zero row of M: b_j = 0 to the rounding of epsilon c+-
  expect_lt(max(abs(d0$b[6:7, ]), abs(sweep(d0$Z, 2, d0$s, "/")[6:7, ])),
            1e-15 * d0$epsilon)
  expect_equal(d0$beta_avg[keep, ], d$beta_avg, tolerance = 1e-6)
  gd <- dln(x0, y, method = "gd", s = s[1:2])
  expect_true(all(gd$beta_avg[6:7, ] == 0))
  lim <- dln_limit(x0, y, s = s)
  expect_true(all(lim$beta_avg[6:7, ] == 0))
  expect_equal(lim$beta_avg[keep, ], dln_limit(x, y, s = s)$beta_avg, tolerance = 1e-10)
  # without an intercept too, as glmnet does
  for (std in c(TRUE, FALSE)) {
    nc <- lasso_path(x0, y, intercept = FALSE, standardize = std)
    expect_true(all(nc$beta[c("zero", "const"), ] == 0))
  }
})

test_that("a column whose spread is subnormal counts as constant under standardize", {
  x <- diabetes_x(); y <- diabetes_y()
  x0 <- cbind(x, tiny = c(5e-324, rep(0, nrow(x) - 1)))
  fit <- lasso_path(x0, y)
  expect_true(all(fit$beta["tiny", ] == 0))
  expect_equal(coef(fit, lambda = 1)[-12, , drop = FALSE], coef(lasso_path(x, y), lambda = 1),
               tolerance = 1e-12)
  # as a constant column: b_j = 0 to the rounding of epsilon c+-
  d <- dln(x0, y, epsilon = 1e-10, ns = 5)
  expect_lt(max(abs(d$beta_avg["tiny", ])), 1e-15 * d$epsilon)
  # without standardize it is the data's own scale: refused, with the remedy
  err <- tryCatch(dln(x0, y, standardize = FALSE, ns = 5), error = identity)
  expect_s3_class(err, "dlnpath_error_numeric")
})

test_that("duplicated columns: the network splits them exactly, the gap stays small", {
  x <- diabetes_x(); y <- diabetes_y()
  xd <- cbind(x, bmi2 = x[, "bmi"])
  d <- dln(xd, y, epsilon = 1e-30, ns = 30)
  expect_equal(d$beta_avg["bmi", ], d$beta_avg["bmi2", ], tolerance = 1e-12)
  cmp <- compare_paths(d)
  expect_lt(max(cmp$table$rel_gap), 0.01)
  # the lasso path gives the pair's total to the first column
  lasso <- lasso_path(xd, y)
  expect_true(all(lasso$beta["bmi2", ] == 0))
  expect_equal(coef(lasso, lambda = 1)["bmi", ], coef(lasso_path(x, y), lambda = 1)["bmi", ])
})

test_that("p >> n: gradient descent through X equals the one through M", {
  set.seed(4)
  x <- matrix(rnorm(20 * 300), 20); y <- rnorm(20)
  fit <- dln(x, y, method = "gd", ns = 5)
  expect_true(fit$gd$use_x)
  g <- gram_of(x, y)
  viaM <- dln_gram(g$M, g$r, method = "gd", step = fit$gd$step, s = fit$s)
  expect_equal(fit$b, viaM$b, tolerance = 1e-8, ignore_attr = TRUE)
  flow <- dln(x, y, ns = 10)
  expect_true(all(is.finite(flow$beta_avg)))
  lasso <- lasso_path(x, y)
  expect_equal(max(lasso$df), 19)
})

test_that("problem_gram() and lasso_objective() at scales 1e150 and 1e-150", {
  x <- diabetes_x(); y <- diabetes_y()
  prep <- function(x, y, std) dlnpath:::prepare_problem(x, y, std, TRUE)
  ref <- dlnpath:::problem_gram(prep(x, y, FALSE))
  b <- lasso_path(x, y, standardize = FALSE)$beta_std[, 5]
  for (a in c(1e150, 1e-150)) {
    # y scaled: r, c and the objective scale by a and a^2
    g <- dlnpath:::problem_gram(prep(x, a * y, FALSE))
    expect_equal(g$r, a * ref$r, tolerance = 1e-12)
    expect_equal(g$c, a^2 * ref$c, tolerance = 1e-12)
    expect_equal(dlnpath:::lasso_objective(g, a * b, a * 3),
                 a^2 * dlnpath:::lasso_objective(ref, b, 3), tolerance = 1e-10)
    # x scaled (without standardize): M by a^2, r by a
    g <- dlnpath:::problem_gram(prep(a * x, y, FALSE))
    expect_equal(g$M, a^2 * ref$M, tolerance = 1e-12)
    expect_equal(dlnpath:::lasso_objective(g, b / a, a * 3),
                 dlnpath:::lasso_objective(ref, b, 3), tolerance = 1e-10)
    # with standardize the scale of x drops out
    expect_equal(dlnpath:::problem_gram(prep(a * x, y, TRUE))$M,
                 dlnpath:::problem_gram(prep(x, y, TRUE))$M, tolerance = 1e-12)
  }
  # beyond: X'X/n overflows, a classed error
  err <- expect_error(dln(1e300 * x, y, standardize = FALSE), class = "dlnpath_error_numeric")
  expect_identical(err$arg, "x")
  expect_match(conditionMessage(err), "overflows")
})

test_that("the limit and its comparison are exactly equivariant at 1e150 and 1e-150", {
  x <- diabetes_x(); y <- diabetes_y()
  ref <- dln_limit(x, y)
  cref <- compare_paths(ref)
  for (a in c(2^500, 2^-500)) {          # powers of 2: the scaling is exact
    lim <- dln_limit(x, a * y, s = ref$s / a)
    expect_equal(lim$beta_avg / a, ref$beta_avg, tolerance = 1e-10)
    expect_equal(lim$lambda / a, ref$lambda, tolerance = 1e-12)
    cmp <- compare_paths(lim)
    expect_equal(cmp$table$rel_gap, cref$table$rel_gap, tolerance = 1e-8)
    expect_equal(cmp$table$objective_lasso / a^2, cref$table$objective_lasso,
                 tolerance = 1e-10)
  }
})

test_that("the flow at 1e150: y * c with epsilon is y with epsilon / c, time rescaled", {
  # b(t) on (x, c y) from epsilon equals c b(c t) on (x, y) from epsilon / c;
  # in rescaled time s = 2t / log(1/epsilon) that is s' = c s L / (L + log c)
  x <- diabetes_x(); y <- diabetes_y()
  a <- 2^500
  L <- -log(1e-10)
  big <- dln(x, a * y, epsilon = 1e-10, ns = 25, tol = 1e-10)
  unit <- dln(x, y, log_inv_epsilon = L + log(a), s = big$s * a * L / (L + log(a)),
              tol = 1e-10)
  expect_equal(big$beta_avg / a, unit$beta_avg, tolerance = 1e-6, ignore_attr = TRUE)
  expect_true(all(is.finite(compare_paths(big)$table$rel_gap)))
  # gradient descent: the same iterates with step * c
  gd <- dln(x, a * y, method = "gd", epsilon = 1e-10, s = big$s[c(5, 10)])
  gd_unit <- dln(x, y, method = "gd", log_inv_epsilon = L + log(a), step = gd$gd$step * a,
                 s = gd$s * a * L / (L + log(a)))
  expect_identical(gd$gd$k, gd_unit$gd$k)
  expect_equal(gd$b / a, gd_unit$b, tolerance = 1e-8, ignore_attr = TRUE)
})

test_that("the flow at 1e-150: a classed error when epsilon is not small there", {
  x <- diabetes_x(); y <- diabetes_y()
  a <- 2^-500                            # coefficients of order 1e-149
  res <- tryCatch(dln(x, a * y, epsilon = 1e-10, ns = 10),
                  dlnpath_error_numeric = function(e) e)
  if (inherits(res, "error")) {
    expect_match(conditionMessage(res), "not small at the scale of this problem")
    expect_identical(res$arg, "epsilon")
  } else {
    expect_true(all(is.finite(res$beta_avg)))
  }
  # the error names the argument that set epsilon
  err <- expect_error(dln(x, 1e-150 * y), class = "dlnpath_error_numeric")
  expect_identical(err$arg, "epsilon")
  err <- expect_error(dln(x, 1e-150 * y, log_inv_epsilon = log(1e5)),
                      class = "dlnpath_error_numeric")
  expect_identical(err$arg, "log_inv_epsilon")
  # with epsilon small at that scale it is the unit problem, as above
  L <- 1000
  tiny <- dln(x, a * y, log_inv_epsilon = L, ns = 10, tol = 1e-10)
  unit <- dln(x, y, log_inv_epsilon = L + log(a), s = tiny$s * a * L / (L + log(a)),
              tol = 1e-10)
  expect_equal(tiny$beta_avg / a, unit$beta_avg, tolerance = 1e-6, ignore_attr = TRUE)
})

test_that("x at 1e-200 without standardize: the network refuses it (X'X/n underflows)", {
  # a fault: dln() returned NaN averages and compare_paths() a gap of 0
  x <- diabetes_x(); y <- diabetes_y()
  for (f in list(dln, dln_limit, epsilon_study)) {
    err <- expect_error(f(1e-200 * x, y, standardize = FALSE),
                        class = "dlnpath_error_numeric")
    expect_identical(err$arg, "x")
    expect_match(conditionMessage(err), "underflows")
  }
  # a single tiny entry is enough
  x[1, 3] <- 1e-155; x[-1, 3] <- 0
  expect_error(dln(x, y, standardize = FALSE), class = "dlnpath_error_numeric")
})

test_that("x and y both at 1e150 without standardize: a classed error naming the remedy", {
  x <- diabetes_x(); y <- diabetes_y()
  err <- expect_error(dln(1e150 * x, 1e150 * y, standardize = FALSE),
                      class = "dlnpath_error_input")
  expect_identical(err$arg, "y")
  expect_match(conditionMessage(err), "s / a\\^2")
  err <- expect_error(dln(x, y, s = c(1e-300, 1)), class = "dlnpath_error_input")
  expect_identical(err$arg, "s")
  # inside the range the network is invariant: (a x, a y) is (x, y) at s / a^2
  a <- 2^100
  ref <- dln(x, y, standardize = FALSE, ns = 10)
  big <- dln(a * x, a * y, standardize = FALSE, s = ref$s / a^2)
  expect_equal(big$beta_avg, ref$beta_avg, tolerance = 1e-12)
})
