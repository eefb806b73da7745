#' The epsilon -> 0 limit of a diagonal linear network
#'
#' Computes the limit, as the initialization scale `epsilon` tends to 0, of
#' the training trajectory of [dln()] in rescaled time: the saddle-to-saddle
#' dynamics (Pesme and Flammarion, 2023). \eqn{Z(s) = s\bar b(s)}{Z(s) = s bbar(s)}
#' is piecewise linear: during phase \eqn{k}, \eqn{[s_k, s_{k+1})}, the
#' network sits at a saddle \eqn{b_k} and \eqn{dZ/ds = b_k}, while the dual
#' variable \eqn{E(s) = MZ(s) - sr}{E(s) = M Z(s) - s r} moves linearly with
#' \eqn{dE/ds = Mb_k - r}{dE/ds = M b_k - r} inside the box
#' \eqn{|E_i| \le 1 + \kappa s}{|E_i| <= 1 + kappa s}.
#'
#' The saddle \eqn{b_k} minimizes \eqn{l(b) + \kappa\|b\|_1}{l(b) + kappa ||b||_1}
#' subject to \eqn{b_i \ge 0}{b_i >= 0} where \eqn{E_i} is on the lower
#' edge of the box, \eqn{b_i \le 0}{b_i <= 0} where it is on the upper edge and
#' \eqn{b_i = 0} elsewhere: a sign-constrained least-squares problem, solved
#' exactly by an active-set method in C. A phase ends when another
#' coordinate of \eqn{E} reaches the edge; the first ends at
#' \eqn{s_1 = 1/(\|r\|_\infty - \kappa)}{s_1 = 1/(max|r| - kappa)}. For
#' `param = "u2"` the box is one-sided (\eqn{E_i \ge -(1 + \kappa s)}{E_i >= -(1 + kappa s)})
#' and the saddles are non-negative. The recursion ends when the saddle
#' minimizes \eqn{l + \kappa\|\cdot\|_1}{l + kappa ||.||_1}: the last phase
#' lasts forever.
#'
#' When the lasso path is monotone ([path_monotonicity()]), the limit is the
#' lasso path itself, \eqn{Z(s) = s\,b^{lasso}(\kappa + 1/s)}{Z(s) = s blasso(kappa + 1/s)};
#' otherwise it differs from it after the first point of non-monotonicity
#' (compare with [compare_paths()], which accepts a `"dln_limit"`). The
#' limit does not depend on the initialization directions `beta0`, `gamma0`,
#' `alpha0`, and finite-`epsilon` flows approach it at the rate
#' \eqn{1/\log(1/\epsilon)}{1/log(1/epsilon)}. Columns that coincide after
#' the preparation (up to sign) share their coefficient equally, as the
#' network's flow does from the default initialization (the saddles alone
#' would give it to one of them).
#'
#' @inheritParams dln
#' @param ... Unused; an error if not empty.
#' @param tol Relative distance to the edge of the box within which a
#'   coordinate of \eqn{E} counts as on it.
#' @param max_phases Maximum number of phases (default `10 * p + 100`); the
#'   recursion stops there with a warning of class
#'   `dlnpath_warning_step_cap`.
#' @return An object of class `"dln_limit"`: a list with the grid `s`,
#'   `lambda` (`weight_decay + 1/s`), `beta`/`a0` (the limit of the
#'   network's predictor, the saddle of the current phase) and
#'   `beta_avg`/`a0_avg` (the limit averaged trajectory \eqn{Z(s)/s}{Z(s)/s}) on the
#'   original scale of `x`, `phases` (a data frame: `phase`, `s_start`,
#'   `s_end`, `lambda_start`, `lambda_end`, `support` of the saddle,
#'   `enter` (terms reaching the edge at `s_start`) and `leave` (terms
#'   leaving it)), the phase starts `knots` with `Z`, `E` and the saddles
#'   (`saddles`) at each on the internal scale, and the settings used.
#' @references Pesme, S. and Flammarion, N. (2023). Saddle-to-saddle dynamics
#'   in diagonal linear networks. *NeurIPS*.
#' @seealso [dln()], [compare_paths()], [epsilon_study()].
#' @examples
#' x <- as.matrix(diabetes[, 1:10])
#' lim <- dln_limit(x, diabetes$y)
#' lim
#' coef(lim, s = c(0.05, 0.5), average = TRUE)
#' # the limit leaves the lasso path where the path stops being monotone
#' summary(compare_paths(lim))
#' @export
dln_limit <- function(x, y, param = c("uv", "u2"), s = NULL, weight_decay = 0,
                      standardize = TRUE, intercept = TRUE, ..., ns = 100,
                      lambda_min_ratio = NULL, tol = 1e-9, max_phases = NULL) {
  check_dots_empty(...)
  prob <- prepare_problem(x, y, standardize, intercept)
  fit_limit(problem_gram(prob), prob, param = param, s = s,
            weight_decay = weight_decay, ns = ns,
            lambda_min_ratio = lambda_min_ratio, tol = tol,
            max_phases = max_phases, call = match.call())
}

#' @rdname dln_limit
#' @inheritParams lasso_path_gram
#' @param ... For `dln_limit_gram()`: arguments of `dln_limit()` other than
#'   `x`, `y`, `standardize`, `intercept`.
#' @export
dln_limit_gram <- function(M, r, ..., c = NULL) {
  g <- check_gram(M, r, c)
  check_dots_known(list(...), setdiff(names(formals(fit_limit)),
                                      c("g", "prob", "call")))
  fit_limit(g, gram_problem(g), ..., call = match.call())
}

fit_limit <- function(g, prob, param = c("uv", "u2"), s = NULL,
                      weight_decay = 0, ns = 100, lambda_min_ratio = NULL,
                      tol = 1e-9, max_phases = NULL, call) {
  param <- check_choice(param, c("uv", "u2"), "param")
  kappa <- check_number(weight_decay, "weight_decay", 0, 1e300)
  tol <- check_number(tol, "tol", 0, 0.1)
  p <- prob$p
  max_phases <- if (is.null(max_phases)) 10L * p + 100L else
    check_count(max_phases, "max_phases", hi = 1e8)
  s <- time_grid(s, g$r, param, prob, ns, lambda_min_ratio)
  dup <- duplicate_groups(g$M, g$r, param == "u2")
  keep <- dup$rep == seq_len(p)
  res <- .Call(C_dln_limit, g$M[keep, keep, drop = FALSE], g$r[keep], kappa,
               param == "u2", max_phases, tol)
  for (v in c("Z", "b")) res[[v]] <- share_duplicates(res[[v]], dup, keep, TRUE)
  res$E <- share_duplicates(res$E, dup, keep, FALSE)
  if (res$status == 1L) {
    dlnpath_warn(sprintf(paste0(
      "the saddle-to-saddle recursion stopped after max_phases = %d phases ",
      "at s = %g; the limit is unknown beyond (NA); increase `max_phases`"),
      max_phases, res$s_end), "step_cap")
  }
  if (res$nsub_capped > 0L) {
    dlnpath_warn(sprintf(paste0(
      "the sign-constrained least-squares subproblem reached its iteration ",
      "cap in %d phase(s) (a degenerate design?); those saddles are approximate"),
      res$nsub_capped), "step_cap")
  }
  dimnames(res$Z) <- dimnames(res$E) <- dimnames(res$b) <- list(prob$names, NULL)
  obj <- list(knots = res$s, s_end = res$s_end, Z_knots = res$Z,
              E_knots = res$E, saddles = res$b, gram = g)
  st <- limit_state(obj, s)
  coefs <- to_original(prob, st$b)
  coefs_avg <- to_original(prob, sweep(st$Z, 2L, s, "/"))
  structure(c(list(
    s = s,
    lambda = kappa + 1 / s,
    a0 = coefs[1L, ],
    beta = coefs[-1L, , drop = FALSE],
    a0_avg = coefs_avg[1L, ],
    beta_avg = coefs_avg[-1L, , drop = FALSE],
    b = st$b,
    Z = st$Z,
    E = st$E,
    phases = limit_phases(obj, prob$names, kappa, param == "u2", tol)),
    obj, list(
    complete = res$status == 0L,
    param = param,
    epsilon = 0,
    log_inv_epsilon = Inf,
    weight_decay = kappa,
    tol = tol,
    prep = prob[setdiff(names(prob), c("x", "y"))],
    call = call
  )), class = "dln_limit")
}

# Coordinates whose prepared columns coincide up to sign (the same norm and
# |correlation| 1, to 1e-9): the network's flow keeps such coordinates
# equal (or opposite) at all times, so its limit shares the group's total
# equally, while the saddles of the recursion would give it to one member.
# The recursion runs on one representative per group (the group acts as
# that column: the factor of the group's size in the initialization
# vanishes as epsilon -> 0). For u2 (one-sided) only equal signs group.
# `rep`: the representative of each coordinate, `sign`: its sign to it,
# `size`: the size of its group. Candidates share r_j / sqrt(M_jj) (up to
# sign), so only those pairs are compared.
duplicate_groups <- function(M, r, onesided) {
  p <- length(r)
  rep_of <- seq_len(p)
  sgn <- rep(1, p)
  d <- diag(M)
  ok <- which(d > 0)
  if (length(ok) > 1L) {
    q <- r[ok] / sqrt(d[ok])
    key <- if (onesided) q else abs(q)
    o <- order(key)
    cut <- 1e-9 * max(abs(q), .Machine$double.xmin)
    run <- cumsum(c(TRUE, diff(key[o]) > cut))
    for (g in unique(run[duplicated(run)])) {
      idx <- ok[o[run == g]]
      for (a in seq_along(idx)) {
        j <- idx[a]
        if (rep_of[j] != j) next
        for (k in idx[-seq_len(a)]) {
          if (rep_of[k] != k) next
          scale <- sqrt(d[j] * d[k])
          same <- abs(d[j] - d[k]) <= 1e-9 * scale &&
            abs(abs(M[j, k]) - scale) <= 1e-9 * scale
          sk <- sign(M[j, k])
          if (same && (!onesided || sk > 0) &&
              abs(r[k] - sk * r[j]) <= cut * sqrt(d[k])) {
            rep_of[k] <- j
            sgn[k] <- sk
          }
        }
      }
    }
  }
  size <- tabulate(rep_of, p)[rep_of]
  list(rep = rep_of, sign = sgn, size = size)
}

# Rows of the reduced recursion's Z, E or b for every coordinate: Z and b
# shared equally in each group (with the member's sign), E the
# representative's (with the sign).
share_duplicates <- function(V, dup, keep, shared) {
  if (all(keep)) return(V)
  V[match(dup$rep, which(keep)), , drop = FALSE] *
    (if (shared) dup$sign / dup$size else dup$sign)
}

# Z(s), E(s) and the saddle b(s) from the phases: within phase k, Z and E
# are linear in s with slopes b_k and M b_k - r (NA after `s_end` when the
# phase cap stopped the recursion).
limit_state <- function(obj, s) {
  p <- nrow(obj$saddles)
  k <- findInterval(s, obj$knots)
  ds <- rep(s - obj$knots[k], each = p)
  b <- obj$saddles[, k, drop = FALSE]
  Z <- obj$Z_knots[, k, drop = FALSE] + ds * b
  E <- obj$E_knots[, k, drop = FALSE] + ds * (obj$gram$M %*% b - obj$gram$r)
  late <- s > obj$s_end
  Z[, late] <- E[, late] <- b[, late] <- NA_real_
  dimnames(Z) <- dimnames(E) <- dimnames(b) <- list(rownames(obj$saddles), NULL)
  list(Z = Z, E = E, b = b)
}

# One row per phase: when it starts and ends, the saddle's support, the
# coordinates that reach the edge of the box at its start, and those that
# leave the edge then (on it, zero in the saddle, and moving inwards).
limit_phases <- function(obj, names, kappa, onesided, tol) {
  K <- length(obj$knots)
  p <- length(names)
  s_end <- c(obj$knots[-1L], obj$s_end)
  edge <- 1 + kappa * obj$knots
  E <- obj$E_knots
  side <- matrix(0L, p, K)             # -1: lower edge, +1: upper edge
  side[E <= -rep(edge, each = p) * (1 - tol)] <- -1L
  if (!onesided) side[E >= rep(edge, each = p) * (1 - tol)] <- 1L
  G <- obj$gram$M %*% obj$saddles - obj$gram$r
  away <- side * (kappa * side - G)    # rate of moving off the edge
  slow <- 1e-9 * (max(abs(obj$gram$r), 0) + kappa)
  leaving <- side != 0 & obj$saddles == 0 & away > slow
  stayed <- cbind(FALSE, side[, -1L, drop = FALSE] == side[, -K, drop = FALSE] &
                    !leaving[, -K, drop = FALSE])
  terms <- function(v) paste(names[v], collapse = ", ")
  data.frame(
    phase = seq_len(K) - 1L, s_start = obj$knots, s_end = s_end,
    lambda_start = kappa + 1 / obj$knots, lambda_end = kappa + 1 / s_end,
    support = vapply(seq_len(K), function(k) terms(obj$saddles[, k] != 0), ""),
    enter = vapply(seq_len(K), function(k) terms(side[, k] != 0 & !stayed[, k]), ""),
    leave = vapply(seq_len(K), function(k) terms(leaving[, k]), ""),
    stringsAsFactors = FALSE)
}
