# Scaling: time and peak memory of each method as n grows (p = 100; n = 1e3
# to 1e5) and as p grows (n = 200; p = 1e2 to 2e4), on the glmnet paper's
# design with rho = 0.5, and the growth exponent of each (least-squares
# slope of log time, or log memory, on log size, over the three largest
# sizes each method ran; for memory, those where it needs 4 MiB or more).
#
# Methods: the exact path (lasso_path(), every knot), the grid path
# (lasso_path(method = "cd"), glmnet's 100-value grid, when the installed
# dlnpath has it), the flow (dln(), default grid at tol = 1e-8, epsilon =
# 1e-5), and gradient descent (dln(method = "gd"), 500 steps of a tenth of
# 1 / max|r|, epsilon = 1e-100 so that the iterates stay at the start and
# every step costs the same). Each (method, size) runs in its own fresh R
# process: the median of 3 fits (1 when a fit takes over a second), and the
# peak resident memory of that process. The method's working memory is
# that peak minus the peak of a process that only generates the same data
# (rows "data only"): the figure shows it, and its exponent is the "extra
# memory" one. Not every combination is run (see below the table): the
# sizes form a sparse grid, not the product.

scaling_sizes <- list(
  n = list(fixed = c(p = 100), sizes = c(1e3, 3e3, 1e4, 3e4, 1e5)),
  p = list(fixed = c(n = 200), sizes = c(1e2, 3e2, 1e3, 3e3, 1e4, 2e4))
)

# What each method runs on d (the data), and its largest p (NA: no limit)
# with the reason.
scaling_methods <- list(
  homotopy = list(fit = "dlnpath::lasso_path(d$x, d$y, max_knots = 1e6)"),
  cd = list(fit = "dlnpath::lasso_path(d$x, d$y, method = 'cd')"),
  flow = list(fit = "dlnpath::dln(d$x, d$y)", max_p = 1e3, why = paste(
    "flow at p > 1000 (n = 200): about a minute each at p = 3000 on this machine",
    "(some 900 Rosenbrock steps, each solving through X); dln() also forms the",
    "p x p Gram matrix M (3.2 GB at p = 2e4)")),
  gd = list(setup = c(
    "yc <- d$y - mean(d$y)",
    "sdx <- apply(d$x, 2, sd) * sqrt((nrow(d$x) - 1) / nrow(d$x))",
    "h <- 0.1 / max(abs(crossprod(d$x, yc)) / nrow(d$x) / sdx)"),
    fit = "dlnpath::dln(d$x, d$y, method = 'gd', epsilon = 1e-100, step = h, time = 500 * h)",
    max_p = 3e3, why = paste(
      "gd at p > 3000 (n = 200): dln() forms the p x p Gram matrix M, 800 MB and",
      "2e10 flops at p = 1e4 (3.2 GB at p = 2e4)"))
)

# "n (p = 100)" for the axis "n", "p (n = 200)" for "p"
axis_label <- function(axis) {
  ifelse(axis == "n", sprintf("n (p = %d)", scaling_sizes$n$fixed[["p"]]),
         sprintf("p (n = %d)", scaling_sizes$p$fixed[["n"]]))
}

has_cd <- function() "cd" %in% eval(formals(dlnpath::lasso_path)$method)

# Runs one method (or, with method = NULL, only the data generation) at
# size n x p in a fresh process: list(seconds, reps, peak_mib).
scaling_child <- function(method, n, p) {
  data <- c(function_code("simulated"),
            sprintf("d <- simulated(%d, %d, 0.5)", as.integer(n), as.integer(p)))
  timing <- if (!is.null(method)) c(
    method$setup,
    "fit1 <- function() { gc(); t0 <- proc.time()[['elapsed']]",
    paste0("  f <- ", method$fit, "; proc.time()[['elapsed']] - t0 }"),
    "t <- fit1(); if (t < 1) t <- c(t, fit1(), fit1())",
    "cat('SECONDS', median(t), length(t), '\\n')")
  res <- run_child(c(data, timing))
  line <- grep("^SECONDS", res$output, value = TRUE)
  v <- if (length(line)) as.numeric(strsplit(line, " +")[[1]][2:3]) else c(NA, NA)
  if (!is.null(method) && anyNA(v)) message("   failed: ", method$fit, " at ", n, " x ", p)
  list(seconds = v[1], reps = v[2], peak_mib = res$peak_mib)
}

bench <- function() {
  methods <- scaling_methods
  if (!has_cd()) {
    bench_skip("cd", "lasso_path(method = \"cd\") is not in this version of dlnpath")
    methods$cd <- NULL
  }
  rows <- list()
  skipped <- character()
  for (axis in names(scaling_sizes)) {
    ax <- scaling_sizes[[axis]]
    for (size in ax$sizes) {
      n <- if (axis == "n") size else ax$fixed[["n"]]
      p <- if (axis == "p") size else ax$fixed[["p"]]
      message(sprintf("   n = %g, p = %g", n, p))
      base <- scaling_child(NULL, n, p)$peak_mib
      rows[[length(rows) + 1L]] <- data.frame(
        axis = axis, n = n, p = p, method = "data only", seconds = NA, reps = 1,
        peak_mib = base, extra_mib = NA)
      for (m in names(methods)) {
        if (!is.null(methods[[m]]$max_p) && p > methods[[m]]$max_p) {
          skipped[m] <- methods[[m]]$why
          next
        }
        r <- scaling_child(methods[[m]], n, p)
        rows[[length(rows) + 1L]] <- data.frame(
          axis = axis, n = n, p = p, method = m, seconds = r$seconds, reps = r$reps,
          peak_mib = r$peak_mib, extra_mib = r$peak_mib - base)
      }
    }
  }
  all_runs <- do.call(rbind, rows)
  runs <- all_runs[all_runs$method != "data only", ]
  growth <- do.call(rbind, lapply(split(runs, list(runs$axis, runs$method), drop = TRUE),
    function(d) {
      # the three largest sizes: below them fixed costs (R's calls, the
      # growth of its heap in steps) hide the growth
      d <- d[order(d[[d$axis[1]]]), ]
      d <- d[seq(max(1L, nrow(d) - 2L), nrow(d)), ]
      size <- d[[d$axis[1]]]
      data.frame(axis = d$axis[1], method = d$method[1],
                 sizes = sprintf("%g-%g", min(size), max(size)),
                 time_exponent = log_log_slope(size, d$seconds),
                 # below a few MiB the extra memory is R's heap granularity
                 memory_exponent = log_log_slope(size[d$extra_mib >= 4],
                                                 d$extra_mib[d$extra_mib >= 4]))
    }))
  figure <- file.path(bench_dir, "scaling.png")
  scaling_plot(runs, figure)

  out <- with(all_runs, data.frame(
    benchmark = paste("scaling in", axis_label(axis)), design = sprintf("n = %g, p = %g", n, p),
    contender = method, median_s = seconds, ratio_vs_dlnpath = NA_real_,
    accuracy = NA_real_, reps = reps, peak_mib = peak_mib,
    stringsAsFactors = FALSE, row.names = NULL))
  fmt <- function(x) ifelse(is.na(x), "", sprintf("%.2f", x))
  attr(out, "markdown") <- c(
    "Growth exponents (log-log slopes; time ~ size^exponent):", "",
    "| axis | method | sizes | time exponent | extra-memory exponent |",
    "|---|---|---|---:|---:|",
    sprintf("| %s | %s | %s | %s | %s |", axis_label(growth$axis), growth$method,
            growth$sizes, fmt(growth$time_exponent), fmt(growth$memory_exponent)),
    "",
    if (length(skipped)) c(paste0("Not run: ", skipped, "."), ""),
    sprintf("![Time and peak memory of each method as n and p grow](%s)", basename(figure)),
    "")
  out
}

# Time and extra memory against size, log-log, one panel per axis and
# measure (the exponents are in the table above the figure).
scaling_plot <- function(runs, file) {
  size <- ifelse(runs$axis == "n", runs$n, runs$p)
  measures <- c("time (s)", "peak memory over the data (MiB)")
  long <- data.frame(axis = axis_label(runs$axis), method = runs$method, size = size,
                     measure = factor(rep(measures, each = nrow(runs)), measures),
                     value = c(runs$seconds, runs$extra_mib))
  long <- long[is.finite(long$value) & long$value > 0, ]
  g <- ggplot2::ggplot(long, ggplot2::aes(.data$size, .data$value, colour = .data$method)) +
    ggplot2::geom_line() + ggplot2::geom_point() +
    ggplot2::scale_x_log10() + ggplot2::scale_y_log10() +
    ggplot2::facet_grid(measure ~ axis, scales = "free", switch = "both") +
    ggplot2::labs(x = NULL, y = NULL, colour = "method",
                  title = "dlnpath: time and memory as n and p grow") +
    ggplot2::theme_bw() + ggplot2::theme(strip.placement = "outside")
  ggplot2::ggsave(file, g, width = 9, height = 6, dpi = 90)
}
