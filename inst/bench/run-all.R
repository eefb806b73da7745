# `make bench`: runs every inst/bench/bench-*.R (each defines a function
# `bench()` returning a data frame with columns benchmark, design, contender,
# median_s, ratio_vs_dlnpath, accuracy, reps) and writes inst/bench/results.md.
args <- commandArgs(TRUE)
dir <- if (length(args)) args[1] else "inst/bench"
only <- if (length(args) > 1) args[-1] else character()
suppressPackageStartupMessages(library(dlnpath))
source(file.path(dir, "harness.R"))
files <- sort(list.files(dir, pattern = "^bench-.*\\.R$", full.names = TRUE))
if (length(only)) files <- files[gsub("^bench-|\\.R$", "", basename(files)) %in% only]
results <- list()
for (f in files) {
  message("== ", basename(f))
  env <- new.env()
  sys.source(f, envir = env)
  t0 <- proc.time()[["elapsed"]]
  res <- env$bench()
  message(sprintf("   %.1f s", proc.time()[["elapsed"]] - t0))
  print(res, row.names = FALSE)
  results[[basename(f)]] <- res
}
all <- do.call(rbind, results)

blas <- tryCatch(sessionInfo()$BLAS, error = function(e) NA)
versions <- vapply(c("dlnpath", "glmnet", "lars", "deSolve"), function(p) {
  if (requireNamespace(p, quietly = TRUE)) as.character(utils::packageVersion(p)) else "absent"
}, character(1))
sk <- tryCatch(system2("/usr/bin/python3", c("-c", shQuote("import sklearn; print(sklearn.__version__)")),
                       stdout = TRUE, stderr = FALSE), error = function(e) "absent", warning = function(w) "absent")
fmt <- function(x) ifelse(is.na(x), "", formatC(x, digits = 3, format = "g"))
md <- c(
  "# dlnpath benchmarks",
  "",
  sprintf("Run %s on %s, %d cores; %s; BLAS %s.", format(Sys.time(), "%Y-%m-%d %H:%M %Z"),
          R.version.string, parallel::detectCores(), Sys.info()[["sysname"]], blas),
  sprintf("Versions: %s; scikit-learn %s.",
          paste(names(versions), versions, collapse = ", "), paste(sk, collapse = "")),
  "Contenders run interleaved; times are medians over the repetitions, ratios are medians",
  "of per-repetition ratios to dlnpath (above 1: dlnpath is faster).",
  "",
  "| benchmark | design | contender | median (s) | ratio to dlnpath | accuracy | reps |",
  "|---|---|---|---:|---:|---|---:|",
  sprintf("| %s | %s | %s | %s | %s | %s | %d |", all$benchmark, all$design, all$contender,
          fmt(all$median_s), fmt(all$ratio_vs_dlnpath),
          ifelse(is.na(all$accuracy), "", formatC(all$accuracy, digits = 2, format = "g")),
          as.integer(all$reps))
)
out <- file.path(dir, "results.md")
writeLines(md, out)
message("wrote ", out)
