# One small call of every C entry point under gctorture(TRUE): a missing
# PROTECT shows up as a crash or a corrupted result here.
library(dlnpath)
set.seed(1)
x <- matrix(rnorm(40), 10, 4); y <- rnorm(10)
gd_args <- list(x, y, method = "gd", s = c(0.05, 0.1), step = 0.01)
ref <- list(lasso = lasso_path(x, y), flow = dln(x, y, s = c(0.5, 2)),
            gd = do.call(dln, gd_args),
            sgd = do.call(dln, c(gd_args, batch_size = 3, seed = 1)))
gctorture(TRUE)
lasso <- lasso_path(x, y)
flow <- dln(x, y, s = c(0.5, 2))
cf <- coef(flow, s = 1)
gd <- do.call(dln, gd_args)
sgd <- do.call(dln, c(gd_args, batch_size = 3, seed = 1))
cg <- coef(gd, s = 0.07)
gctorture(FALSE)
stopifnot(all.equal(lasso$beta, ref$lasso$beta), all.equal(flow$Z, ref$flow$Z),
          identical(gd$b, ref$gd$b), identical(sgd$b, ref$sgd$b),
          all(is.finite(cf)), all(is.finite(cg)))
cat("gctorture: ok\n")
