# One small call of every C entry point under gctorture(TRUE): a missing
# PROTECT shows up as a crash or a corrupted result here.
library(dlnpath)
set.seed(1)
x <- matrix(rnorm(40), 10, 4); y <- rnorm(10)
ref <- list(lasso = lasso_path(x, y), flow = dln(x, y, s = c(0.5, 2)))
gctorture(TRUE)
lasso <- lasso_path(x, y)
flow <- dln(x, y, s = c(0.5, 2))
cf <- coef(flow, s = 1)
gctorture(FALSE)
stopifnot(all.equal(lasso$beta, ref$lasso$beta), all.equal(flow$Z, ref$flow$Z),
          all(is.finite(cf)))
cat("gctorture: ok\n")
