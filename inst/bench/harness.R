# Shared benchmark harness: contenders run interleaved (A B A B ...) so that
# machine noise hits all of them alike; we report the median time of each,
# and the median of the per-repetition ratios against the reference (the
# first contender, dlnpath). Sourced by run-all.R before each bench-*.R.

# contenders: named list of functions. A function may return a list with
# `seconds` (time measured inside, e.g. by a Python process, excluding its
# start-up) and `accuracy` (a number, reported as is); otherwise the elapsed
# wall time of the call is used.
bench_interleaved <- function(contenders, reps = 5L, warmup = 1L) {
  nm <- names(contenders)
  times <- matrix(NA_real_, reps, length(nm), dimnames = list(NULL, nm))
  acc <- setNames(rep(NA_real_, length(nm)), nm)
  run <- function(f) {
    t0 <- proc.time()[["elapsed"]]
    out <- f()
    el <- proc.time()[["elapsed"]] - t0
    secs <- if (is.list(out) && !is.null(out$seconds)) out$seconds else el
    list(seconds = secs, accuracy = if (is.list(out)) out$accuracy else NULL)
  }
  for (w in seq_len(warmup)) for (f in contenders) invisible(run(f))
  for (i in seq_len(reps)) {
    # rotate the starting contender so none is always first
    ord <- (seq_along(nm) + i - 2L) %% length(nm) + 1L
    for (k in ord) {
      res <- run(contenders[[k]])
      times[i, k] <- res$seconds
      if (!is.null(res$accuracy)) acc[k] <- res$accuracy
    }
  }
  data.frame(
    contender = nm,
    median_s = apply(times, 2L, stats::median),
    ratio_vs_dlnpath = apply(times / times[, 1L], 2L, stats::median),
    accuracy = unname(acc),
    reps = reps,
    stringsAsFactors = FALSE, row.names = NULL
  )
}

# Peak resident memory (MiB) of running `expr_text` in a fresh R process,
# from the kernel's VmHWM; NA where /proc is not available.
peak_rss_mib <- function(expr_text, libs = .libPaths()) {
  script <- tempfile(fileext = ".R")
  writeLines(c(sprintf(".libPaths(c(%s))", paste(dQuote(libs, FALSE), collapse = ", ")),
               expr_text,
               "s <- readLines('/proc/self/status')",
               "cat(sub('VmHWM:\\\\s*', '', grep('^VmHWM', s, value = TRUE)), '\\n')"),
             script)
  out <- tryCatch(system2(file.path(R.home("bin"), "Rscript"), script, stdout = TRUE,
                          stderr = FALSE), error = function(e) character())
  kb <- suppressWarnings(as.numeric(sub(" kB.*", "", utils::tail(out, 1))))
  if (length(kb) == 1L && !is.na(kb)) kb / 1024 else NA_real_
}

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
