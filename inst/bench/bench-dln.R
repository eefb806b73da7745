# dln(): gradient flow against deSolve with the right-hand side written in R,
# and gradient descent against its per-step floor (one BLAS product with M)
# and a plain R loop.
#
# Flow: the default grid (100 values of s where the lasso path moves) at
# tol = 1e-8, on diabetes (p = 10) and a simulated design (n = 100, p = 200),
# for epsilon in 1e-5, 1e-30, 1e-100. deSolve integrates the same ODE for
# Z(s) with rtol = tol and atol = tol / (L m), the scale of dlnpath's own
# floor on Z, and the analytic Jacobian supplied. ode(method = "bdf") calls
# lsode with mf = 22, which ignores it and differences the right-hand side
# (p evaluations per Jacobian); lsode with the Jacobian (mf = 21, the same
# BDF code) is shown too. At rtol = tol deSolve's b is much less accurate
# than dlnpath's, so bdf is also run at rtol = 1e-10. Accuracy: the
# largest error of b(s) relative to max |b(s)| at that s, against dlnpath at
# tol = 1e-11 (itself checked against independent references in the tests).
# dlnpath at tol = 3e-8, 1e-7, ..., 1e-4 (half a decade apart) is shown too,
# for comparisons at equal accuracy: each deSolve row names the loosest
# dlnpath run that is at least as accurate and the ratio of median times
# against it ("at equal accuracy"). Rows "bdf at dlnpath's accuracy" compare
# the other way round: dlnpath at tol = 1e-8 against bdf at the largest rtol
# (1e-9, 1e-10, ...) that is as accurate (the ratio a lower bound where the
# search's time budget ends first).
# The contender names carry the number of right-hand-side evaluations.
#
# Wide design (n = 50, p = 1000), epsilon = 1e-30: the flow with its solves
# through X (Woodbury) against the same flow through M alone; the accuracy
# column is the difference of b between the two.
#
# Gradient descent: the kernel's time per step against a C loop of BLAS
# products with M (the faster of dsymv and dgemv), and against the same
# recursion as a plain R loop (log space, as one would write it).
#
# Work as epsilon -> 0 (table below the main one): right-hand-side
# evaluations of the flow at tol = 1e-8 on the default grid, for epsilon =
# 1e-5, 1e-30, 1e-100, 1e-300 and log(1/epsilon) = 2000 and 20000, on a
# one-variable problem (M = 1, r = 1: a single transition), diabetes and the
# simulated 100 x 200 design, beside the number of knots of the exact lasso
# path inside the grid and, up to 1e-100, deSolve's bdf at rtol = 1e-8.
# Accuracy against the same flow at tol = 1e-10.
#
# Memory: peak RSS of a fresh process running one contender on the largest
# designs (the flow at epsilon = 1e-30 on the simulated 100 x 200 design,
# dlnpath and deSolve bdf; gradient descent on the 400 x 200 design, dlnpath
# and the R loop), next to R holding the data only.

sim_design <- function(n, p, rho = 0.3, k = 10, seed = 1) {
  set.seed(seed)
  z <- matrix(rnorm(n * p), n, p)
  x <- sqrt(1 - rho) * z + sqrt(rho) * rnorm(n)
  beta <- c(rnorm(k) * 2, rep(0, p - k))
  list(x = x, y = drop(x %*% beta) + rnorm(n))
}

# relative error of b columnwise, worst over the grid; a column where the
# reference is exactly zero (b underflows at the first grid points when
# epsilon is tiny) counts only if B is not zero there too
b_error <- function(B, ref) {
  scale <- apply(abs(ref), 2, max)
  err <- apply(abs(B - ref), 2, max)
  max(0, err[scale > 0] / scale[scale > 0], if (any(err[scale == 0] > 0)) Inf)
}

desolve_flow <- function(fit, method, rtol) {
  M <- fit$gram$M; r <- fit$gram$r; L <- fit$log_inv_epsilon; p <- length(r)
  lcp <- fit$init$logcp; lcm <- fit$init$logcm
  f_of <- function(E) exp(lcp - L * (1 + E)) - exp(lcm - L * (1 - E))
  rhs <- function(s, Z, parms) list(f_of(drop(M %*% Z) - s * r))
  jac <- function(s, Z, parms) {
    E <- drop(M %*% Z) - s * r
    -L * (exp(lcp - L * (1 + E)) + exp(lcm - L * (1 - E))) * M
  }
  function() {
    out <- tryCatch(suppressWarnings(deSolve::ode(
      rep(0, p), c(0, fit$s), rhs, NULL, method = method, jacfunc = jac,
      jactype = "fullusr", rtol = rtol, atol = rtol / (L * max(diag(M))),
      maxsteps = 1e6)), error = function(e) NULL)
    ok <- !is.null(out) && nrow(out) == length(fit$s) + 1 &&
      attr(out, "istate")[1] == 2
    if (!ok) return(list(accuracy = NA_real_, failed = TRUE))
    Z <- t(out[-1, -1, drop = FALSE])
    B <- apply(M %*% Z - outer(r, fit$s), 2, f_of)
    list(accuracy = b_error(B, fit$ref_b), rhs = attr(out, "istate")[3])
  }
}

bench_flow <- function(design, x, y, eps, reps) {
  fit <- dln(x, y, epsilon = eps, tol = 1e-8)
  fit$ref_b <- dln(x, y, epsilon = eps, tol = 1e-11, max_steps = 1e6)$b
  dlnpath_at <- function(tol) {
    force(tol)
    function() {
      f <- dln(x, y, epsilon = eps, tol = tol)
      list(accuracy = b_error(f$b, fit$ref_b))
    }
  }
  contenders <- list(dlnpath = dlnpath_at(1e-8))
  probe <- list()
  # looser tolerances, half a decade apart, for the comparisons at equal
  # accuracy
  for (tol in c(3e-8, 1e-7, 3e-7, 1e-6, 3e-6, 1e-5, 3e-5, 1e-4)) {
    nm <- sprintf("dlnpath tol %g", tol)
    contenders[[nm]] <- dlnpath_at(tol)
    probe[[nm]] <- list(rhs = dln(x, y, epsilon = eps, tol = tol)$stats[["rhs"]])
  }
  if (requireNamespace("deSolve", quietly = TRUE)) {
    for (cfg in list(c("bdf", 1e-8), c("lsoda", 1e-8), c("lsode", 1e-8),
                     c("bdf", 1e-10))) {
      nm <- sprintf("deSolve %s rtol %s", if (cfg[1] == "lsode")
        "lsode (bdf, analytic Jacobian)" else cfg[1], cfg[2])
      f <- desolve_flow(fit, cfg[1], as.numeric(cfg[2]))
      probe[[nm]] <- f()
      if (isTRUE(probe[[nm]]$failed)) {
        message(sprintf("  %s fails on %s at epsilon = %g", nm, design, eps))
      } else {
        contenders[[nm]] <- f
      }
    }
  } else {
    bench_skip("deSolve", "not installed")
  }
  # the warm-up round also sizes the batches of the fast contenders
  res <- bench_interleaved(contenders, reps = reps, warmup = 1L)
  rhs <- c(fit$stats[["rhs"]], vapply(probe[res$contender[-1]], function(p) p$rhs,
                                      double(1)))
  res$contender <- paste0(sprintf("%s (%.0f rhs", res$contender, rhs),
                          equal_accuracy(res), ")")
  failed <- names(probe)[vapply(probe, function(p) isTRUE(p$failed), logical(1))]
  if (length(failed)) {
    res <- rbind(res, data.frame(contender = paste(failed, "(fails)"), median_s = NA,
                                 ratio_vs_dlnpath = NA, accuracy = NA, reps = 0))
  }
  out <- cbind(benchmark = sprintf("flow, eps = %g", eps), design = design, res)
  if (requireNamespace("deSolve", quietly = TRUE)) {
    out <- rbind(out, bdf_at_our_accuracy(design, eps, fit, contenders$dlnpath,
                                          res$accuracy[1], reps))
  }
  out
}

# dlnpath at tol = 1e-8 against ode(method = "bdf") at the largest rtol in
# 1e-9, 1e-10, ... whose b is as accurate (an rtol at which it fails is
# passed over). The search stops once a fit takes over 15 s or the search
# 45 s: bdf's row then shows the rtol and accuracy it reached, its time is
# that of the last fit, and the ratio is a lower bound.
bdf_at_our_accuracy <- function(design, eps, fit, ours, target, reps) {
  spent <- 0
  got <- NULL
  for (try_rtol in 10^-(9:14)) {
    try_f <- desolve_flow(fit, "bdf", try_rtol)
    t0 <- proc.time()[["elapsed"]]
    out <- try_f()
    try_secs <- proc.time()[["elapsed"]] - t0
    spent <- spent + try_secs
    # an rtol at which lsode gives up (it happens) is passed over
    if (!isTRUE(out$failed)) {
      got <- out; f <- try_f; rtol <- try_rtol; secs <- try_secs
      if (got$accuracy <= target) break
    }
    if (try_secs > 15 || spent > 45) break
  }
  if (is.null(got)) return(NULL)
  reached <- got$accuracy <= target
  who <- sprintf("deSolve bdf rtol %g (%.0f rhs%s)", rtol, got$rhs,
                 if (reached) "" else "; not as accurate: ratio a lower bound")
  message(sprintf("      bdf rtol %g: accuracy %.2g in %.1f s", rtol, got$accuracy, secs))
  if (secs > 2) {
    ts <- replicate(3, system.time(ours())[["elapsed"]])
    res <- data.frame(contender = c("dlnpath (tol 1e-8)", who),
                      median_s = c(stats::median(ts), secs),
                      ratio_vs_dlnpath = c(1, secs / stats::median(ts)),
                      accuracy = c(target, got$accuracy), reps = c(3L, 1L),
                      stringsAsFactors = FALSE)
  } else {
    res <- bench_interleaved(list("dlnpath (tol 1e-8)" = ours, bdf = f), reps = reps)
    res$contender[2] <- who
  }
  cbind(benchmark = sprintf("flow, eps = %g, bdf at dlnpath's accuracy", eps),
        design = design, res)
}

# For each deSolve row: its time over that of the loosest dlnpath run at
# least as accurate ("" for the dlnpath rows).
equal_accuracy <- function(res) {
  own <- grepl("^dlnpath", res$contender)
  vapply(seq_len(nrow(res)), function(i) {
    ok <- which(own & res$accuracy <= res$accuracy[i])
    if (own[i] || !length(ok)) return("")
    j <- ok[which.max(res$accuracy[ok])]
    sprintf("; equal accuracy: ratio %.3g to dlnpath %s", res$median_s[i] / res$median_s[j],
            if (j == 1L) "tol 1e-8" else sub("^dlnpath ", "", res$contender[j]))
  }, character(1))
}

# Wide design: the flow's solves through X (Woodbury, n x n) against the
# same integration through M alone (dln_gram(), which has no X).
bench_wide <- function(design, x, y, eps, reps) {
  fit <- dln(x, y, epsilon = eps, tol = 1e-8)
  g <- fit$gram
  res <- bench_interleaved(list(
    "dlnpath (solves through X)" = function() {
      list(accuracy = b_error(dln(x, y, epsilon = eps, tol = 1e-8)$b, fit$b))
    },
    "dlnpath through M only (dln_gram)" = function() {
      f <- dln_gram(g$M, g$r, epsilon = eps, s = fit$s, tol = 1e-8)
      list(accuracy = b_error(f$b, fit$b))
    }), reps = reps, warmup = 0L)
  cbind(benchmark = sprintf("flow, eps = %g", eps), design = design, res)
}

# Right-hand sides of the flow as epsilon -> 0 (see the header): a markdown
# table, one row per design.
work_by_epsilon <- function(designs) {
  levels <- list("1e-5" = c(epsilon = 1e-5), "1e-30" = c(epsilon = 1e-30),
                 "1e-100" = c(epsilon = 1e-100), "1e-300" = c(epsilon = 1e-300),
                 "L = 2000" = c(L = 2000), "L = 20000" = c(L = 20000))
  flow <- function(d, lv, tol) {
    args <- list(tol = tol, max_steps = 1e6)
    if ("epsilon" %in% names(lv)) args$epsilon <- lv[["epsilon"]]
    else args$log_inv_epsilon <- lv[["L"]]
    if (is.null(d$x)) do.call(dln_gram, c(list(d$M, d$r), args))
    else do.call(dln, c(list(d$x, d$y), args))
  }
  rows <- vapply(names(designs), function(nm) {
    d <- designs[[nm]]
    fits <- lapply(levels, function(lv) flow(d, lv, 1e-8))
    refs <- lapply(levels, function(lv) flow(d, lv, 1e-10)$b)
    acc <- vapply(seq_along(levels), function(k) b_error(fits[[k]]$b, refs[[k]]),
                  double(1))
    rhs <- vapply(fits, function(f) f$stats[["rhs"]], double(1))
    s <- fits[[1]]$s
    lp <- if (is.null(d$x)) lasso_path_gram(d$M, d$r) else lasso_path(d$x, d$y)
    knots <- sum(1 / lp$lambda >= min(s) & 1 / lp$lambda <= max(s))
    bdf <- if (requireNamespace("deSolve", quietly = TRUE) && !is.null(d$x)) {
      vapply(1:3, function(k) {
        fit <- fits[[k]]
        fit$ref_b <- refs[[k]]
        out <- desolve_flow(fit, "bdf", 1e-8)()
        if (isTRUE(out$failed)) NA_real_ else out$rhs
      }, double(1))
    } else rep(NA_real_, 3)
    cells <- c(nm, knots, sprintf("%.0f (%.1g)", rhs, acc),
               sprintf("%.2f", rhs[3] / rhs[1]), sprintf("%.2f", rhs[6] / rhs[1]),
               if (all(is.finite(bdf))) sprintf("%.0f / %.0f / %.0f (%.2f)", bdf[1],
                                                bdf[2], bdf[3], bdf[3] / bdf[1])
               else "")
    paste0("| ", paste(cells, collapse = " | "), " |")
  }, character(1))
  c("Flow at tol = 1e-8 as epsilon -> 0: right-hand-side evaluations (accuracy",
    "against tol = 1e-10 in brackets), the knots of the exact lasso path inside",
    "the default grid, and deSolve's bdf (rtol = 1e-8) at 1e-5 / 1e-30 / 1e-100.",
    "",
    paste0("| design | knots in grid | ", paste0("rhs at ", names(levels), collapse = " | "),
           " | 1e-100 / 1e-5 | L = 20000 / 1e-5 | bdf rhs (1e-100 / 1e-5) |"),
    paste0("|---|", strrep("---:|", length(levels) + 4)),
    unname(rows), "")
}

# R loop of the recursion in log space: what one writes without dlnpath
r_loop_gd <- function(M, r, L, step, K) {
  lp <- lm <- rep(log(0.5) - L / 2, length(r))
  for (k in seq_len(K)) {
    g <- drop(M %*% (exp(2 * lp) - exp(2 * lm))) - r
    lp <- lp + log(abs(1 - step * g))
    lm <- lm + log(abs(1 + step * g))
  }
  exp(2 * lp) - exp(2 * lm)
}

bench_gd <- function(design, x, y, K, reps) {
  fit <- dln(x, y, method = "gd", s = 1)
  g <- fit$gram; p <- length(g$r); step <- fit$gd$step
  ns <- asNamespace("dlnpath")
  kernel <- function(k) {
    .Call(ns$C_dln_gd, g$M, NULL, NULL, NULL, g$r, fit$init$logcp, fit$init$logcm,
          fit$log_inv_epsilon, 0, FALSE, step, 0L, as.double(k), NULL, FALSE)
  }
  v <- rnorm(p)
  mv_sym <- function() .Call(ns$C_matvec_loop, g$M, v, as.integer(K), FALSE)
  mv_gen <- function() .Call(ns$C_matvec_loop, g$M, v, as.integer(K), TRUE)
  floor_mv <- if (median(replicate(3, system.time(mv_sym())[["elapsed"]])) <=
                  median(replicate(3, system.time(mv_gen())[["elapsed"]]))) mv_sym else mv_gen
  K_r <- max(1L, as.integer(K / 20))
  res <- bench_interleaved(list(
    "dlnpath gd kernel" = function() kernel(K),
    "BLAS product with M (floor)" = floor_mv,
    "plain R loop" = function() {
      t0 <- proc.time()[["elapsed"]]
      r_loop_gd(g$M, g$r, fit$log_inv_epsilon, step, K_r)
      list(seconds = (proc.time()[["elapsed"]] - t0) * K / K_r)
    }), reps = reps)
  res$contender <- sprintf("%s (%.3g us/step)", res$contender, 1e6 * res$median_s / K)
  cbind(benchmark = sprintf("gd per step, %g steps", K), design = design, res)
}

# Peak memory of each contender in a fresh process: the flow (dlnpath
# against deSolve's bdf with the R right-hand side, both at tol 1e-8) and
# gradient descent (dlnpath against the plain R loop), with R holding the
# data only as the baseline.
flow_memory <- function(design, x, y, eps) {
  fit <- dln(x, y, epsilon = eps, tol = 1e-8)
  data <- data_code(list(x = x, y = y, fit = list(
    gram = fit$gram[c("M", "r")], log_inv_epsilon = fit$log_inv_epsilon,
    init = fit$init, s = fit$s, ref_b = fit$b)))
  peaks <- c(dlnpath = peak_rss_mib(c(data, sprintf(
    "f <- dlnpath::dln(d$x, d$y, epsilon = %.17g, tol = 1e-8)", eps))))
  if (requireNamespace("deSolve", quietly = TRUE)) {
    peaks["deSolve bdf rtol 1e-8"] <- peak_rss_mib(c(
      data, function_code(c("desolve_flow", "b_error")),
      "f <- desolve_flow(d$fit, 'bdf', 1e-8)()"))
  }
  peaks["R, data only"] <- peak_rss_mib(data)
  memory_rows(peaks, sprintf("flow, eps = %g: peak RSS", eps), design)
}

gd_memory <- function(design, x, y, K) {
  fit <- dln(x, y, method = "gd", s = 1)
  data <- data_code(list(M = fit$gram$M, r = fit$gram$r, L = fit$log_inv_epsilon,
                         step = fit$gd$step, K = K))
  peaks <- c(
    dlnpath = peak_rss_mib(c(data, paste(
      "f <- dlnpath::dln_gram(d$M, d$r, method = 'gd', log_inv_epsilon = d$L,",
      "step = d$step, time = d$K * d$step)"))),
    "plain R loop" = peak_rss_mib(c(data, function_code("r_loop_gd"),
                                    "b <- r_loop_gd(d$M, d$r, d$L, d$step, d$K)")),
    "R, data only" = peak_rss_mib(data))
  memory_rows(peaks, sprintf("gd, %g steps: peak RSS", K), design)
}

bench <- function() {
  dia <- diabetes_data()
  sim <- sim_design(100, 200)
  out <- list()
  for (eps in c(1e-5, 1e-30, 1e-100)) {
    out[[length(out) + 1]] <- bench_flow("diabetes (442 x 10)", dia$x, dia$y, eps, reps = 5)
    out[[length(out) + 1]] <- bench_flow("simulated (100 x 200)", sim$x, sim$y, eps,
                                         reps = 3)
  }
  wide <- sim_design(50, 1000, seed = 2)
  out[[length(out) + 1]] <- bench_wide("simulated (50 x 1000)", wide$x, wide$y, 1e-30,
                                       reps = 1)
  sim400 <- sim_design(400, 200)
  out[[length(out) + 1]] <- bench_gd("diabetes (442 x 10)", dia$x, dia$y, 2e6, reps = 5)
  out[[length(out) + 1]] <- bench_gd("simulated (400 x 200)", sim400$x, sim400$y, 2e4,
                                     reps = 5)
  out[[length(out) + 1]] <- flow_memory("simulated (100 x 200)", sim$x, sim$y, 1e-30)
  out[[length(out) + 1]] <- gd_memory("simulated (400 x 200)", sim400$x, sim400$y, 2e3)
  res <- bind_results(out)
  attr(res, "markdown") <- work_by_epsilon(list(
    "one variable (M = 1, r = 1)" = list(M = matrix(1), r = 1),
    "diabetes (442 x 10)" = dia, "simulated (100 x 200)" = sim))
  res
}
