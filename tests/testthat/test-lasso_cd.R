# lasso_path(method = "cd"): glmnet's grid and meaning, certified gaps.
#
# glmnet is the reference where installed. Its own accuracy at
# thresh = 1e-14 can be ~1e-5 on unscaled columns (raw diabetes), so it is run
# with thresh = 1e-20 and a large maxit whenever it serves as a 1e-6
# reference.

glmnet_ref <- function(x, y, lambda, ...) {
  glmnet::glmnet(x, y, lambda = lambda, thresh = 1e-20, maxit = 1e8, ...)
}

test_that("the default grid is glmnet's", {
  skip_if_not_installed("glmnet")
  x <- diabetes_x(); y <- diabetes_y()
  for (opt in list(c(TRUE, TRUE), c(FALSE, FALSE), c(TRUE, FALSE))) {
    fit <- lasso_path(x, y, method = "cd", standardize = opt[1], intercept = opt[2])
    g <- glmnet::glmnet(x, y, standardize = opt[1], intercept = opt[2])
    expect_length(fit$lambda, 100)
    # glmnet stops early once the deviance ratio saturates
    expect_equal(fit$lambda[seq_along(g$lambda)], g$lambda, tolerance = 1e-12)
    expect_equal(min(fit$lambda) / max(fit$lambda), 1e-4, tolerance = 1e-12)
  }
  # n < p: lambda_min_ratio 0.01; unpenalized columns are fitted before
  # lambda_max is taken
  d <- random_design(30, 60, seed = 2)
  pf <- c(0, 0, rep(1, 58))
  fit <- lasso_path(d$x, d$y, method = "cd", penalty_factor = pf, nlambda = 30)
  g <- glmnet::glmnet(d$x, d$y, penalty.factor = pf, nlambda = 30)
  # glmnet fits the unpenalized columns to its thresh, we exactly
  expect_equal(fit$lambda[seq_along(g$lambda)], g$lambda, tolerance = 1e-8)
  expect_equal(min(fit$lambda) / max(fit$lambda), 0.01, tolerance = 1e-12)
})

test_that("early_stop applies glmnet's rule on the deviance ratio", {
  x <- diabetes_x(); y <- diabetes_y()
  full <- lasso_path(x, y, method = "cd")
  es <- lasso_path(x, y, method = "cd", early_stop = TRUE)
  K <- length(es$lambda)
  expect_lt(K, 100)
  expect_equal(es$lambda, full$lambda[1:K])
  stops <- function(d, k) d[k] - d[k - 1] < 1e-5 * d[k] || d[k] > 0.999
  expect_true(stops(full$dev.ratio, K))
  expect_false(any(vapply(5:(K - 1), stops, logical(1), d = full$dev.ratio)))
  # glmnet applies it to its inexact deviance ratios: it stops nearby
  skip_if_not_installed("glmnet")
  expect_lte(abs(K - length(glmnet::glmnet(x, y)$lambda)), 3)
})

test_that("coefficients agree with glmnet for every option (n > p and n < p)", {
  skip_if_not_installed("glmnet")
  cases <- list(diabetes = list(x = diabetes_x(), y = diabetes_y()),
                wide = random_design(40, 90, rho = 0.3, seed = 5))
  w <- function(n) seq(0.2, 2, length.out = n)
  for (nm in names(cases)) {
    x <- cases[[nm]]$x; y <- cases[[nm]]$y; n <- nrow(x); p <- ncol(x)
    pf <- c(0, 2, rep(1, p - 2))
    lim <- if (nm == "diabetes") -100 else -1     # binding on both
    opts <- list(
      list(ours = list(), gl = list()),
      list(ours = list(standardize = FALSE), gl = list(standardize = FALSE)),
      list(ours = list(intercept = FALSE), gl = list(intercept = FALSE)),
      list(ours = list(standardize = FALSE, intercept = FALSE),
           gl = list(standardize = FALSE, intercept = FALSE)),
      list(ours = list(weights = w(n)), gl = list(weights = w(n))),
      list(ours = list(penalty_factor = pf), gl = list(penalty.factor = pf)),
      list(ours = list(lower = lim), gl = list(lower.limits = lim)),
      list(ours = list(nonneg = TRUE), gl = list(lower.limits = 0)),
      list(ours = list(weights = w(n), penalty_factor = pf, upper = 5,
                       intercept = FALSE),
           gl = list(weights = w(n), penalty.factor = pf, upper.limits = 5,
                     intercept = FALSE))
    )
    for (o in opts) {
      fit <- do.call(lasso_path, c(list(x, y, method = "cd", nlambda = 40,
                                         tol = 1e-12), o$ours))
      g <- do.call(glmnet_ref, c(list(x, y, fit$lambda), o$gl))
      label <- paste(nm, paste(names(o$ours), collapse = "+"))
      expect_lt(rel_diff(coef(fit), coef(g)), 1e-6, label = label)
      expect_true(all(fit$gap <= 1e-12), label = label)
    }
  }
})

test_that("sparse input gives the dense fit, without densifying", {
  skip_if_not_installed("Matrix")
  d <- sparse_design(70, 25, seed = 4)
  xs <- Matrix::Matrix(d$x, sparse = TRUE)
  expect_s4_class(xs, "dgCMatrix")
  w <- seq(0.5, 1.5, length.out = 70)
  for (o in list(list(), list(standardize = FALSE), list(intercept = FALSE),
                 list(weights = w, nonneg = TRUE))) {
    dense <- do.call(lasso_path, c(list(d$x, d$y, method = "cd", tol = 1e-12), o))
    sparse <- do.call(lasso_path, c(list(xs, d$y, method = "cd", tol = 1e-12), o))
    expect_equal(sparse$lambda, dense$lambda, tolerance = 1e-12)
    expect_lt(rel_diff(coef(sparse), coef(dense)), 1e-9)
  }
  skip_if_not_installed("glmnet")
  fit <- lasso_path(xs, d$y, method = "cd", tol = 1e-12, nlambda = 30)
  g <- glmnet_ref(xs, d$y, fit$lambda)
  expect_lt(rel_diff(coef(fit), coef(g)), 1e-6)
  # prediction from sparse newx
  expect_equal(predict(fit, xs[1:5, ], lambda = fit$lambda[10]),
               predict(fit, d$x[1:5, ], lambda = fit$lambda[10]))
})

test_that("at the knots of the exact path the CD path agrees to 1e-8", {
  x <- diabetes_x(); y <- diabetes_y()
  for (opt in list(c(TRUE, TRUE), c(FALSE, TRUE))) {
    h <- lasso_path(x, y, standardize = opt[1], intercept = opt[2])
    knots <- h$lambda[h$lambda > 0]
    fit <- lasso_path(x, y, method = "cd", lambda = knots, tol = 1e-13,
                      standardize = opt[1], intercept = opt[2])
    expect_lt(max(abs(coef(fit) - coef(h, lambda = knots))), 1e-8)
  }
  d <- random_design(25, 50, rho = 0.5, seed = 7)
  h <- lasso_path(d$x, d$y, nonneg = TRUE)
  knots <- h$lambda[h$lambda > 0]
  fit <- lasso_path(d$x, d$y, method = "cd", nonneg = TRUE, lambda = knots,
                    tol = 1e-13)
  expect_lt(max(abs(coef(fit) - coef(h, lambda = knots))), 1e-8)
})

test_that("the reported gap bounds the true suboptimality", {
  # loose tolerances, so that some solutions are not exact (face steps
  # make the small problem's exact to rounding)
  worst <- 0
  for (case in list(list(x = diabetes_x(), y = diabetes_y()),
                    random_design(60, 40, rho = 0.8, seed = 3),
                    random_design(30, 80, rho = 0.5, seed = 4))) {
    h <- lasso_path(case$x, case$y)
    lam <- h$lambda[h$lambda > 0]
    g <- gram_of(case$x, case$y)
    best <- primal_objective(g, h$beta_std, h$lambda)[h$lambda > 0]
    for (tol in c(1e-2, 1e-4)) {
      fit <- lasso_path(case$x, case$y, method = "cd", lambda = lam, tol = tol)
      ours <- primal_objective(g, fit$beta_std, lam)
      subopt <- (ours - best) / g$c
      expect_true(all(subopt <= fit$gap + 1e-12))
      expect_true(all(fit$gap <= tol))
      worst <- max(worst, subopt)
    }
  }
  expect_gt(worst, 1e-6)
})

test_that("certified solutions satisfy the KKT conditions", {
  d <- random_design(50, 300, rho = 0.5, seed = 8)
  fit <- lasso_path(d$x, d$y, method = "cd", tol = 1e-11)
  g <- gram_of(d$x, d$y)
  kkt <- vapply(seq_along(fit$lambda), function(k) {
    kkt_residual(g$M, g$r, fit$beta_std[, k], fit$lambda[k]) / fit$lambda[k]
  }, double(1))
  expect_lt(max(kkt), 1e-6)
  expect_true(all(fit$gap <= 1e-11))
})

test_that("degenerate problems work: constant y, zero columns, one column, one lambda", {
  x <- diabetes_x(); y <- diabetes_y()
  fit <- lasso_path(x, rep(2, nrow(x)), method = "cd")
  expect_equal(fit$lambda, 0)
  expect_equal(unname(coef(fit)[, 1]), c(2, rep(0, 10)))
  expect_equal(fit$gap, 0)

  x0 <- x; x0[, 4] <- 0; x0[, 7] <- 3
  fit <- lasso_path(x0, y, method = "cd", tol = 1e-10)
  expect_true(all(fit$beta[c(4, 7), ] == 0))
  expect_equal(coef(fit)[-c(5, 8), ],
               coef(lasso_path(x[, -c(4, 7)], y, method = "cd", tol = 1e-10)),
               tolerance = 1e-8)

  one <- lasso_path(x[, 3], y, method = "cd", tol = 1e-12)
  ls <- coef(lm(y ~ x[, 3]))
  lam <- min(one$lambda)
  # one standardized column: the lasso is least squares shrunk by lambda
  expect_equal(unname(coef(one)[2, 100]),
               unname(ls[2] * (1 - lam / max(one$lambda))), tolerance = 1e-10)

  single <- lasso_path(x, y, method = "cd", lambda = 2, tol = 1e-12)
  expect_length(single$lambda, 1)
  full <- lasso_path(x, y, method = "cd", lambda = c(10, 5, 2), tol = 1e-12)
  expect_equal(coef(single)[, 1], coef(full)[, 3], tolerance = 1e-8)

  # lambda = 0 is least squares
  zero <- lasso_path(x, y, method = "cd", lambda = 0, tol = 1e-12)
  expect_equal(unname(coef(zero)[, 1]), unname(coef(lm(y ~ x))), tolerance = 1e-8)
})

test_that("a user lambda is sorted decreasing with a message", {
  x <- diabetes_x(); y <- diabetes_y()
  expect_message(fit <- lasso_path(x, y, method = "cd", lambda = c(1, 10, 5)),
                 "sorted in decreasing order")
  expect_equal(fit$lambda, c(10, 5, 1))
  expect_silent(lasso_path(x, y, method = "cd", lambda = c(10, 5, 1)))
})

test_that("coef off the grid re-solves exactly", {
  x <- diabetes_x(); y <- diabetes_y()
  fit <- lasso_path(x, y, method = "cd", nlambda = 12, tol = 1e-12)
  h <- lasso_path(x, y)
  lam <- c(30, 7.7, 0.33, 0.002, 100)
  expect_lt(max(abs(coef(fit, lambda = lam) - coef(h, lambda = lam))), 1e-7)
  # on the grid: the stored solutions
  expect_identical(coef(fit, lambda = fit$lambda[4])[, 1], coef(fit)[, 4])
})

test_that("the Gram form matches the x/y form", {
  x <- diabetes_x(); y <- diabetes_y()
  g <- gram_of(x, y)
  fit <- lasso_path(x, y, method = "cd", tol = 1e-12, nlambda = 30)
  gf <- lasso_path_gram(g$M, g$r, method = "cd", c = g$c, tol = 1e-12, nlambda = 30)
  expect_equal(gf$lambda, fit$lambda, tolerance = 1e-10)
  expect_equal(unname(gf$beta_std), unname(fit$beta_std), tolerance = 1e-8)
  expect_equal(gf$dev.ratio, fit$dev.ratio, tolerance = 1e-8)
  # without c, gaps are relative to r'M^+r/2 (no larger than c)
  g0 <- lasso_path_gram(g$M, g$r, method = "cd", tol = 1e-12, lambda = fit$lambda)
  expect_equal(unname(g0$beta_std), unname(fit$beta_std), tolerance = 1e-8)
  err <- expect_error(lasso_path_gram(g$M, g$r, method = "cd", c = 1e-3),
                      class = "dlnpath_error_input")
  expect_equal(err$arg, "c")
  M <- diag(c(1, 0)); 
  err <- expect_error(lasso_path_gram(M, c(1, 1), method = "cd"),
                      class = "dlnpath_error_input")
  expect_equal(err$arg, "r")
  err <- expect_error(lasso_path_gram(g$M, g$r, method = "cd", max_knots = 3),
                      class = "dlnpath_error_input")
  expect_equal(err$arg, "...")
})

test_that("an uncertified lambda gives a classed warning", {
  d <- random_design(100, 60, rho = 0.95, seed = 9)
  expect_warning(fit <- lasso_path(d$x, d$y, method = "cd", tol = 1e-9, maxit = 1,
                                   type = "naive"),
                 class = "dlnpath_warning_not_converged")
  expect_false(fit$complete)
  expect_true(any(fit$gap > 1e-9))
})

test_that("bad input gives classed errors naming the argument", {
  x <- diabetes_x(); y <- diabetes_y(); n <- nrow(x)
  bad <- list(
    list(list(weights = c(-1, rep(1, n - 1))), "weights"),
    list(list(weights = rep(1, 3)), "weights"),
    list(list(weights = rep(0, n)), "weights"),
    list(list(lower = 1), "lower"),
    list(list(upper = -1), "upper"),
    list(list(lower = rep(-1, 3)), "lower"),
    list(list(tol = 0), "tol"),
    list(list(tol = 2), "tol"),
    list(list(maxit = 0), "maxit"),
    list(list(lambda = c(1, -1)), "lambda"),
    list(list(nlambda = 0), "nlambda"),
    list(list(lambda_min_ratio = 1), "lambda_min_ratio"),
    list(list(early_stop = NA), "early_stop"),
    list(list(penalty_factor = rep(-1, 10)), "penalty_factor"),
    list(list(standardize = "yes"), "standardize")
  )
  for (b in bad) {
    err <- expect_error(do.call(lasso_path, c(list(x, y, method = "cd"), b[[1]])),
                        class = "dlnpath_error_input")
    expect_equal(err$arg, b[[2]])
  }
  expect_error(lasso_path(x, y, method = "cd", type = "exact"))
  err <- expect_error(lasso_path(x, y, weights = rep(1, n)), class = "dlnpath_error_input")
  expect_equal(err$arg, "...")
  skip_if_not_installed("Matrix")
  xs <- Matrix::Matrix(x, sparse = TRUE)
  xs@x[3] <- NA
  err <- expect_error(lasso_path(xs, y, method = "cd"), class = "dlnpath_error_input")
  expect_equal(err$arg, "x")
  err <- expect_error(lasso_path(Matrix::Matrix(x, sparse = TRUE), y),
                      class = "dlnpath_error_input")
  expect_equal(err$arg, "x")
})

test_that("hostile input (issue 7): classed errors naming the argument", {
  x <- diabetes_x(); y <- diabetes_y(); n <- nrow(x)
  cd <- function(...) lasso_path(..., method = "cd")
  for (bad in list(NA, NaN, Inf, -Inf)) {
    xb <- x; xb[5, 4] <- bad
    yb <- y; yb[7] <- bad
    expect_input_error(cd(xb, y), "x", regexp = "\\[5, 4\\] \\(column 'bp'\\)")
    expect_input_error(cd(x, yb), "y", regexp = "position 7")
    expect_input_error(cd(x, y, weights = c(bad, rep(1, n - 1))), "weights")
    expect_input_error(cd(x, y, lambda = c(2, bad)), "lambda")
    expect_input_error(cd(x, y, tol = bad), "tol")
    expect_input_error(cd(x, y, maxit = bad), "maxit")
    expect_input_error(cd(x, y, nlambda = bad), "nlambda")
    expect_input_error(cd(x, y, lambda_min_ratio = bad), "lambda_min_ratio")
    if (!is.infinite(bad)) {       # infinite limits are glmnet's default
      expect_input_error(cd(x, y, lower = bad), "lower")
      expect_input_error(cd(x, y, upper = bad), "upper")
      expect_input_error(cd(x, y, penalty_factor = c(bad, rep(1, 9))), "penalty_factor")
    }
  }
  df <- as.data.frame(x)
  for (col in list(rep("a", n), factor(rep(1:2, n / 2)), I(as.list(seq_len(n))))) {
    dfb <- df; dfb$bad <- col
    expect_input_error(cd(dfb, y), "x", regexp = "'bad'")
  }
  expect_input_error(cd(x, factor(y)), "y")
  expect_input_error(cd(x, cbind(y, y)), "y")
  expect_input_error(cd(x[1, , drop = FALSE], y[1]), "x", regexp = "at least 2 rows")
  expect_input_error(cd(x[, 0], y), "x", regexp = "no columns")
  expect_input_error(cd(x, y, lambda = c(10, -5)), "lambda")
  expect_input_error(cd(x, y, type = "exact"), "type")
  expect_input_error(cd(x, y, bogus = 1), "...", regexp = "bogus")
  expect_input_error(lasso_path_gram(crossprod(x), drop(crossprod(x, y)), method = "cd",
                                     type = "naive"), "...")
  expect_input_error(lasso_path_gram(crossprod(x), drop(crossprod(x, y)), method = "cd",
                                     lambda = -1), "lambda")
  fit <- cd(x, y, nlambda = 10)
  expect_input_error(coef(fit, lambda = NA), "lambda")
  expect_input_error(coef(fit, lambda = -1), "lambda")
  expect_input_error(predict(fit, unname(x[1:3, -1])), "newx")
  expect_input_error(predict(fit, x[1:3, -1]), "newx", regexp = "'age'")
  skip_if_not_installed("Matrix")
  xs <- Matrix::Matrix(x, sparse = TRUE)
  xs@x[xs@p[3] + 2] <- NA         # row 2 of column 3
  expect_input_error(cd(xs, y), "x", regexp = "\\[2, 3\\] \\(column 'bmi'\\)")
  expect_input_error(cd(Matrix::Matrix(x, sparse = TRUE)[, 0], y), "x")
})

test_that("hostile input (issue 7): defined values for degenerate data", {
  x <- diabetes_x(); y <- diabetes_y()
  cd <- function(...) lasso_path(..., method = "cd", tol = 1e-12)
  ref <- cd(x, y, nlambda = 20)
  same <- function(fit, tol = 1e-8) {
    expect_equal(unname(coef(fit)), unname(coef(ref)), tolerance = tol)
  }
  # data frame, integer, logical, y as a one-column matrix or data frame
  same(cd(as.data.frame(x), y, nlambda = 20))
  same(cd(x, matrix(y), nlambda = 20))
  same(cd(x, data.frame(resp = y), nlambda = 20))
  xi <- matrix(as.integer(round(x * 1000)), nrow(x))
  xl <- cbind(xi, x[, 2] > 1.5)
  xd <- xl; storage.mode(xd) <- "double"
  expect_equal(coef(cd(xl, y, nlambda = 20)), coef(cd(xd, y, nlambda = 20)))
  # n = 2: one direction with an intercept; certified, and lambda = 0 fits
  two <- cd(x[1:2, ], y[1:2], lambda = c(10, 0))
  expect_true(all(is.finite(coef(two))) && all(two$gap <= 1e-12))
  expect_equal(drop(predict(two, x[1:2, ], lambda = 0)), y[1:2], tolerance = 1e-8)
  expect_lte(max(two$df), 1)
  # constant y without an intercept is something to fit
  cy <- cd(x, rep(2, nrow(x)), intercept = FALSE, nlambda = 10)
  expect_gt(cy$lambda[1], 0)
  expect_true(all(cy$gap <= 1e-12))
  # duplicated columns: the same fit (shared between the copies)
  dup <- cd(cbind(x, dup = x[, 3]), y, lambda = ref$lambda)
  expect_equal(predict(dup, cbind(x, dup = x[, 3])[1:20, ]), predict(ref, x[1:20, ]),
               tolerance = 1e-7, ignore_attr = TRUE)
  # p >> n: certified, finite, at most n - 1 nonzero at the end
  set.seed(2)
  xw <- matrix(rnorm(20 * 2000), 20)
  wide <- cd(xw, rnorm(20))
  expect_true(all(wide$gap <= 1e-12) && all(is.finite(wide$beta)))
  expect_true(all(diff(wide$lambda) < 0))
  # scaled by 1e150 and 1e-150: coefficients scale back, gaps are the same
  for (s in c(1e150, 1e-150)) {
    for (std in c(TRUE, FALSE)) {
      r0 <- cd(x, y, standardize = std, nlambda = 20)
      fx <- cd(x * s, y, standardize = std, nlambda = 20)
      fy <- cd(x, y * s, standardize = std, nlambda = 20)
      expect_equal(fx$beta * s, r0$beta, tolerance = 1e-8)
      expect_equal(fy$beta / s, r0$beta, tolerance = 1e-8)
      expect_true(all(fx$gap <= 1e-12) && all(fy$gap <= 1e-12))
    }
  }
  # lambda increasing or duplicated: sorted with a message; single: one fit
  expect_message(up <- cd(x, y, lambda = c(1, 5, 5, 10)), "duplicates dropped")
  expect_equal(up$lambda, c(10, 5, 1))
  expect_equal(coef(cd(x, y, lambda = 5))[, 1], coef(up)[, 2], tolerance = 1e-8)
  # predict with a single row, as a vector or a one-row matrix
  p1 <- predict(ref, x[7, ])
  expect_equal(p1, predict(ref, x[7, , drop = FALSE]))
  expect_equal(p1, predict(ref, x[5:9, ])[3, , drop = FALSE], ignore_attr = TRUE)
  # all penalty factors 0: least squares; all Inf: the intercept alone
  ls <- cd(x, y, penalty_factor = rep(0, 10))
  expect_equal(unname(coef(ls)[, 1]), unname(coef(lm(y ~ x))), tolerance = 1e-8)
  none <- cd(x, y, penalty_factor = rep(Inf, 10))
  expect_equal(unname(coef(none)[, 1]), c(mean(y), rep(0, 10)))
})

test_that("property: 300 random problems give certified, finite, ordered CD paths", {
  worst <- 0
  for (seed in property_seeds(300)) {
    d <- random_problem(seed)
    fit <- lasso_path(d$x, d$y, method = "cd", standardize = d$standardize,
                      intercept = d$intercept, nlambda = 20, tol = 1e-10)
    info <- sprintf("seed %d (n = %d, p = %d)", seed, d$n, d$p)
    expect_true(fit$complete, info = info)
    expect_true(all(fit$gap <= 1e-10), info = info)
    expect_true(all(is.finite(fit$beta)) && all(is.finite(fit$a0)), info = info)
    expect_true(length(fit$lambda) == 1L || all(diff(fit$lambda) < 0), info = info)
    # KKT within the certified gap: a coordinate whose proximal step moves
    # it by delta would lower the objective by M_jj delta^2 / 2, so that
    # (M_jj |delta|)^2 / (2 M_jj) is at most the absolute gap
    for (k in seq_along(fit$lambda)) {
      viol <- prox_residual(d$M, d$r, fit$beta_std[, k], fit$lambda[k])
      bound <- sqrt(2 * diag(d$M) * fit$gap[k] * d$c)
      excess <- max(viol - bound) / max(fit$lambda[1], 1e-300)
      worst <- max(worst, excess)
      expect_lt(excess, 1e-9, label = info)
    }
  }
  expect_lt(worst, 1e-9)
})

test_that("Ctrl-C stops coordinate descent and leaves the session usable", {
  expect_interruptible(
    "set.seed(1); x <- matrix(rnorm(200 * 20000), 200); y <- rnorm(200)",
    # tens of seconds: every lambda checks the KKT conditions of 20000 columns
    "lasso_path(x, y, method = 'cd', nlambda = 20000, lambda_min_ratio = 1e-4)")
})

test_that("second fresh-user findings: lambda_max with limited unpenalized columns, range, messages", {
  # an unpenalized column with a limit starts at that limit: lambda_max is
  # taken after fitting it within the limit (a fault: before, 40.644 here)
  x <- diabetes_x(); y <- diabetes_y(); pf <- c(0, rep(1, 9))
  ref <- lasso_path(x, y, nonneg = TRUE, penalty_factor = pf)   # exact path
  for (lw in list(0, c(0, rep(-Inf, 9)))) {
    fit <- lasso_path(x, y, method = "cd", penalty_factor = pf, lower = lw)
    expect_equal(fit$lambda[1], if (length(lw) == 1) ref$lambda[1] else 38.23392,
                 tolerance = 1e-6)
    expect_true(all(fit$beta[-1, 1] == 0))
  }
  expect_equal(lasso_path(x, y, method = "cd", nonneg = TRUE, penalty_factor = pf)$lambda[1],
               ref$lambda[1], tolerance = 1e-12)
  if (requireNamespace("glmnet", quietly = TRUE)) {
    g <- glmnet::glmnet(x, y, penalty.factor = pf, lower.limits = 0)
    expect_equal(lasso_path(x, y, method = "cd", nonneg = TRUE, penalty_factor = pf)$lambda,
                 g$lambda, tolerance = 1e-10)
  }
  # data the kernel cannot square: a classed error, not a certified wrong path
  for (case in list(list(x, y * 1e155, TRUE, "y"), list(x, y * 1e-170, TRUE, "y"),
                    list(x * 1e155, y, FALSE, "x"), list(x * 1e-170, y, FALSE, "x"))) {
    err <- expect_error(lasso_path(case[[1]], case[[2]], method = "cd", standardize = case[[3]]),
                        class = "dlnpath_error_numeric")
    expect_identical(err$arg, case[[4]])
  }
  # with standardize the scale of x drops out
  a <- lasso_path(x, y, method = "cd", tol = 1e-12)
  b <- lasso_path(x * 1e-170, y, method = "cd", tol = 1e-12)
  expect_equal(b$beta * 1e-170, a$beta, tolerance = 1e-10)
  # predict() without newx
  err <- expect_error(predict(a, lambda = 1), class = "dlnpath_error_input")
  expect_identical(err$arg, "newx")
  # a dense Matrix is named as such
  skip_if_not_installed("Matrix")
  err <- expect_error(lasso_path(Matrix::Matrix(x, sparse = FALSE), y), class = "dlnpath_error_input")
  expect_match(conditionMessage(err), "dgeMatrix")
})

test_that("a stalled certificate does not blame maxit", {
  H <- outer(1:12, 1:12, function(i, j) 1 / (i + j - 1)); X <- chol(H); X <- rbind(X, 0.999 * X)
  set.seed(1); y <- rnorm(24)
  w <- tryCatch(lasso_path(X, y, method = "cd", tol = 1e-10, maxit = 1e7,
                           lambda_min_ratio = 1e-12, standardize = FALSE),
                dlnpath_warning_not_converged = function(w) w)
  if (inherits(w, "warning")) {
    expect_no_match(conditionMessage(w), "increase `maxit`")
    expect_match(conditionMessage(w), "stalled")
  } else {
    expect_true(all(w$certified))
  }
})
