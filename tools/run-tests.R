# Runs the testthat suite against the installed package and ends with
# "N passed, N failed" (expectations), exiting non-zero on any failure.
library(testthat)
cat("testing dlnpath installed in", dirname(find.package("dlnpath")), "\n")
reporter <- ProgressReporter$new(show_praise = FALSE)
res <- test_dir("tests/testthat", package = "dlnpath", load_package = "installed",
                reporter = reporter, stop_on_failure = FALSE)
df <- as.data.frame(res)
failed <- sum(df$failed) + sum(df$error)
passed <- sum(df$nb) - sum(df$failed) - sum(df$skipped)
cat(sprintf("%d passed, %d failed\n", passed, failed))
quit(status = if (failed > 0) 1 else 0)
