#' How the gap closes as epsilon tends to 0
#'
#' Trains the network for each initialization scale in `epsilon` on one grid
#' of rescaled times, and compares each trajectory with the exact lasso path
#' ([compare_paths()]) and with the limit \eqn{\epsilon \to 0}{epsilon -> 0}
#' ([dln_limit()]). When the lasso path is monotone the relative gap tends to
#' 0 at least as fast as \eqn{C/\log(1/\epsilon)}{C / log(1/epsilon)} (Berthier
#' 2025); when it is not, the gap tends to that of the limit, which is
#' positive where the path is non-monotone, while the distance to the limit
#' still shrinks like \eqn{1/\log(1/\epsilon)}{1/log(1/epsilon)}.
#'
#' @inheritParams dln
#' @param epsilon Initialization scales, in (0, 1).
#' @param ... Further arguments of [dln()] (`param`, `s`, `weight_decay`,
#'   `beta0`, `gamma0`, `alpha0`, `tol`, `ns`, `lambda_min_ratio`,
#'   `max_steps`); the same for every `epsilon`.
#' @param log_inv_epsilon Values of \eqn{\log(1/\epsilon)}{log(1/epsilon)};
#'   override `epsilon` (for scales below `1e-300`).
#' @return A data frame of class `"dln_epsilon_study"`, one row per
#'   (epsilon, s): `epsilon`, `log_inv_epsilon`, `s`, `lambda`, `rel_gap` and
#'   `rel_gap_raw` (relative lasso-objective gaps of the averaged and raw
#'   trajectories), `max_abs_diff` (largest \eqn{|\bar b_j - b^{lasso}_j|}{|bbar_j - blasso_j|}),
#'   `limit_diff` (largest \eqn{|\bar b_j - \bar b^0_j|}{|bbar_j - bbar0_j|}
#'   against the limit; both on the original scale of `x`) and
#'   `rel_gap_limit` (the limit's own gap at that `s`). Attribute `monotone`:
#'   whether the lasso path is monotone. `summary()` gives the worst gap per
#'   epsilon and the fitted rate; `autoplot()` draws it.
#' @seealso [random_instances()], [dln_limit()].
#' @examples
#' x <- as.matrix(diabetes[, 1:10])
#' st <- epsilon_study(x, diabetes$y, epsilon = 10^-c(5, 10, 20), ns = 30)
#' summary(st)
#' @export
epsilon_study <- function(x, y, epsilon = 10^-(5 * 1:6), ..., standardize = TRUE,
                          intercept = TRUE, log_inv_epsilon = NULL) {
  prob <- prepare_problem(x, y, standardize, intercept)
  study_epsilon(problem_gram(prob), prob, epsilon, log_inv_epsilon, list(...))
}

#' @rdname epsilon_study
#' @inheritParams lasso_path_gram
#' @export
epsilon_study_gram <- function(M, r, epsilon = 10^-(5 * 1:6), ..., c = NULL,
                               log_inv_epsilon = NULL) {
  g <- check_gram(M, r, c)
  study_epsilon(g, gram_problem(g), epsilon, log_inv_epsilon, list(...))
}

# Arguments of fit_dln() that a study passes through.
dln_pass_args <- function(exclude = character(0)) {
  setdiff(names(formals(fit_dln)),
          c("g", "prob", "call", "epsilon", "log_inv_epsilon", "method", "step",
            "batch_size", "seed", exclude))
}

study_epsilon <- function(g, prob, epsilon, log_inv_epsilon, args) {
  check_dots_known(args, dln_pass_args())
  # one flow per scale, largest epsilon first; an epsilon given as such is
  # passed as such (exp(-log(eps)) need not round back to eps)
  if (is.null(log_inv_epsilon)) {
    if (!is.numeric(epsilon) || !length(epsilon) || anyNA(epsilon) ||
        any(epsilon <= 0 | epsilon >= 1)) {
      dlnpath_abort("`epsilon` must be numbers in (0, 1)", "epsilon")
    }
    scales <- lapply(sort(unique(epsilon), decreasing = TRUE),
                     function(e) list(epsilon = e))
  } else {
    scales <- lapply(check_grid(log_inv_epsilon, "log_inv_epsilon"),
                     function(l) list(log_inv_epsilon = l))
  }
  fit <- function(scale, s) {
    do.call(fit_dln, c(list(g, prob, call = NULL), scale,
                       utils::modifyList(args, list(s = s))))
  }
  first <- fit(scales[[1L]], args$s)
  s <- first$s
  nonneg <- first$param == "u2"
  lasso <- fit_homotopy(list(M = g$M), g$r, prob, nonneg, NULL, NULL, NULL,
                        call = NULL)
  limit <- fit_limit(g, prob, param = first$param, s = s,
                     weight_decay = first$weight_decay, call = NULL)
  limit_gap <- compare_paths(limit, lasso)$table$rel_gap
  rows <- lapply(seq_along(scales), function(k) {
    f <- if (k == 1L) first else fit(scales[[k]], s)
    tab <- compare_paths(f, lasso)$table
    data.frame(epsilon = f$epsilon, log_inv_epsilon = f$log_inv_epsilon, s = s,
               lambda = tab$lambda, rel_gap = tab$rel_gap,
               rel_gap_raw = tab$rel_gap_raw, max_abs_diff = tab$max_abs_diff,
               limit_diff = apply(abs(f$beta_avg - limit$beta_avg), 2L, max, 0),
               rel_gap_limit = limit_gap)
  })
  out <- do.call(rbind, rows)
  attr(out, "monotone") <- attr(monotonicity(lasso, first$weight_decay),
                                "monotone")
  attr(out, "param") <- first$param
  class(out) <- c("dln_epsilon_study", "data.frame")
  out
}

#' The paper's random study
#'
#' Draws `N` problems with `X` (n x p) and `y` iid standard normal, in the
#' paper's units (`M = X'X`, `X'y` for `r`, constant `||y||^2 / 2` so that the
#' objective is the squared loss), and for each decides whether the lasso
#' path is monotone ([path_monotonicity()]) and measures the largest
#' relative gap of the network's averaged trajectory over the default grid
#' of [dln()] ([compare_paths()]), and that of the limit
#' \eqn{\epsilon \to 0}{epsilon -> 0} ([dln_limit()]). Berthier (2025) found
#' 76% of 1000 instances monotone for n = 3, p = 4 and `epsilon = 1e-5`,
#' with gaps about ten times smaller on monotone instances.
#'
#' @param n,p Size of `X`.
#' @param N Number of instances.
#' @param seed Seed for the random draws; the generator's state is then
#'   restored afterwards. `NULL`: the draws continue the session's stream,
#'   which advances, as with any random function.
#' @param ... Further arguments of [dln_gram()] (default `epsilon = 1e-5`,
#'   `beta0 = 1`, `gamma0 = 0`, `weight_decay = 0`, as in the paper).
#' @return A list of class `"dln_random_study"`: `fraction_monotone`,
#'   `se` (its binomial standard error), `instances` (a data frame, one row
#'   per instance: `instance`, `monotone`, `n_knots`, `max_rel_gap`,
#'   `s_at_max`, `limit_gap` (the limit's largest gap: 0 up to rounding when
#'   monotone), `defect` (\eqn{z_\downarrow(\infty)}{z_down(Inf)})),
#'   `curves` (`instance`, `monotone`, `s`, `rel_gap`), `designs` (the
#'   drawn `X` and `y` of each instance) and the settings.
#' @examples
#' st <- random_instances(N = 50, seed = 1)
#' st
#' @export
random_instances <- function(n = 3, p = 4, N = 1000, seed = NULL, ...) {
  n <- check_count(n, "n")
  p <- check_count(p, "p")
  N <- check_count(N, "N")
  args <- list(...)
  check_dots_known(args, c(dln_pass_args("s"), "epsilon", "log_inv_epsilon"))
  if (!is.null(seed)) {
    seed <- check_number(seed, "seed")
    old <- get0(".Random.seed", envir = globalenv(), inherits = FALSE)
    on.exit(restore_rng(old), add = TRUE)
    set.seed(seed)
  }
  designs <- lapply(seq_len(N), function(i) {
    X <- matrix(stats::rnorm(n * p), n, p)
    list(X = X, y = stats::rnorm(n))
  })
  rows <- vector("list", N)
  curves <- vector("list", N)
  for (i in seq_len(N)) {
    d <- designs[[i]]
    g <- check_gram(crossprod(d$X), drop(crossprod(d$X, d$y)), sum(d$y^2) / 2)
    prob <- gram_problem(g)
    fit <- do.call(fit_dln, c(list(g, prob, call = NULL), args))
    lasso <- fit_homotopy(list(M = g$M), g$r, prob, fit$param == "u2", NULL,
                          NULL, NULL, call = NULL)
    cmp <- compare_paths(fit, lasso)
    limit <- fit_limit(g, prob, param = fit$param, s = fit$s,
                       weight_decay = fit$weight_decay, call = NULL)
    tab <- cmp$table
    worst <- which.max(tab$rel_gap)
    rows[[i]] <- data.frame(
      instance = i, monotone = cmp$monotone, n_knots = length(lasso$lambda),
      max_rel_gap = tab$rel_gap[worst], s_at_max = tab$s[worst],
      limit_gap = max(compare_paths(limit, lasso)$table$rel_gap),
      defect = sum(cmp$monotonicity$defect))
    curves[[i]] <- data.frame(instance = i, monotone = cmp$monotone, s = tab$s,
                              rel_gap = tab$rel_gap)
  }
  instances <- do.call(rbind, rows)
  f <- mean(instances$monotone)
  structure(list(
    fraction_monotone = f,
    se = sqrt(f * (1 - f) / N),
    instances = instances,
    curves = do.call(rbind, curves),
    designs = designs,
    n = n, p = p, N = N, seed = seed,
    epsilon = fit$epsilon, log_inv_epsilon = fit$log_inv_epsilon,
    call = match.call()
  ), class = "dln_random_study")
}

# Puts back the random generator's state saved before a study with a seed
# (the user's stream is left as it was).
restore_rng <- function(old) {
  env <- globalenv()
  if (!is.null(old)) {
    assign(".Random.seed", old, envir = env)
  } else if (exists(".Random.seed", envir = env, inherits = FALSE)) {
    rm(".Random.seed", envir = env)
  }
}
