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

test_that("base plot methods draw without error", {
  x <- diabetes_x(); y <- diabetes_y()
  pdf(NULL)
  on.exit(dev.off())
  fit <- lasso_path(x, y)
  d <- dln(x, y, s = c(0.05, 0.5, 5))
  expect_silent(plot(fit))
  expect_silent(plot(d))
  expect_silent(plot(compare_paths(d, fit), type = "gap"))
})

test_that("predict() of the limit takes lambda, and refuses a training time", {
  x <- diabetes_x(); y <- diabetes_y()
  lim <- dln_limit(x, y)
  expect_equal(predict(lim, x[1:3, ], lambda = 2), predict(lim, x[1:3, ], s = 0.5),
               ignore_attr = TRUE)
  err <- expect_error(predict(lim, x[1:3, ], time = 1), class = "dlnpath_error_input")
  expect_equal(err$arg, "time")
})
