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

# Evaluate `code` with the flow's dense work through R's BLAS/LAPACK (TRUE)
# or through its written-out loops (FALSE), whatever BLAS R uses.
with_flow_blas <- function(blas, code) {
  old <- options(dlnpath.flow_blas = blas)
  on.exit(options(old))
  code
}

# Evaluate `code` with the dense kernels' AVX2 + FMA build (TRUE, where the
# CPU has it) or their portable build (FALSE).
with_simd <- function(use, code) {
  old <- options(dlnpath.simd = use)
  on.exit(options(old))
  code
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

# Independent reference for gradient descent: the recursion of DESIGN.md
# section 2 written in R in log space, log|w+-| = log|w+-(0)| + (sum of the
# logs of the factors), the sums kept apart from the (large) initial logs so
# that they do not lose digits; plain summation of the iterates. Returns b_k
# and bbar_k at k_out.
gd_reference <- function(M, r, epsilon, step, k_out, beta0 = 1, gamma0 = 0,
                         kappa = 0, param = "uv", alpha0 = 1, L = -log(epsilon)) {
  p <- length(r)
  if (param == "uv") {
    lp0 <- rep_len(log(abs(beta0 + gamma0) / 2), p) - L / 2
    lm0 <- rep_len(log(abs(beta0 - gamma0) / 2), p) - L / 2
  } else {
    lp0 <- rep_len(log(abs(alpha0)), p) - L / 2
    lm0 <- rep(-Inf, p)
  }
  cp <- cm <- rep(0, p)
  out <- list(b = matrix(0, p, length(k_out)), bavg = matrix(0, p, length(k_out)))
  S <- rep(0, p)
  b <- exp(2 * lp0) - exp(2 * lm0)
  for (k in 0:max(k_out)) {
    j <- which(k_out == k)
    if (length(j)) {
      out$b[, j] <- b
      out$bavg[, j] <- S / k
    }
    S <- S + b
    g <- drop(M %*% b) - r
    if (param == "uv") {
      cp <- cp + log(abs(1 - step * (g + kappa)))
      cm <- cm + log(abs(1 + step * (g - kappa)))
    } else {
      cp <- cp + log(abs(1 - 2 * step * (g + kappa)))
    }
    b <- exp(2 * (lp0 + cp)) - exp(2 * (lm0 + cm))
  }
  out
}

`%||%` <- function(a, b) if (is.null(a)) b else a
# Independent reference for the limit epsilon -> 0 (DESIGN.md section 3):
# the saddle of each phase by enumerating the supports of the
# sign-constrained least-squares problem (small p only), phases advanced in
# plain R. Returns Z(s) (p x length(s_out)).
limit_reference <- function(M, r, s_out, kappa = 0, onesided = FALSE) {
  p <- length(r)
  saddle <- function(B, sigma) {
    best <- rep(0, p)
    for (mask in seq_len(2^length(B)) - 1L) {
      S <- B[bitwAnd(mask, 2^(seq_along(B) - 1L)) > 0]
      b <- rep(0, p)
      if (length(S)) {
        A <- M[S, S, drop = FALSE]
        if (rcond(A) < 1e-12) next
        b[S] <- solve(A, r[S] - kappa * sigma[S])
        if (any(sigma[S] * b[S] <= 0)) next
      }
      g <- drop(M %*% b) - r
      rest <- setdiff(B, S)
      if (all(sigma[rest] * g[rest] + kappa >= -1e-10)) return(b)
    }
    stop("no saddle found")
  }
  s <- 0; Z <- E <- rep(0, p)
  knots <- 0; Zk <- list(Z); bk <- list()
  repeat {
    edge <- 1 + kappa * s
    sigma <- ifelse(E <= -edge * (1 - 1e-9), 1,
                    ifelse(!onesided & E >= edge * (1 - 1e-9), -1, 0))
    b <- saddle(which(sigma != 0), sigma)
    bk[[length(bk) + 1L]] <- b
    g <- drop(M %*% b) - r
    free <- b == 0
    lo <- ifelse(free & E + edge > 1e-9 * edge & -(g + kappa) > 1e-11,
                 (E + edge) / -(g + kappa), Inf)
    up <- ifelse(!onesided & free & edge - E > 1e-9 * edge & g - kappa > 1e-11,
                 (edge - E) / (g - kappa), Inf)
    dt <- min(lo, up)
    if (!is.finite(dt)) break
    s <- s + dt; Z <- Z + dt * b; E <- E + dt * g
    edge <- 1 + kappa * s
    E[E <= -edge * (1 - 1e-9)] <- -edge
    if (!onesided) E[E >= edge * (1 - 1e-9)] <- edge
    knots <- c(knots, s); Zk[[length(Zk) + 1L]] <- Z
  }
  k <- findInterval(s_out, knots)
  vapply(seq_along(s_out), function(j) Zk[[k[j]]] + (s_out[j] - knots[k[j]]) * bk[[k[j]]],
         double(p))
}

# The paper's random instance: X (n x p), y iid N(0, 1), in its units.
paper_instance <- function(seed, n = 3, p = 4) {
  set.seed(seed)
  X <- matrix(rnorm(n * p), n, p)
  y <- rnorm(n)
  list(M = crossprod(X), r = drop(crossprod(X, y)), c = sum(y^2) / 2)
}

# Runs `setup`, then `long` (R code, as text) in a child Rscript, sends it
# SIGINT `after` seconds into `long`, and returns what the child logged:
# how `long` ended ("interrupted" when the interrupt reached R as a
# condition, with the seconds it ran), and whether a lasso path fitted in
# the same session afterwards is right (13 knots on diabetes).
interrupt_child <- function(setup, long, after = 1, timeout = 120) {
  dir <- tempfile("interrupt")
  dir.create(dir)
  on.exit(unlink(dir, recursive = TRUE), add = TRUE)
  files <- file.path(dir, c("child.R", "pid", "log", "out"))
  writeLines(c(
    "library(dlnpath)",
    sprintf("log_line <- function(...) cat(..., '\\n', file = '%s', append = TRUE)", files[3]),
    setup,
    sprintf("writeLines(as.character(Sys.getpid()), '%s')", files[2]),
    "t0 <- proc.time()[[3]]",
    sprintf("how <- tryCatch({%s; 'finished'}, interrupt = function(e) 'interrupted')",
            long),
    "log_line(how, proc.time()[[3]] - t0)",
    "fit <- lasso_path(as.matrix(diabetes[, 1:10]), diabetes$y)",
    "log_line('after', length(fit$lambda))"), files[1])
  system2(file.path(R.home("bin"), "Rscript"), c("--vanilla", files[1]), wait = FALSE,
          stdout = files[4], stderr = files[4],
          env = paste0("R_LIBS=", paste(.libPaths(), collapse = .Platform$path.sep)))
  t0 <- Sys.time()
  waited <- function() as.double(Sys.time() - t0, units = "secs")
  while (!file.exists(files[2]) && waited() < timeout) Sys.sleep(0.05)
  Sys.sleep(0.2)                       # the pid file is complete
  pid <- as.integer(readLines(files[2]))
  on.exit(tools::pskill(pid, tools::SIGKILL), add = TRUE)   # if it hangs
  Sys.sleep(after)
  tools::pskill(pid, tools::SIGINT)
  done <- function() {
    (file.exists(files[3]) && any(grepl("^after", readLines(files[3])))) ||
      !tools::pskill(pid, 0L)        # the child has exited
  }
  while (!done() && waited() < timeout) Sys.sleep(0.05)
  lines <- if (file.exists(files[3])) readLines(files[3]) else character(0)
  field <- function(key) {
    l <- grep(paste0("^", key), lines, value = TRUE)
    if (length(l)) strsplit(trimws(l[1]), " +")[[1]] else NA_character_
  }
  how <- field("(interrupted|finished)")
  list(how = how[1], seconds = as.double(how[2]), after = as.integer(field("after")[2]),
       output = readLines(files[4]))
}

# A random small regression problem for the property tests: random shape
# (p > n too), scale (of x, per column or all, and of y), rank (X = A B with a
# small inner dimension), correlation (a common factor), sometimes
# duplicated or constant columns, random standardize / intercept; with its
# Gram form after glmnet's preparation, computed here independently.
random_problem <- function(seed) {
  set.seed(seed)
  n <- sample(2:25, 1)
  p <- sample(1:25, 1)
  rank <- if (runif(1) < 0.3) sample(seq_len(min(n, p)), 1) else min(n, p)
  x <- matrix(rnorm(n * rank), n, rank) %*% matrix(rnorm(rank * p), rank, p)
  rho <- runif(1, 0, 0.99)
  x <- sqrt(1 - rho) * x + sqrt(rho) * rnorm(n)
  if (p > 2 && runif(1) < 0.2) x[, p] <- x[, 1]
  if (p > 2 && runif(1) < 0.2) x[, 2] <- 3
  x <- if (runif(1) < 0.5) x * 10^runif(1, -8, 8) else sweep(x, 2, 10^runif(p, -4, 4), "*")
  beta <- rnorm(p) * (runif(p) < 0.5)
  y <- (drop(x %*% beta) / max(1e-300, sd(drop(x %*% beta)), na.rm = TRUE) +
          rnorm(n)) * 10^runif(1, -6, 6)
  standardize <- runif(1) < 0.7
  intercept <- runif(1) < 0.7
  mu <- if (intercept) colMeans(x) else rep(0, p)
  centred <- sweep(x, 2, colMeans(x))
  sdv <- if (standardize) sqrt(colMeans(centred^2)) else rep(1, p)
  constant <- apply(x, 2, function(v) all(v == v[1]))
  sdv[constant] <- 1
  xs <- sweep(sweep(x, 2, mu), 2, sdv, "/")
  xs[, constant] <- 0
  yc <- if (intercept) y - mean(y) else y
  list(x = x, y = y, standardize = standardize, intercept = intercept, n = n, p = p,
       M = crossprod(xs) / n, r = drop(crossprod(xs, yc)) / n, c = sum(yc^2) / (2 * n))
}

# A long run that Ctrl-C stops promptly, leaving a session that fits again.
expect_interruptible <- function(setup, long) {
  skip_on_os("windows")
  res <- interrupt_child(setup, long)
  expect_identical(res$how, "interrupted")
  expect_lt(res$seconds, 30)
  expect_identical(res$after, 13L)
}

# The seeds of a randomized test: 1..n, or a tenth of them under
# `make memcheck` (DLNPATH_MEMCHECK set), where the suite runs 20-50 times
# slower and looks for memory errors rather than rare cases.
property_seeds <- function(n) {
  seq_len(if (nzchar(Sys.getenv("DLNPATH_MEMCHECK"))) max(n %/% 10, 1) else n)
}

# expect_error() with the class and the argument named by the condition.
expect_input_error <- function(expr, arg, kind = "input", regexp = NULL) {
  err <- expect_error(expr, regexp, class = paste0("dlnpath_error_", kind))
  expect_s3_class(err, "dlnpath_error")
  expect_identical(err$arg, arg)
  invisible(err)
}

# |M_jj (b+_j - b_j)| per coordinate, b+_j the proximal coordinate step of
# 1/2 b'Mb - r'b + lambda |b|_1 from b: zero exactly at a lasso solution.
# (Columns with M_jj = 0 are excluded: 0.)
prox_residual <- function(M, r, b, lambda) {
  d <- diag(M)
  g <- r - drop(M %*% b)
  z <- b + g / ifelse(d > 0, d, 1)
  bp <- sign(z) * pmax(abs(z) - lambda / ifelse(d > 0, d, 1), 0)
  ifelse(d > 0, d * abs(bp - b), 0)
}
