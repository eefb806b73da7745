# The validation layer (R/validate.R) and the C re-checks (src/check.c):
# every bad input stops with a classed error naming the argument.

test_that("NA, NaN and Inf anywhere stop with the argument's name", {
  x <- diabetes_x(); y <- diabetes_y()
  g <- gram_of(x, y)
  lasso <- lasso_path(x, y)
  fit <- dln(x, y, ns = 10)
  for (bad in list(NA, NaN, Inf, -Inf)) {
    xb <- x; xb[5, 4] <- bad
    yb <- y; yb[7] <- bad
    Mb <- g$M; Mb[2, 2] <- bad
    rb <- g$r; rb[3] <- bad
    expect_input_error(lasso_path(xb, y), "x")
    expect_input_error(dln(xb, y), "x")
    expect_input_error(dln_limit(xb, y), "x")
    expect_input_error(epsilon_study(xb, y), "x")
    expect_input_error(lasso_path(x, yb), "y")
    expect_input_error(dln(x, yb, method = "gd"), "y")
    expect_input_error(lasso_path_gram(Mb, g$r), "M")
    expect_input_error(dln_gram(g$M, rb), "r")
    expect_input_error(dln_limit_gram(g$M, rb), "r")
    expect_input_error(dln_gram(g$M, g$r, c = bad), "c")
    expect_input_error(dln(x, y, epsilon = bad), "epsilon")
    expect_input_error(dln(x, y, log_inv_epsilon = bad), "log_inv_epsilon")
    expect_input_error(dln(x, y, weight_decay = bad), "weight_decay")
    expect_input_error(dln(x, y, tol = bad), "tol")
    expect_input_error(dln(x, y, beta0 = c(1, bad)), "beta0")
    expect_input_error(dln(x, y, gamma0 = bad), "gamma0")
    expect_input_error(dln(x, y, param = "u2", alpha0 = bad), "alpha0")
    expect_input_error(dln(x, y, s = c(1, bad)), "s")
    expect_input_error(dln(x, y, time = bad), "time")
    expect_input_error(dln(x, y, lambda = c(bad, 2)), "lambda")
    expect_input_error(dln(x, y, ns = bad), "ns")
    expect_input_error(dln(x, y, lambda_min_ratio = bad), "lambda_min_ratio")
    expect_input_error(dln(x, y, max_steps = bad), "max_steps")
    expect_input_error(dln(x, y, method = "gd", step = bad), "step")
    expect_input_error(dln(x, y, method = "gd", batch_size = bad), "batch_size")
    expect_input_error(dln(x, y, method = "gd", batch_size = 10, seed = bad), "seed")
    expect_input_error(lasso_path(x, y, lambda = c(1, bad)), "lambda")
    expect_input_error(lasso_path(x, y, nlambda = bad), "nlambda")
    expect_input_error(lasso_path(x, y, lambda_min_ratio = bad), "lambda_min_ratio")
    expect_input_error(lasso_path(x, y, max_knots = bad), "max_knots")
    if (!identical(bad, Inf)) {     # Inf excludes a column, as in glmnet
      expect_input_error(lasso_path(x, y, penalty_factor = c(bad, rep(1, 9))),
                         "penalty_factor")
    }
    expect_input_error(dln_limit(x, y, max_phases = bad), "max_phases")
    expect_input_error(dln_limit(x, y, tol = bad), "tol")
    expect_input_error(epsilon_study(x, y, epsilon = c(1e-5, bad)), "epsilon")
    expect_input_error(random_instances(N = bad), "N")
    expect_input_error(random_instances(N = 2, seed = bad), "seed")
    expect_input_error(coef(lasso, lambda = bad), "lambda")
    expect_input_error(coef(fit, s = bad), "s")
    expect_input_error(predict(lasso, xb[4:6, ], lambda = 1), "newx")
    expect_input_error(path_monotonicity(lasso, weight_decay = bad), "weight_decay")
    expect_input_error(monotonicity_defect(lasso, mu = bad), "mu")
  }
})

test_that("an Inf penalty factor excludes its column (it is not an error)", {
  fit <- lasso_path(diabetes_x(), diabetes_y(), penalty_factor = c(Inf, rep(1, 9)))
  expect_true(all(fit$beta[1, ] == 0))
})

test_that("character, factor, list and complex data are refused, naming what was given", {
  x <- diabetes_x(); y <- diabetes_y()
  df <- as.data.frame(x)
  for (col in list(rep("a", 442), factor(rep(1:2, 221)), I(as.list(1:442)))) {
    dfb <- df; dfb$bad <- col
    err <- expect_input_error(lasso_path(dfb, y), "x")
    expect_match(conditionMessage(err), "'bad'")
    expect_input_error(dln(dfb, y), "x")
  }
  expect_input_error(lasso_path(matrix("1", 5, 2), 1:5), "x", regexp = "not a character matrix")
  expect_input_error(dln(matrix(1i, 5, 2), 1:5), "x", regexp = "not a complex matrix")
  expect_input_error(lasso_path(as.list(df), y), "x", regexp = "not a list")
  expect_input_error(lasso_path(x, as.character(y)), "y")
  expect_input_error(lasso_path(x, factor(y)), "y")
  expect_input_error(lasso_path(x, as.list(y)), "y")
  expect_input_error(lasso_path(x, cbind(y, y)), "y")
  expect_input_error(dln_gram(matrix("1", 2, 2), 1:2), "M")
  expect_input_error(dln_gram(diag(2), c("1", "2")), "r")
})

test_that("integer, logical and data-frame inputs equal their double versions", {
  set.seed(3)
  xi <- matrix(sample(-5:5, 60, TRUE), 20, 3, dimnames = list(NULL, c("a", "b", "c")))
  xl <- cbind(xi, d = xi[, 1] > 0)
  y <- rnorm(20)
  xd <- xl; storage.mode(xd) <- "double"
  ref <- lasso_path(xd, y)
  for (x in list(xl, as.data.frame(xl))) {
    expect_equal(lasso_path(x, y)$beta, ref$beta)
    expect_equal(dln(x, y, ns = 5)$beta_avg, dln(xd, y, ns = 5)$beta_avg)
  }
  yi <- as.integer(round(y * 10))
  expect_equal(lasso_path(xd, yi)$beta, lasso_path(xd, as.double(yi))$beta)
  expect_equal(lasso_path(xd, yi > 0)$beta, lasso_path(xd, as.double(yi > 0))$beta)
  # y as a one-column matrix or data frame
  expect_equal(lasso_path(xd, matrix(y))$beta, ref$beta)
  expect_equal(lasso_path(xd, data.frame(resp = y))$beta, ref$beta)
  expect_equal(dln_limit(xd, data.frame(resp = y), ns = 5)$beta_avg,
               dln_limit(xd, y, ns = 5)$beta_avg)
  # x as a vector is one column
  expect_equal(lasso_path(xd[, 1], y)$beta, lasso_path(xd[, 1, drop = FALSE], y)$beta,
               ignore_attr = TRUE)
  # the Gram entry points take integer and logical M and r
  M <- crossprod(xi); r <- drop(crossprod(xi, round(y * 10)))
  storage.mode(r) <- "integer"
  expect_equal(lasso_path_gram(M, r)$lambda, lasso_path_gram(M * 1.0, r * 1.0)$lambda)
})

test_that("n = 1 is refused; n = 2 gives the exact path and a network", {
  x <- diabetes_x(); y <- diabetes_y()
  expect_input_error(lasso_path(x[1, , drop = FALSE], y[1]), "x", regexp = "at least 2 rows")
  expect_input_error(dln(x[1, , drop = FALSE], y[1]), "x")
  expect_input_error(dln_limit(x[1, , drop = FALSE], y[1]), "x")
  expect_input_error(lasso_path(x[0, ], y[0]), "x")
  # n = 2 with an intercept: one direction, a single variable at the end
  fit <- lasso_path(x[1:2, ], y[1:2])
  g <- gram_of(x[1:2, ], y[1:2])
  keep <- g$sd > 0
  for (k in seq_along(fit$lambda)) {
    expect_lt(kkt_residual(g$M[keep, keep], g$r[keep], fit$beta_std[keep, k], fit$lambda[k]),
              1e-9 * fit$lambda[1])
  }
  expect_equal(drop(predict(fit, x[1:2, ], lambda = 0)), y[1:2], tolerance = 1e-9)
  d <- dln(x[1:2, ], y[1:2], ns = 10)
  expect_true(all(is.finite(d$beta_avg)))
  expect_lt(max(compare_paths(d)$table$rel_gap), 0.2)
})

test_that("p = 1 agrees with the closed form of a single regression", {
  x <- diabetes_x()[, "bmi"]; y <- diabetes_y()
  fit <- lasso_path(x, y)
  xs <- (x - mean(x)) / sqrt(mean((x - mean(x))^2))
  r <- mean(xs * (y - mean(y)))
  expect_equal(fit$lambda, c(abs(r), 0))
  lam <- abs(r) / 3
  expect_equal(unname(coef(fit, lambda = lam)[2, 1]),
               sign(r) * (abs(r) - lam) / sqrt(mean((x - mean(x))^2)))
  d <- dln(x, y, epsilon = 1e-30, ns = 20)
  expect_lt(max(compare_paths(d)$table$rel_gap), 0.01)
  expect_equal(rownames(coef(d)), c("(Intercept)", "V1"))
})

test_that("p = 0 is refused by every entry point", {
  x <- diabetes_x(); y <- diabetes_y()
  for (call in list(quote(lasso_path(x[, 0], y)), quote(dln(x[, 0], y)),
                    quote(dln_limit(x[, 0], y)), quote(epsilon_study(x[, 0], y)),
                    quote(dln(x[, 0], y, method = "gd")))) {
    expect_input_error(eval(call), "x", regexp = "no columns")
  }
  expect_input_error(lasso_path(as.data.frame(x)[, 0], y), "x")
  for (f in list(lasso_path_gram, dln_gram, dln_limit_gram)) {
    expect_input_error(f(matrix(0, 0, 0), numeric(0)), "M", regexp = "0 x 0")
  }
})

test_that("check_gram: indefinite M, r outside the range of M, and c too small", {
  x <- diabetes_x(); y <- diabetes_y()
  g <- gram_of(x, y)
  Mi <- g$M; Mi[1, 2] <- Mi[2, 1] <- 1e4
  for (f in list(lasso_path_gram, dln_gram, dln_limit_gram, epsilon_study_gram)) {
    expect_input_error(f(Mi, g$r), "M", regexp = "positive semi-definite")
    expect_input_error(f(0 * g$M, g$r), "r", regexp = "range of `M`")
  }
  # a small negative eigenvalue (1e-6 of the largest) is found too
  e <- eigen(g$M, symmetric = TRUE)
  lam <- e$values; lam[10] <- -1e-6 * lam[1]
  Mneg <- e$vectors %*% (lam * t(e$vectors))
  expect_input_error(dln_gram(Mneg, g$r), "M")
  # r with a component along the null space of a singular M
  Ms <- diag(c(1, 2, 0))
  expect_input_error(lasso_path_gram(Ms, c(1, 1, 1e-3)), "r")
  expect_s3_class(lasso_path_gram(Ms, c(1, 1, 0)), "lasso_path")
  expect_input_error(dln_gram(matrix(-1), 1), "M")
  expect_input_error(dln_gram(matrix(c(1, 2, 3, 1), 2), 1:2), "M", regexp = "symmetric")
  expect_input_error(dln_gram(g$M, g$r[-1]), "r")
  # c below r'M^+r/2 makes the loss negative
  cmin <- drop(crossprod(g$r, solve(g$M, g$r))) / 2
  expect_input_error(dln_gram(g$M, g$r, c = 0), "c", regexp = "at least")
  expect_input_error(dln_gram(g$M, g$r, c = cmin * (1 - 1e-4)), "c")
  expect_s3_class(dln_gram(g$M, g$r, c = cmin * (1 + 1e-8), ns = 5), "dln")
})

test_that("check_gram accepts semi-definite M from collinear and wide designs", {
  set.seed(5)
  for (i in 1:50) {
    n <- sample(2:6, 1); p <- sample(1:8, 1)
    X <- matrix(rnorm(n * p), n, p) * 10^runif(1, -5, 5)
    if (p > 2) X[, 3] <- X[, 1] - 2 * X[, 2]
    if (p > 1) X[, p] <- X[, 1]
    y <- rnorm(n) * 10^runif(1, -5, 5)
    M <- crossprod(X); r <- drop(crossprod(X, y))
    g <- dlnpath:::check_gram(M, r)
    # the default c is the part of y'y/2 that X can fit: the least-squares
    # loss 1/2 |P y - X b|^2 is 0 at its minimum
    b <- qr.coef(qr(M, tol = 1e-10), r)    # a solution of M b = r
    b[is.na(b)] <- 0
    fitted <- X %*% b
    expect_equal(g$c, sum(fitted^2) / 2, tolerance = 1e-6)
    expect_s3_class(lasso_path_gram(M, r), "lasso_path")
  }
})

test_that("the default c makes the loss nonnegative with minimum 0", {
  x <- diabetes_x(); y <- diabetes_y()
  g <- gram_of(x, y)
  fit <- lasso_path_gram(g$M, g$r)
  ls <- fit$beta_std[, length(fit$lambda)]
  gg <- dlnpath:::check_gram(g$M, g$r)
  expect_equal(gg$c, drop(crossprod(g$r, solve(g$M, g$r))) / 2)
  expect_equal(dlnpath:::lasso_objective(gg, ls, 0), 0, tolerance = 1e-10 * gg$c)
  # on the x/y problem c is the whole y'y/(2n): the default drops the part of
  # it that no coefficient can fit
  expect_lt(gg$c, g$c)
  expect_equal(g$c - gg$c, mean((lm(y ~ x)$residuals)^2) / 2, tolerance = 1e-10)
})

test_that("choices: classed errors with the accepted values", {
  x <- diabetes_x(); y <- diabetes_y()
  lasso <- lasso_path(x, y)
  fit <- dln(x, y, ns = 10)
  cmp <- compare_paths(fit, lasso)
  expect_input_error(lasso_path(x, y, method = "foo"), "method", regexp = "\"homotopy\"")
  expect_input_error(lasso_path_gram(diag(2), 1:2, method = "foo"), "method")
  expect_input_error(dln(x, y, method = "sgd"), "method")
  expect_input_error(dln(x, y, param = "vu"), "param")
  expect_input_error(dln(x, y, param = c("uv", "u2", "x")), "param")
  expect_input_error(dln_limit(x, y, param = 2), "param")
  expect_input_error(predict(lasso, x, type = "link"), "type")
  expect_input_error(predict(fit, x, type = "link"), "type")
  pdf(NULL)
  on.exit(grDevices::dev.off())
  expect_input_error(plot(lasso, xvar = "norm"), "xvar")
  expect_input_error(plot(fit, xvar = "x"), "xvar")
  expect_input_error(plot(cmp, type = "diff"), "type")
  # partial matching as match.arg
  expect_identical(lasso_path(x, y, method = "homo")$method, "homotopy")
  expect_identical(predict(lasso, x[1:2, ], lambda = 1, type = "coef"),
                   coef(lasso, lambda = 1))
})

test_that("flags and counts of the methods are checked", {
  x <- diabetes_x(); y <- diabetes_y()
  lasso <- lasso_path(x, y)
  fit <- dln(x, y, ns = 10)
  lim <- dln_limit(x, y, ns = 10)
  pdf(NULL)
  on.exit(grDevices::dev.off())
  for (bad in list(NA, "yes", c(TRUE, FALSE))) {
    expect_input_error(plot(fit, average = bad), "average")
    expect_input_error(plot(lim, average = bad), "average")
    expect_input_error(coef(fit, average = bad), "average")
    expect_input_error(plot(lasso, label = bad), "label")
  }
  for (bad in list(-1, 2.5, NA, "3")) {
    expect_input_error(print(lasso, n = bad), "n")
    expect_input_error(print(lim, n = bad), "n")
    expect_input_error(print(compare_paths(fit, lasso), n = bad), "n")
  }
  skip_if_not_installed("ggplot2")
  expect_input_error(ggplot2::autoplot(fit, average = NA), "average")
  expect_input_error(ggplot2::autoplot(lim, average = NA), "average")
  expect_input_error(ggplot2::autoplot(lasso, xvar = "x"), "xvar")
  expect_input_error(ggplot2::autoplot(compare_paths(fit, lasso), standardized = NA),
                     "standardized")
})

test_that("messages say what would be accepted", {
  x <- diabetes_x(); y <- diabetes_y()
  expect_input_error(dln(x, y, weight_decay = Inf), "weight_decay",
                     regexp = "single finite number in \\[0, 1e\\+300\\]")
  expect_input_error(dln(x, y, epsilon = 2), "epsilon", regexp = "in \\(0, 1\\)")
  expect_input_error(lasso_path(x, y, max_knots = 1e10), "max_knots",
                     regexp = "\\[1, 1e\\+08\\]")
  expect_input_error(lasso_path(x, y, nlambda = -5), "nlambda", regexp = ">= 1")
  expect_input_error(lasso_path(x, y, nlambda = 1e12), "nlambda", regexp = "2147483647")
  expect_input_error(lasso_path(x, y, lambda_min_ratio = 7), "lambda_min_ratio")
  xb <- x; xb[3, 3] <- NA
  expect_input_error(lasso_path(xb, y), "x", regexp = "\\[3, 3\\] \\(column 'bmi'\\)")
  yb <- y; yb[9] <- NaN
  expect_input_error(lasso_path(x, yb), "y", regexp = "position 9")
  expect_input_error(lasso_path(x, y, bogus = 1), "...", regexp = "bogus")
  # glmnet's spelling of the penalty, and arguments of the other method
  fit <- lasso_path(x, y)
  expect_input_error(coef(fit, s = 1), "s", regexp = "`lambda =` \\(glmnet's `s`\\)")
  expect_input_error(predict(fit, x[1:2, ], s = 1), "s", regexp = "glmnet's `s`")
  cd <- lasso_path(x, y, method = "cd", nlambda = 5)
  expect_input_error(coef(cd, s = 1), "s", regexp = "glmnet's `s`")
  expect_input_error(lasso_path(x, y, method = "cd", max_knots = 10), "max_knots",
                     regexp = "homotopy")
  # an unbounded number: no dangling range in the message
  err <- expect_error(random_instances(N = 1, seed = NA), class = "dlnpath_error_input")
  expect_false(grepl(" $", conditionMessage(err)))
})

test_that("lambda increasing, duplicated, negative or single", {
  x <- diabetes_x(); y <- diabetes_y()
  lasso <- lasso_path(x, y)
  # coef() answers in the order asked, duplicates included
  cf <- coef(lasso, lambda = c(1, 5, 5, 10))
  expect_equal(cf[, 2], cf[, 3])
  expect_equal(cf[, c(4, 1)], coef(lasso, lambda = c(10, 1)), ignore_attr = TRUE)
  expect_equal(ncol(coef(lasso, lambda = 3)), 1)
  expect_input_error(coef(lasso, lambda = c(1, -1)), "lambda")
  # the network's grid is sorted (decreasing lambda = increasing s), once each
  fit <- dln(x, y, lambda = c(1, 5, 5, 10))
  expect_equal(fit$lambda, c(10, 5, 1))
  expect_equal(dln(x, y, lambda = 3)$lambda, 3)
  expect_input_error(dln(x, y, lambda = -1), "lambda")
  expect_input_error(dln(x, y, lambda = 0.5, weight_decay = 1), "lambda")
  expect_input_error(dln(x, y, s = 1, lambda = 1), "lambda")
  # lasso_path(): validated for every method, the exact path does not use it
  expect_input_error(lasso_path(x, y, lambda = -1), "lambda")
  expect_input_error(lasso_path(x, y, lambda = NA), "lambda")
  expect_message(fit2 <- lasso_path(x, y, lambda = c(1, 10, 10)), "coef\\(fit, lambda")
  expect_equal(fit2$lambda, lasso$lambda)
})

test_that("epsilon = 0, 1, negative, NA: classed errors everywhere", {
  x <- diabetes_x(); y <- diabetes_y()
  for (e in list(0, 1, -1, NA, NaN, 1.5, "1e-5", c(1e-3, 1e-4))) {
    expect_input_error(dln(x, y, epsilon = e), "epsilon")
    expect_input_error(dln(x, y, epsilon = e, method = "gd"), "epsilon")
    if (length(e) == 1) expect_input_error(epsilon_study(x, y, epsilon = e), "epsilon")
    expect_input_error(random_instances(N = 2, epsilon = e), "epsilon")
  }
  for (L in list(0, -1, NA, 1e11, Inf)) {
    expect_input_error(dln(x, y, log_inv_epsilon = L), "log_inv_epsilon")
  }
  # below the double range through log_inv_epsilon
  expect_s3_class(dln(x, y, log_inv_epsilon = 1e4, ns = 5), "dln")
})

test_that("column names: filled, made unique, and never '(Intercept)'", {
  set.seed(2)
  x <- matrix(rnorm(60), 20, 3); y <- rnorm(20)
  colnames(x) <- c("a", "", NA)
  fit <- lasso_path(x, y)
  expect_identical(rownames(fit$beta), c("a", "V2", "V3"))
  colnames(x) <- c("a", "a", "(Intercept)")
  w <- expect_warning(fit <- lasso_path(x, y), class = "dlnpath_warning_names")
  expect_match(conditionMessage(w), "'a' -> 'a.1'")
  expect_identical(rownames(coef(fit)), c("(Intercept)", "a", "a.1", "(Intercept).1"))
  expect_false(anyDuplicated(as.data.frame(fit)$term[1:4]) > 0)
  expect_warning(d <- dln(x, y, ns = 3), class = "dlnpath_warning_names")
  expect_identical(rownames(coef(d)), rownames(coef(fit)))
  M <- crossprod(x); dimnames(M) <- list(NULL, c("b", "b", "c"))
  expect_warning(g <- lasso_path_gram(M, drop(crossprod(x, y))),
                 class = "dlnpath_warning_names")
  expect_identical(rownames(g$beta), c("b", "b.1", "c"))
  # r's names are used when M has none
  expect_identical(rownames(lasso_path_gram(unname(crossprod(x)), c(u = 1, v = 2, w = 0))$beta),
                   c("u", "v", "w"))
})

test_that("the C entry points re-check what they are given", {
  M <- diag(3); r <- c(1, 2, 3)
  C <- function(name, ...) .Call(getFromNamespace(paste0("C_", name), "dlnpath"), ...)
  lc <- rep(log(0.25), 3)
  # each call is a valid one with one argument spoiled: an error, no crash
  expect_error(C("homotopy", M, NULL, c(1, NA, 3), rep(1, 3), FALSE, 10L, 3L), "finite")
  expect_error(C("homotopy", "M", NULL, r, rep(1, 3), FALSE, 10L, 3L), "matrix")
  expect_error(C("homotopy", M[1:2, ], NULL, r, rep(1, 3), FALSE, 10L, 3L))
  expect_error(C("homotopy", M, NULL, r, c(1, -1, 1), FALSE, 10L, 3L), "non-negative")
  expect_error(C("homotopy", M, NULL, r, rep(1, 3), NA, 10L, 3L), "TRUE or FALSE")
  expect_error(C("homotopy", M, NULL, r, rep(1, 3), FALSE, 0L, 3L), "max_knots")
  expect_error(C("homotopy", M, NULL, r, rep(1, 2), FALSE, 10L, 3L), "'w'")
  expect_error(C("homotopy", NULL, matrix(1, 0, 3), r, rep(1, 3), FALSE, 10L, 3L))
  expect_error(C("gram_matrix", 1:3), "matrix")
  expect_error(C("gram_matrix", matrix(c(1, NaN), 1)), "finite")
  expect_error(C("standardize", matrix(1, 2, 2), NA, TRUE), "TRUE or FALSE")
  expect_error(C("standardize", matrix(1L, 2, 2), TRUE, TRUE), "double")
  expect_error(C("dln_flow", M, NULL, r, lc, lc, 1, 0, 0, rep(0, 3), rep(0, 3), c(2, 1),
                 1e-8, 100L, FALSE, FALSE), "non-decreasing")
  expect_error(C("dln_flow", M, NULL, r, lc, lc, -1, 0, 0, rep(0, 3), rep(0, 3), 1,
                 1e-8, 100L, FALSE, FALSE), "'L'")
  expect_error(C("dln_flow", M, NULL, r, lc[1:2], lc, 1, 0, 0, rep(0, 3), rep(0, 3), 1,
                 1e-8, 100L, FALSE, FALSE), "logcp")
  expect_error(C("dln_flow", M, NULL, r, c(NaN, lc[-1]), lc, 1, 0, 0, rep(0, 3),
                 rep(0, 3), 1, 1e-8, 100L, FALSE, FALSE), "logcp")
  expect_error(C("dln_flow", M, NULL, r, lc, lc, 1, 0, 0, rep(0, 3), rep(0, 3), 1,
                 1e-8, 0L, FALSE, FALSE), "max_steps")
  expect_error(C("dln_flow", M, matrix(1, 2, 2), r, lc, lc, 1, 0, 0, rep(0, 3),
                 rep(0, 3), 1, 1e-8, 100L, FALSE, FALSE), "'X'")
  expect_error(C("dln_flow", M, "X", r, lc, lc, 1, 0, 0, rep(0, 3),
                 rep(0, 3), 1, 1e-8, 100L, FALSE, FALSE), "'X'")
  expect_error(C("dln_flow", M, NULL, r, lc, lc, 1, 0, 0, rep(0, 3), rep(0, 3), 1,
                 1e-8, 100L, FALSE, NA), "'blas'")
  expect_error(C("dln_rhs", lc, lc, 1, 0, 1, matrix(0, 3, 2)), "one column per")
  expect_error(C("dln_gd", M, NULL, NULL, NULL, r, lc, lc, 1, 0, FALSE, 0, 0L, 5,
                 NULL, FALSE), "'step'")
  expect_error(C("dln_gd", M, NULL, NULL, NULL, r, lc, lc, 1, 0, FALSE, 0.1, 0L,
                 c(5, 2), NULL, FALSE), "k_out")
  expect_error(C("dln_gd", M, NULL, NULL, NULL, r, lc, lc, 1, 0, FALSE, 0.1, 0L,
                 5, list(1, 2), FALSE), "state0")
  expect_error(C("dln_gd", NULL, NULL, NULL, NULL, r, lc, lc, 1, 0, FALSE, 0.1, 0L,
                 5, NULL, FALSE), "matrix")
  expect_error(C("dln_gd", M, NULL, matrix(1, 2, 4), 1:4, r, lc, lc, 1, 0, FALSE,
                 0.1, 2L, 5, NULL, FALSE), "Xt")
  expect_error(C("dln_limit", M, r, -1, FALSE, 10L, 1e-9), "kappa")
  expect_error(C("dln_limit", M, c(r, 1), 0, FALSE, 10L, 1e-9), "'M'")
  expect_error(C("matvec_loop", M, 1:3, 1L, FALSE), "double")
})

test_that("the fits read x in place: no copy of an unnamed matrix", {
  # check_x() names the columns, which R does by wrapping x; the C code
  # used to ask for a writable pointer, and so copied all of x per call
  skip_if_not(capabilities("profmem"))
  set.seed(3)
  x <- matrix(rnorm(200 * 30), 200)
  y <- rnorm(200)
  copies <- function(expr) {
    tracemem(x)
    on.exit(untracemem(x))
    out <- utils::capture.output(force(expr))
    sum(grepl("^tracemem\\[", out))
  }
  expect_equal(copies(lasso_path(x, y, method = "cd")), 0)
  expect_equal(copies(lasso_path(x, y)), 0)
  expect_equal(copies(dln(x, y, progress = FALSE)), 0)
  expect_equal(copies(dln(x, y, method = "gd", step = 0.01, s = c(1, 2))), 0)
})
