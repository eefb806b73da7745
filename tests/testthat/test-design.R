# src/design.c: weighted column moments for dense and sparse input.

moments <- function(x, w) {
  sparse <- if (inherits(x, "dgCMatrix")) list(x@i, x@p, x@x)
  .Call(dlnpath:::C_col_moments, if (is.null(sparse)) x, sparse,
        c(nrow(x), ncol(x)), w)
}

test_that("weighted means and centred standard deviations (1/n)", {
  d <- sparse_design(50, 8, seed = 1)
  x <- d$x
  x[, 5] <- 7
  x[, 6] <- 0
  w <- seq(0.1, 3, length.out = 50)
  w <- w * 50 / sum(w)
  m <- moments(x, w)
  mu <- colSums(x * w) / 50
  sdv <- sqrt(colSums(w * sweep(x, 2, mu)^2) / 50)
  expect_equal(m$mean, mu, tolerance = 1e-14)
  expect_equal(m$sd[-c(5, 6)], sdv[-c(5, 6)], tolerance = 1e-13)
  expect_equal(m$constant, seq_len(8) %in% c(5, 6))
  skip_if_not_installed("Matrix")
  ms <- moments(Matrix::Matrix(x, sparse = TRUE), w)
  expect_equal(ms$mean, m$mean, tolerance = 1e-14)
  expect_equal(ms$sd, m$sd, tolerance = 1e-13)
  expect_equal(ms$constant, m$constant)
})

test_that("moments neither overflow nor lose a column scaled by 1e150", {
  x <- cbind(c(1, 2, 3, 4) * 1e150, c(1, 2, 3, 4) * 1e-150)
  m <- moments(x, rep(1, 4))
  expect_equal(m$sd, sqrt(1.25) * c(1e150, 1e-150), tolerance = 1e-14)
})

test_that("a column constant only on zero-weight rows is constant", {
  x <- cbind(c(1, 1, 1, 5), c(1, 2, 3, 4))
  m <- moments(x, c(4 / 3, 4 / 3, 4 / 3, 0))
  expect_equal(m$constant, c(TRUE, FALSE))
})
