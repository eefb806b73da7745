# Fails (exit 1) when R CMD check reported an ERROR or WARNING, or a NOTE
# other than those an offline machine cannot avoid.
log <- commandArgs(TRUE)[1]
lines <- readLines(log, warn = FALSE)
status <- grep("^Status:", lines, value = TRUE)
cat("R CMD check", status, "\n")
if (any(grepl("ERROR|WARNING", status))) quit(status = 1)
notes <- grep("\\.\\.\\. NOTE$", lines, value = TRUE)
offline <- c("checking CRAN incoming feasibility", "checking for future file timestamps")
unexpected <- notes[!vapply(notes, function(n) any(startsWith(n, paste("*", offline))), logical(1))]
if (length(unexpected)) {
  cat("unexpected NOTEs:\n", paste(unexpected, collapse = "\n"), "\n")
  quit(status = 1)
}
