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
  st <- .Call(C_standardize, x, intercept, standardize)   # one pass, in C
  ymean <- if (intercept) mean(y) else 0
  list(x = st$x, y = y - ymean, n = nrow(x), p = ncol(x), names = colnames(x),
       center = st$center, scale = st$scale, ymean = ymean,
       constant = st$constant, standardize = standardize,
       intercept = intercept)
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
  list(M = gram_matrix(prob$x), r = drop(crossprod(prob$x, prob$y)) / n,
       c = sum(prob$y^2) / (2 * n), names = prob$names)
}

# X'X / n by BLAS dsyrk, without crossprod()'s extra pass for the division.
gram_matrix <- function(x) .Call(C_gram_matrix, x)

# Coefficients on the internal (prepared) scale -> original scale of x:
# intercepts a0 and slopes beta (p x k).
original_scale <- function(prob, B) {
  beta <- B / prob$scale
  list(a0 = prob$ymean - drop(crossprod(prob$center, beta)), beta = beta)
}

# The same as a (p + 1) x k matrix with the intercept first.
to_original <- function(prob, B) {
  o <- original_scale(prob, as.matrix(B))
  out <- rbind(o$a0, o$beta)
  dimnames(out) <- list(c("(Intercept)", prob$names), NULL)
  out
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
