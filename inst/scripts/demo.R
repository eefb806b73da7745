# The end-to-end comparison behind `make demo`:
#   Rscript demo.R [file.csv] [response-column]
# Trains a diagonal linear network (gradient flow, epsilon = 1e-5 and 1e-30)
# on the data (default: diabetes), computes the exact lasso path, prints the
# relative objective gap of the averaged trajectory at lambda = 1/s, and
# writes dlnpath-demo.png (diabetes, the README's figure) or
# dlnpath-demo-<file>.png.
suppressPackageStartupMessages(library(dlnpath))
options(width = 120)

args <- commandArgs(TRUE)
file <- if (length(args) >= 1L && nzchar(args[1L])) args[1L] else ""
response <- if (length(args) >= 2L && nzchar(args[2L])) args[2L] else ""
if (nzchar(file)) {
  data <- utils::read.csv(file, check.names = FALSE)
  # write.csv() stores row names as a first column with an empty name (read
  # with check.names = FALSE: a column named "X" is the user's)
  if (ncol(data) > 1L && names(data)[1L] == "") data <- data[-1L]
  if (!nzchar(response)) response <- names(data)[ncol(data)]
  if (!response %in% names(data)) {
    stop(sprintf("RESPONSE = '%s' is not a column of %s (columns: %s)", response,
                 file, paste(names(data), collapse = ", ")), call. = FALSE)
  }
  label <- basename(file)
} else {
  data <- diabetes
  response <- "y"
  label <- "diabetes"
}
x <- data[setdiff(names(data), response)]
y <- data[[response]]
cat(sprintf("Data: %s, n = %d, p = %d, response '%s' (standardized, with intercept)\n\n",
            label, nrow(x), ncol(x), response))

lasso <- lasso_path(x, y)
mono <- path_monotonicity(lasso)
lmax <- max(lasso$lambda)
s <- exp(seq(log(0.5 / lmax), log(1e4 / lmax), length.out = 80))

eps <- c(1e-5, 1e-30)
cmp <- lapply(eps, function(e) {
  t0 <- proc.time()[["elapsed"]]
  fit <- dln(x, y, epsilon = e, s = s)
  secs <- proc.time()[["elapsed"]] - t0
  cat(sprintf("epsilon = %g: flow integrated in %.3f s (%d steps)\n", e, secs,
              fit$stats[["steps"]]))
  compare_paths(fit, lasso)
})
tabs <- lapply(cmp, as.data.frame)

# whether z(mu) = mu b(mu) is monotone on [0, s]: up to the first lambda
# where some coordinate turns back
breaks <- mono$lambda_break[!is.na(mono$lambda_break)]
first_break <- if (length(breaks)) max(breaks) else 0
table <- data.frame(
  s = signif(s, 4),
  lambda = signif(tabs[[1]]$lambda, 4),
  gap_1e.5 = signif(tabs[[1]]$rel_gap, 3),
  maxdiff_1e.5 = signif(tabs[[1]]$max_abs_diff, 3),
  gap_1e.30 = signif(tabs[[2]]$rel_gap, 3),
  maxdiff_1e.30 = signif(tabs[[2]]$max_abs_diff, 3),
  monotone_so_far = tabs[[1]]$lambda > first_break
)
cat("\nRelative gap (Lasso(bbar, s) - Lasso*(s)) / Lasso*(s) and max |bbar - b_lasso|",
    "(original scale) at lambda = 1/s:\n")
print(table[seq(1, nrow(table), by = 4), ], row.names = FALSE)
cat(sprintf("\nmax relative gap: %.4g (epsilon = 1e-5), %.4g (epsilon = 1e-30)\n",
            max(tabs[[1]]$rel_gap), max(tabs[[2]]$rel_gap)))
cat(sprintf("lasso path monotone in every coordinate (theorem applies exactly): %s\n",
            attr(mono, "monotone")))
if (!attr(mono, "monotone")) {
  cat("  non-monotone terms:",
      paste(sprintf("%s (from lambda = %.4g)", mono$term[!mono$monotone],
                    mono$lambda_break[!mono$monotone]), collapse = ", "), "\n")
}

if (requireNamespace("ggplot2", quietly = TRUE)) {
  gaps <- do.call(rbind, lapply(seq_along(eps), function(k) {
    data.frame(s = tabs[[k]]$s, rel_gap = tabs[[k]]$rel_gap,
               epsilon = format(eps[k]))
  }))
  gaps <- gaps[gaps$rel_gap > 0, ]
  p_gap <- ggplot2::ggplot(gaps, ggplot2::aes(.data$s, .data$rel_gap,
                                              colour = .data$epsilon)) +
    ggplot2::geom_line() +
    ggplot2::scale_x_log10() + ggplot2::scale_y_log10() +
    ggplot2::labs(x = "rescaled time s", y = "relative objective gap",
                  colour = "epsilon",
                  title = "Gap of the averaged trajectory to the lasso at lambda = 1/s")
  if (first_break > 0) {
    p_gap <- p_gap + ggplot2::geom_vline(xintercept = 1 / first_break,
                                         linetype = "dotted")
  }
  out <- if (nzchar(file)) {
    sprintf("dlnpath-demo-%s.png", tools::file_path_sans_ext(basename(file)))
  } else "dlnpath-demo.png"
  grDevices::png(out, width = 1800, height = 1500, res = 170)
  grid::grid.newpage()
  grid::pushViewport(grid::viewport(layout = grid::grid.layout(2, 1,
                                                               heights = c(3, 2))))
  print(ggplot2::autoplot(cmp[[2]], standardized = TRUE) + ggplot2::ggtitle(sprintf(
    "%s: averaged DLN (solid, epsilon = 1e-30) over the lasso path (dashed)", label)),
    vp = grid::viewport(layout.pos.row = 1, layout.pos.col = 1))
  print(p_gap, vp = grid::viewport(layout.pos.row = 2, layout.pos.col = 1))
  invisible(grDevices::dev.off())
  cat(sprintf("\nwrote %s\n", out))
}
