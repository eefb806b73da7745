# `make bench`: runs every inst/bench/bench-*.R and writes
# inst/bench/results.md (or results-<names>.md when only some are named).
#
#   Rscript inst/bench/run-all.R [dir] [name ...]     e.g. inst/bench homotopy
#
# Each bench-*.R defines `bench()` returning a data frame with columns
# benchmark, design, contender, median_s, ratio_vs_dlnpath, accuracy, reps
# (dlnpath first), optionally peak_mib (peak resident memory) and an
# attribute "markdown" (lines added after its table, e.g. a figure). Its
# leading comment says what it measures and is copied above its table.
# Before sourcing, `bench_dir` is set to `dir` (where figures go).
args <- commandArgs(TRUE)
dir <- if (length(args)) args[1] else "inst/bench"
only <- if (length(args) > 1) args[-1] else character()
suppressPackageStartupMessages(library(dlnpath))
files <- sort(list.files(dir, pattern = "^bench-.*\\.R$", full.names = TRUE))
if (length(only)) files <- files[gsub("^bench-|\\.R$", "", basename(files)) %in% only]
if (!length(files)) stop("no benchmark files to run in ", dir)

load_at_start <- tryCatch(readLines("/proc/loadavg", n = 1L), error = function(e) NA)
t_start <- proc.time()[["elapsed"]]
sections <- list()
for (f in files) {
  message("== ", basename(f))
  env <- new.env()
  env$bench_dir <- dir
  sys.source(file.path(dir, "harness.R"), envir = env)
  sys.source(f, envir = env)
  t0 <- proc.time()[["elapsed"]]
  res <- env$bench()
  secs <- proc.time()[["elapsed"]] - t0
  message(sprintf("   %.1f s", secs))
  if (is.null(res) || !nrow(res)) next
  if (is.null(res$peak_mib)) res$peak_mib <- NA_real_
  print(as.data.frame(res)[c("benchmark", "design", "contender", "median_s",
                             "ratio_vs_dlnpath", "accuracy", "peak_mib")], row.names = FALSE)
  sections[[basename(f)]] <- list(res = res, seconds = secs, file = f)
}
total <- proc.time()[["elapsed"]] - t_start

# ---- machine and versions ----------------------------------------------------
first_match <- function(lines, pattern) {
  hit <- grep(pattern, lines, value = TRUE)
  if (length(hit)) trimws(sub("^[^:]*:", "", hit[1])) else NA_character_
}
read_or_empty <- function(file) tryCatch(readLines(file), error = function(e) character())
cpu <- first_match(read_or_empty("/proc/cpuinfo"), "^model name")
mem_gib <- as.numeric(sub("\\D*(\\d+).*", "\\1",
                          first_match(read_or_empty("/proc/meminfo"), "^MemTotal"))) / 2^20
si <- utils::sessionInfo()
r_versions <- vapply(c("dlnpath", "glmnet", "lars", "deSolve", "ggplot2"), function(p) {
  if (requireNamespace(p, quietly = TRUE)) as.character(utils::packageVersion(p)) else "absent"
}, character(1))
py <- tryCatch(suppressWarnings(system2("/usr/bin/python3", c("-c", shQuote(paste(
  "import sys, numpy, sklearn",
  "print('Python %d.%d.%d' % sys.version_info[:3], 'numpy', numpy.__version__,",
  "      'scikit-learn', sklearn.__version__)", sep = "\n"))), stdout = TRUE,
  stderr = FALSE)), error = function(e) character())
py <- if (length(py)) py[length(py)] else "scikit-learn absent"

# ---- the markdown ------------------------------------------------------------
fmt <- function(x, digits = 3) {
  ifelse(is.na(x), "", trimws(formatC(x, digits = digits, format = "g")))
}
# the leading comment block of a benchmark file, as markdown paragraphs
# (lines starting with "- " stay list items)
description <- function(file) {
  lines <- readLines(file)
  end <- which(!grepl("^#", lines))[1] - 1L
  if (is.na(end)) end <- length(lines)
  text <- trimws(sub("^#", "", lines[seq_len(end)]))
  paragraphs <- split(text, cumsum(text == ""))
  unlist(lapply(paragraphs, function(p) {
    joined <- gsub("\n(?!- )", " ", paste(p[p != ""], collapse = "\n"), perl = TRUE)
    c(strsplit(joined, "\n")[[1]], "")
  }))
}
table_md <- function(res) {
  mem <- any(!is.na(res$peak_mib))
  head <- c("benchmark", "design", "contender", "median (s)", "ratio to dlnpath",
            "accuracy", if (mem) "peak RSS (MiB)", "reps")
  align <- c("---", "---", "---", "---:", "---:", "---", if (mem) "---:", "---:")
  cells <- cbind(res$benchmark, res$design, res$contender, fmt(res$median_s),
                 fmt(res$ratio_vs_dlnpath), fmt(res$accuracy, 2),
                 if (mem) fmt(res$peak_mib, 4), as.integer(res$reps))
  c(paste0("| ", paste(head, collapse = " | "), " |"),
    paste0("|", paste(align, collapse = "|"), "|"),
    apply(cells, 1L, function(r) paste0("| ", paste(r, collapse = " | "), " |")))
}

md <- c(
  "# dlnpath benchmarks",
  "",
  sprintf("Run %s, %.1f minutes (%s).", format(Sys.time(), "%Y-%m-%d %H:%M %Z"), total / 60,
          paste(sprintf("%s %.0f s", names(sections),
                        vapply(sections, `[[`, double(1), "seconds")), collapse = ", ")),
  "",
  sprintf("- Machine: %s, %d cores, %.0f GiB; %s; load average at the start %s.", cpu,
          parallel::detectCores(), mem_gib, si$running, sub("^(\\S+ \\S+ \\S+).*", "\\1",
                                                           load_at_start)),
  sprintf("- %s; BLAS `%s`; LAPACK `%s`.", R.version.string, si$BLAS, si$LAPACK),
  sprintf("- Packages: %s; %s.", paste(names(r_versions), r_versions, collapse = ", "), py),
  "",
  "Contenders run interleaved (A B A B ...); times are medians over the repetitions,",
  "ratios are medians of the per-repetition ratios to dlnpath (above 1: dlnpath is",
  "faster; for memory rows, peak RSS over dlnpath's). Peak RSS is that of a fresh",
  "process running one contender, the data included (rows \"data only\" give that",
  "baseline). A repetition of a contender that takes under 0.1 s runs it several",
  "times in a row (the same number for every contender of the row) and counts the",
  "time per call; `reps` counts the calls.",
  ""
)
for (s in sections) {
  md <- c(md, sprintf("## %s", basename(s$file)), "", description(s$file),
          table_md(s$res), "", attr(s$res, "markdown"))
}
out <- file.path(dir, if (length(only)) sprintf("results-%s.md", paste(only, collapse = "-"))
                 else "results.md")
writeLines(md, out)
message(sprintf("wrote %s (%.1f min)", out, total / 60))
