# src/kernels.c: the dense kernels in their portable and AVX2 + FMA builds.
# Every shape below crosses the kernels' edges: rows not a multiple of the
# vector length or beyond one chunk of 512, columns not a multiple of the
# block shapes (2 x 4 portable, 4 x 3 vector).

builds <- c(FALSE, TRUE)

test_that("the Gram matrix equals crossprod(x) / n in both builds, at every shape", {
  set.seed(11)
  for (n in c(1, 3, 7, 8, 513, 1030)) for (p in c(1, 2, 5, 11, 13, 26)) {
    x <- matrix(rnorm(n * p), n, p)
    ref <- crossprod(x) / n
    for (use in builds) {
      M <- with_simd(use, dlnpath:::gram_matrix(x))
      expect_equal(M, ref, tolerance = 1e-13, info = sprintf("n %d p %d simd %s", n, p, use))
      expect_true(isSymmetric(M, tol = 0))
    }
  }
})

test_that("equal columns give bit-identical Gram columns wherever they sit", {
  set.seed(12)
  for (n in c(9, 600)) {
    x <- matrix(rnorm(n * 12), n, 12)
    # column 3 repeated in the last, partial block and inside a full one
    x <- cbind(x, x[, 3])[, c(1:13)]
    x[, 8] <- x[, 3]
    for (use in builds) {
      M <- with_simd(use, dlnpath:::gram_matrix(x))
      expect_identical(M[, 3], M[, 13])
      expect_identical(M[, 3], M[, 8])
    }
  }
})

test_that("the builds agree on every method (paths, cd, flow, gd, limit)", {
  skip_if_not(dlnpath:::simd_available(), "no AVX2 + FMA on this CPU")
  x <- diabetes_x(); y <- diabetes_y()
  wide <- random_design(30, 80, rho = 0.3, seed = 3)
  fit <- function(use) with_simd(use, list(
    hom = lasso_path(x, y),
    homw = lasso_path(wide$x, wide$y),
    cd = lasso_path(x, y, method = "cd", tol = 1e-12),
    cdw = lasso_path(wide$x, wide$y, method = "cd", tol = 1e-12),
    flow = dln(x, y, epsilon = 1e-30, ns = 20),
    floww = dln(wide$x, wide$y, epsilon = 1e-10, ns = 10),
    gd = dln(x, y, method = "gd", s = c(0.5, 2)),
    lim = dln_limit(x, y, s = c(0.01, 0.1))))
  a <- fit(FALSE); b <- fit(TRUE)
  expect_equal(b$hom$lambda, a$hom$lambda, tolerance = 1e-12)
  expect_equal(b$hom$beta, a$hom$beta, tolerance = 1e-10)
  expect_equal(b$homw$beta, a$homw$beta, tolerance = 1e-9)
  expect_equal(b$cd$beta, a$cd$beta, tolerance = 1e-9)
  expect_equal(b$cdw$beta, a$cdw$beta, tolerance = 1e-8)
  expect_equal(b$flow$beta, a$flow$beta, tolerance = 1e-7)
  expect_equal(b$floww$beta, a$floww$beta, tolerance = 1e-7)
  expect_equal(b$gd$beta, a$gd$beta, tolerance = 1e-10)
  expect_equal(b$lim$beta_avg, a$lim$beta_avg, tolerance = 1e-10)
})

test_that("the option applies to every computation of a call, the first included", {
  x <- diabetes_x(); y <- diabetes_y()
  runs <- list(function() lasso_path(x, y)$beta,
               function() dln(x, y, epsilon = 1e-30, ns = 10)$beta_avg,
               function() dln(x, y, method = "gd", s = c(0.5, 2))$beta,
               function() dln_limit(x, y, ns = 10)$beta_avg)
  for (run in runs) {
    with_simd(TRUE, run())          # leaves the vector build selected
    expect_identical(with_simd(FALSE, run()), with_simd(FALSE, run()))
  }
})

test_that("option dlnpath.simd: TRUE, FALSE or NULL, else an error naming it", {
  x <- diabetes_x(); y <- diabetes_y()
  expect_error(with_simd("yes", lasso_path(x, y)), "dlnpath.simd")
  expect_error(with_simd(NA, lasso_path(x, y)), "dlnpath.simd")
  expect_s3_class(with_simd(NULL, lasso_path(x, y)), "lasso_path")
})
