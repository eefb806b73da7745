# Usage: Rscript tools/deps.R [--install] pkg ...
# Without --install: exit 1 if any package is missing. With --install: install
# the missing ones from CRAN (after Debian's prebuilt packages were tried).
args <- commandArgs(TRUE)
install <- "--install" %in% args
pkgs <- setdiff(args, "--install")
missing <- pkgs[!vapply(pkgs, requireNamespace, logical(1), quietly = TRUE)]
if (!length(missing)) quit(status = 0)
if (!install) {
  message("missing R packages: ", paste(missing, collapse = ", "))
  quit(status = 1)
}
message("installing from CRAN: ", paste(missing, collapse = ", "))
lib <- .libPaths()[1]
install.packages(missing, lib = lib, repos = "https://cloud.r-project.org",
                 quiet = TRUE)
still <- missing[!vapply(missing, requireNamespace, logical(1), quietly = TRUE)]
if (length(still)) {
  message("could not install: ", paste(still, collapse = ", "))
  quit(status = 1)
}
