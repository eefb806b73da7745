# Shared benchmark harness, sourced by run-all.R before each bench-*.R:
# interleaved timing, peak memory in fresh processes, the designs the issues
# name, and the growth exponent of the scaling benchmark.

# ---- timing -------------------------------------------------------------

# Contenders run interleaved (A B A B ...) so that machine noise hits all of
# them alike; we report the median time of each, and the median of the
# per-repetition ratios against the reference (the first contender,
# dlnpath). `contenders`: named list of functions. A function may return a
# list with `seconds` (time measured inside, e.g. by a Python process,
# excluding its start-up) and `accuracy` (a number, reported as is);
# otherwise the elapsed wall time of the call is used, read from the
# microsecond clock of Sys.time(). A repetition of a fast contender (under
# `batch_s` at warm-up) runs it several times in a row and records the time
# per call, so that a stray garbage collection does not decide a ratio;
# each contender's batch is sized by its own warm-up time, and kept within
# about a second of wall time (a contender timed inside a child process
# also pays the process's start-up at every call).
bench_interleaved <- function(contenders, reps = 5L, warmup = 1L, batch_s = 0.1) {
  nm <- names(contenders)
  times <- matrix(NA_real_, reps, length(nm), dimnames = list(NULL, nm))
  acc <- setNames(rep(NA_real_, length(nm)), nm)
  batch <- setNames(rep(1L, length(nm)), nm)
  now <- function() as.numeric(Sys.time())
  run <- function(k) {
    secs <- wall <- 0
    for (b in seq_len(batch[[k]])) {
      t0 <- now()
      out <- contenders[[k]]()
      el <- now() - t0
      wall <- wall + el
      secs <- secs + if (is.list(out) && !is.null(out$seconds)) out$seconds else el
    }
    list(seconds = secs / batch[[k]], wall = wall / batch[[k]],
         accuracy = if (is.list(out)) out$accuracy else NULL)
  }
  for (w in seq_len(warmup)) {
    for (k in seq_along(nm)) {
      r <- run(k)
      if (is.finite(r$seconds) && is.finite(r$wall))
        batch[[k]] <- as.integer(max(1, min(50, ceiling(batch_s / max(r$seconds, 1e-6)),
                                            floor(1 / max(r$wall, 1e-6)))))
    }
  }
  for (i in seq_len(reps)) {
    # rotate the starting contender so none is always first
    ord <- (seq_along(nm) + i - 2L) %% length(nm) + 1L
    for (k in ord) {
      res <- run(k)
      times[i, k] <- res$seconds
      if (!is.null(res$accuracy)) acc[k] <- res$accuracy
    }
  }
  data.frame(
    contender = nm,
    median_s = apply(times, 2L, stats::median),
    ratio_vs_dlnpath = apply(times / times[, 1L], 2L, stats::median),
    accuracy = unname(acc),
    reps = reps * unname(batch),
    stringsAsFactors = FALSE, row.names = NULL
  )
}

# ---- memory ---------------------------------------------------------------

# Runs R code in a fresh Rscript (so contenders do not share a heap) and
# returns what it printed and its peak resident memory in MiB (the kernel's
# VmHWM; NA where /proc is not available).
run_child <- function(code, libs = .libPaths()) {
  script <- tempfile(fileext = ".R")
  on.exit(unlink(script))
  writeLines(c(sprintf(".libPaths(c(%s))", paste(dQuote(libs, FALSE), collapse = ", ")),
               code,
               "s <- readLines('/proc/self/status')",
               "cat('VmHWM', sub('VmHWM:\\\\s*', '', grep('^VmHWM', s, value = TRUE)), '\\n')"),
             script)
  out <- tryCatch(suppressWarnings(system2(file.path(R.home("bin"), "Rscript"), script,
                                           stdout = TRUE, stderr = FALSE)),
                  error = function(e) character())
  list(output = out, peak_mib = vmhwm_mib(out))
}

peak_rss_mib <- function(code, libs = .libPaths()) run_child(code, libs)$peak_mib

# Code for a child process: `d <- <object>` (through a file that is removed
# when the calling function returns) and the definitions of functions.
data_code <- function(object, envir = parent.frame()) {
  file <- tempfile(fileext = ".rds")
  saveRDS(object, file)
  do.call(on.exit, list(bquote(unlink(.(file))), add = TRUE), envir = envir)
  sprintf("d <- readRDS(%s)", dQuote(file, FALSE))
}

function_code <- function(names, envir = parent.frame()) {
  vapply(names, function(f) paste(f, "<-", paste(deparse(get(f, envir)), collapse = "\n")),
         character(1), USE.NAMES = FALSE)
}

# The same for Python code run by Debian's /usr/bin/python3.
python_peak_rss_mib <- function(code) {
  out <- tryCatch(suppressWarnings(system2("/usr/bin/python3", c("-c", shQuote(paste(
    c(code, "import resource",
      "print('VmHWM', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, 'kB')"),
    collapse = "\n"))), stdout = TRUE, stderr = FALSE)), error = function(e) character())
  vmhwm_mib(out)
}

vmhwm_mib <- function(out) {
  line <- grep("^VmHWM", out, value = TRUE)
  kb <- suppressWarnings(as.numeric(sub("^VmHWM\\s+(\\d+).*", "\\1", utils::tail(line, 1))))
  if (length(kb) == 1L && !is.na(kb)) kb / 1024 else NA_real_
}

# Rows of the results table for peak memory: `peaks` a named vector in MiB,
# the first one dlnpath's; the ratio column is then peak over dlnpath's.
memory_rows <- function(peaks, benchmark, design) {
  data.frame(benchmark = benchmark, design = design, contender = names(peaks),
             median_s = NA_real_, ratio_vs_dlnpath = unname(peaks / peaks[[1L]]),
             accuracy = NA_real_, reps = 1L, peak_mib = unname(peaks),
             stringsAsFactors = FALSE)
}

# Binds the data frames of a benchmark's parts, filling the columns some
# lack (e.g. peak_mib) with NA.
bind_results <- function(parts) {
  cols <- unique(unlist(lapply(parts, names)))
  do.call(rbind, lapply(unname(parts), function(d) {
    d[setdiff(cols, names(d))] <- NA
    d[cols]
  }))
}

# ---- peers ----------------------------------------------------------------

# A contender implemented by a Python script (Debian's /usr/bin/python3): the
# script must print the seconds it measured itself on its last line.
python_contender <- function(script, args = character()) {
  function() {
    out <- system2("/usr/bin/python3", c(script, args), stdout = TRUE)
    list(seconds = as.numeric(utils::tail(out, 1L)))
  }
}

has_sklearn <- function() {
  file.exists("/usr/bin/python3") &&
    identical(suppressWarnings(system2("/usr/bin/python3", c("-c", shQuote("import sklearn")),
                                       stdout = FALSE, stderr = FALSE)), 0L)
}

bench_skip <- function(peer, why) {
  message(sprintf("skipping %s: %s", peer, why))
}

# ---- designs --------------------------------------------------------------

diabetes_data <- function() {
  list(x = as.matrix(dlnpath::diabetes[, 1:10]), y = dlnpath::diabetes$y)
}

prostate_data <- function() {
  list(x = as.matrix(dlnpath::prostate[, 1:8]), y = dlnpath::prostate$lpsa)
}

# Diabetes with all pairwise interactions and the squares of the nine
# non-binary columns: 442 x 64 (the design of Efron et al. 2004).
diabetes_interactions <- function() {
  d <- diabetes_data()
  x <- d$x
  sq <- x[, colnames(x) != "sex"]^2
  colnames(sq) <- paste0(colnames(sq), "^2")
  pairs <- utils::combn(10, 2)
  ia <- apply(pairs, 2, function(k) x[, k[1]] * x[, k[2]])
  colnames(ia) <- apply(pairs, 2, function(k) paste(colnames(x)[k], collapse = ":"))
  list(x = cbind(x, sq, ia), y = d$y)
}

# The glmnet paper's simulation (Friedman, Hastie & Tibshirani 2010, 5.1):
# Gaussian columns with equal correlation rho, coefficients
# (-1)^j exp(-2 (j - 1) / 20), signal-to-noise ratio 3.
simulated <- function(n, p, rho, seed = 1) {
  set.seed(seed)
  x <- matrix(stats::rnorm(n * p), n, p)
  if (rho > 0) x <- sqrt(1 - rho) * x + sqrt(rho) * stats::rnorm(n)
  beta <- (-1)^seq_len(p) * exp(-2 * (seq_len(p) - 1) / 20)
  f <- drop(x %*% beta)
  list(x = x, y = f + stats::rnorm(n) * sqrt(stats::var(f) / 3))
}

# ---- growth ---------------------------------------------------------------

# Growth exponent: the least-squares slope of log(value) on log(size).
log_log_slope <- function(size, value) {
  ok <- is.finite(value) & value > 0 & is.finite(size) & size > 0
  if (sum(ok) < 2L) return(NA_real_)
  unname(stats::coef(stats::lm(log(value[ok]) ~ log(size[ok])))[2L])
}
