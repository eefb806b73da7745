# src/homotopy.c and src/api_homotopy.c: the C entry re-checks its input.

test_that("the homotopy entry point errors instead of crashing on bad input", {
  C_homotopy <- getFromNamespace("C_homotopy", "dlnpath")
  M <- diag(3); r <- c(1, 2, 3); w <- rep(1, 3)
  expect_error(.Call(C_homotopy, M, NULL, r, w[1:2], FALSE, 10L, 3L), "'w'")
  expect_error(.Call(C_homotopy, M, NULL, c(1, NA, 3), w, FALSE, 10L, 3L), "finite")
  expect_error(.Call(C_homotopy, M[1:2, ], NULL, r, w, FALSE, 10L, 3L), "'M'")
  expect_error(.Call(C_homotopy, NULL, NULL, r, w, FALSE, 10L, 3L), "matrix")
  expect_error(.Call(C_homotopy, M, NULL, r, -w, FALSE, 10L, 3L), "non-negative")
  expect_error(.Call(C_homotopy, M, NULL, r, w, NA, 10L, 3L), "TRUE or FALSE")
  expect_error(.Call(C_homotopy, M, NULL, r, w, FALSE, 0L, 3L), "max_knots")
  res <- .Call(C_homotopy, M, NULL, r, w, FALSE, 10L, 3L)
  expect_equal(res$lambda, c(3, 2, 1, 0))
})

test_that("Gram and X modes give the same path (X with p <= n becomes its Gram matrix)", {
  C_homotopy <- getFromNamespace("C_homotopy", "dlnpath")
  for (dims in list(c(30, 12), c(20, 45))) {
    n <- dims[1]; p <- dims[2]
    d <- random_design(n, p, rho = 0.3, seed = 11)
    X <- scale(d$x) * sqrt(n / (n - 1))
    r <- drop(crossprod(X, d$y - mean(d$y))) / n
    rank <- min(p, n - 1L)
    a <- .Call(C_homotopy, crossprod(X) / n, NULL, r, rep(1, p), FALSE, 1000L, rank)
    b <- .Call(C_homotopy, NULL, X, r, rep(1, p), FALSE, 1000L, rank)
    expect_equal(a$lambda, b$lambda, tolerance = 1e-12)
    expect_equal(a$beta, b$beta, tolerance = 1e-10)
    expect_equal(c(a$status, a$unresolved, a$zeroed), c(0L, 0L, 0L))
  }
})

test_that("the Gram matrix is X'X / n (BLAS dsyrk, both triangles)", {
  set.seed(4)
  X <- matrix(rnorm(60), 12, 5)
  expect_equal(dlnpath:::gram_matrix(X), crossprod(X) / 12, tolerance = 1e-14)
  expect_true(isSymmetric(dlnpath:::gram_matrix(X), tol = 0))
})

test_that("the step cap stops the path with a classed warning", {
  x <- diabetes_x(); y <- diabetes_y()
  expect_warning(fit <- lasso_path(x, y, max_knots = 4), class = "dlnpath_warning_step_cap")
  expect_length(fit$lambda, 4)
  expect_false(fit$complete)
  expect_warning(cf <- coef(fit, lambda = 0.01), class = "dlnpath_warning_step_cap")
  expect_true(all(is.na(cf)))
})

test_that("Ctrl-C stops the homotopy and leaves the session usable", {
  expect_interruptible(
    "p <- 3000; M <- 0.5 * diag(p) + 0.5; set.seed(1); r <- rnorm(p)",
    # the kernel itself (lasso_path_gram() would first factor M in LAPACK,
    # which does not look for interrupts): several seconds
    ".Call(dlnpath:::C_homotopy, M, NULL, r, rep(1, p), FALSE, 100000000L, p)")
})
