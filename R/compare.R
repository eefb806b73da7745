#' Compare a network's averaged trajectory with the lasso path
#'
#' For every rescaled time `s` of `dln_fit`, evaluates the lasso objective
#' \deqn{\mathrm{Lasso}(b, s) = l(b) + (\kappa + 1/s)\|b\|_1}{Lasso(b, s) = l(b) + (kappa + 1/s) ||b||_1}
#' (constant of the loss included) at the averaged trajectory
#' \eqn{\bar b(s)}{bbar(s)}, at the network's predictor \eqn{b(s)}, and at the
#' exact lasso solution, and reports the relative gap
#' \eqn{(\mathrm{Lasso}(\bar b, s) - \mathrm{Lasso}^*(s)) / \mathrm{Lasso}^*(s)}{(Lasso(bbar, s) - Lasso*(s)) / Lasso*(s)}.
#' The theorem illustrated (Berthier 2025): for every `s` the gap of the
#' averaged trajectory tends to 0 as `epsilon` tends to 0 when the lasso path
#' is monotone ([path_monotonicity()]).
#'
#' @param dln_fit A `"dln"` fit, or the limit \eqn{\epsilon \to 0}{epsilon -> 0}
#'   from [dln_limit()].
#' @param lasso_fit The exact lasso path of the same problem (`"lasso_path"`
#'   from `method = "homotopy"`); computed when `NULL` (non-negative for
#'   `param = "u2"`).
#' @return An object of class `"dln_comparison"`. `as.data.frame()` gives one
#'   row per `s` with `s`, `lambda`, `objective_avg`, `objective_raw`,
#'   `objective_lasso`, `rel_gap`, `rel_gap_raw`, `max_abs_diff` (the largest
#'   \eqn{|\bar b_j - b^{lasso}_j|}{|bbar_j - blasso_j|} on the original scale
#'   of `x`, intercept excluded) and `support_agree` (the same nonzero
#'   coefficients, counting a coefficient of either as nonzero above `1e-3`
#'   of the largest lasso coefficient on the grid), `defect` and `eta`, the
#'   monotonicity defect \eqn{z_\downarrow(s)}{z_down(s)} and the quantity
#'   \eqn{\eta}{eta} that bounds the gap up to a constant where the path is
#'   not monotone ([monotonicity_defect()]). `summary()` gives the worst gap,
#'   where it occurs, and the term farthest from the lasso there.
#'
#'   Relative gaps are `NA` where they are undefined, and a warning says so:
#'   where the lasso objective is 0 (class `dlnpath_warning_degenerate`:
#'   nothing to fit, `r` and `c` zero, e.g. a constant response), and
#'   below the last knot of a `lasso_fit` stopped by `max_knots` (class
#'   `dlnpath_warning_step_cap`; `max_abs_diff` and `support_agree` are `NA`
#'   there too). `summary()` and `print()` count the times compared, and
#'   `plot(type = "gap")` stops with an error when no gap is defined.
#'
#'   `lasso_fit` must be the path of the same problem: the same `r`, the
#'   same `M` (compared through `M` times a fixed vector, stored in every
#'   fit), the same preparation of `x`, unit penalty factors, and `nonneg`
#'   matching `param`; otherwise an error of class `dlnpath_error_input`.
#' @examples
#' x <- as.matrix(diabetes[, 1:10])
#' cmp <- compare_paths(dln(x, diabetes$y, epsilon = 1e-30))
#' cmp
#' summary(as.data.frame(cmp)$rel_gap)
#' @export
compare_paths <- function(dln_fit, lasso_fit = NULL) {
  if (!inherits(dln_fit, c("dln", "dln_limit"))) {
    dlnpath_abort("`dln_fit` must be a fit from dln(), dln_gram() or dln_limit()",
                  "dln_fit")
  }
  nonneg <- dln_fit$param == "u2"
  g <- dln_fit$gram
  if (is.null(lasso_fit)) {
    lasso_fit <- fit_homotopy(list(M = g$M), g$r, dln_fit$prep, nonneg, NULL,
                              NULL, NULL, call = quote(compare_paths()))
  } else {
    check_same_problem(dln_fit, lasso_fit)
  }
  s <- dln_fit$s
  lambda <- dln_fit$lambda
  Blasso <- path_at(lasso_fit, lambda)
  Bavg <- sweep(dln_fit$Z, 2L, s, "/")
  obj_avg <- lasso_objective(g, Bavg, lambda)
  obj_raw <- lasso_objective(g, dln_fit$b, lambda)
  obj_lasso <- lasso_objective(g, Blasso, lambda)
  beyond <- is.na(obj_lasso)            # below the last knot of a stopped path
  if (any(beyond)) {
    dlnpath_warn(sprintf(paste0(
      "`lasso_fit` stops at lambda = %.4g (max_knots): the %d of %d times ",
      "with a smaller lambda (s > %.4g) are not compared (NA)"),
      min(lasso_fit$lambda), sum(beyond), length(s), max(s[!beyond], 0)),
      "step_cap")
  }
  # Lasso*(s) = 0 only when there is nothing to fit (r = 0 and c = 0):
  # the relative gap is then undefined
  null <- !beyond & obj_lasso <= 0
  if (any(null)) {
    dlnpath_warn(sprintf(paste0(
      "the lasso objective is 0 at %d of %d times (r = 0 and c = 0: nothing ",
      "to fit, e.g. a constant response); relative gaps are NA there, see ",
      "`objective_avg` and `max_abs_diff`"), sum(null), length(s)), "degenerate")
  }
  rel <- function(obj) ifelse(null, NA_real_, (obj - obj_lasso) / obj_lasso)
  scale <- dln_fit$prep$scale
  diff <- abs(Bavg - Blasso) / scale
  # the averaged trajectory is never exactly zero: a coefficient (of either)
  # counts as nonzero above 1e-3 of the largest lasso coefficient on the grid
  zero_tol <- 1e-3 * max(abs(Blasso), 0, na.rm = TRUE)
  support_agree <- colSums((abs(Bavg) > zero_tol) != (abs(Blasso) > zero_tol)) == 0
  mono <- monotonicity(lasso_fit, dln_fit$weight_decay)
  defect <- monotonicity_defect(mono, s)
  table <- data.frame(
    s = s, lambda = lambda,
    objective_avg = obj_avg, objective_raw = obj_raw,
    objective_lasso = obj_lasso,
    rel_gap = rel(obj_avg),
    rel_gap_raw = rel(obj_raw),
    max_abs_diff = if (nrow(diff)) apply(diff, 2L, max) else rep(0, length(s)),
    support_agree = support_agree,
    defect = defect$defect,
    eta = defect$eta
  )
  structure(list(
    table = table,
    coef_avg = dln_fit$beta_avg,
    coef_lasso = Blasso / scale,
    monotone = attr(mono, "monotone"),
    monotonicity = mono,
    dln = dln_fit,
    lasso = lasso_fit
  ), class = "dln_comparison")
}

# The lasso and the network must be fitted on the same problem.
check_same_problem <- function(dln_fit, lasso_fit) {
  check_exact_path(lasso_fit)
  fp <- dln_fit$gram$fingerprint %||% gram_fingerprint(dln_fit$gram$M)
  same <- length(lasso_fit$r) == length(dln_fit$gram$r) &&
    isTRUE(all.equal(lasso_fit$r, dln_fit$gram$r, tolerance = 1e-10,
                     check.attributes = FALSE)) &&
    (is.null(lasso_fit$fingerprint) ||
       isTRUE(all.equal(lasso_fit$fingerprint, fp, tolerance = 1e-8,
                        check.attributes = FALSE))) &&
    isTRUE(all.equal(lasso_fit$prep$scale, dln_fit$prep$scale)) &&
    isTRUE(all.equal(lasso_fit$prep$center, dln_fit$prep$center))
  if (!same) {
    dlnpath_abort(paste0("`lasso_fit` was computed on other data (another `M` ",
                         "or `r`), or with other `standardize`/`intercept` ",
                         "settings, than `dln_fit`"),
                  "lasso_fit")
  }
  if (any(is.finite(lasso_fit$penalty_factor) & lasso_fit$penalty_factor != 1)) {
    dlnpath_abort("`lasso_fit` must use unit penalty factors to match a network",
                  "lasso_fit")
  }
  if (lasso_fit$nonneg != (dln_fit$param == "u2")) {
    dlnpath_abort(sprintf("a network with param = \"%s\" tracks the %s lasso; refit `lasso_fit` with nonneg = %s",
                          dln_fit$param,
                          if (dln_fit$param == "u2") "non-negative" else "ordinary",
                          dln_fit$param == "u2"), "lasso_fit")
  }
}

# Coefficients of an exact path on the internal scale at any lambda: linear
# interpolation between knots, the first knot above lambda_0, NA below the
# last knot of a path stopped by max_knots.
path_at <- function(fit, lambda) {
  knots <- fit$lambda
  B <- fit$beta_std
  K <- length(knots)
  p <- nrow(B)
  out <- matrix(NA_real_, p, length(lambda), dimnames = list(rownames(B), NULL))
  top <- lambda >= knots[1L]
  bottom <- !top & lambda <= knots[K]
  mid <- !top & !bottom
  out[, top] <- B[, 1L]
  out[, bottom & (fit$complete | lambda == knots[K])] <- B[, K]
  j <- findInterval(-lambda[mid], -knots)     # knots[j] >= lambda > knots[j + 1]
  w <- (knots[j] - lambda[mid]) / (knots[j] - knots[j + 1L])
  out[, mid] <- B[, j, drop = FALSE] * rep(1 - w, each = p) +
    B[, j + 1L, drop = FALSE] * rep(w, each = p)
  out
}

#' Is the lasso path monotone in the sense of the theorem?
#'
#' With \eqn{\mu = 1/(\lambda - \kappa)}{mu = 1/(lambda - kappa)} (the
#' rescaled time \eqn{s} at which a network with weight decay \eqn{\kappa}{kappa}
#' tracks the lasso at \eqn{\lambda}{lambda}; \eqn{\mu = 1/\lambda}{mu = 1/lambda}
#' without weight decay), the theorem of Berthier (2025) assumes that
#' \eqn{z(\mu) = \mu\, b^{lasso}(\kappa + 1/\mu)}{z(mu) = mu * blasso(kappa + 1/mu)}
#' is monotone in each coordinate (non-decreasing or non-increasing; for the
#' non-negative lasso, non-decreasing). On each segment of the exact path
#' \eqn{z} is affine in \eqn{\mu}{mu}, with slope \eqn{M_{AA}^{-1} (r_A - \kappa\,\mathrm{sign}(b_A))}{M_AA^-1 (r_A - kappa sign(b_A))}
#' (the segment's coefficients extrapolated to \eqn{\lambda = \kappa}{lambda = kappa}),
#' so monotonicity is decided exactly from the knots.
#'
#' Where the path is not monotone, the gap between the network and the
#' lasso is controlled by the *monotonicity defect*
#' \deqn{z_\downarrow(\mu) = \sum_i \int_0^\mu (1 + u) \left(\frac{d|z_i|}{du}\right)_- du,}{z_down(mu) = sum_i int_0^mu (1 + u) (d|z_i|/du)_- du,}
#' where \eqn{(x)_- = \max(-x, 0)}{(x)_- = max(-x, 0)}. Since \eqn{d|z_i|/du} is
#' constant on each segment, \eqn{z_\downarrow}{z_down} is piecewise quadratic
#' in \eqn{\mu}{mu}; attribute `defect` tabulates it and
#' [monotonicity_defect()] evaluates it.
#'
#' @param lasso_fit An exact path from `lasso_path(method = "homotopy")`.
#' @param weight_decay Weight decay \eqn{\kappa \ge 0}{kappa >= 0} of the
#'   network compared with the path.
#' @return A data frame (class `"path_monotonicity"`) with one row per term:
#'   `term`, `monotone`, `direction` (`"increasing"`, `"decreasing"`,
#'   `"zero"` for a term never active, or `"non-monotone"`), `lambda_break`,
#'   the knot at which \eqn{z} first turns back (`NA` when monotone), and
#'   `defect`, the term's share of \eqn{z_\downarrow(\infty)}{z_down(Inf)}.
#'   Attributes: `monotone` (`TRUE` when every term is monotone);
#'   `lambda_min`, the smallest `lambda` examined (the last knot);
#'   `intervals`, a data frame with one row per maximal interval where a
#'   term's \eqn{|z_i|}{|z_i|} decreases (`term`, `lambda_from`, `lambda_to`,
#'   `mu_from`, `mu_to`, `defect`); `defect`, one row per segment of the
#'   path (`lambda_from`, `lambda_to`, `mu_from`, `mu_to`, the rate `density`
#'   \eqn{= \sum_i (d|z_i|/d\mu)_-}{= sum_i (d|z_i|/dmu)_-} and coefficients
#'   `c0`, `c1`, `c2` with \eqn{z_\downarrow(\mu) = c_0 + c_1\mu + c_2\mu^2}{z_down(mu) = c0 + c1 mu + c2 mu^2}
#'   on the segment); `z`, the knots in \eqn{\mu}{mu} and \eqn{z} there.
#'
#'   A path stopped by `max_knots` is examined only down to its last knot:
#'   a term found non-monotone there is `FALSE`, the others `NA` (unknown
#'   below `lambda_min`), and so is the attribute `monotone` unless some term
#'   is `FALSE`; a warning of class `dlnpath_warning_step_cap` says so.
#' @examples
#' lasso <- lasso_path(as.matrix(diabetes[, 1:10]), diabetes$y)
#' mono <- path_monotonicity(lasso)
#' mono
#' attr(mono, "intervals")
#' monotonicity_defect(lasso, mu = c(1, 5, 10))
#' @export
path_monotonicity <- function(lasso_fit, weight_decay = 0) {
  check_exact_path(lasso_fit)
  out <- monotonicity(lasso_fit, check_number(weight_decay, "weight_decay", 0))
  if (!lasso_fit$complete) {
    dlnpath_warn(sprintf(paste0(
      "the path stops at lambda = %.4g (max_knots): monotonicity is known only ",
      "above it (NA for the terms not found non-monotone there)"),
      attr(out, "lambda_min")), "step_cap")
  }
  out
}

# path_monotonicity() without the checks and the warning, for the package's
# own callers.
monotonicity <- function(lasso_fit, kappa) {
  seg <- z_segments(lasso_fit, kappa)
  slope <- seg$slope
  p <- nrow(slope)
  terms <- rownames(lasso_fit$beta_std)
  # slopes below 1e-9 of a term's largest count as 0 (rounding of the knots)
  tiny <- 1e-9 * apply(abs(slope), 1L, max, 0)
  sgn <- sign(slope) * (abs(slope) > tiny)
  # rate at which |z_i| decreases on each segment (the defect's integrand),
  # and its integral against (1 + u) over each segment (the last segment,
  # which may reach mu = Inf, never decreases |z|)
  down <- pmax(-seg$zsign * slope, 0) * (abs(slope) > tiny)
  contrib <- down * rep(seg$weight, each = p)
  contrib[down == 0] <- 0
  rows <- lapply(seq_len(p), function(i) {
    v <- sgn[i, ]
    first <- v[v != 0][1]
    if (is.na(first)) return(list("zero", NA_real_))
    bad <- which(v == -(if (lasso_fit$nonneg) 1 else first))
    if (!length(bad)) {
      return(list(if (first > 0) "increasing" else "decreasing", NA_real_))
    }
    list("non-monotone", seg$lambda_from[bad[1]])
  })
  dirs <- vapply(rows, `[[`, character(1), 1L)
  out <- data.frame(term = terms, monotone = dirs != "non-monotone",
                    direction = dirs,
                    lambda_break = vapply(rows, `[[`, double(1), 2L),
                    defect = rowSums(contrib),
                    stringsAsFactors = FALSE)
  # the defect as a piecewise quadratic in mu
  density <- colSums(down)
  total <- cumsum(c(0, colSums(contrib)))
  a <- seg$mu_from
  tab <- data.frame(lambda_from = seg$lambda_from, lambda_to = seg$lambda_to,
                    mu_from = a, mu_to = seg$mu_to, density = density,
                    c0 = total[seq_along(a)] - density * (a + a^2 / 2),
                    c1 = density, c2 = density / 2)
  if (!lasso_fit$complete) out$monotone[out$monotone] <- NA   # unknown below
  attr(out, "monotone") <- all(out$monotone)     # FALSE if any FALSE, else NA
  attr(out, "lambda_min") <- min(lasso_fit$lambda)
  attr(out, "intervals") <- defect_intervals(contrib, seg, terms)
  attr(out, "defect") <- tab
  attr(out, "segments") <- seg[c("mu_from", "mu_to", "z", "slope")]
  attr(out, "weight_decay") <- kappa
  class(out) <- c("path_monotonicity", "data.frame")
  out
}

#' The monotonicity defect of a lasso path
#'
#' Evaluates \eqn{z_\downarrow(\mu)}{z_down(mu)} of [path_monotonicity()]
#' exactly (it is piecewise quadratic in \eqn{\mu}{mu}), and the bound
#' \eqn{\eta = (1 + \kappa s)(\sqrt{z_\downarrow}/s + z_\downarrow/s^2)}{eta = (1 + kappa s)(sqrt(z_down)/s + z_down/s^2)}
#' at \eqn{s = \mu}{s = mu}, which controls the gap between the network and
#' the lasso where the path is not monotone.
#'
#' @param lasso_fit An exact path from `lasso_path(method = "homotopy")`, or
#'   the result of [path_monotonicity()].
#' @param mu Values of \eqn{\mu = 1/(\lambda - \kappa)}{mu = 1/(lambda - kappa)}
#'   (the rescaled time s), non-negative.
#' @inheritParams path_monotonicity
#' @return A data frame with columns `mu`, `lambda`, `defect` and `eta`
#'   (`NA` beyond the last knot of a path stopped by `max_knots`).
#' @examples
#' lasso <- lasso_path(as.matrix(diabetes[, 1:10]), diabetes$y)
#' monotonicity_defect(lasso, mu = c(1, 5, 10, 100))
#' @export
monotonicity_defect <- function(lasso_fit, mu, weight_decay = 0) {
  mono <- if (inherits(lasso_fit, "path_monotonicity")) lasso_fit else {
    check_exact_path(lasso_fit)
    monotonicity(lasso_fit, check_number(weight_decay, "weight_decay", 0))
  }
  kappa <- attr(mono, "weight_decay")
  if (!is.numeric(mu) || !length(mu) || !all(is.finite(mu)) || any(mu < 0)) {
    dlnpath_abort("`mu` must be non-negative finite numbers", "mu")
  }
  tab <- attr(mono, "defect")
  k <- findInterval(mu, tab$mu_from)
  d <- numeric(length(mu))
  on <- k > 0
  d[on] <- tab$c0[k[on]] + tab$c1[k[on]] * mu[on] + tab$c2[k[on]] * mu[on]^2
  if (nrow(tab)) d[mu > max(tab$mu_to)] <- NA_real_
  d <- pmax(d, 0)
  data.frame(mu = mu, lambda = kappa + 1 / mu, defect = d,
             eta = (1 + kappa * mu) * (sqrt(d) / mu + d / mu^2))
}

check_exact_path <- function(lasso_fit) {
  if (!inherits(lasso_fit, "lasso_path") || lasso_fit$method != "homotopy") {
    dlnpath_abort("`lasso_fit` must be an exact path from lasso_path(method = \"homotopy\")",
                  "lasso_fit")
  }
}

# The segments of z(mu) = mu b(kappa + 1/mu) between consecutive knots with
# lambda > kappa: their ends in lambda and mu, z at the start and its slope
# (p x nseg; the slope is the segment's b extrapolated to lambda = kappa),
# the sign of z inside, and the weight int (1 + u) du over the segment.
z_segments <- function(fit, kappa) {
  lam <- fit$lambda
  B <- fit$beta_std
  p <- nrow(B)
  k <- which(lam[-length(lam)] > kappa)
  from <- lam[k]
  to <- pmax(lam[k + 1L], kappa)
  d <- (B[, k + 1L, drop = FALSE] - B[, k, drop = FALSE]) /
    rep(lam[k + 1L] - lam[k], each = p)
  mu_from <- 1 / (from - kappa)
  mu_to <- 1 / (to - kappa)
  list(lambda_from = from, lambda_to = to, mu_from = mu_from, mu_to = mu_to,
       z = B[, k, drop = FALSE] * rep(mu_from, each = p),
       slope = B[, k, drop = FALSE] + d * rep(kappa - from, each = p),
       zsign = sign(B[, k, drop = FALSE] + B[, k + 1L, drop = FALSE]),
       weight = (mu_to - mu_from) + (mu_to^2 - mu_from^2) / 2)
}

# z(mu) of a path_monotonicity result at any mu (p x length(mu); 0 before
# the first knot, NA after the end of a path stopped by max_knots).
z_at <- function(mono, mu) {
  seg <- attr(mono, "segments")
  p <- nrow(seg$z)
  k <- findInterval(mu, seg$mu_from)
  out <- matrix(0, p, length(mu), dimnames = list(mono$term, NULL))
  on <- k > 0
  out[, on] <- seg$z[, k[on], drop = FALSE] +
    seg$slope[, k[on], drop = FALSE] * rep(mu[on] - seg$mu_from[k[on]], each = p)
  if (length(seg$mu_to)) out[, mu > max(seg$mu_to)] <- NA_real_
  out
}

# Maximal runs of consecutive segments where a term's |z| decreases, with
# the defect accumulated over each run (by term, then along the path).
defect_intervals <- function(contrib, seg, terms) {
  bad <- contrib > 0
  if (!any(bad)) {
    return(data.frame(term = character(0), lambda_from = double(0),
                      lambda_to = double(0), mu_from = double(0),
                      mu_to = double(0), defect = double(0)))
  }
  nc <- ncol(bad)
  before <- cbind(FALSE, bad[, -nc, drop = FALSE])
  after <- cbind(bad[, -1L, drop = FALSE], FALSE)
  by_term <- function(m) m[order(m[, 1L], m[, 2L]), , drop = FALSE]
  st <- by_term(which(bad & !before, arr.ind = TRUE))
  en <- by_term(which(bad & !after, arr.ind = TRUE))
  defect <- vapply(seq_len(nrow(st)), function(k) {
    sum(contrib[st[k, 1L], st[k, 2L]:en[k, 2L]])
  }, double(1))
  data.frame(term = terms[st[, 1L]], lambda_from = seg$lambda_from[st[, 2L]],
             lambda_to = seg$lambda_to[en[, 2L]], mu_from = seg$mu_from[st[, 2L]],
             mu_to = seg$mu_to[en[, 2L]], defect = defect, stringsAsFactors = FALSE)
}
