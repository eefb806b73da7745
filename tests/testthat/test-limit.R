# dln_limit(): the epsilon -> 0 limit (saddle-to-saddle recursion, src/limit.c).

monotone_seeds <- function(n = 10, want = TRUE) {
  out <- integer(0)
  seed <- 0L
  while (length(out) < n) {
    seed <- seed + 1L
    d <- paper_instance(seed)
    mono <- attr(path_monotonicity(lasso_path_gram(d$M, d$r)), "monotone")
    if (mono == want) out <- c(out, seed)
  }
  out
}

test_that("the limit agrees with an independent enumeration on random instances", {
  for (seed in 1:40) {
    d <- paper_instance(seed)
    for (kappa in c(0, 0.3)) {
      for (param in c("uv", "u2")) {
        lim <- dln_limit_gram(d$M, d$r, param = param, weight_decay = kappa)
        s <- lim$s
        ref <- limit_reference(d$M, d$r, s, kappa = kappa, onesided = param == "u2")
        expect_equal(unname(lim$Z), ref, tolerance = 1e-9,
                     info = sprintf("seed %d, kappa %g, %s", seed, kappa, param))
      }
    }
  }
})

test_that("first phase ends at 1/(max|r| - kappa); E stays in the box; E = MZ - sr", {
  x <- diabetes_x(); y <- diabetes_y()
  g <- gram_of(x, y)
  for (kappa in c(0, 2)) {
    lim <- dln_limit(x, y, weight_decay = kappa)
    expect_equal(lim$knots[2], 1 / (max(abs(g$r)) - kappa), tolerance = 1e-12)
    expect_equal(lim$phases$enter[2], names(which.max(abs(g$r))))
    edge <- 1 + kappa * c(lim$knots, lim$s)
    E <- cbind(lim$E_knots, lim$E)
    expect_true(all(abs(E) <= rep(edge, each = 10) * (1 + 1e-9)))
    expect_equal(unname(lim$E), unname(g$M %*% lim$Z - outer(g$r, lim$s)),
                 tolerance = 1e-9)
    expect_true(lim$complete)
  }
})

# Largest violation of the optimality conditions of every phase's saddle:
# min l(b) + kappa sum sigma_i b_i over sigma_i b_i >= 0 on the edge set,
# b_i = 0 off it; and of |E| <= 1 + kappa s (u2: E >= -(1 + kappa s)) at
# the phase starts.
saddle_violation <- function(lim, M, r, kappa = 0) {
  onesided <- lim$param == "u2"
  worst <- 0
  for (k in seq_along(lim$knots)) {
    edge <- 1 + kappa * lim$knots[k]
    E <- lim$E_knots[, k]
    b <- lim$saddles[, k]
    sigma <- ifelse(E <= -edge * (1 - 1e-9), 1,
                    ifelse(!onesided & E >= edge * (1 - 1e-9), -1, 0))
    grad <- drop(M %*% b) - r
    on <- b != 0
    zero <- sigma != 0 & !on
    worst <- max(worst, abs(b[sigma == 0]), pmax(-sigma * b, 0),
                 abs(grad[on] + kappa * sigma[on]),
                 pmax(-(sigma[zero] * grad[zero] + kappa), 0),
                 pmax(if (onesided) -E - edge else abs(E) - edge, 0))
  }
  worst
}

test_that("each saddle solves its sign-constrained least-squares problem (KKT)", {
  x <- diabetes_x(); y <- diabetes_y()
  g <- gram_of(x, y)
  for (kappa in c(0, 0.5)) {
    lim <- dln_limit(x, y, weight_decay = kappa)
    expect_lt(saddle_violation(lim, g$M, g$r, kappa), 1e-9)
    # the last saddle is the lasso at lambda = kappa (OLS when kappa = 0)
    last <- lim$saddles[, ncol(lim$saddles)]
    expect_lt(kkt_residual(g$M, g$r, last, kappa), 1e-9)
  }
  # p > n, hundreds of phases (the subproblem is warm-started from the
  # previous saddle): every saddle optimal, the last one interpolates
  set.seed(7)
  X <- matrix(rnorm(40 * 60), 40, 60)
  yy <- drop(X[, 1:8] %*% rnorm(8)) + rnorm(40)
  M <- crossprod(X); r <- drop(crossprod(X, yy))
  for (param in c("uv", "u2")) {
    lim <- dln_limit_gram(M, r, param = param)
    expect_true(lim$complete)
    expect_gt(length(lim$knots), 25)
    expect_lt(saddle_violation(lim, M, r), 1e-8 * max(abs(r)))
    b <- lim$saddles[, ncol(lim$saddles)]
    expect_lt(kkt_residual(M, r, b, 0, nonneg = param == "u2"), 1e-8 * max(abs(r)))
  }
})

test_that("on monotone instances the limit is s * b_lasso(kappa + 1/s) exactly", {
  for (seed in monotone_seeds(10)) {
    d <- paper_instance(seed)
    lim <- dln_limit_gram(d$M, d$r, c = d$c)
    cmp <- compare_paths(lim)
    expect_true(cmp$monotone)
    expect_lt(max(abs(cmp$table$rel_gap)), 1e-10)
    expect_lt(max(cmp$table$max_abs_diff), 1e-9 * max(abs(cmp$coef_lasso)))
    # the saddle is the slope of z(mu) = mu b(mu): the lasso extrapolated to 0
    lasso <- cmp$lasso
    mid <- sqrt(lasso$lambda[-1] * lasso$lambda[-length(lasso$lambda)])
    mid <- mid[mid > 0]
    z <- function(s) coef(lasso, lambda = 1 / s)[-1, ] * rep(s, each = 4)
    h <- 1e-6
    slope <- (z(1 / mid * (1 + h)) - z(1 / mid * (1 - h))) / rep(2 * h / mid, each = 4)
    expect_equal(unname(coef(lim, s = 1 / mid)[-1, ]), unname(slope), tolerance = 1e-6)
  }
  # orthogonal design on x/y with standardization, weight decay and u2
  set.seed(2)
  q <- qr.Q(qr(matrix(rnorm(60), 20, 3))) * sqrt(20)
  yq <- rnorm(20)
  for (param in c("uv", "u2")) {
    lim <- dln_limit(q, yq, param = param, weight_decay = 0.1)
    cmp <- compare_paths(lim)
    expect_true(cmp$monotone)
    expect_lt(max(cmp$table$max_abs_diff), 1e-12)
    expect_equal(cmp$lasso$nonneg, param == "u2")
  }
})

test_that("on non-monotone paths the limit leaves the lasso where z turns back", {
  x <- diabetes_x(); y <- diabetes_y()
  lim <- dln_limit(x, y)
  cmp <- compare_paths(lim)
  brk <- 1 / max(cmp$monotonicity$lambda_break, na.rm = TRUE)   # s = 3.84
  before <- cmp$table$s < brk
  expect_lt(max(cmp$table$max_abs_diff[before]), 1e-9)
  expect_gt(max(cmp$table$max_abs_diff[!before]), 1)
  expect_gt(max(cmp$table$rel_gap), 1e-5)
  # s3 leaves the edge there instead of crossing zero, and comes back later
  ph <- lim$phases
  expect_equal(ph$leave[ph$s_start == max(ph$s_start[ph$s_start <= brk * (1 + 1e-9)])], "s3")
  expect_true(any(grepl("s3", ph$enter[ph$s_start > brk])))
  for (seed in monotone_seeds(5, want = FALSE)) {
    d <- paper_instance(seed)
    expect_gt(max(compare_paths(dln_limit_gram(d$M, d$r, c = d$c))$table$rel_gap), 1e-8,
              label = paste("seed", seed))
  }
})

test_that("finite-epsilon flows approach the limit as epsilon decreases", {
  x <- diabetes_x(); y <- diabetes_y()
  lim <- dln_limit(x, y, ns = 40)
  d <- paper_instance(monotone_seeds(1)[1])
  liml <- dln_limit_gram(d$M, d$r, ns = 40)
  for (case in list(list(lim, function(e) dln(x, y, epsilon = e, s = lim$s)),
                    list(liml, function(e) dln_gram(d$M, d$r, epsilon = e, s = liml$s)))) {
    err <- vapply(10^-c(5, 20, 80, 300), function(e) {
      f <- case[[2]](e)
      max(abs(f$Z - case[[1]]$Z) / rep(f$s, each = nrow(f$Z))) / max(abs(case[[1]]$Z))
    }, double(1))
    expect_true(all(diff(err) < 0))
    # about 1/log(1/epsilon): 60 times smaller L gives at least 10 times less error
    expect_lt(err[4], err[1] / 10)
  }
  # and the u2 flow approaches the one-sided limit
  limu <- dln_limit_gram(d$M, d$r, param = "u2", ns = 30)
  err <- vapply(10^-c(5, 300), function(e) {
    max(abs(dln_gram(d$M, d$r, param = "u2", epsilon = e, s = limu$s)$Z - limu$Z))
  }, double(1))
  expect_lt(err[2], err[1] / 10)
})

test_that("columns equal up to sign and scale share the limit's coefficient, as the flow does", {
  x <- diabetes_x(); y <- diabetes_y()
  X <- cbind(x, dup = x[, "bmi"], neg = -x[, "s5"], three = 3 * x[, "age"])
  lim <- dln_limit(X, y, ns = 30)
  ref <- dln_limit(x, y, s = lim$s)
  b <- lim$beta_avg; r <- ref$beta_avg
  # standardized, each pair is one column counted twice: halves on the
  # internal scale, the original scale divides by each column's sd
  expect_equal(b[c("bmi", "dup"), ], rbind(r["bmi", ], r["bmi", ]) / 2, tolerance = 1e-10,
               ignore_attr = TRUE)
  expect_equal(b[c("s5", "neg"), ], rbind(r["s5", ], -r["s5", ]) / 2, tolerance = 1e-10,
               ignore_attr = TRUE)
  expect_equal(b[c("age", "three"), ], rbind(r["age", ] / 2, r["age", ] / 6), tolerance = 1e-10,
               ignore_attr = TRUE)
  keep <- setdiff(colnames(x), c("bmi", "s5", "age"))
  expect_equal(b[keep, ], r[keep, ], tolerance = 1e-10)
  expect_equal(lim$knots, ref$knots, tolerance = 1e-12)
  # the flow at small epsilon is as close to it as without the copies
  dist <- function(l, xx) max(abs(dln(xx, y, epsilon = 1e-100, s = l$s)$beta_avg - l$beta_avg))
  expect_lt(dist(lim, X), 1.2 * dist(ref, x))
  # u2: only equal signs pair up (the negated copy never reaches the edge
  # while its twin is on it)
  limu <- dln_limit(X, y, param = "u2", ns = 30)
  refu <- dln_limit(x, y, param = "u2", s = limu$s)
  expect_equal(limu$beta_avg[c("bmi", "dup"), ], rbind(refu$beta_avg["bmi", ],
               refu$beta_avg["bmi", ]) / 2, tolerance = 1e-10, ignore_attr = TRUE)
  expect_true(all(limu$beta_avg[c("s5", "neg"), ] >= -1e-12 * max(abs(limu$beta_avg))))
})

test_that("u2: one-sided box, non-negative saddles", {
  x <- diabetes_x(); y <- diabetes_y()
  lim <- dln_limit(x, y, param = "u2")
  expect_true(all(lim$saddles >= 0))
  expect_true(all(lim$E_knots >= -1 - 1e-9))
  expect_equal(lim$knots[2], 1 / max(gram_of(x, y)$r), tolerance = 1e-12)
  # the last saddle is the non-negative least-squares fit
  g <- gram_of(x, y)
  expect_lt(kkt_residual(g$M, g$r, lim$saddles[, ncol(lim$saddles)], 0, nonneg = TRUE), 1e-9)
})

test_that("degenerate problems terminate: duplicates, p > n, zero correlation, caps", {
  x <- diabetes_x()[, 1:4]; y <- diabetes_y()
  lim <- dln_limit(cbind(x, x[, 3]), y, standardize = FALSE)
  expect_true(lim$complete)
  g <- gram_of(cbind(x, x[, 3]), y, standardize = FALSE)
  expect_lt(kkt_residual(g$M, g$r, lim$saddles[, ncol(lim$saddles)], 0), 1e-6 * max(abs(g$r)))
  # p > n: ends at an interpolating saddle
  set.seed(4)
  X <- matrix(rnorm(5 * 12), 5, 12); yy <- rnorm(5)
  lim <- dln_limit_gram(crossprod(X), drop(crossprod(X, yy)))
  b <- lim$saddles[, ncol(lim$saddles)]
  expect_lt(max(abs(X %*% b - yy)), 1e-8)
  # r = 0: nothing ever moves
  lim <- dln_limit_gram(diag(3), c(0, 0, 0))
  expect_equal(length(lim$knots), 1L)
  expect_true(all(lim$Z == 0))
  # the phase cap: a classed warning, NA beyond
  expect_warning(lim <- dln_limit(diabetes_x(), y, max_phases = 3),
                 class = "dlnpath_warning_step_cap")
  expect_false(lim$complete)
  expect_true(all(is.na(lim$Z[, lim$s > lim$s_end])))
  expect_false(anyNA(lim$Z[, lim$s < lim$s_end]))
})

test_that("coef, predict and as.data.frame of the limit", {
  x <- diabetes_x(); y <- diabetes_y()
  lim <- dln_limit(x, y, s = c(0.05, 0.5, 5))
  expect_equal(coef(lim, s = c(0.05, 0.5, 5), average = TRUE),
               coef(lim, average = TRUE))
  expect_equal(unname(coef(lim)[-1, ]), unname(lim$beta))
  # exact between phases: Z is linear in s inside a phase
  k <- 5
  s1 <- lim$knots[k] * 1.01; s2 <- lim$knots[k + 1] * 0.99
  Z <- function(s) coef(lim, s = s, average = TRUE)[-1, ] * s
  expect_equal(Z((s1 + s2) / 2), (Z(s1) + Z(s2)) / 2, tolerance = 1e-12)
  # the intercept is that of the averaged coefficients
  b <- coef(lim, s = 0.5, average = TRUE)
  expect_equal(b[1, 1], mean(y) - sum(colMeans(x) * b[-1, 1]))
  expect_equal(predict(lim, x[1:3, ], s = 0.5, average = TRUE)[, 1],
               drop(cbind(1, x[1:3, ]) %*% b[, 1]))
  df <- as.data.frame(lim)
  expect_equal(names(df), c("step", "s", "lambda", "term", "estimate", "estimate_avg"))
  expect_equal(nrow(df), 3 * 11)
  expect_output(print(lim), "12 phases")
  skip_if_not_installed("ggplot2")
  expect_s3_class(ggplot2::autoplot(lim), "ggplot")
  expect_s3_class(ggplot2::autoplot(lim, average = FALSE), "ggplot")
})

test_that("dln_limit rejects bad input with classed errors", {
  x <- diabetes_x(); y <- diabetes_y()
  cases <- list(
    list(quote(dln_limit(x, y, weight_decay = -1)), "weight_decay"),
    list(quote(dln_limit(x, y, tol = 2)), "tol"),
    list(quote(dln_limit(x, y, max_phases = 0)), "max_phases"),
    list(quote(dln_limit(x, y, param = "w")), NULL),
    list(quote(dln_limit(x, y, s = -1)), "s"),
    list(quote(dln_limit(x, y, epsilon = 1e-5)), "..."),
    list(quote(dln_limit(x, y[-1])), "y"),
    list(quote(dln_limit_gram(matrix(1:4, 2), c(1, 2))), "M"),
    list(quote(dln_limit_gram(diag(2), c(1, 2), standardize = TRUE)), "..."),
    list(quote(coef(dln_limit(x, y), s = 0)), "s")
  )
  for (cs in cases) {
    if (is.null(cs[[2]])) {
      expect_error(eval(cs[[1]]))
      next
    }
    err <- expect_error(eval(cs[[1]]), class = "dlnpath_error_input")
    expect_equal(err$arg, cs[[2]])
  }
  # the C entry re-checks its arguments
  expect_error(.Call(dlnpath:::C_dln_limit, diag(2), c(1, NA), 0, FALSE, 10L, 1e-9))
  expect_error(.Call(dlnpath:::C_dln_limit, diag(3), c(1, 2), 0, FALSE, 10L, 1e-9))
  expect_error(.Call(dlnpath:::C_dln_limit, diag(2), c(1, 2), -1, FALSE, 10L, 1e-9))
})

test_that("Ctrl-C stops the limit recursion and leaves the session usable", {
  expect_interruptible(
    "set.seed(1); X <- matrix(rnorm(600 * 600), 600); y <- rnorm(600)",
    "dln_limit(X, y, ns = 20)")
})
