# lasso_path(method = "cd") against glmnet on the designs of Friedman, Hastie
# & Tibshirani (2010, "Regularization paths for generalized linear models via
# coordinate descent", section 5.1): Gaussian columns with pairwise
# correlation rho, beta_j = (-1)^j exp(-2 (j - 1) / 20), noise scaled for a
# signal-to-noise ratio of 3; both solvers on the same 100-lambda grid
# (glmnet's, which both compute in full).
#
# Accuracy is the largest relative duality gap over the path (gap of the
# rescaled residual, relative to the null objective), computed here
# independently of both packages, so glmnet's thresh and dlnpath's tol are
# compared on one scale:
# - "cd default accuracy": glmnet at its default thresh (1e-7), dlnpath with
#   tol = the gap glmnet reached (so at least as accurate at every lambda);
# - "cd gap 1e-10": dlnpath with tol = 1e-10, glmnet at the largest thresh in
#   1e-8, 1e-9, ... whose gap is <= 1e-10. The search stops once a fit takes
#   over 12 s or the search over 30 s (the 5000 x 1000 designs need minutes
#   at thresh 1e-12): glmnet's row then shows the thresh and gap it reached,
#   its time is that of the search's last fit, and the ratio is a lower
#   bound;
# - peak resident memory of a fresh R process on the largest design.
# About 6 minutes in all on 2 shared cores.

bench_designs <- list(c(1000, 100, 0), c(1000, 100, 0.5), c(1000, 100, 0.9),
                      c(5000, 1000, 0), c(5000, 1000, 0.5), c(5000, 1000, 0.9),
                      c(100, 5000, 0), c(100, 5000, 0.5),
                      c(200, 20000, 0), c(200, 20000, 0.5))

paper_design <- function(n, p, rho, seed = 1) {
  set.seed(seed)
  x <- matrix(rnorm(n * p), n, p)
  if (rho > 0) x <- sqrt(1 - rho) * x + sqrt(rho) * rnorm(n)
  beta <- (-1)^seq_len(p) * exp(-2 * (seq_len(p) - 1) / 20)
  f <- drop(x %*% beta)
  list(x = x, y = f + stats::sd(f) / 3 * rnorm(n))
}

# Relative duality gaps of the path B (original scale, p x K) with
# intercepts a0: glmnet's standardization, centred, without forming the
# standardized matrix.
path_gaps <- function(x, y, a0, B, lambda) {
  n <- nrow(x)
  mu <- colMeans(x)
  sdv <- sqrt(pmax(colMeans(x^2) - mu^2, 0))
  yc <- y - mean(y)
  c0 <- sum(yc^2) / (2 * n)
  R <- yc - (x %*% B - rep(colSums(mu * B), each = n))
  G <- (crossprod(x, R) - mu %o% colSums(R)) / n / sdv
  Bs <- B * sdv
  vapply(seq_along(lambda), function(k) {
    L <- sum(R[, k]^2) / (2 * n)
    bg <- sum(Bs[, k] * G[, k])
    s <- min(1, lambda[k] / max(abs(G[, k])), if (L > 0) 1 + bg / (2 * L) else 1)
    (L + lambda[k] * sum(abs(Bs[, k])) - (s * (2 * L + bg) - s^2 * L)) / c0
  }, double(1))
}

max_gap <- function(d, a0, B, lambda) max(path_gaps(d$x, d$y, a0, as.matrix(B), lambda))
max_gap_of <- function(fit_fun, d, lambda) {
  fit <- fit_fun()
  max_gap(d, fit$a0, fit$beta, lambda)
}

# A contender returning its own time and the accuracy of its result (the
# same at every repetition: computed once).
timed <- function(fit_fun, d, lambda) {
  acc <- NULL
  function() {
    t0 <- as.numeric(Sys.time())
    fit <- fit_fun()
    secs <- as.numeric(Sys.time()) - t0
    if (is.null(acc)) acc <<- max_gap(d, fit$a0, fit$beta, lambda)
    list(seconds = secs, accuracy = acc)
  }
}

bench <- function() {
  if (!requireNamespace("glmnet", quietly = TRUE)) {
    bench_skip("glmnet", "not installed")
    return(NULL)
  }
  rows <- list()
  add <- function(res, benchmark, design) {
    rows[[length(rows) + 1L]] <<- cbind(benchmark = benchmark, design = design, res,
                                        stringsAsFactors = FALSE)
  }
  for (dd in bench_designs) {
    n <- dd[1]; p <- dd[2]; rho <- dd[3]
    label <- sprintf("n=%d p=%d rho=%g", n, p, rho)
    message("   ", label)
    d <- paper_design(n, p, rho)
    ratio <- if (n < p) 0.01 else 1e-4
    lam <- glmnet::glmnet(d$x, d$y, nlambda = 3)$lambda[1] * ratio^((0:99) / 99)
    ours <- function(tol) {
      function() dlnpath::lasso_path(d$x, d$y, method = "cd", lambda = lam, tol = tol)
    }
    theirs <- function(thresh) {
      function() glmnet::glmnet(d$x, d$y, lambda = lam, thresh = thresh, maxit = 1e8)
    }

    # glmnet's default accuracy
    g <- theirs(1e-7)()
    tol <- max_gap(d, g$a0, g$beta, lam)
    add(bench_interleaved(list(dlnpath = timed(ours(tol), d, lam),
                               glmnet = timed(theirs(1e-7), d, lam)), reps = 3),
        "cd default accuracy", label)

    # certified 1e-10: the thresh at which glmnet gets there (or as far as
    # the time budget lets it)
    thresh <- 1e-8
    spent <- 0
    repeat {
      t0 <- proc.time()[["elapsed"]]
      g <- theirs(thresh)()
      secs <- proc.time()[["elapsed"]] - t0
      spent <- spent + secs
      gap <- max_gap(d, g$a0, g$beta, lam)
      if (gap <= 1e-10 || secs > 12 || spent > 30 || thresh <= 1e-24) break
      thresh <- thresh / 10
    }
    message(sprintf("      glmnet thresh %g: gap %.2g in %.1f s", thresh, gap, secs))
    who <- sprintf("glmnet (thresh %g%s)", thresh,
                   if (gap > 1e-10) ", not reached: ratio a lower bound" else "")
    if (secs > 2) {
      # long: the search's last fit is glmnet's time; dlnpath's median of 3
      ts <- replicate(3, timed(ours(1e-10), d, lam)()$seconds)
      res <- data.frame(contender = c("dlnpath", who),
                        median_s = c(stats::median(ts), secs),
                        ratio_vs_dlnpath = c(1, secs / stats::median(ts)),
                        accuracy = c(max_gap_of(ours(1e-10), d, lam), gap),
                        reps = c(3L, 1L), stringsAsFactors = FALSE)
    } else {
      res <- bench_interleaved(list(dlnpath = timed(ours(1e-10), d, lam),
                                    glmnet = timed(theirs(thresh), d, lam)),
                               reps = 3)
      res$contender[2] <- who
    }
    add(res, "cd gap 1e-10", label)
  }

  # peak memory of a fresh process on the largest design
  libs <- .libPaths()
  code <- function(fit) {
    paste(c(paste("paper_design <-", paste(deparse(paper_design), collapse = "\n")),
            "d <- paper_design(200, 20000, 0.5)", fit), collapse = "\n")
  }
  mem <- c(dlnpath = peak_rss_mib(code(
             "f <- dlnpath::lasso_path(d$x, d$y, method = 'cd')"), libs),
           glmnet = peak_rss_mib(code("f <- glmnet::glmnet(d$x, d$y)"), libs),
           data_only = peak_rss_mib(code("invisible(NULL)"), libs))
  add(data.frame(contender = names(mem), median_s = unname(mem),
                 ratio_vs_dlnpath = unname(mem / mem[["dlnpath"]]),
                 accuracy = NA_real_, reps = 1L, stringsAsFactors = FALSE),
      "cd peak RSS (MiB in median_s)", "n=200 p=20000 rho=0.5")
  do.call(rbind, rows)
}
