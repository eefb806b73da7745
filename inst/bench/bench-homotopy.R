# Exact lasso path: dlnpath's homotopy against lars::lars(type = "lasso")
# and scikit-learn's lars_path(method = "lasso"): diabetes, prostate, and
# the designs of issue 3 (diabetes with interactions, 442 x 64; the glmnet
# paper's simulations at n = 1000, p = 200 and n = 100, p = 2000, rho = 0
# and 0.5).
#
# Every contender computes the whole path. dlnpath is timed from the raw x
# (standardization, Gram matrix and output included); lars gets the raw x
# and standardizes itself; scikit-learn gets the standardized x and y that
# dlnpath prepares (its time excludes Python's start-up and the data files).
# Accuracy: for dlnpath, the largest KKT residual of its knots relative to
# max(lambda, 1e-3 lambda_max); for the peers, the largest relative
# difference between their knots and dlnpath's (lars's lambda is sqrt(n)
# times glmnet's for standardized data; scikit-learn's alpha is glmnet's).
#
# Memory: peak RSS of a fresh process computing the path once on the last
# design, next to that of the same runtime holding the data only (R; Python
# with numpy and scikit-learn imported).

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

# A contender reporting the accuracy of its result (the harness times it and
# repeats fast ones in batches).
with_accuracy <- function(f, accuracy) {
  function() {
    fit <- f()    # forced here: `accuracy` may not read its argument
    list(accuracy = accuracy(fit))
  }
}

bench <- function(reps = 5L) {
  designs <- list(
    "diabetes 442 x 10" = diabetes_data(),
    "prostate 97 x 8" = prostate_data(),
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
  script <- file.path(bench_dir, "lars_path.py")
  out <- list()
  for (nm in names(designs)) {
    d <- designs[[nm]]
    n <- nrow(d$x)
    ref <- dlnpath::lasso_path(d$x, d$y, max_knots = 1e6)
    prob <- dlnpath:::prepare_problem(d$x, d$y, TRUE, TRUE)
    kkt <- kkt_relative(ref, prob)
    contenders <- list(dlnpath = with_accuracy(
      function() dlnpath::lasso_path(d$x, d$y, max_knots = 1e6),
      function(fit) kkt))
    # lars's own defaults (its max.steps, 8 min(p, n - 1), covers these
    # paths; a larger one costs it a (max.steps x p) allocation)
    if (lars) contenders$lars <- with_accuracy(
      function() lars::lars(d$x, d$y, type = "lasso", use.Gram = n > ncol(d$x)),
      function(fit) knot_gap(fit$lambda / sqrt(n), ref$lambda))
    files <- tempfile(c("X", "y", "alphas"), fileext = ".npy")
    if (sklearn) {
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
    if (nm == names(designs)[length(designs)]) {
      out$memory <- memory_rows(path_memory(d, script, files, lars, sklearn),
                                "exact lasso path: peak RSS", nm)
    }
    unlink(files)
  }
  bind_results(out)
}

# Peak memory of each contender in its own process on the design d (whose
# standardized data the sklearn run already wrote to files[1:2]), and of
# each runtime holding the data only.
path_memory <- function(d, script, files, lars, sklearn) {
  data <- data_code(d)
  peaks <- c(dlnpath = peak_rss_mib(c(data,
    "f <- dlnpath::lasso_path(d$x, d$y, max_knots = 1e6)")))
  if (lars) peaks["lars"] <- peak_rss_mib(c(data,
    sprintf("f <- lars::lars(d$x, d$y, type = 'lasso', use.Gram = %s)", nrow(d$x) > ncol(d$x))))
  peaks["R, data only"] <- peak_rss_mib(data)
  if (sklearn) {
    load <- sprintf("import sys, numpy as np; X = np.load('%s'); y = np.load('%s')",
                    files[1], files[2])
    peaks["scikit-learn"] <- python_peak_rss_mib(c(
      "import sys",
      sprintf("sys.argv = ['lars_path.py', '%s', '%s', '%s']", files[1], files[2], files[3]),
      "import runpy, io, contextlib",
      "with contextlib.redirect_stdout(io.StringIO()):",
      sprintf("    runpy.run_path('%s', run_name='__main__')", script)))
    peaks["Python, scikit-learn and data only"] <- python_peak_rss_mib(c(
      load, "import sklearn.linear_model"))
  }
  peaks
}
