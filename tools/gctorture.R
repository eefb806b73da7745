# One small call of every C entry point under gctorture(TRUE): a missing
# PROTECT shows up as a crash or a corrupted result here.
library(dlnpath)
set.seed(1)
x <- matrix(rnorm(40), 10, 4); y <- rnorm(10)
xw <- matrix(rnorm(24), 3, 8); yw <- rnorm(3)       # n < p: the flow solves through X
gd_args <- list(x, y, method = "gd", s = c(0.05, 0.1), step = 0.01)
run <- function() {
  list(lasso = lasso_path(x, y), wide = lasso_path(xw, yw),
       flow = dln(x, y, s = c(0.5, 2)), flow_x = dln(xw, yw, s = c(0.5, 2)),
       gd = do.call(dln, gd_args),
       sgd = do.call(dln, c(gd_args, batch_size = 3, seed = 1)),
       limit = dln_limit(x, y, s = c(0.5, 2)))
}
ref <- run()
gctorture(TRUE)
got <- run()
cf <- coef(got$flow, s = 1)
cg <- coef(got$gd, s = 0.07)
gctorture(FALSE)
stopifnot(all.equal(got$lasso$beta, ref$lasso$beta), all.equal(got$wide$beta, ref$wide$beta),
          all.equal(got$flow$Z, ref$flow$Z), all.equal(got$flow_x$Z, ref$flow_x$Z),
          identical(got$gd$b, ref$gd$b), identical(got$sgd$b, ref$sgd$b),
          all.equal(got$limit$Z, ref$limit$Z), all(is.finite(cf)), all(is.finite(cg)))
cat("gctorture: ok\n")
