# Exact lasso path: dlnpath's homotopy against lars::lars(type = "lasso")
# and scikit-learn's lars_path(method = "lasso"), on the designs of issue 3.
#
# Every contender computes the whole path. dlnpath is timed from the raw x
# (standardization, Gram matrix and output included); lars gets the raw x
# and standardizes itself; scikit-learn gets the standardized x and y that
# dlnpath prepares (its time excludes Python's start-up and the data files).
# Accuracy: for dlnpath, the largest KKT residual of its knots relative to
# max(lambda, 1e-3 lambda_max); for the peers, the largest relative
# difference between their knots and dlnpath's (lars's lambda is sqrt(n)
# times glmnet's for standardized data; scikit-learn's alpha is glmnet's).

diabetes_interactions <- function() {
  x <- as.matrix(dlnpath::diabetes[, 1:10])
  sq <- x[, colnames(x) != "sex"]^2          # sex is binary
  colnames(sq) <- paste0(colnames(sq), "^2")
  pairs <- utils::combn(10, 2)
  ia <- apply(pairs, 2, function(k) x[, k[1]] * x[, k[2]])
  colnames(ia) <- apply(pairs, 2, function(k) paste(colnames(x)[k], collapse = ":"))
  list(x = cbind(x, sq, ia), y = dlnpath::diabetes$y)     # 442 x 64
}

# The glmnet paper's simulation: Gaussian columns with equal correlation rho,
# coefficients (-1)^j exp(-2 (j - 1) / 20), signal-to-noise ratio 3.
simulated <- function(n, p, rho, seed = 1) {
  set.seed(seed)
  x <- sqrt(1 - rho) * matrix(stats::rnorm(n * p), n, p) + sqrt(rho) * stats::rnorm(n)
  beta <- (-1)^seq_len(p) * exp(-2 * (seq_len(p) - 1) / 20)
  f <- drop(x %*% beta)
  list(x = x, y = f + stats::rnorm(n) * sqrt(stats::var(f) / 3))
}

write_npy <- function(x, file) {
  shape <- if (is.matrix(x)) sprintf("(%d, %d)", nrow(x), ncol(x)) else
    sprintf("(%d,)", length(x))
  header <- sprintf("{'descr': '<f8', 'fortran_order': True, 'shape': %s, }", shape)
  header <- paste0(header, strrep(" ", 63 - (10 + nchar(header)) %% 64), "\n")
  con <- file(file, "wb")
  on.exit(close(con))
  writeBin(as.raw(c(0x93, charToRaw("NUMPY"), 1, 0)), con)
  writeBin(nchar(header), con, size = 2, endian = "little")
  writeBin(charToRaw(header), con)
  writeBin(as.double(x), con, endian = "little")
}

read_npy_vector <- function(file) {
  con <- file(file, "rb")
  on.exit(close(con))
  magic <- readBin(con, "raw", 8)
  len <- if (magic[7] == as.raw(1)) readBin(con, "integer", 1, size = 2, endian = "little") else
    readBin(con, "integer", 1, size = 4, endian = "little")
  header <- rawToChar(readBin(con, "raw", len))
  n <- as.integer(sub(".*'shape': \\((\\d+),?\\).*", "\\1", header))
  readBin(con, "double", n, size = 8, endian = "little")
}

# Largest relative difference between two lists of knots (a peer's final
# knot may be a rounding error away from 0: below 1e-10 lambda_max counts as
# 0); Inf when they do not have the same knots.
knot_gap <- function(theirs, ours) {
  small <- 1e-10 * max(ours)
  theirs <- theirs[theirs > small]
  ours <- ours[ours > small]
  if (length(theirs) != length(ours)) return(Inf)
  max(abs(theirs - ours) / ours)
}

kkt_relative <- function(fit, prob) {
  lam <- fit$lambda
  max(vapply(seq_along(lam), function(k) {
    b <- fit$beta_std[, k]
    g <- drop(crossprod(prob$x, prob$y - prob$x %*% b)) / prob$n
    on <- b != 0
    v <- c(abs(g[on] - lam[k] * sign(b[on])), pmax(abs(g[!on]) - lam[k], 0))
    max(v, 0) / max(lam[k], 1e-3 * lam[1])
  }, double(1)))
}

# Runs f k times and reports the time per run: timings of a few
# milliseconds are below the resolution of a single proc.time() difference.
repeated <- function(f, k, accuracy) {
  function() {
    t0 <- proc.time()[["elapsed"]]
    for (i in seq_len(k)) out <- f()
    list(seconds = (proc.time()[["elapsed"]] - t0) / k, accuracy = accuracy(out))
  }
}

bench <- function(reps = 7L) {
  designs <- list(
    "diabetes 442 x 64 (interactions)" = diabetes_interactions(),
    "n = 1000, p = 200" = simulated(1000, 200, 0),
    "n = 1000, p = 200, rho = 0.5" = simulated(1000, 200, 0.5),
    "n = 100, p = 2000" = simulated(100, 2000, 0),
    "n = 100, p = 2000, rho = 0.5" = simulated(100, 2000, 0.5)
  )
  sklearn <- has_sklearn()
  if (!sklearn) bench_skip("scikit-learn", "python3-sklearn is not installed")
  lars <- requireNamespace("lars", quietly = TRUE)
  if (!lars) bench_skip("lars", "the lars package is not installed")
  # next to this file when run by run-all.R, else from the installed package
  script <- c(file.path(commandArgs(TRUE)[1], "lars_path.py"),
              system.file("bench", "lars_path.py", package = "dlnpath"))
  script <- script[file.exists(script)][1]
  out <- list()
  for (nm in names(designs)) {
    d <- designs[[nm]]
    n <- nrow(d$x)
    ref <- dlnpath::lasso_path(d$x, d$y, max_knots = 1e6)
    prob <- dlnpath:::prepare_problem(d$x, d$y, TRUE, TRUE)
    kkt <- kkt_relative(ref, prob)
    k <- if (n > ncol(d$x)) 10L else 2L
    contenders <- list(dlnpath = repeated(
      function() dlnpath::lasso_path(d$x, d$y, max_knots = 1e6), k,
      function(fit) kkt))
    # lars's own defaults (its max.steps, 8 min(p, n - 1), covers these
    # paths; a larger one costs it a (max.steps x p) allocation)
    if (lars) contenders$lars <- repeated(
      function() lars::lars(d$x, d$y, type = "lasso", use.Gram = n > ncol(d$x)), k,
      function(fit) knot_gap(fit$lambda / sqrt(n), ref$lambda))
    if (sklearn) {
      files <- tempfile(c("X", "y", "alphas"), fileext = ".npy")
      write_npy(prob$x, files[1])
      write_npy(prob$y, files[2])
      run <- python_contender(script, files)
      contenders$`scikit-learn` <- function() {
        res <- run()
        res$accuracy <- knot_gap(read_npy_vector(files[3]), ref$lambda)
        res
      }
    }
    res <- bench_interleaved(contenders, reps = reps)
    out[[nm]] <- cbind(benchmark = "exact lasso path", design = nm, res,
                       stringsAsFactors = FALSE)
  }
  do.call(rbind, unname(out))
}
