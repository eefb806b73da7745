# Usage: Rscript tools/bench-readme.R inst/bench/results.md README.md
# Copies the benchmark results (written by inst/bench/run-all.R) into the
# README between the lines "<!-- bench results: start -->" and
# "<!-- bench results: end -->", one heading level down and with image
# links made relative to the README, so every figure there comes from
# `make bench`.
args <- commandArgs(TRUE)
results <- args[1]
readme <- args[2]
md <- readLines(results)
md <- md[-1]                                     # its title: the README has its own
md <- sub("^(#+) ", "#\\1 ", md)
bench_dir <- dirname(results)
md <- gsub("!\\[([^]]*)\\]\\(([^/)]+)\\)", sprintf("![\\1](%s/\\2)", bench_dir), md)
text <- readLines(readme)
start <- grep("^<!-- bench results: start -->$", text)
end <- grep("^<!-- bench results: end -->$", text)
if (length(start) != 1L || length(end) != 1L || end < start) {
  stop("README needs one '<!-- bench results: start -->' line before one ",
       "'<!-- bench results: end -->' line")
}
writeLines(c(text[seq_len(start)], md, text[end:length(text)]), readme)
message("copied ", results, " into ", readme)
