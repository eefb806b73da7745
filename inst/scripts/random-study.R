# The paper's random study (Berthier 2025, simulations): instances with X
# (3 x 4) and y iid N(0, 1), M = X'X, r = X'y, kappa = 0, beta0 = 1,
# gamma0 = 0. Prints (1) 1000 instances at the paper's epsilon = 1e-5 and at
# two smaller scales, (2) the monotone fraction for two more seeds and (3)
# for 5000 instances. About a minute. Run with:
#   Rscript inst/scripts/random-study.R
library(dlnpath)
run <- function(...) {
  t0 <- proc.time()[["elapsed"]]
  print(random_instances(n = 3, p = 4, ...))
  cat(sprintf("  (%.1f s)\n\n", proc.time()[["elapsed"]] - t0))
}
for (eps in c(1e-5, 1e-10, 1e-30)) run(N = 1000, seed = 1, epsilon = eps)
for (seed in 2:3) run(N = 1000, seed = seed)
run(N = 5000, seed = 7)
