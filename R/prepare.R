# Data preparation shared by every x/y entry point, with glmnet's semantics:
# with `intercept`, columns and response are centred; with `standardize`,
# columns are divided by their centred 1/n standard deviation (also when not
# centred). Constant columns are excluded (coefficient 0 on the whole path),
# as glmnet does. The *_gram() entry points skip all of this.

# Validates x, y and the two flags (classed errors), then prepares. A
# response constant to rounding (every |y_i - mean(y)| within 4 ulps of the
# mean) is centred to exactly 0, as constant columns are: there is nothing
# to fit, rather than a problem at the scale of rounding errors.
prepare_problem <- function(x, y, standardize, intercept) {
  named <- !is.null(colnames(x))
  x <- check_x(x)
  check_min_rows(x)
  y <- check_y(y, nrow(x))
  check_flag(standardize, "standardize")
  check_flag(intercept, "intercept")
  st <- .Call(C_standardize, x, intercept, standardize)   # one pass, in C
  ymean <- if (intercept) mean(y) else 0
  y <- y - ymean
  if (intercept && max(abs(y)) <= 4 * .Machine$double.eps * abs(ymean)) y[] <- 0
  list(x = st$x, y = y, n = nrow(x), p = ncol(x), names = colnames(x),
       named = named, center = st$center, scale = st$scale, ymean = ymean,
       constant = st$constant, standardize = standardize,
       intercept = intercept)
}

# The problem as handed to a *_gram() entry point: no centring or scaling.
gram_problem <- function(g) {
  p <- length(g$r)
  list(x = NULL, y = NULL, n = NA_integer_, p = p, names = g$names,
       named = g$named, center = rep(0, p), scale = rep(1, p), ymean = 0,
       constant = diag(g$M) == 0, standardize = FALSE, intercept = FALSE)
}

# M = X'X/n, r = X'y/n, c = y'y/(2n) of the prepared problem, and the
# fingerprint of M.
problem_gram <- function(prob) {
  n <- prob$n
  M <- check_overflow(gram_matrix(prob$x), "X'X/n", "x")
  check_underflow(M, prob$x)
  list(M = M, r = problem_r(prob), c = sum_squares(prob$y) / (2 * n),
       names = prob$names, fingerprint = gram_fingerprint(M))
}

# r = X'y/n of the prepared problem.
problem_r <- function(prob) {
  check_overflow(drop(crossprod(prob$x, prob$y)) / prob$n, "X'y/n", "y")
}

# Products of the data beyond the double range (entries of x or y beyond
# about 1e150, x without `standardize`) stop with a classed error.
check_overflow <- function(v, what, arg) {
  if (!all(is.finite(range(v)))) {
    dlnpath_abort(sprintf(paste0(
      "%s overflows the double range: `x` and `y` are too large (beyond about ",
      "1e150; use `standardize = TRUE` or rescale them)"), what), arg,
      kind = "numeric")
  }
  v
}

# A nonzero column whose x_j'x_j/n underflows (entries below about 1e-152,
# x without `standardize`) would enter M as a zero column while X'y/n does
# not vanish: the network's dynamics would be those of other data.
check_underflow <- function(M, x) {
  tiny <- which(diag(M) < 1e-305)
  # only those columns are looked at: the common case copies nothing
  tiny <- tiny[colSums(x[, tiny, drop = FALSE] != 0) > 0]
  if (length(tiny)) {
    dlnpath_abort(sprintf(paste0(
      "X'X/n underflows the double range in column(s) %s: `x` is too small ",
      "(below about 1e-152; use `standardize = TRUE` or rescale it)"),
      paste(utils::head(tiny, 5), collapse = ", ")), "x",
      kind = "numeric")
  }
}

# sum(v^2) without overflow or underflow of the squares (Inf only when the
# sum itself exceeds the double range).
sum_squares <- function(v) {
  m <- max(abs(v), 0)
  if (m == 0 || (m > 1e-150 && m < 1e150)) return(sum(v^2))
  m^2 * sum((v / m)^2)
}

# M times a fixed vector: a cheap fingerprint of M, stored in every fit so
# that compare_paths() can tell whether two fits are of the same M.
# (From X as X'(X v)/n, X v rescaled so that only a product beyond the
# double range overflows.)
gram_fingerprint <- function(M = NULL, X = NULL, n = NULL) {
  p <- if (is.null(M)) ncol(X) else ncol(M)
  probe <- 1 + (seq_len(p) * 0.6180339887498949) %% 1
  if (!is.null(M)) return(drop(M %*% probe))
  v <- drop(X %*% probe)
  m <- max(abs(v))
  if (m == 0) return(rep(0, p))
  drop(crossprod(X, v / m)) * (m / n)
}

# X'X / n by the Gram kernel of src/kernels.c (8 to 15 times the speed
# of the reference BLAS's dsyrk), without crossprod()'s extra pass for the
# division.
gram_matrix <- function(x) .Call(C_gram_matrix, x)

# Whether the dense kernels can use their AVX2 + FMA build on this machine
# (src/kernels.c); option `dlnpath.simd` decides whether they do.
simd_available <- function() .Call(C_simd_available)

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
