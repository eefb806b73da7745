# dln(): gradient flow of a diagonal linear network.

acceptance_grid <- function(x, y) {
  lmax <- max(abs(gram_of(x, y)$r))
  exp(seq(log(0.5 / lmax), log(1e4 / lmax), length.out = 80))
}

test_that("p = 1: the flow matches the scalar ODE solved by quadrature", {
  # kappa = 0: dE/ds = m f(E) - r is autonomous, so s(E) is an integral
  m <- 1.7; r <- 0.9
  for (eps in c(1e-5, 1e-30)) {
    L <- -log(eps)
    f <- function(E) 0.25 * (exp(-L * (1 + E)) - exp(-L * (1 - E)))
    Estar <- uniroot(function(E) m * f(E) - r, c(-3, 0), tol = 1e-15)$root
    s_of <- function(E) integrate(function(u) 1 / (m * f(u) - r), E, 0,
                                  rel.tol = 1e-11, subdivisions = 1000L)$value
    s <- c(0.5, 1, 1.02, 1.1, 1.2) / r
    E <- vapply(s, function(si) uniroot(function(E) -s_of(E) - si,
                                        c(Estar + 1e-8, 0), tol = 1e-15)$root,
                double(1))
    fit <- dln_gram(matrix(m), r, epsilon = eps, s = s, tol = 1e-10)
    expect_equal(drop(fit$b), f(E), tolerance = 1e-7)
    expect_equal(drop(fit$Z), (E + s * r) / m, tolerance = 1e-8)
    expect_equal(drop(fit$E), E, tolerance = 1e-8)
  }
})

test_that("the flow agrees with an independent RK4 solution in training time", {
  x <- diabetes_x(); y <- diabetes_y()
  g <- gram_of(x, y)
  s <- c(0.03, 0.1, 0.5)
  ref <- rk4_reference(g$M, g$r, 1e-5, s, dt = 2e-4)
  fit <- dln(x, y, epsilon = 1e-5, s = s, tol = 1e-10)
  bstd <- fit$beta * g$sd
  bavg_std <- fit$beta_avg * g$sd
  scale <- max(abs(ref$b))
  expect_lt(max(abs(bstd - ref$b)) / scale, 1e-6)
  expect_lt(max(abs(bavg_std - ref$bavg)) / scale, 1e-6)
})

test_that("diabetes: the relative gap shrinks as epsilon goes to 0", {
  x <- diabetes_x(); y <- diabetes_y()
  s <- acceptance_grid(x, y)
  lasso <- lasso_path(x, y)
  gap <- vapply(c(1e-5, 1e-10, 1e-30), function(e) {
    max(as.data.frame(compare_paths(dln(x, y, epsilon = e, s = s), lasso))$rel_gap)
  }, double(1))
  expect_true(all(diff(gap) < 0))
  # acceptance: at most 0.05 and 0.005 (an independent computation: 0.033, 0.0016)
  expect_lt(gap[1], 0.05)
  expect_lt(gap[3], 0.005)
  expect_equal(gap[1], 0.033, tolerance = 0.05)
  expect_equal(gap[3], 0.0016, tolerance = 0.05)
})

test_that("the number of steps does not grow with log(1/epsilon)", {
  x <- diabetes_x(); y <- diabetes_y()
  steps <- vapply(c(1e-5, 1e-100, 1e-300), function(e) {
    dln(x, y, epsilon = e)$stats[["rhs"]]
  }, double(1))
  expect_lt(max(steps) / steps[1], 2)
  tiny <- dln(x, y, log_inv_epsilon = 1e5)
  expect_lt(tiny$stats[["rhs"]] / steps[1], 2)
  expect_true(all(is.finite(tiny$beta_avg)))
})

test_that("tight and loose tolerances agree to the loose one", {
  x <- diabetes_x(); y <- diabetes_y()
  a <- dln(x, y, epsilon = 1e-30, tol = 1e-6)
  b <- dln(x, y, epsilon = 1e-30, tol = 1e-10)
  scale <- max(abs(b$beta_avg))
  expect_lt(max(abs(a$beta_avg - b$beta_avg)) / scale, 1e-5)
  expect_lt(max(abs(a$beta - b$beta)) / max(abs(b$beta)), 1e-4)
  expect_gt(b$stats[["steps"]], a$stats[["steps"]])
})

test_that("coef() at any s restarts the flow to the fit's tolerance", {
  x <- diabetes_x(); y <- diabetes_y()
  fit <- dln(x, y, epsilon = 1e-20, s = c(0.05, 0.5, 5))
  expect_equal(coef(fit, s = c(0.05, 0.5, 5)), coef(fit), ignore_attr = TRUE,
               tolerance = 1e-12)
  s_new <- c(0.07, 0.2, 30)
  direct <- dln(x, y, epsilon = 1e-20, s = s_new)
  expect_equal(coef(fit, s = s_new, average = TRUE), coef(direct, average = TRUE),
               tolerance = 1e-6, ignore_attr = TRUE)
  expect_equal(coef(fit, s = s_new), coef(direct), tolerance = 1e-6,
               ignore_attr = TRUE)
  expect_equal(dim(coef(fit, s = s_new)), c(11L, 3L))
})

test_that("u2 stays non-negative and tracks the non-negative lasso", {
  x <- diabetes_x(); y <- diabetes_y()
  fit <- dln(x, y, param = "u2", epsilon = 1e-30)
  expect_true(all(fit$b >= 0))
  expect_true(all(fit$Z >= 0))
  cmp <- compare_paths(fit)
  expect_true(cmp$lasso$nonneg)
  expect_lt(max(as.data.frame(cmp)$rel_gap), 0.01)
})

test_that("weight decay: averaged trajectory tracks the lasso at kappa + 1/s", {
  x <- diabetes_x(); y <- diabetes_y()
  fit <- dln(x, y, epsilon = 1e-30, weight_decay = 2)
  expect_equal(fit$lambda, 2 + 1 / fit$s)
  cmp <- as.data.frame(compare_paths(fit))
  expect_lt(max(cmp$rel_gap), 0.01)
  expect_gt(min(cmp$rel_gap), -1e-10)
})

test_that("as.data.frame has the contract's columns and every (step, term)", {
  x <- diabetes_x(); y <- diabetes_y()
  fit <- dln(x, y, s = c(0.1, 1))
  df <- as.data.frame(fit)
  expect_named(df, c("step", "time", "s", "lambda", "term", "estimate", "estimate_avg"))
  expect_equal(nrow(df), 2 * 11)
  expect_equal(unique(df$term), c("(Intercept)", colnames(x)))
  expect_equal(df$time, df$s * -log(1e-5) / 2)
  nointercept <- as.data.frame(dln(x, y, s = 1, intercept = FALSE))
  expect_false("(Intercept)" %in% nointercept$term)
  expect_equal(nrow(nointercept), 10)
})

test_that("bad input gives classed errors naming the argument", {
  x <- diabetes_x(); y <- diabetes_y()
  for (e in list(0, 1, -1, NA, 2, "a", c(1e-3, 1e-4))) {
    err <- expect_error(dln(x, y, epsilon = e), class = "dlnpath_error_input")
    expect_equal(err$arg, "epsilon")
  }
  x_inf <- x; x_inf[1, 1] <- -Inf
  expect_error(dln(x_inf, y), class = "dlnpath_error_input")
  expect_error(dln(x, y[1:10]), class = "dlnpath_error_input")
  expect_error(dln(x, y, beta0 = 1, gamma0 = 1), class = "dlnpath_error_input")
  expect_error(dln(x, y, beta0 = 1, gamma0 = -1), class = "dlnpath_error_input")
  expect_error(dln(x, y, param = "u2", alpha0 = 0), class = "dlnpath_error_input")
  expect_error(dln(x, y, s = c(1, -1)), class = "dlnpath_error_input")
  expect_error(dln(x, y, weight_decay = -1), class = "dlnpath_error_input")
  expect_error(dln(x, y, tol = 0), class = "dlnpath_error_input")
  expect_error(dln(x, y, epsilon = 1e-5, spam = 1), class = "dlnpath_error_input")
  expect_error(dln_gram(diag(2), 1:2, nonsense = 1), class = "dlnpath_error_input")
  err <- expect_error(dln(x, y, max_steps = 5), class = "dlnpath_error_numeric")
  expect_s3_class(err, "dlnpath_error")
})
