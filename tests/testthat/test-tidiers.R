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

test_that("tidy of a Gram-form path without c has NA deviance ratios", {
  skip_if_not_installed("generics")
  g <- gram_of(diabetes_x(), diabetes_y())
  fit <- lasso_path_gram(g$M, g$r)
  expect_true(all(is.na(generics::tidy(fit)$dev.ratio)))
})
