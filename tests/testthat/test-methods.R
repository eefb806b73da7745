# print, summary, coef, predict and as.data.frame of the three classes.

test_that("coef and predict of a lasso path follow glmnet's layout", {
  x <- diabetes_x(); y <- diabetes_y()
  fit <- lasso_path(x, y)
  cf <- coef(fit, lambda = c(5, 1, 0.1))
  expect_equal(dim(cf), c(11L, 3L))
  expect_equal(rownames(cf), c("(Intercept)", colnames(x)))
  pr <- predict(fit, x[1:4, ], lambda = c(5, 1, 0.1))
  expect_equal(unname(pr), unname(cbind(1, x[1:4, ]) %*% cf))
  one <- predict(fit, x[7, ], lambda = 1)
  expect_equal(dim(one), c(1L, 1L))
  err <- expect_error(predict(fit, x[, 1:3], lambda = 1), class = "dlnpath_error_input")
  expect_equal(err$arg, "newx")
  # above lambda_max everything but the intercept is zero
  top <- coef(fit, lambda = 2 * max(fit$lambda))
  expect_true(all(top[-1, 1] == 0))
  expect_equal(top[1, 1], mean(y))
})

test_that("exact interpolation: coef between knots is on the segment", {
  fit <- lasso_path(diabetes_x(), diabetes_y())
  l <- fit$lambda
  mid <- coef(fit, lambda = (l[3] + l[4]) / 2)
  expect_equal(unname(mid[, 1]), unname((coef(fit)[, 3] + coef(fit)[, 4]) / 2))
})

test_that("as.data.frame(lasso_path) has one row per (step, term)", {
  x <- diabetes_x(); y <- diabetes_y()
  fit <- lasso_path(x, y)
  df <- as.data.frame(fit)
  expect_named(df, c("step", "lambda", "term", "estimate"))
  expect_equal(nrow(df), length(fit$lambda) * 11)
  expect_equal(df$estimate[df$term == "bmi"], unname(fit$beta["bmi", ]))
  df0 <- as.data.frame(lasso_path(x, y, intercept = FALSE))
  expect_false("(Intercept)" %in% df0$term)
})

test_that("print and summary methods describe the fits", {
  x <- diabetes_x(); y <- diabetes_y()
  fit <- lasso_path(x, y)
  expect_output(print(fit), "13 knots")
  expect_output(print(fit), "-s3")
  expect_output(print(summary(fit)), "drops: 1")
  d <- dln(x, y, epsilon = 1e-30)
  expect_output(print(d), "log\\(1/epsilon\\) = 69.08")
  expect_output(print(summary(d)), "coefficients at the last time")
  cmp <- compare_paths(d, fit)
  expect_output(print(cmp), "monotone \\(theorem applies exactly\\): FALSE")
  expect_output(print(summary(cmp)), "worst relative gap")
})

test_that("summary of a lasso path: one row per term, in order of entry", {
  fit <- lasso_path(diabetes_x(), diabetes_y())
  sm <- summary(fit)
  expect_equal(sm$terms$term[1:3], c("bmi", "s5", "bp"))
  expect_equal(sm$terms$first_lambda[1], max(fit$lambda))
  expect_equal(sm$terms$entries[sm$terms$term == "s3"], 2)
  expect_equal(sm$terms$drops[sm$terms$term == "s3"], 1)
  expect_equal(sm$terms$final, unname(fit$beta[sm$terms$term, length(fit$lambda)]))
  expect_equal(sm$end, "the least-squares fit")
  expect_output(print(sm), "Terms in order of entry")
  d <- random_design(20, 40, seed = 2)
  expect_equal(summary(lasso_path(d$x, d$y))$end,
               "the interpolating fit of minimum l1 norm")
  x <- cbind(diabetes_x(), twin = diabetes_x()[, "bmi"])
  expect_output(print(summary(lasso_path(x, diabetes_y()))), "held at zero: twin")
  expect_output(print(lasso_path(x, diabetes_y())), "\\+bmi ~twin")
})

test_that("the df shown on the plots' top axis is the exact number of nonzero coefficients", {
  fit <- lasso_path(diabetes_x(), diabetes_y())
  df_at <- getFromNamespace("df_at", "dlnpath")
  lam <- c(40, 20, 5, 1, 0.1, 0.01)
  exact <- colSums(coef(fit, lambda = lam)[-1, ] != 0)
  expect_equal(as.integer(df_at(fit, "lambda", lam)), unname(exact))
  expect_equal(as.integer(df_at(fit, "loglambda", log(lam))), unname(exact))
  l1 <- colSums(abs(coef(fit, lambda = lam)[-1, ]))
  expect_equal(as.integer(df_at(fit, "l1", l1)), unname(exact))
  expect_equal(df_at(fit, "lambda", c(-1, NA)), c("", ""))
})

test_that("base plot methods draw without error", {
  x <- diabetes_x(); y <- diabetes_y()
  pdf(NULL)
  on.exit(dev.off())
  fit <- lasso_path(x, y)
  d <- dln(x, y, s = c(0.05, 0.5, 5))
  expect_silent(plot(fit))
  expect_silent(plot(fit, xvar = "loglambda"))
  expect_silent(plot(fit, xvar = "l1", label = TRUE))
  expect_silent(plot(d))
  expect_silent(plot(compare_paths(d, fit), type = "gap"))
  # graphical parameters the methods set themselves can be overridden (an
  # unclassed "matched by multiple actual arguments" error before)
  expect_silent(plot(d, type = "p", lty = 2, xlab = "s"))
  expect_silent(plot(fit, type = "b", ylab = "b"))
  expect_silent(plot(fit, xlab = NULL, ylab = NULL))   # NULL: no label (kept, not dropped)
  expect_silent(plot(dln_limit(x, y), log = ""))
  expect_silent(plot(compare_paths(d, fit), lty = 3))
  # a path without a knot at lambda > 0 cannot be drawn against lambda: why
  ls <- lasso_path(x, y, penalty_factor = rep(0, 10))
  err <- expect_error(plot(ls), class = "dlnpath_error_input")
  expect_match(conditionMessage(err), "the unpenalized fit")
  err <- expect_error(plot(lasso_path(x, rep(3, 442))), class = "dlnpath_error_input")
  expect_match(conditionMessage(err), "nothing to fit")
  expect_silent(plot(ls, xvar = "l1"))
})

test_that("methods of the coordinate-descent path", {
  x <- diabetes_x(); y <- diabetes_y()
  fit <- lasso_path(x, y, method = "cd", nlambda = 30, tol = 1e-10)
  expect_s3_class(fit, c("lasso_path_cd", "lasso_path"))
  expect_output(print(fit), "30 lambdas")
  expect_output(print(fit), "certified at 30 of 30")
  expect_output(print(summary(fit)), "relative duality gap <= 1e-10")
  df <- as.data.frame(fit)
  expect_named(df, c("step", "lambda", "term", "estimate"))
  expect_equal(nrow(df), 30 * 11)
  cf <- coef(fit)
  expect_equal(dim(cf), c(11L, 30L))
  pr <- predict(fit, x[1:4, ], lambda = fit$lambda[c(3, 20)])
  expect_equal(unname(pr), unname(cbind(1, x[1:4, ]) %*% cf[, c(3, 20)]))
  pdf(NULL)
  on.exit(dev.off())
  expect_silent(plot(fit))
  skip_if_not_installed("ggplot2")
  expect_s3_class(ggplot2::autoplot(fit), "ggplot")
  expect_s3_class(ggplot2::autoplot(fit, xvar = "l1"), "ggplot")
})

test_that("predict() of the limit takes lambda, and refuses a training time", {
  x <- diabetes_x(); y <- diabetes_y()
  lim <- dln_limit(x, y)
  expect_equal(predict(lim, x[1:3, ], lambda = 2), predict(lim, x[1:3, ], s = 0.5),
               ignore_attr = TRUE)
  err <- expect_error(predict(lim, x[1:3, ], time = 1), class = "dlnpath_error_input")
  expect_equal(err$arg, "time")
})

test_that("predict() matches the columns of newx by name, else by position", {
  x <- diabetes_x(); y <- diabetes_y()
  fit <- lasso_path(x, y)
  d <- dln(x, y, ns = 5)
  ref <- predict(fit, x[1:2, ], lambda = 1)
  for (obj in list(fit, d)) {
    r0 <- predict(obj, x[1:2, ], lambda = 1)
    # reordered or with extra columns: by name
    expect_equal(predict(obj, as.data.frame(x[1:2, 10:1]), lambda = 1), r0)
    expect_equal(predict(obj, cbind(extra = 1, x[1:2, 10:1]), lambda = 1), r0)
    # extra columns after those of x, in order (a fault: non-conformable)
    expect_equal(predict(obj, cbind(x[1:2, ], z = 1), lambda = 1), r0)
    expect_equal(predict(obj, cbind(x[1:2, ], 1), lambda = 1), r0)
    # a single row, as a vector (named or not) or a one-row matrix
    expect_equal(predict(obj, x[1, ], lambda = 1), r0[1, , drop = FALSE])
    expect_equal(predict(obj, unname(x[1, ]), lambda = 1), r0[1, , drop = FALSE])
    expect_equal(predict(obj, x[1, , drop = FALSE], lambda = 1), r0[1, , drop = FALSE])
    # unnamed newx: by position, and the width must match
    expect_equal(predict(obj, unname(x[1:2, ]), lambda = 1), r0)
    err <- expect_error(predict(obj, unname(x[1:2, -1]), lambda = 1),
                        class = "dlnpath_error_input")
    expect_identical(err$arg, "newx")
    # named newx missing a column of x: an error naming it
    err <- expect_error(predict(obj, x[1:2, -3], lambda = 1), class = "dlnpath_error_input")
    expect_match(conditionMessage(err), "'bmi'")
    xr <- x[1:2, ]; colnames(xr)[4] <- "BP"
    expect_error(predict(obj, xr, lambda = 1), class = "dlnpath_error_input")
    # a vector of the wrong length: its length is what the message gives
    err <- expect_error(predict(obj, x[1, 1:5], lambda = 1), class = "dlnpath_error_input")
    expect_match(conditionMessage(err), "vector of length 5: one observation needs 10")
  }
  # a fit on an unnamed x matches by position whatever newx is called
  fu <- lasso_path(unname(x), y)
  expect_equal(predict(fu, x[1:2, ], lambda = 1), ref)
})

test_that("print, summary and the fit's matrices: the tester's findings", {
  x <- diabetes_x(); y <- diabetes_y()
  fit <- lasso_path(x, y)
  out <- capture.output(print(fit, n = 5))
  expect_match(out[length(out)], "\\.\\.\\. 8 more knots")
  out <- capture.output(print(fit, n = Inf))
  expect_false(any(grepl("more knots", out)))
  expect_length(grep("^ +[0-9]+ ", out), 13)
  expect_output(print(fit, n = 0), "13 knots")
  # an epsilon below the double range is shown from log(1/epsilon)
  d <- dln(x, y, log_inv_epsilon = 1e4, ns = 5)
  expect_output(print(d), "epsilon = 1.14e-4343")
  expect_output(print(compare_paths(d)), "epsilon = 1.14e-4343")
  expect_output(print(compare_paths(dln_limit(x, y, ns = 5))), "limit epsilon -> 0")
  # Z and E are named like b
  expect_identical(dimnames(d$Z), dimnames(d$b))
  expect_identical(dimnames(d$E), dimnames(d$b))
  gd <- dln(x, y, method = "gd", s = d$s[3:4])
  expect_identical(rownames(gd$Z), colnames(x))
  # many dependent columns are counted, not all listed
  xd <- cbind(x, x[, rep(3:4, 15)])
  colnames(xd) <- make.unique(colnames(xd))
  out <- capture.output(print(summary(lasso_path(xd, y))))
  held <- grep("held at zero", out, value = TRUE)
  expect_match(held, "bmi.10 and 20 more")
  expect_lt(nchar(held), 200)
})

test_that("the limit's summary, coef(lambda =), and plot() of the studies (tester's findings)", {
  x <- diabetes_x(); y <- diabetes_y()
  lim <- dln_limit(x, y)
  sm <- summary(lim)
  expect_s3_class(sm, "summary.dln_limit")
  expect_identical(nrow(sm$phases), nrow(lim$phases))
  expect_equal(sm$final, lim$saddles[, ncol(lim$saddles)])
  expect_output(print(sm), "phases, jumps at s = ")
  set.seed(1)
  expect_output(print(summary(dln_limit(matrix(rnorm(60), 20), rep(1, 20)))), "1 phase, no jumps")
  # lambda = 1/s (no weight decay): the same coefficients as at s
  expect_equal(coef(lim, lambda = c(10, 1), average = TRUE),
               coef(lim, s = c(0.1, 1), average = TRUE))
  err <- expect_error(coef(lim, s = 1, lambda = 1), class = "dlnpath_error_input")
  # plot() draws the autoplot of the studies and of the monotonicity
  pdf(NULL)
  on.exit(grDevices::dev.off())
  expect_invisible(plot(path_monotonicity(lasso_path(x, y))))
  st <- epsilon_study(x, y, epsilon = c(1e-5, 1e-10), ns = 10)
  expect_invisible(plot(st))
  expect_invisible(plot(random_instances(N = 5, seed = 1)))
  # a study of nothing to fit has no gaps to draw: a classed error
  set.seed(1)
  es <- suppressWarnings(epsilon_study(matrix(rnorm(60), 20), rep(1, 20), epsilon = c(1e-3, 1e-6)))
  expect_error(plot(es), class = "dlnpath_error_input")
  # a study has no gradient-descent options
  err <- expect_error(epsilon_study(x, y, seed = 1), class = "dlnpath_error_input")
  expect_no_match(conditionMessage(err), "batch_size")
})

test_that("conditions name the function the user called", {
  x <- diabetes_x(); y <- diabetes_y()
  err <- expect_error(dln(x, y, epsilon = 2), class = "dlnpath_error_input")
  expect_identical(as.character(conditionCall(err)[[1]]), "dln")
  w <- expect_warning(dln(x, y, method = "gd", step = 0.02, time = c(20, 100)),
                      class = "dlnpath_warning_step")
  expect_identical(as.character(conditionCall(w)[[1]]), "dln")
  expect_match(conditionMessage(w), "beyond the stability limit")
})
