# src/flow.c and src/api_flow.c.

test_that("the flow entry point errors instead of crashing on bad input", {
  C_dln_flow <- getFromNamespace("C_dln_flow", "dlnpath")
  M <- diag(2); r <- c(1, -1); lc <- log(c(0.25, 0.25))
  ok <- function(...) .Call(C_dln_flow, M, r, lc, lc, 10, 0, 0, c(0, 0), c(0, 0),
                            c(0.5, 1), 1e-8, 1000L, FALSE)
  expect_equal(ok()$status, 0L)
  expect_error(.Call(C_dln_flow, M, r, lc, lc, 10, 0, 0, c(0, 0), c(0, 0),
                     c(1, 0.5), 1e-8, 1000L, FALSE), "non-decreasing")
  expect_error(.Call(C_dln_flow, M, r, lc[1], lc, 10, 0, 0, c(0, 0), c(0, 0),
                     1, 1e-8, 1000L, FALSE), "logcp")
  expect_error(.Call(C_dln_flow, M, r, lc, lc, -1, 0, 0, c(0, 0), c(0, 0),
                     1, 1e-8, 1000L, FALSE), "'L'")
  expect_error(.Call(C_dln_flow, M, r, lc, lc, 10, 0, 0, c(0, NaN), c(0, 0),
                     1, 1e-8, 1000L, FALSE), "finite")
  expect_error(.Call(C_dln_flow, "M", r, lc, lc, 10, 0, 0, c(0, 0), c(0, 0),
                     1, 1e-8, 1000L, FALSE), "'M'")
})

test_that("E stays consistent with Z: E = M Z - s r", {
  x <- diabetes_x(); y <- diabetes_y()
  fit <- dln(x, y, epsilon = 1e-30)
  E <- fit$gram$M %*% fit$Z - outer(fit$gram$r, fit$s)
  expect_lt(max(abs(E - fit$E)), 1e-9)
  # and inside the dual box up to the boundary layer: |b| = e^{-L(1 - |E|)}/4
  bound <- 1 + log(4 * max(abs(fit$b))) / fit$log_inv_epsilon
  expect_lt(max(abs(fit$E)), bound + 1e-9)
  expect_gt(max(abs(fit$E)), 1)
})
