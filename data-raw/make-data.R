# Builds data/diabetes.rda and data/prostate.rda from the CSV files here.
# Run from the package root: Rscript data-raw/make-data.R
diabetes <- read.csv("data-raw/diabetes.csv")
prostate <- read.csv("data-raw/prostate.csv")
stopifnot(dim(diabetes) == c(442L, 11L), dim(prostate) == c(97L, 9L))
save(diabetes, file = "data/diabetes.rda", compress = "xz", version = 2)
save(prostate, file = "data/prostate.rda", compress = "xz", version = 2)
