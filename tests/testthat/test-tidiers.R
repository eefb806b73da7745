# tidy() and glance() for the generics package.

test_that("tidy gives broom's columns for both methods", {
  skip_if_not_installed("generics")
  x <- diabetes_x(); y <- diabetes_y()
  for (fit in list(lasso_path(x, y), lasso_path(x, y, method = "cd", nlambda = 15))) {
    td <- generics::tidy(fit)
    expect_named(td, c("term", "step", "estimate", "lambda", "dev.ratio"))
    expect_true(all(td$estimate != 0))
    all <- generics::tidy(fit, return_zeros = TRUE)
    expect_equal(nrow(all), length(fit$lambda) * 11)
    expect_equal(all$estimate, as.data.frame(fit)$estimate)
    expect_equal(all$lambda, fit$lambda[all$step])
    expect_true(all(diff(unique(all$dev.ratio)) > -1e-12))
    gl <- generics::glance(fit)
    expect_equal(nrow(gl), 1L)
    expect_equal(gl$nobs, nrow(x))
    expect_equal(gl$nulldev, sum((y - mean(y))^2), tolerance = 1e-12)
  }
})

test_that("the deviance ratio is 1 - RSS / null deviance, as in glmnet", {
  skip_if_not_installed("generics")
  x <- diabetes_x(); y <- diabetes_y()
  h <- lasso_path(x, y)
  cd <- lasso_path(x, y, method = "cd", lambda = h$lambda[2:12], tol = 1e-12)
  rss <- function(fit) unname(colSums((y - cbind(1, x) %*% coef(fit))^2))
  null <- sum((y - mean(y))^2)
  dev_h <- unique(generics::tidy(h, return_zeros = TRUE)[, c("step", "dev.ratio")])
  expect_equal(dev_h$dev.ratio, 1 - rss(h) / null, tolerance = 1e-10)
  expect_equal(cd$dev.ratio, 1 - rss(cd) / null, tolerance = 1e-10)
  skip_if_not_installed("glmnet")
  g <- glmnet::glmnet(x, y, lambda = cd$lambda, thresh = 1e-20, maxit = 1e8)
  expect_equal(cd$dev.ratio, g$dev.ratio, tolerance = 1e-8)
})

test_that("tidy of a Gram-form path: deviance ratios relative to c", {
  skip_if_not_installed("generics")
  x <- diabetes_x(); y <- diabetes_y()
  g <- gram_of(x, y)
  # the default c is the least possible (r'M^+r/2): the least-squares fit
  # explains all of it
  for (method in c("homotopy", "cd")) {
    fit <- lasso_path_gram(g$M, g$r, method = method)
    dr <- generics::tidy(fit, return_zeros = TRUE)$dev.ratio
    expect_true(all(is.finite(dr)))
    expect_equal(max(dr), 1, tolerance = if (method == "cd") 1e-3 else 1e-10)
  }
  # with c = y'y/(2n) they are those of the x/y fit
  cd <- lasso_path(x, y, method = "cd", tol = 1e-12)
  cg <- lasso_path_gram(g$M, g$r, method = "cd", c = g$c, tol = 1e-12,
                        lambda = cd$lambda)
  by_step <- function(fit) {
    td <- generics::tidy(fit, return_zeros = TRUE)
    td$dev.ratio[!duplicated(td$step)]
  }
  expect_equal(by_step(cg), by_step(cd), tolerance = 1e-8)
  expect_equal(by_step(cd), cd$dev.ratio)
})

test_that("tidy() and glance() of a network and of its comparison", {
  skip_if_not_installed("generics")
  x <- diabetes_x(); y <- diabetes_y()
  fit <- dln(x, y, epsilon = 1e-10, ns = 8)
  td <- generics::tidy(fit)
  expect_named(td, c("term", "step", "time", "s", "lambda", "estimate", "estimate_avg"))
  full <- as.data.frame(fit)
  expect_identical(nrow(generics::tidy(fit, return_zeros = TRUE)), nrow(full))
  expect_true(all(td$estimate != 0 | td$estimate_avg != 0))
  # the values are those of the fit
  k <- which(td$term == "bmi" & td$step == 8)
  expect_equal(td$estimate_avg[k], unname(fit$beta_avg["bmi", 8]))
  gl <- generics::glance(fit)
  expect_identical(nrow(gl), 1L)
  expect_identical(gl$steps, unname(fit$stats[["steps"]]))
  expect_equal(gl$log_inv_epsilon, log(1e10))
  cmp <- compare_paths(fit)
  expect_identical(generics::tidy(cmp), as.data.frame(cmp))
  gc <- generics::glance(cmp)
  expect_equal(gc$max_rel_gap, max(as.data.frame(cmp)$rel_gap))
  expect_false(gc$monotone)
})

test_that("lasso_path(tol =) is accepted by the exact path and checked", {
  x <- diabetes_x(); y <- diabetes_y()
  expect_equal(lasso_path(x, y, tol = 1e-3)$lambda, lasso_path(x, y)$lambda)
  err <- expect_error(lasso_path(x, y, tol = 2), class = "dlnpath_error_input")
  expect_identical(err$arg, "tol")
  err <- expect_error(lasso_path(x, y, weights = rep(1, 442)), class = "dlnpath_error_input")
})
