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
  # the curves are the exact path (also between knots on the log axis)
  p <- ggplot2::autoplot(fit)
  pts <- p$data[p$data$term == "bmi", ]
  expect_equal(pts$estimate, unname(coef(fit, lambda = pts$x)["bmi", ]))
  expect_gt(nrow(pts), length(fit$lambda))
  # df on the top axis at the breaks; names at the path ends with label = TRUE
  built <- ggplot2::ggplot_build(ggplot2::autoplot(fit, xvar = "l1"))
  top <- built$layout$panel_params[[1]]$x.sec
  expect_equal(as.integer(top$get_labels()),
               unname(colSums(coef(fit, lambda = vapply(top$get_breaks(),
                 getFromNamespace("l1_to_lambda", "dlnpath"), double(1), fit = fit))[-1, ] != 0)))
  # the last segment, down to lambda = 0, is drawn two decades past the last
  # positive knot: with one variable it is the whole path (nothing was drawn)
  expect_equal(min(pts$x), min(fit$lambda[fit$lambda > 0]) / 100)
  set.seed(1)
  x1 <- matrix(rnorm(50)); one <- lasso_path(x1, 2 * x1[, 1] + rnorm(50))
  p1 <- ggplot2::autoplot(one)
  expect_gt(nrow(p1$data), 2)
  expect_equal(p1$data$estimate, unname(coef(one, lambda = p1$data$x)[2, ]))
  p <- ggplot2::autoplot(fit, label = TRUE)
  expect_true(any(vapply(p$layers, function(l) inherits(l$geom, "GeomText"), logical(1))))
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
