# compare_paths() and path_monotonicity().

test_that("compare_paths reports the contract's columns, gaps >= 0", {
  x <- diabetes_x(); y <- diabetes_y()
  cmp <- compare_paths(dln(x, y, epsilon = 1e-10, s = c(0.02, 0.1, 1, 10)))
  df <- as.data.frame(cmp)
  expect_true(all(c("s", "lambda", "objective_avg", "objective_lasso", "rel_gap",
                    "max_abs_diff") %in% names(df)))
  expect_equal(nrow(df), 4)
  # the lasso minimizes its objective: no trajectory can beat it
  expect_gt(min(df$rel_gap), -1e-12)
  expect_gt(min(df$rel_gap_raw), -1e-12)
  # objective recomputed independently from the data
  g <- gram_of(x, y)
  b <- coef(cmp$dln, s = 1, average = TRUE)[-1, 1] * g$sd
  lam <- 1
  obj <- sum((y - mean(y) - scale(x, scale = FALSE) %*% (b / g$sd))^2) / (2 * nrow(x)) +
    lam * sum(abs(b))
  expect_equal(df$objective_avg[3], obj, tolerance = 1e-10)
})

test_that("max_abs_diff is on the original scale of x", {
  x <- diabetes_x(); y <- diabetes_y()
  fit <- dln(x, y, epsilon = 1e-10, s = c(0.1, 1))
  lasso <- lasso_path(x, y)
  cmp <- as.data.frame(compare_paths(fit, lasso))
  d <- abs(coef(fit, average = TRUE)[-1, ] - coef(lasso, lambda = 1 / c(0.1, 1))[-1, ])
  expect_equal(cmp$max_abs_diff, unname(apply(d, 2, max)), tolerance = 1e-10)
})

test_that("compare_paths refuses a lasso path of another problem", {
  x <- diabetes_x(); y <- diabetes_y()
  fit <- dln(x, y, s = 1)
  expect_error(compare_paths(fit, lasso_path(x, y, standardize = FALSE)),
               class = "dlnpath_error_input")
  expect_error(compare_paths(fit, lasso_path(x, rev(y))), class = "dlnpath_error_input")
  expect_error(compare_paths(fit, lasso_path(x, y, nonneg = TRUE)),
               class = "dlnpath_error_input")
  expect_error(compare_paths(lasso_path(x, y)), class = "dlnpath_error_input")
})

test_that("path_monotonicity: orthogonal designs are monotone, diabetes is not", {
  set.seed(2)
  q <- qr.Q(qr(matrix(rnorm(60), 20, 3)))
  y <- rnorm(20)
  mono <- path_monotonicity(lasso_path(q, y, standardize = FALSE, intercept = FALSE))
  expect_true(attr(mono, "monotone"))
  expect_true(all(mono$direction %in% c("increasing", "decreasing")))

  fit <- lasso_path(diabetes_x(), diabetes_y())
  mono <- path_monotonicity(fit)
  expect_false(attr(mono, "monotone"))
  expect_equal(mono$term[!mono$monotone], "s3")
  # s3 turns back on the segment where it leaves: from the knot of +s2
  expect_equal(mono$lambda_break[mono$term == "s3"],
               fit$lambda[fit$events$knot[fit$events$term == "s2"]])
})

test_that("path_monotonicity agrees with z(mu) on a dense grid", {
  for (seed in 1:20) {
    set.seed(seed)
    X <- matrix(rnorm(12), 3, 4); y <- rnorm(3)
    fit <- lasso_path_gram(crossprod(X), drop(crossprod(X, y)))
    mu <- seq(0, 3 / min(fit$lambda[fit$lambda > 0]), length.out = 4000)
    B <- coef(fit, lambda = 1 / mu[-1])[-1, ]
    z <- B * rep(mu[-1], each = 4)
    dz <- t(apply(z, 1, diff))
    tol <- 1e-9 * max(abs(dz))
    dense <- apply(dz, 1, function(v) !(any(v > tol) && any(v < -tol)))
    expect_equal(path_monotonicity(fit)$monotone, unname(dense), info = paste("seed", seed))
  }
})
