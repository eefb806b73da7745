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

test_that("one transition costs the same number of steps at every epsilon", {
  # one variable: a single entry, of width 1 / log(1/epsilon) in s (1986
  # right-hand sides at 1e-5, 2250 at log(1/epsilon) = 2e4 when measured)
  rhs <- vapply(c(log(1e5), 230, 2e4), function(L) {
    dln_gram(matrix(1), 1, log_inv_epsilon = L)$stats[["rhs"]]
  }, double(1))
  expect_lt(max(rhs) / rhs[1], 1.3)
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
  # before the first grid point (restart from the origin), between grid
  # points, and past the last one
  s_new <- c(0.01, 0.07, 0.2, 30)
  direct <- dln(x, y, epsilon = 1e-20, s = s_new)
  expect_equal(coef(fit, s = s_new, average = TRUE), coef(direct, average = TRUE),
               tolerance = 1e-6, ignore_attr = TRUE)
  expect_equal(coef(fit, s = s_new), coef(direct), tolerance = 1e-6,
               ignore_attr = TRUE)
  expect_equal(dim(coef(fit, s = s_new)), c(11L, 4L))
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

# p = 1 with b = eps c e^{-H}, H' = A e^{-H} - B, H(0) = 0 (u2: H = 4G + 4 kappa t,
# uv with c- = 0: H = 2G + 2 kappa t): u = e^H solves u' = A - B u, so
# H = log(A/B + (1 - A/B) e^{-Bt}), b = eps c / u, W = int b = (H + B t)/(f m).
separable_p1 <- function(m, r, kappa, eps, c, f, t) {
  A <- f * m * eps * c; B <- f * (r - kappa)
  H <- log(A / B + (1 - A / B) * exp(-B * t))
  list(b = eps * c * exp(-H), bavg = (H + B * t) / (f * m * t))
}

test_that("p = 1, u2: closed form with and without weight decay", {
  m <- 1.7; r <- 0.9
  for (eps in c(1e-5, 1e-30)) for (kappa in c(0, 0.3)) {
    L <- -log(eps)
    s <- c(0.5, 1, 1.05, 1.2, 2, 10) / (r - kappa)
    ref <- separable_p1(m, r, kappa, eps, 1.44, 4, s * L / 4)
    fit <- dln_gram(matrix(m), r, param = "u2", alpha0 = 1.2, epsilon = eps,
                    weight_decay = kappa, s = s, tol = 1e-10)
    expect_equal(drop(fit$b), ref$b, tolerance = 1e-8)
    expect_equal(drop(fit$Z) / s, ref$bavg, tolerance = 1e-8)
    gd <- dln_gram(matrix(m), r, param = "u2", alpha0 = 1.2, epsilon = eps,
                   weight_decay = kappa, s = s, method = "gd", step = 1e-3)
    expect_equal(drop(gd$b), separable_p1(m, r, kappa, eps, 1.44, 4, gd$time)$b,
                 tolerance = 0.02)
  }
})

test_that("p = 1, uv with c- = 0: closed form with weight decay", {
  C_dln_flow <- getFromNamespace("C_dln_flow", "dlnpath")
  m <- 0.8; r <- -1.1; kappa <- 0.25; eps <- 1e-20; L <- -log(eps)
  # c+ = 0 and c- > 0 gives b < 0; r < 0 makes it grow
  s <- c(0.3, 1, 1.1, 1.3, 3, 20) / (abs(r) - kappa)
  res <- .Call(C_dln_flow, matrix(m), NULL, r, -Inf, log(0.64), L, kappa, 0, 0, 0, s,
               1e-10, 100000L, FALSE, FALSE)
  ref <- separable_p1(m, -r, kappa, eps, 0.64, 2, s * L / 2)
  expect_equal(-drop(res$b), ref$b, tolerance = 1e-8)
  expect_equal(-drop(res$Z) / s, ref$bavg, tolerance = 1e-8)
})

test_that("p = 1, uv with weight decay: agrees with deSolve at tight tolerance", {
  skip_if_not_installed("deSolve")
  m <- 1.3; r <- 0.8; kappa <- 0.2; b0 <- 1; g0 <- 0.4
  for (eps in c(1e-5, 1e-12)) {
    L <- -log(eps)
    s <- c(0.5, 1.5, 1.7, 2, 4, 10)
    # training time, on log w+^2, log w-^2 and W = int b
    rhs <- function(t, v, parms) {
      b <- exp(v[1]) - exp(v[2]); g <- m * b - r
      list(c(-2 * (g + kappa), 2 * (g - kappa), b))
    }
    v0 <- c(log(eps * (b0 + g0)^2 / 4), log(eps * (b0 - g0)^2 / 4), 0)
    out <- deSolve::ode(v0, c(0, s * L / 2), rhs, NULL, method = "lsoda",
                        rtol = 1e-12, atol = 1e-14, maxsteps = 1e6)[-1, ]
    fit <- dln_gram(matrix(m), r, epsilon = eps, beta0 = b0, gamma0 = g0,
                    weight_decay = kappa, s = s, tol = 1e-10)
    expect_equal(drop(fit$b), exp(out[, 2]) - exp(out[, 3]), tolerance = 1e-7)
    expect_equal(drop(fit$Z) / s, out[, 4] / (s * L / 2), tolerance = 1e-7)
  }
})

test_that("the grid may be given as s, time or lambda", {
  x <- diabetes_x(); y <- diabetes_y()
  a <- dln(x, y, epsilon = 1e-20, s = c(0.02, 0.2), weight_decay = 1)
  b <- dln(x, y, epsilon = 1e-20, time = a$time, weight_decay = 1)
  c2 <- dln(x, y, epsilon = 1e-20, lambda = a$lambda, weight_decay = 1)
  expect_equal(b$s, a$s)
  expect_equal(c2$s, a$s)
  expect_equal(b$b, a$b, tolerance = 1e-12)
  expect_equal(c2$b, a$b, tolerance = 1e-12)
  expect_equal(coef(a, lambda = a$lambda[2]), coef(a)[, 2, drop = FALSE],
               tolerance = 1e-8, ignore_attr = TRUE)
  expect_equal(coef(a, time = a$time[1]), coef(a)[, 1, drop = FALSE],
               tolerance = 1e-8, ignore_attr = TRUE)
})

# min phi(b) subject to X b = y, where grad phi(b) = h(b) and b = h^{-1}(X'mu):
# Newton's method on the multipliers mu (halving steps until |F| decreases).
constrained_min <- function(X, y, binv, dbinv) {
  mu <- rep(0, nrow(X))
  F <- function(mu) drop(X %*% binv(drop(crossprod(X, mu)))) - y
  for (it in 1:200) {
    f <- F(mu)
    if (max(abs(f)) < 1e-13 * max(abs(y))) break
    J <- X %*% (dbinv(drop(crossprod(X, mu))) * t(X))
    d <- solve(J, f)
    t <- 1
    while (sum(F(mu - t * d)^2) > sum(f^2) && t > 1e-10) t <- t / 2
    mu <- mu - t * d
  }
  binv(drop(crossprod(X, mu)))
}

test_that("epsilon = 0.1, long time: the limit interpolates with the implicit bias", {
  # uv: b = eps (c+ e^{-2G} - c- e^{2G}) with G in range(X'), so the limit
  # minimizes the hyperbolic-entropy potential (Woodworth et al. 2020)
  #   phi(b) = sum b asinh(b/k) - sqrt(b^2 + k^2) + b log(d/a),
  #   a = |beta0 + gamma0|/2, d = |beta0 - gamma0|/2, k = 2 eps a d,
  # among interpolators; u2 (b = eps alpha0^2 e^{-4G}): the entropy
  #   phi(b) = sum b log(b / (eps alpha0^2)) - b.
  set.seed(5)
  n <- 5; p <- 12
  X <- matrix(rnorm(n * p), n, p)
  y <- drop(X %*% c(2, -1, rep(0, p - 2))) + 0.1 * rnorm(n)
  M <- crossprod(X) / n; r <- drop(crossprod(X, y)) / n
  eps <- 0.1
  for (g0 in c(0, 0.4)) {
    a <- 0.5 * (1 + g0); d <- 0.5 * (1 - g0); k <- 2 * eps * a * d
    ref <- constrained_min(X, y, function(z) k * sinh(z - log(d / a)),
                           function(z) k * cosh(z - log(d / a)))
    fit <- dln_gram(M, r, epsilon = eps, gamma0 = g0, s = c(10, 2000))
    b <- fit$b[, 2]
    expect_lt(max(abs(X %*% b - y)), 1e-8)
    expect_equal(b, ref, tolerance = 1e-7, ignore_attr = TRUE)
    # the bias is not that of min-norm least squares
    expect_gt(max(abs(b - drop(crossprod(X, solve(tcrossprod(X), y))))), 0.05)
  }
  bpos <- runif(p, 0.2, 1); ypos <- drop(X %*% bpos)
  rpos <- drop(crossprod(X, ypos)) / n
  ref <- constrained_min(X, ypos, function(z) eps * 0.49 * exp(z),
                         function(z) eps * 0.49 * exp(z))
  fit <- dln_gram(M, rpos, param = "u2", alpha0 = 0.7, epsilon = eps, s = c(10, 2000))
  expect_lt(max(abs(X %*% fit$b[, 2] - ypos)), 1e-8)
  expect_equal(fit$b[, 2], ref, tolerance = 1e-7, ignore_attr = TRUE)
})

test_that("monotone instance: the gap to the lasso shrinks with epsilon", {
  # orthogonal design: z(mu) = mu b(mu) = (mu |r_j| - 1)_+ is monotone
  r <- c(1, -0.8, 0.5, 0.3, -0.1)
  M <- diag(5)
  lasso <- lasso_path_gram(M, r, c = 1)
  expect_true(attr(path_monotonicity(lasso), "monotone"))
  s <- exp(seq(log(0.5), log(100), length.out = 60))
  gap <- vapply(c(1e-5, 1e-10, 1e-30, 1e-100), function(e) {
    max(as.data.frame(compare_paths(dln_gram(M, r, c = 1, epsilon = e, s = s),
                                    lasso))$rel_gap)
  }, double(1))
  expect_true(all(diff(gap) < 0))
  expect_gt(min(gap), 0)
  # the error shrinks like 1/log(1/epsilon)
  expect_lt(gap[4], gap[1] / 10)
})

test_that("max_steps: the default grows with the grid, the message names the remedy", {
  x <- diabetes_x(); y <- diabetes_y()
  # every point of a grid costs at least one step: 1e5 points need more
  # than the old default of 1e5 steps
  fit <- dln(x, y, ns = 1e5)
  expect_gt(fit$stats[["steps"]], 1e5)
  expect_equal(length(fit$s), 1e5)
  err <- expect_error(dln(x, y, max_steps = 50), class = "dlnpath_error_numeric")
  expect_identical(err$arg, "max_steps")
  expect_match(conditionMessage(err), "raise `max_steps`")
  expect_false(grepl("tol", conditionMessage(err)))
  err <- expect_error(dln(x, y, ns = 1000, max_steps = 900), class = "dlnpath_error_numeric")
  expect_match(conditionMessage(err), "each of the 1000 points of the grid")
})

test_that("property: on 300 random problems the flow is finite and decreases the loss", {
  loss <- function(d, B) {
    B <- as.matrix(B)
    0.5 * colSums(B * (d$M %*% B)) - colSums(B * d$r) + d$c
  }
  # rounding of the loss computed as 1/2 b'Mb - r'b + c
  slack <- function(d, B) {
    B <- abs(as.matrix(B))
    1e-10 * (0.5 * colSums(B * (abs(d$M) %*% B)) + colSums(B * abs(d$r)) + d$c)
  }
  for (seed in property_seeds(300)) {
    d <- random_problem(seed)
    set.seed(seed)
    param <- if (runif(1) < 0.7) "uv" else "u2"
    # epsilon small at the scale of the coefficients (max|r| / max diag M)
    bscale <- max(abs(d$r)) / max(diag(d$M), 1e-300)
    L <- runif(1, 7, 70) + if (bscale > 0) max(0, -log(bscale)) else 0
    fit <- dln(d$x, d$y, param = param, log_inv_epsilon = L, ns = 12,
               standardize = d$standardize, intercept = d$intercept)
    info <- sprintf("seed %d (n = %d, p = %d, %s)", seed, d$n, d$p, param)
    expect_true(all(is.finite(unlist(fit[c("b", "Z", "E", "beta", "beta_avg", "a0",
                                           "a0_avg")]))), info = info)
    expect_true(all(diff(fit$s) > 0), info = info)
    Bavg <- sweep(fit$Z, 2, fit$s, "/")
    # l(b(t)) decreases along the flow, and by convexity l(bbar) <= l(b(0))
    b0 <- if (param == "uv") rep(0, d$p) else rep(fit$epsilon, d$p)
    lb <- loss(d, fit$b)
    expect_true(all(diff(lb) <= slack(d, fit$b)[-1]), info = info)
    expect_true(all(loss(d, Bavg) <= loss(d, b0) + slack(d, Bavg)), info = info)
    if (param == "u2") expect_true(all(fit$b >= 0), info = info)
    # and no trajectory beats the lasso at lambda = 1/s
    tab <- compare_paths(fit)$table
    expect_true(all(tab$rel_gap >= -1e-8 | is.na(tab$rel_gap)), info = info)
  }
})
