# Data preparation shared by every x/y entry point, with glmnet's semantics:
# with `intercept`, columns and response are centred; with `standardize`,
# columns are divided by their centred 1/n standard deviation (also when not
# centred). Constant columns are excluded (coefficient 0 on the whole path),
# as glmnet does. The *_gram() entry points skip all of this.

# Validates x, y and the two flags (classed errors), then prepares.
prepare_problem <- function(x, y, standardize, intercept) {
  x <- check_x(x)
  check_min_rows(x)
  y <- check_y(y, nrow(x))
  check_flag(standardize, "standardize")
  check_flag(intercept, "intercept")
  n <- nrow(x)
  p <- ncol(x)
  constant <- vapply(seq_len(p), function(j) all(x[, j] == x[1L, j]), logical(1))
  mu <- colMeans(x)
  center <- if (intercept) mu else rep(0, p)
  scale <- if (standardize) column_sd(x, mu) else rep(1, p)
  scale[constant | scale == 0] <- 1
  xs <- sweep(sweep(x, 2L, center, check.margin = FALSE), 2L, scale, "/",
              check.margin = FALSE)
  xs[, constant] <- 0
  ymean <- if (intercept) mean(y) else 0
  list(x = xs, y = y - ymean, n = n, p = p, names = colnames(x),
       center = center, scale = scale, ymean = ymean, constant = constant,
       standardize = standardize, intercept = intercept)
}

# Centred 1/n standard deviation, computed on a rescaled copy so that entries
# near 1e150 (or 1e-150) neither overflow nor underflow when squared.
column_sd <- function(x, mu) {
  vapply(seq_len(ncol(x)), function(j) {
    d <- x[, j] - mu[j]
    m <- max(abs(d))
    if (m == 0) 0 else m * sqrt(mean((d / m)^2))
  }, double(1))
}

# The problem as handed to a *_gram() entry point: no centring or scaling.
gram_problem <- function(g) {
  p <- length(g$r)
  list(x = NULL, y = NULL, n = NA_integer_, p = p, names = g$names,
       center = rep(0, p), scale = rep(1, p), ymean = 0,
       constant = diag(g$M) == 0, standardize = FALSE, intercept = FALSE)
}

# M = X'X/n, r = X'y/n, c = y'y/(2n) of the prepared problem.
problem_gram <- function(prob) {
  n <- prob$n
  list(M = crossprod(prob$x) / n, r = drop(crossprod(prob$x, prob$y)) / n,
       c = sum(prob$y^2) / (2 * n), names = prob$names)
}

# Coefficients on the internal (prepared) scale -> original scale of x, as
# a (p + 1) x k matrix with the intercept first.
to_original <- function(prob, B) {
  o <- original_scale(prob, as.matrix(B))
  out <- rbind(o$a0, o$beta)
  dimnames(out) <- list(c("(Intercept)", prob$names), NULL)
  out
}

# The same as a list: intercepts a0 (length k) and beta (p x k).
original_scale <- function(prob, B) {
  beta <- B / prob$scale
  list(a0 = prob$ymean - drop(crossprod(prob$center, beta)), beta = beta)
}

# The objective of DESIGN.md section 1 on the internal scale, constant
# included: 1/2 b'Mb - r'b + c + lambda * ||b||_1, one value per column of B.
lasso_objective <- function(g, B, lambda) {
  B <- as.matrix(B)
  MB <- g$M %*% B
  c0 <- g$c %||% 0
  0.5 * colSums(B * MB) - colSums(B * g$r) + c0 + lambda * colSums(abs(B))
}

# glmnet's default lower end of the lambda grid.
default_lambda_min_ratio <- function(n, p) {
  if (!is.na(n) && n < p) 1e-2 else 1e-4
}
