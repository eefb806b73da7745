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
