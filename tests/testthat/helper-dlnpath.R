# Shared fixtures and independent references for the tests.

diabetes_x <- function() as.matrix(dlnpath::diabetes[, 1:10])
diabetes_y <- function() dlnpath::diabetes$y

# glmnet's preparation written out independently of the package: centred
# (intercept) and scaled by the centred 1/n sd (standardize).
gram_of <- function(x, y, standardize = TRUE, intercept = TRUE) {
  n <- nrow(x)
  mu <- if (intercept) colMeans(x) else rep(0, ncol(x))
  sdv <- if (standardize) sqrt(colMeans(sweep(x, 2, colMeans(x))^2)) else rep(1, ncol(x))
  xs <- sweep(sweep(x, 2, mu), 2, sdv, "/")
  yc <- if (intercept) y - mean(y) else y
  list(M = crossprod(xs) / n, r = drop(crossprod(xs, yc)) / n,
       c = sum(yc^2) / (2 * n), sd = sdv, mu = mu, ymean = if (intercept) mean(y) else 0)
}

# Largest violation of the lasso optimality conditions at lambda, for
# coefficients b of  1/2 b'Mb - r'b + lambda sum w |b|  (b >= 0 if nonneg).
kkt_residual <- function(M, r, b, lambda, w = rep(1, length(r)), nonneg = FALSE) {
  g <- drop(r - M %*% b)
  act <- b != 0
  on <- abs(g[act] - lambda * w[act] * sign(b[act]))
  off <- if (nonneg) pmax(g[!act] - lambda * w[!act], 0) else
    pmax(abs(g[!act]) - lambda * w[!act], 0)
  max(c(on, off, 0))
}

# Independent reference for the flow: classical RK4 in training time t on
# (log|w+|, log|w-|, W = int b), from DESIGN.md section 2 (uv, w+- > 0).
rk4_reference <- function(M, r, epsilon, s_out, dt, beta0 = 1, gamma0 = 0,
                          kappa = 0) {
  L <- -log(epsilon)
  p <- length(r)
  y <- c(rep(log(sqrt(epsilon) * abs(beta0 + gamma0) / 2), length.out = p),
         rep(log(sqrt(epsilon) * abs(beta0 - gamma0) / 2), length.out = p),
         rep(0, p))
  deriv <- function(y) {
    b <- exp(2 * y[1:p]) - exp(2 * y[p + 1:p])
    g <- drop(M %*% b) - r
    c(-(g + kappa), g - kappa, b)
  }
  t_out <- s_out * L / 2
  out <- list(b = matrix(0, p, length(t_out)), bavg = matrix(0, p, length(t_out)))
  t <- 0
  for (k in seq_along(t_out)) {
    nstep <- ceiling((t_out[k] - t) / dt)
    h <- (t_out[k] - t) / nstep
    for (i in seq_len(nstep)) {
      k1 <- deriv(y); k2 <- deriv(y + h / 2 * k1)
      k3 <- deriv(y + h / 2 * k2); k4 <- deriv(y + h * k3)
      y <- y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    }
    t <- t_out[k]
    out$b[, k] <- exp(2 * y[1:p]) - exp(2 * y[p + 1:p])
    out$bavg[, k] <- y[2 * p + 1:p] / t
  }
  out
}

random_design <- function(n, p, rho = 0, seed = 1) {
  set.seed(seed)
  z <- matrix(rnorm(n * p), n, p)
  x <- sqrt(1 - rho) * z + sqrt(rho) * rnorm(n)
  beta <- c(rnorm(min(p, 5)) * 3, rep(0, max(p - 5, 0)))
  y <- drop(x %*% beta) + rnorm(n)
  list(x = x, y = y)
}

# Objective 1/2 b'Mb - r'b + c + lambda sum w |b| of the prepared problem g
# (from gram_of), one value per column of B (internal scale).
primal_objective <- function(g, B, lambda, w = rep(1, length(g$r))) {
  B <- as.matrix(B)
  ok <- is.finite(w)
  B <- B[ok, , drop = FALSE]
  M <- g$M[ok, ok, drop = FALSE]
  0.5 * colSums(B * (M %*% B)) - colSums(B * g$r[ok]) + g$c +
    lambda * colSums(abs(B) * w[ok])
}

# Largest |difference| relative to max(1, |reference|): coefficients of
# diabetes reach 800 on the original scale.
rel_diff <- function(a, ref) max(abs(as.matrix(a) - as.matrix(ref)) / pmax(1, abs(as.matrix(ref))))

# A sparse design (about 70% zeros) with columns of nonzero mean.
sparse_design <- function(n, p, seed = 1) {
  set.seed(seed)
  x <- matrix(rnorm(n * p), n, p)
  x[sample(n * p, round(0.7 * n * p))] <- 0
  x[, 2] <- x[, 2] + 3
  y <- drop(x[, 1:4] %*% c(2, -1.5, 1, 0.5)) + rnorm(n)
  list(x = x, y = y)
}
