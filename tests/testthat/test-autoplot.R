# ggplot2 methods.

test_that("autoplot methods build plots of the right data", {
  skip_if_not_installed("ggplot2")
  x <- diabetes_x(); y <- diabetes_y()
  fit <- lasso_path(x, y)
  d <- dln(x, y, epsilon = 1e-20, s = c(0.03, 0.3, 3))
  cmp <- compare_paths(d, fit)
  for (xv in c("lambda", "loglambda", "l1")) {
    p <- ggplot2::autoplot(fit, xvar = xv)
    expect_s3_class(p, "ggplot")
    expect_silent(ggplot2::ggplot_build(p))
  }
  p <- ggplot2::autoplot(cmp)
  built <- ggplot2::ggplot_build(p)
  expect_equal(nrow(p$data), 2 * 3 * 10)
  expect_setequal(unique(p$data$curve), c("averaged network", "lasso at lambda = 1/s"))
  p <- ggplot2::autoplot(cmp, type = "gap")
  expect_true(all(p$data$rel_gap > 0))
  p <- ggplot2::autoplot(d, xvar = "time", average = FALSE)
  expect_equal(p$data$y, p$data$estimate)
  expect_s3_class(ggplot2::autoplot(cmp, standardized = TRUE), "ggplot")
})

test_that("dln plots: gradient descent, against s, time or lambda, raw or averaged", {
  skip_if_not_installed("ggplot2")
  x <- diabetes_x(); y <- diabetes_y()
  gd <- dln(x, y, method = "gd", epsilon = 1e-10, s = c(0.03, 0.3, 3))
  for (xv in c("s", "time", "lambda")) {
    p <- ggplot2::autoplot(gd, xvar = xv)
    expect_equal(p$data$x, p$data[[xv]])
    expect_equal(p$data$y, p$data$estimate_avg)
    expect_silent(ggplot2::ggplot_build(p))
  }
  expect_match(ggplot2::autoplot(gd)$labels$title, "gradient descent \\(step")
  raw <- ggplot2::autoplot(gd, average = FALSE)
  expect_equal(raw$data$y, raw$data$estimate)
  pdf(NULL)
  on.exit(dev.off())
  expect_silent(plot(gd, xvar = "lambda", average = FALSE))
  expect_output(print(gd), "iterations of step")
  expect_output(print(summary(gd)), "largest stable step")
})
