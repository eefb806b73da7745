# Gradient descent (src/gd.c, src/api_gd.c, run_gd() in R/dln.R).

# rescaled time of iterate k
s_of_k <- function(k, step, L, param = "uv") k * step / (L / if (param == "uv") 2 else 4)

test_that("gradient descent is the exact recursion (independent log-space reference)", {
  x <- diabetes_x(); y <- diabetes_y(); g <- gram_of(x, y)
  k <- c(1, 7, 500, 3000)
  cases <- list(
    list(eps = 1e-5, param = "uv", kappa = 0, tol = 1e-12),
    list(eps = 1e-3, param = "uv", kappa = 0, b0 = 0.3, g0 = c(-1.2, rep(0.1, 9)),
         tol = 1e-12),
    list(eps = 1e-40, param = "u2", kappa = 0.3, a0 = seq(0.5, 2, length.out = 10),
         tol = 1e-11),
    # rounding differences of the two implementations are amplified while
    # coordinates escape from 1e-300 (the reference sums logs instead)
    list(eps = 1e-300, param = "uv", kappa = 0.5, tol = 1e-9)
  )
  for (cf in cases) {
    step <- 2e-3
    L <- -log(cf$eps)
    b0 <- cf$b0 %||% 1; g0 <- cf$g0 %||% 0; a0 <- cf$a0 %||% 1
    ref <- gd_reference(g$M, g$r, cf$eps, step, k, beta0 = b0, gamma0 = g0,
                        alpha0 = a0, kappa = cf$kappa, param = cf$param)
    fit <- dln(x, y, method = "gd", epsilon = cf$eps, param = cf$param,
               weight_decay = cf$kappa, step = step, beta0 = b0, gamma0 = g0,
               alpha0 = a0, s = s_of_k(k, step, L, cf$param))
    expect_equal(fit$gd$k, k)
    expect_equal(fit$time, k * step)
    expect_equal(fit$b, ref$b, tolerance = cf$tol, ignore_attr = TRUE)
    bavg <- sweep(fit$Z, 2, fit$s, "/")
    expect_equal(bavg, ref$bavg, tolerance = cf$tol, ignore_attr = TRUE)
    # on the original scale too
    expect_equal(unname(fit$beta), unname(ref$b / g$sd), tolerance = cf$tol)
  }
})

test_that("log_inv_epsilon beyond double range: coordinates emerge on time", {
  x <- diabetes_x(); y <- diabetes_y(); g <- gram_of(x, y)
  L <- 1500; step <- 4e-3
  # bmi emerges from exp(-1500) near t = L / (2 max|r|)
  k <- round(c(0.2, 1.05, 1.2) * L / (2 * max(abs(g$r))) / step)
  ref <- gd_reference(g$M, g$r, NA, step, k, L = L)
  fit <- dln(x, y, method = "gd", log_inv_epsilon = L, step = step,
             s = s_of_k(k, step, L))
  expect_true(all(fit$b[, 1] == 0))          # exp(-1500) underflows ...
  expect_gt(max(abs(fit$b[, 3])), 1)         # ... but the state does not
  expect_equal(fit$b, ref$b, tolerance = 1e-9, ignore_attr = TRUE)
})

test_that("gradient descent converges to the flow at first order in the step", {
  x <- diabetes_x(); y <- diabetes_y()
  t <- c(0.4, 2, 8)
  L <- -log(1e-5)
  flow <- dln(x, y, epsilon = 1e-5, s = 2 * t / L, tol = 1e-11)
  steps <- 4e-3 / 2^(0:3)
  err <- vapply(steps, function(h) {
    gd <- dln(x, y, method = "gd", epsilon = 1e-5, step = h, time = t)
    expect_equal(gd$time, t)
    c(b = max(abs(gd$beta - flow$beta)) / max(abs(flow$beta)),
      avg = max(abs(gd$beta_avg - flow$beta_avg)) / max(abs(flow$beta_avg)))
  }, double(2))
  order_b <- unname(coef(lm(log(err["b", ]) ~ log(steps)))[2])
  order_avg <- unname(coef(lm(log(err["avg", ]) ~ log(steps)))[2])
  expect_equal(order_b, 1, tolerance = 0.05)
  expect_equal(order_avg, 1, tolerance = 0.05)
  expect_lt(err["b", 4], 0.01)
})

test_that("u2 iterates stay non-negative and track the flow", {
  x <- diabetes_x(); y <- diabetes_y()
  flow <- dln(x, y, param = "u2", epsilon = 1e-10)
  gd <- dln(x, y, param = "u2", method = "gd", epsilon = 1e-10, s = flow$s)
  expect_true(all(gd$b >= 0))
  expect_true(all(gd$Z >= 0))
  expect_lt(max(abs(gd$beta_avg - flow$beta_avg)) / max(abs(flow$beta_avg)), 0.05)
})

test_that("requested times are served by iterate round(t / step), rows carry its time", {
  x <- diabetes_x(); y <- diabetes_y()
  step <- 0.01
  fit <- dln(x, y, method = "gd", step = step, time = c(0.3004, 0.3049, 2.0151, 5))
  expect_equal(fit$gd$k, c(30, 202, 500))     # 0.3004 and 0.3049 are both iterate 30
  expect_equal(fit$time, fit$gd$k * step)
  expect_equal(fit$s, fit$time * 2 / fit$log_inv_epsilon)
  expect_equal(fit$lambda, 1 / fit$s)
  df <- as.data.frame(fit)
  expect_equal(unique(df$time), fit$time)
  # the same grid given as s or lambda
  by_s <- dln(x, y, method = "gd", step = step, s = fit$s)
  by_lambda <- dln(x, y, method = "gd", step = step, lambda = fit$lambda)
  expect_identical(by_s$b, fit$b)
  expect_identical(by_lambda$b, fit$b)
})

test_that("coef() and predict() of a descent serve any time exactly", {
  x <- diabetes_x(); y <- diabetes_y()
  step <- 2e-3
  fit <- dln(x, y, method = "gd", step = step, time = c(0.5, 5, 50))
  expect_identical(coef(fit, time = c(0.5, 5, 50)), coef(fit), ignore_attr = TRUE)
  expect_equal(coef(fit, s = fit$s, average = TRUE), coef(fit, average = TRUE),
               ignore_attr = TRUE, tolerance = 1e-14)
  direct <- dln(x, y, method = "gd", step = step, time = c(0.3, 7, 80))
  expect_identical(coef(fit, time = c(80, 0.3, 7)), coef(direct)[, c(3, 1, 2)],
                   ignore_attr = TRUE)
  expect_equal(coef(fit, time = c(80, 0.3, 7), average = TRUE),
               coef(direct, average = TRUE)[, c(3, 1, 2)], ignore_attr = TRUE,
               tolerance = 1e-14)
  pr <- predict(fit, x[1:4, ], time = 7)
  expect_equal(unname(pr), unname(cbind(1, x[1:4, ]) %*% coef(direct)[, 2]))
  err <- expect_error(coef(fit, time = step / 4), class = "dlnpath_error_input")
  expect_equal(err$arg, "s")
})

test_that("the full gradient through X (2n < p) is the same recursion", {
  set.seed(3)
  x <- matrix(rnorm(30 * 80), 30, 80); y <- drop(x[, 1:3] %*% c(2, -1, 1)) + rnorm(30)
  fit <- dln(x, y, method = "gd", step = 5e-3, s = c(0.05, 0.2, 0.4))
  expect_true(fit$gd$use_x)
  g <- gram_of(x, y)
  k <- fit$gd$k
  ref <- gd_reference(g$M, g$r, 1e-5, 5e-3, k)
  expect_equal(fit$b, ref$b, tolerance = 1e-10, ignore_attr = TRUE)
  expect_identical(coef(fit, s = rev(fit$s)), coef(fit)[, 3:1], ignore_attr = TRUE)
})

test_that("minibatch SGD: reproducible, leaves the session's RNG alone, replayable", {
  x <- diabetes_x(); y <- diabetes_y()
  set.seed(42)
  before <- .Random.seed
  a <- dln(x, y, method = "gd", batch_size = 32, seed = 7, step = 1e-3, s = c(0.1, 1))
  expect_identical(.Random.seed, before)
  b <- dln(x, y, method = "gd", batch_size = 32, seed = 7, step = 1e-3, s = c(0.1, 1))
  expect_identical(a$b, b$b)
  c8 <- dln(x, y, method = "gd", batch_size = 32, seed = 8, step = 1e-3, s = c(0.1, 1))
  expect_false(isTRUE(all.equal(a$b, c8$b)))
  # without a seed the session's stream is used and advanced
  set.seed(7)
  d <- dln(x, y, method = "gd", batch_size = 32, step = 1e-3, s = c(0.1, 1))
  expect_identical(d$b, a$b)
  expect_false(identical(.Random.seed, before))
  # coef() replays the run with the same random numbers, off the grid too
  after <- .Random.seed
  direct <- dln(x, y, method = "gd", batch_size = 32, seed = 7, step = 1e-3, s = 0.5)
  expect_identical(coef(a, s = 0.5), coef(direct), ignore_attr = TRUE)
  expect_identical(.Random.seed, after)
  # all rows in every batch: full gradient descent up to summation order
  full <- dln(x, y, method = "gd", step = 1e-3, s = c(0.1, 1))
  all_rows <- dln(x, y, method = "gd", batch_size = nrow(x), seed = 1, step = 1e-3,
                  s = c(0.1, 1))
  expect_equal(all_rows$b, full$b, tolerance = 1e-12)
})

test_that("minibatch SGD is the recursion on the drawn rows (R reference)", {
  x <- diabetes_x()[1:60, ]; y <- diabetes_y()[1:60]
  g <- gram_of(x, y)
  xs <- sweep(sweep(x, 2, g$mu), 2, g$sd, "/"); yc <- y - mean(y)
  step <- 2e-3; K <- 300; B <- 7; n <- nrow(x)
  fit <- dln(x, y, method = "gd", batch_size = B, seed = 11, step = step,
             s = s_of_k(K, step, -log(1e-5)))
  set.seed(11)
  lp <- lq <- rep(log(sqrt(1e-5) / 2), 10)
  perm <- seq_len(n)
  for (k in seq_len(K)) {
    b <- exp(2 * lp) - exp(2 * lq)
    for (t in seq_len(B)) {             # partial Fisher-Yates with R_unif_index
      j <- t - 1 + sample.int(n - t + 1, 1)
      tmp <- perm[j]; perm[j] <- perm[t]; perm[t] <- tmp
    }
    rows <- perm[1:B]
    grad <- drop(crossprod(xs[rows, , drop = FALSE],
                           xs[rows, , drop = FALSE] %*% b - yc[rows])) / B
    lp <- lp + log(abs(1 - step * grad))
    lq <- lq + log(abs(1 + step * grad))
  }
  expect_equal(drop(fit$b), exp(2 * lp) - exp(2 * lq), tolerance = 1e-10,
               ignore_attr = TRUE)
})

test_that("stability: warnings near the limit, sign flips reported, divergence stops", {
  x <- diabetes_x(); y <- diabetes_y()
  ok <- expect_silent(dln(x, y, method = "gd", s = c(0.1, 1, 10)))
  expect_lt(max(ok$gd$index_gradient, ok$gd$index_curvature), 0.5)
  expect_equal(ok$gd$largest_stable_step,
               ok$gd$step / max(ok$gd$index_gradient, ok$gd$index_curvature))
  lim <- ok$gd$largest_stable_step
  expect_warning(near <- dln(x, y, method = "gd", s = c(0.1, 1, 10), step = 0.7 * lim),
                 class = "dlnpath_warning_step")
  expect_true(all(near$gd$flips$w_plus + near$gd$flips$w_minus == 0))
  # a first step with |step * r| > 1 flips signs: reported, per coordinate
  g <- gram_of(x, y)
  big <- 1.5 / max(abs(g$r))
  w <- expect_warning(flip <- dln(x, y, method = "gd", step = big, s = c(0.05, 0.1)),
                      class = "dlnpath_warning_step")
  expect_match(conditionMessage(w), "sign flips")
  j <- which.max(abs(g$r))
  expect_gt(flip$gd$flips$w_plus[j] + flip$gd$flips$w_minus[j], 0)
  err <- expect_error(dln(x, y, method = "gd", step = 0.05, s = c(1, 10)),
                      class = "dlnpath_error_numeric")
  expect_identical(err$arg, "step")
})

test_that("gradient descent rejects bad input with classed errors", {
  x <- diabetes_x(); y <- diabetes_y()
  bad <- function(arg, ...) {
    err <- expect_error(dln(x, y, ...), class = "dlnpath_error_input")
    expect_equal(err$arg, arg)
  }
  bad("step", method = "gd", step = 0)
  bad("step", method = "gd", step = -1)
  bad("step", method = "gd", step = c(1e-3, 1e-4))
  bad("step", step = 1e-3)                      # flow takes no step
  bad("batch_size", batch_size = 10)
  bad("batch_size", method = "gd", batch_size = 0)
  bad("batch_size", method = "gd", batch_size = 443)
  bad("seed", method = "gd", seed = 1)
  bad("step", method = "gd", step = 1e-3, time = 1e-4)
  bad("max_steps", method = "gd", step = 1e-3, time = 100, max_steps = 1000)
  bad("time", s = 1, time = 1)
  bad("lambda", lambda = c(2, 0.4), weight_decay = 0.5)
  bad("time", time = -1)
  err <- expect_error(dln_gram(diag(2), c(1, 2), method = "gd", batch_size = 1),
                      class = "dlnpath_error_input")
  expect_equal(err$arg, "...")
})

test_that("the gradient-descent entry point errors instead of crashing", {
  C_dln_gd <- getFromNamespace("C_dln_gd", "dlnpath")
  M <- diag(2); r <- c(1, -1); lc <- log(c(0.25, 0.25))
  call <- function(M = diag(2), X = NULL, Xt = NULL, y = NULL, batch = 0L, k = c(1, 5),
                   state = NULL, lcp = lc) {
    .Call(C_dln_gd, M, X, Xt, y, r, lcp, lc, 10, 0, FALSE, 0.01, batch, k, state, FALSE)
  }
  expect_equal(call()$status, 0L)
  expect_error(call(M = NULL), "'M' and 'X'")
  expect_error(call(k = c(5, 1)), "non-decreasing")
  expect_error(call(k = 1.5), "whole")
  expect_error(call(batch = 1L), "Xt")
  expect_error(call(batch = 3L, Xt = diag(2), y = c(1, 1)), "at most")
  expect_error(call(state = list(1)), "state0")
  expect_error(call(lcp = c(NaN, 0)), "logcp")
})

test_that("Ctrl-C stops gradient descent and leaves the session usable", {
  expect_interruptible(
    "x <- as.matrix(diabetes[, 1:10]); y <- diabetes$y",
    # about 6e8 iterations: minutes
    "dln(x, y, method = 'gd', step = 1e-4, s = 1e4, max_steps = 1e12)")
})
