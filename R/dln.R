#' Train a diagonal linear network
#'
#' Computes the training trajectory of a diagonal linear network on the
#' squared loss \eqn{l(b) = \frac{1}{2n}\|y - Xb\|^2}{l(b) = 1/(2n) ||y - X b||^2}
#' (glmnet's scaling), from the small initialization of scale `epsilon`, and
#' reports both the network's predictor \eqn{b(s)} and the averaged
#' trajectory \eqn{\bar b(s) = \frac1t\int_0^t b}{bbar(s) = (1/t) int_0^t b} at
#' rescaled times `s`.
#'
#' Parametrizations: `"uv"`, \eqn{b = u \circ v}{b = u * v} with
#' \eqn{u(0) = \sqrt{\epsilon}\beta_0}{u(0) = sqrt(eps) beta0},
#' \eqn{v(0) = \sqrt{\epsilon}\gamma_0}{v(0) = sqrt(eps) gamma0} and rescaled time
#' \eqn{s = 2t/\log(1/\epsilon)}{s = 2t / log(1/eps)}, which tracks the lasso;
#' `"u2"`, \eqn{b = u \circ u}{b = u * u} with \eqn{u(0) = \sqrt{\epsilon}\alpha_0}{u(0) = sqrt(eps) alpha0}
#' and \eqn{s = 4t/\log(1/\epsilon)}{s = 4t / log(1/eps)}, which tracks the
#' non-negative lasso. With `weight_decay` \eqn{\kappa}{kappa} the matching
#' lasso penalty is \eqn{\lambda = \kappa + 1/s}{lambda = kappa + 1/s}.
#'
#' **Gradient flow** (`method = "flow"`) is integrated exactly (to `tol`)
#' through the p-dimensional ODE for \eqn{Z(s) = s\bar b(s)}{Z(s) = s bbar(s)},
#' \deqn{dZ/ds = c_+ \epsilon^{1 + \kappa s + E} - c_- \epsilon^{1 + \kappa s - E},
#'   \quad E = MZ - sr,}{dZ/ds = c+ eps^(1 + kappa s + E) - c- eps^(1 + kappa s - E),  E = M Z - s r,}
#' with \eqn{c_\pm = (\beta_0 \pm \gamma_0)^2/4}{c+- = (beta0 +- gamma0)^2 / 4},
#' evaluated in log space (so `epsilon` may be `1e-300`, or smaller through
#' `log_inv_epsilon`), by a stiff Rosenbrock method (RODAS4) with the
#' analytic Jacobian and error control. `tol` bounds the local error of each
#' step in \eqn{\log b}{log b} (that is, the relative error of \eqn{b}) and
#' in \eqn{Z} (below the rounding level of \eqn{\log b}{log b}, about
#' \eqn{2.2\times10^{-16}\log(1/\epsilon)}{2.2e-16 log(1/eps)}, `tol` is raised
#' to it); the error of \eqn{b} delivered on the grid, relative to the largest
#' coefficient, is typically a few times below `tol`. The transitions of the trajectory sharpen like
#' \eqn{1/\log(1/\epsilon)}{1/log(1/eps)}, and so does the step size needed to
#' follow them, so the number of steps grows far slower than
#' \eqn{\log(1/\epsilon)}{log(1/eps)}: it grows as knots of the lasso path that
#' overlap at large `epsilon` separate, and, between transitions, like
#' \eqn{\log(1/\epsilon)^{1/5}}{log(1/eps)^(1/5)} (a relative error `tol` in
#' \eqn{b} is an error \eqn{tol/\log(1/\epsilon)}{tol / log(1/eps)} in the exponent).
#' Each step solves with the Jacobian only on the coordinates where it
#' exceeds rounding level, so a step costs less as `epsilon` gets smaller.
#'
#' **Gradient descent** (`method = "gd"`) runs the exact recursion with step
#' \eqn{\eta}{eta} = `step`: with \eqn{w_\pm = (u \pm v)/2}{w+- = (u +- v)/2},
#' \eqn{b = w_+^2 - w_-^2}{b = w+^2 - w-^2} and \eqn{g = \nabla l(b)}{g = grad l(b)},
#' \deqn{w_+ \leftarrow w_+(1 - \eta(g + \kappa)), \quad w_- \leftarrow w_-(1 + \eta(g - \kappa))}{w+ <- w+ (1 - eta (g + kappa)),  w- <- w- (1 + eta (g - kappa))}
#' (`"u2"`: \eqn{u \leftarrow u(1 - 2\eta(g + \kappa))}{u <- u (1 - 2 eta (g + kappa))}),
#' iterate \eqn{k} being at time \eqn{t = k\eta}{t = k eta}; the averaged
#' iterate is \eqn{\bar b_k = \frac1k\sum_{j<k} b_j}{bbar_k = (1/k) sum_{j<k} b_j}.
#' The squares of \eqn{w_\pm}{w+-} are held with a separate binary exponent,
#' so any `epsilon` works and a step costs about one product with \eqn{M}
#' (or with \eqn{X} and \eqn{X'} when \eqn{2n < p}). A requested time is
#' served by the iterate \eqn{k} = `round(t / step)`, and the rows carry that
#' iterate's own `time`, `s` and `lambda`. The default step is a tenth of an
#' estimate of the largest stable step, from \eqn{\|r\|_\infty}{max |r|} at
#' the start and the sharpness of the loss at the lasso solution at the end
#' of the grid. Along the run two stability indices are tracked: the largest
#' \eqn{\eta|g \pm \kappa|}{eta |g +- kappa|} (at 1 a factor crosses zero: a
#' sign flip of \eqn{w_\pm}{w+-}) and \eqn{\eta} times the sharpness of the
#' loss in the network's weights, estimated by power iteration (unstable
#' above 1). Above 0.5 a warning of class `dlnpath_warning_step` gives the
#' largest stable step along the run; sign flips are counted per coordinate
#' and reported in a warning; a run whose gradient overflows stops with an
#' error of class `dlnpath_error_numeric`. With `batch_size`, each step uses
#' the gradient of the loss on `batch_size` rows drawn without replacement
#' (minibatch SGD) with R's random number generator: set `seed`, or call
#' [set.seed()] first.
#'
#' The reporting grid may be given as rescaled times `s`, training times
#' `time`, or penalties `lambda` (\eqn{s = 1/(\lambda - \kappa)}{s = 1 / (lambda - kappa)}).
#' Long runs show a progress bar (`progress`) and can be interrupted.
#'
#' The network is not invariant to the scale of `y` (nor, without
#' `standardize`, of `x`): `epsilon` is measured against the coefficients of
#' the prepared problem. The network on `(x, c y)` from `epsilon` is `c`
#' times the network on `(x, y)` from `epsilon / c` at `c` times the training
#' time, that is at rescaled time \eqn{s' = c\,s\log(1/\epsilon)/\log(c/\epsilon)}{s' = c s log(1/eps) / log(c/eps)}.
#' When `epsilon` is not small against the coefficients (of order
#' `max|r| / max(diag(M))`), for instance with `y` scaled by `1e-150`, the
#' integrator may stop with an error of class `dlnpath_error_numeric` that
#' says so: use a smaller `epsilon` (`log_inv_epsilon`). Scaling `x` and `y`
#' together by `a` (without `standardize`) changes only the time: the
#' network is the same at `s / a^2`. Grids of `s` beyond about `1e-290` or
#' `1e300` (data at the edge of the double range) are refused with an error
#' of class `dlnpath_error_input` that says so.
#'
#' @inheritParams lasso_path
#' @param param `"uv"` or `"u2"`.
#' @param epsilon Initialization scale, in (0, 1).
#' @param method `"flow"` (gradient flow) or `"gd"` (gradient descent).
#' @param step Step size of gradient descent; default: a tenth of the
#'   estimated largest stable step (see Details).
#' @param s Rescaled times at which to report the trajectory. Default: `ns`
#'   log-spaced values from `0.5 / lambda_max` to
#'   `1 / (lambda_min_ratio * lambda_max)`, where the lasso path moves.
#' @param weight_decay Weight decay \eqn{\kappa \ge 0}{kappa >= 0}.
#' @param beta0,gamma0 Initialization directions of `u` and `v` (`"uv"`):
#'   scalars or vectors of length p, with `beta0 != +-gamma0` elementwise.
#' @param alpha0 Initialization direction of `u` (`"u2"`), nonzero.
#' @param tol Local error bound of the integrator (`"flow"`; see Details).
#' @param ... Unused; an error if not empty.
#' @param log_inv_epsilon \eqn{\log(1/\epsilon)}{log(1/epsilon)}; overrides
#'   `epsilon` (for initializations smaller than `1e-300`). At most `1e10`:
#'   beyond, the transitions of the trajectory (of width about
#'   \eqn{1/\log(1/\epsilon)}{1/log(1/eps)} in `s`) fall below double-precision
#'   resolution.
#' @param time,lambda The reporting grid as training times \eqn{t} or as
#'   penalties \eqn{\lambda = \kappa + 1/s}{lambda = kappa + 1/s}, instead
#'   of `s` (give at most one of the three). The fit's grid is in increasing
#'   `s`, duplicates dropped, whatever the order given (`coef()` and
#'   `predict()` keep the order asked for).
#' @param ns Number of points of the default `s` grid.
#' @param lambda_min_ratio Lower end of the default grid, as a fraction of
#'   `lambda_max` (glmnet's default: `1e-2` when n < p, else `1e-4`).
#' @param max_steps Maximum number of integrator steps (`"flow"`, default
#'   `1e5` plus two per point of the grid, since each point of the grid is
#'   landed on by a step of its own) or of iterations (`"gd"`, default
#'   `1e8`). A flow that reaches it stops with an error of class
#'   `dlnpath_error_numeric` whose `arg` is `"max_steps"`.
#' @param batch_size Rows per minibatch for stochastic gradient descent
#'   (`method = "gd"`); `NULL` uses the full gradient.
#' @param seed Seed for the minibatches; `NULL` uses (and advances) the
#'   session's random number stream. Either way the stream's state at the
#'   start is kept in the fit, so that `coef()` can replay the run.
#' @param progress Show a progress bar for runs longer than a second.
#' @return An object of class `"dln"`: a list with `s`, `time`, `lambda`
#'   (`weight_decay + 1/s`), `beta`/`a0` (the predictor \eqn{b(s)} on the
#'   original scale) and `beta_avg`/`a0_avg` (the averaged trajectory),
#'   `b`, `Z` (\eqn{s\bar b}{s bbar}) and `E` (\eqn{MZ - sr}{M Z - s r}) on
#'   the internal scale, the work done in `stats` (integrator steps or
#'   iterations), the settings used, and for gradient descent `gd`: the
#'   step, the iteration numbers `k`, the stability indices, the largest
#'   stable step along the run and the sign flips per coordinate.
#' @seealso [dln_gram()], [compare_paths()], [coef.dln()].
#' @examples
#' x <- as.matrix(diabetes[, 1:10])
#' fit <- dln(x, diabetes$y, epsilon = 1e-30)
#' fit
#' coef(fit, s = 0.1, average = TRUE)
#' # gradient descent on the same problem, reported at 20 times
#' gd <- dln(x, diabetes$y, method = "gd", s = fit$s[seq(1, 100, 5)],
#'           epsilon = 1e-5)
#' gd$gd$largest_stable_step
#' @export
dln <- function(x, y, param = c("uv", "u2"), epsilon = 1e-5,
                method = c("flow", "gd"), step = NULL, s = NULL,
                weight_decay = 0, beta0 = 1, gamma0 = 0, alpha0 = 1,
                standardize = TRUE, intercept = TRUE, tol = 1e-8, ...,
                log_inv_epsilon = NULL, time = NULL, lambda = NULL, ns = 100,
                lambda_min_ratio = NULL, max_steps = NULL, batch_size = NULL,
                seed = NULL, progress = interactive()) {
  check_dots_empty(...)
  prob <- prepare_problem(x, y, standardize, intercept)
  fit_dln(problem_gram(prob), prob, param = param, epsilon = epsilon,
          method = method, step = step, s = s, weight_decay = weight_decay,
          beta0 = beta0, gamma0 = gamma0, alpha0 = alpha0, tol = tol,
          log_inv_epsilon = log_inv_epsilon, time = time, lambda = lambda,
          ns = ns, lambda_min_ratio = lambda_min_ratio, max_steps = max_steps,
          batch_size = batch_size, seed = seed, progress = progress,
          call = match.call())
}

#' Train a diagonal linear network on a problem given by its Gram matrix
#'
#' Same as [dln()] for the loss \eqn{\frac12 b'Mb - r'b + c}{1/2 b'Mb - r'b + c}:
#' the paper's units are `M = X'X`, `X'y` for `r`. There is no intercept and no
#' standardization, and no minibatches (they need the rows of `x`).
#'
#' @inheritParams lasso_path_gram
#' @param ... Arguments of [dln()] other than `x`, `y`, `standardize`,
#'   `intercept`, `batch_size` and `seed`.
#' @return An object of class `"dln"`.
#' @examples
#' set.seed(1)
#' X <- matrix(rnorm(12), 3, 4); y <- rnorm(3)
#' fit <- dln_gram(crossprod(X), drop(crossprod(X, y)), epsilon = 1e-10)
#' coef(fit, s = 1, average = TRUE)
#' @export
dln_gram <- function(M, r, ..., c = NULL) {
  g <- check_gram(M, r, c)
  check_dots_known(list(...), setdiff(names(formals(fit_dln)),
                                      c("g", "prob", "call", "batch_size", "seed")))
  fit_dln(g, gram_problem(g), ..., call = match.call())
}

# Initialization weights c+ and c- of the ODE, as logs, from the
# parametrization and its initialization directions.
init_weights <- function(param, beta0, gamma0, alpha0, p) {
  vec <- function(v, arg) {
    if (!is.numeric(v) || !(length(v) %in% c(1L, p)) || anyNA(v) ||
        any(!is.finite(v))) {
      dlnpath_abort(sprintf("`%s` must be a finite number or a vector of length %d",
                            arg, p), arg)
    }
    rep_len(as.double(v), p)
  }
  if (param == "uv") {
    b0 <- vec(beta0, "beta0")
    g0 <- vec(gamma0, "gamma0")
    bad <- which(abs(b0) == abs(g0))
    if (length(bad)) {
      dlnpath_abort(sprintf(paste0(
        "`beta0` and `gamma0` must differ in absolute value in every ",
        "coordinate (beta0 = +-gamma0 freezes one sign of b); coordinate %d ",
        "violates this"), bad[1]), "beta0")
    }
    list(logcp = 2 * log(abs(b0 + g0)) - log(4),
         logcm = 2 * log(abs(b0 - g0)) - log(4))
  } else {
    a0 <- vec(alpha0, "alpha0")
    if (any(a0 == 0)) {
      dlnpath_abort("`alpha0` must be nonzero in every coordinate (u = 0 stays 0)",
                    "alpha0")
    }
    list(logcp = 2 * log(abs(a0)), logcm = rep(-Inf, p))
  }
}

fit_dln <- function(g, prob, param = c("uv", "u2"), epsilon = 1e-5,
                    method = c("flow", "gd"), step = NULL, s = NULL,
                    weight_decay = 0, beta0 = 1, gamma0 = 0, alpha0 = 1,
                    tol = 1e-8, log_inv_epsilon = NULL, time = NULL,
                    lambda = NULL, ns = 100, lambda_min_ratio = NULL,
                    max_steps = NULL, batch_size = NULL, seed = NULL,
                    progress = interactive(), call) {
  param <- check_choice(param, c("uv", "u2"), "param")
  method <- check_choice(method, c("flow", "gd"), "method")
  p <- prob$p
  if (is.null(log_inv_epsilon)) {
    epsilon <- check_number(epsilon, "epsilon", 0, 1, open = c(TRUE, TRUE))
    L <- -log(epsilon)
  } else {
    L <- check_number(log_inv_epsilon, "log_inv_epsilon", 1e-300, 1e10)
    epsilon <- exp(-L)
  }
  kappa <- check_number(weight_decay, "weight_decay", 0, 1e300)
  tol <- check_number(tol, "tol", 1e-14, 0.1)
  check_flag(progress, "progress")
  w <- init_weights(param, beta0, gamma0, alpha0, p)
  time_per_s <- L / if (param == "uv") 2 else 4
  given <- c(s = !is.null(s), time = !is.null(time), lambda = !is.null(lambda))
  s <- grid_in_s(s, time, lambda, kappa, time_per_s, g$r, param, prob, ns,
                 lambda_min_ratio)
  check_grid_range(s, time_per_s, given, prob, g)
  # wide designs: the flow may solve through X (rank n) instead of M, and
  # coef() restarts do the same
  if (method == "flow" && !is.null(prob$x) && prob$n < p) g$x <- prob$x
  setup <- list(g = g, prob = prob, param = param, L = L, kappa = kappa,
                init = w, time_per_s = time_per_s, progress = progress,
                eps_arg = if (is.null(log_inv_epsilon)) "epsilon" else "log_inv_epsilon")
  res <- if (method == "flow") {
    if (!is.null(step) || !is.null(batch_size) || !is.null(seed)) {
      arg <- c("step", "batch_size", "seed")[c(!is.null(step), !is.null(batch_size),
                                               !is.null(seed))][1]
      dlnpath_abort(sprintf("`%s` is for method = \"gd\"", arg), arg)
    }
    # every point of the grid costs at least one step (the step lands on it)
    max_steps <- check_count(max_steps %||% (100000 + 2 * length(s)), "max_steps",
                             hi = 2e9)
    run_flow(setup, s, tol, max_steps)
  } else {
    max_steps <- check_number(max_steps %||% 1e8, "max_steps", 1, 9e15)
    run_gd(setup, s, step, max_steps, batch_size, seed)
  }
  s <- res$s
  Zavg <- sweep(res$Z, 2L, s, "/")
  dimnames(res$b) <- dimnames(res$Z) <- dimnames(res$E) <- dimnames(Zavg) <-
    list(prob$names, NULL)
  coefs <- to_original(prob, res$b)
  coefs_avg <- to_original(prob, Zavg)
  structure(list(
    s = s,
    time = s * time_per_s,
    lambda = kappa + 1 / s,
    a0 = coefs[1L, ],
    beta = coefs[-1L, , drop = FALSE],
    a0_avg = coefs_avg[1L, ],
    beta_avg = coefs_avg[-1L, , drop = FALSE],
    b = res$b,
    Z = res$Z,
    E = res$E,
    param = param,
    method = method,
    epsilon = epsilon,
    log_inv_epsilon = L,
    weight_decay = kappa,
    init = w,
    tol = if (method == "flow") tol else NA_real_,
    stats = res$stats,
    gd = res$gd,
    gram = g,
    prep = prob[setdiff(names(prob), c("x", "y"))],
    call = call
  ), class = "dln")
}

# Whether the flow's dense work goes through R's BLAS/LAPACK (TRUE) or its
# written-out loops (FALSE): option `dlnpath.flow_blas`, else whichever is
# faster with the BLAS R uses, timed once per session (src/flow.c).
flow_blas <- function() {
  opt <- getOption("dlnpath.flow_blas")
  if (!is.null(opt)) {
    if (!is.logical(opt) || length(opt) != 1L || is.na(opt)) {
      dlnpath_abort("option `dlnpath.flow_blas` must be TRUE, FALSE or NULL",
                    "dlnpath.flow_blas")
    }
    return(opt)
  }
  if (is.null(session$flow_blas)) session$flow_blas <- .Call(C_flow_blas_faster)
  session$flow_blas
}

# Per-session state: the BLAS timing of flow_blas().
session <- new.env(parent = emptyenv())

# Gradient flow through the stiff integrator: b, Z, E on the grid (coef()
# restarts from the states on the grid).
run_flow <- function(setup, s, tol, max_steps) {
  g <- setup$g
  p <- length(g$r)
  res <- .Call(C_dln_flow, g$M, g$x, g$r, setup$init$logcp, setup$init$logcm,
               setup$L, setup$kappa, 0, rep(0, p), rep(0, p), s, tol,
               max_steps, setup$progress, flow_blas())
  if (res$status == 1L) {
    dlnpath_abort(sprintf(paste0(
      "the flow integration reached `max_steps` = %d steps at s = %.4g (of %.4g); ",
      "raise `max_steps` (each of the %d points of the grid costs at least one ",
      "step, and the default allows 1e5 more)"),
      max_steps, res$s_fail, max(s), length(s)), "max_steps", kind = "numeric")
  }
  if (res$status != 0L) {
    hint <- flow_failure_hint(setup, tol)
    dlnpath_abort(sprintf(paste0(
      "the flow integration needed a step below rounding level at s = %.4g ",
      "(of %.4g)%s"), res$s_fail, max(s), hint$text), hint$arg, kind = "numeric")
  }
  list(s = s, b = res$b, Z = res$Z, E = res$E,
       stats = c(steps = res$naccept, rejected = res$nreject, rhs = res$nrhs,
                 lu = res$nlu))
}

# The integrators resolve rescaled times s from about 1e-290 to 1e300
# (steps are relative to s): beyond, the problem's scale (max|r| sets the
# first knot at s = 1/max|r|) is at the edge of the double range. The
# network is invariant under (M, r) -> (a M, a r) with s -> s / a (x and y
# multiplied by sqrt(a)), so rescaling the data is exact.
check_grid_range <- function(s, time_per_s, given, prob, g) {
  if (min(s) >= 1e-290 && max(s) <= 1e300 && is.finite(max(s) * time_per_s)) {
    return(invisible())
  }
  arg <- if (any(given)) names(given)[given][1L] else if (is.na(prob$n)) "r" else "y"
  dlnpath_abort(sprintf(paste0(
    "the rescaled times s reach %.3g, at the edge of the double range (the ",
    "first knot of the lasso is at s = 1/max|r| = %.3g); rescale the data: ",
    "the network on (a x, a y) is the one on (x, y) at s / a^2 (for ",
    "dln_gram(), on (a M, a r) at s / a)"),
    if (min(s) < 1e-290) min(s) else max(s), 1 / max(abs(g$r))), arg)
}

# Why the integrator may have failed, and the argument at fault: an
# initialization that is not small at the scale of the problem (multiplying
# y by c acts as dividing epsilon by c, so epsilon is measured against the
# coefficients' scale max|r| / max(diag(M))), or a tolerance too tight for
# double precision.
flow_failure_hint <- function(setup, tol) {
  g <- setup$g
  bscale <- max(abs(g$r)) / max(diag(g$M))
  if (is.finite(bscale) && bscale > 0 && setup$L + log(bscale) < 1) {
    return(list(arg = setup$eps_arg, text = sprintf(paste0(
      ": epsilon = %s is not small at the scale of this problem, whose ",
      "coefficients are of order %.3g (max|r| / max(diag(M))); use log_inv_epsilon ",
      "well above %.4g, or rescale `y` (and `x`, or use `standardize`)"),
      format_epsilon(exp(-setup$L), setup$L), bscale, -log(bscale))))
  }
  list(arg = "tol", text = sprintf("; loosen `tol` (now %g)", tol))
}

# Gradient descent: iterates k = round(t / step) for the grid's times.
run_gd <- function(setup, s, step, max_steps, batch_size, seed) {
  g <- setup$g
  prob <- setup$prob
  u2 <- setup$param == "u2"
  step <- if (is.null(step)) 0.1 * stable_step(setup, max(s)) else
    check_number(step, "step", 1e-300, 1e300)
  k <- round(s * setup$time_per_s / step)
  if (k[1L] < 1) {
    dlnpath_abort(sprintf(paste0(
      "the first requested time (t = %g) is less than half a step (step = %g); ",
      "use a smaller `step` or later times"), s[1L] * setup$time_per_s, step),
      "step")
  }
  k <- unique(k)
  if (max(k) > max_steps) {
    dlnpath_abort(sprintf(paste0(
      "gradient descent would need %.4g iterations to reach t = %g, more than ",
      "`max_steps` = %.4g; use a larger `step`, an earlier last time, or ",
      "raise `max_steps`"), max(k), max(k) * step, max_steps), "max_steps")
  }
  sgd <- minibatch_setup(prob, batch_size, seed)
  # the full gradient through X and X' when that is cheaper than with M
  use_x <- !is.null(prob$x) && 2 * prob$n < prob$p
  keep_rows <- use_x || sgd$batch > 0
  run <- list(g = g, init = setup$init, L = setup$L, kappa = setup$kappa, u2 = u2,
              step = step, batch = sgd$batch, use_x = use_x,
              x = if (keep_rows) prob$x, y = if (keep_rows) prob$y,
              rng_state = sgd$rng_state)
  # a run with a seed leaves the session's stream as it was; one from the
  # session's stream advances it, as any random function does
  res <- with_rng_state(sgd$rng_state, gd_call(run, k, progress = setup$progress),
                        restore = !is.null(seed))
  if (res$status != 0L) {
    dlnpath_abort(sprintf(paste0(
      "gradient descent diverged at iteration %.0f (t = %g): the step %g is too ",
      "large (the largest stable step is estimated at %.3g; the default step is ",
      "a tenth of that)"), res$k_fail, res$k_fail * step, step,
      stable_step(setup, max(s))), "step", kind = "numeric")
  }
  stability <- report_stability(res, step, u2, prob$names)
  time <- k * step
  s <- time / setup$time_per_s
  Z <- sweep(res$S, 2L, s / k, "*")
  list(s = s, b = res$b, Z = Z, E = g$M %*% Z - outer(g$r, s),
       stats = c(steps = max(k), rejected = 0, rhs = max(k), lu = 0),
       gd = c(list(step = step, k = k, batch_size = sgd$batch),
              stability,
              list(rng_state = sgd$rng_state, use_x = use_x, x = run$x, y = run$y,
                   checkpoints = res[c("mp", "ep", "mm", "em", "S", "C")])))
}

# One call of the gradient-descent kernel for the run described by `run`
# (from run_gd(), or rebuilt from a fit by coef()), from the initialization
# or from a saved state, through the iterations k_out.
gd_call <- function(run, k_out, state0 = NULL, progress = FALSE) {
  .Call(C_dln_gd, if (run$use_x) NULL else run$g$M, if (run$use_x) run$x,
        if (run$batch > 0) t(run$x), if (run$batch > 0) run$y, run$g$r,
        run$init$logcp, run$init$logcm, run$L, run$kappa, run$u2, run$step,
        run$batch, as.double(k_out), state0, progress)
}

# Stability indices of a run, their warnings, and sign flips per coordinate.
report_stability <- function(res, step, u2, names) {
  index <- max(res$idx_g, res$idx_c)
  largest <- if (index > 0) step / index else Inf
  flips <- data.frame(term = names, w_plus = res$flips_p,
                      w_minus = if (u2) 0 else res$flips_m)
  flipped <- flips$term[flips$w_plus + flips$w_minus > 0]
  if (length(flipped)) {
    dlnpath_warn(sprintf(paste0(
      "factors crossed zero (sign flips of %s) from iteration %.0f on, in %s: ",
      "the iterates oscillate instead of following the flow; use a step below %.3g"),
      if (u2) "u" else "w+ or w-", res$first_flip,
      paste(utils::head(flipped, 5), collapse = ", "), largest), "step")
  } else if (index > 0.5) {
    where <- if (index >= 1) sprintf("beyond the stability limit (index %.2g)", index)
             else sprintf("within a factor %.2g of the stability limit (index %.2g)",
                          1 / index, index)
    dlnpath_warn(sprintf(paste0(
      "the step %g is %s; the largest stable step along the run is about %.3g"),
      step, where, largest), "step")
  }
  list(index_gradient = res$idx_g, index_curvature = res$idx_c,
       largest_stable_step = largest, flips = flips)
}

# The largest stable step estimated before the run: at the start g = -r, so
# factors cross zero at step = 1 / max|r|; at the end the sharpness of the
# loss in the weights at the lasso solution for the last time of the grid.
stable_step <- function(setup, s_end) {
  g <- setup$g
  u2 <- setup$param == "u2"
  path <- fit_homotopy(list(M = g$M), g$r, setup$prob, u2, NULL, NULL, NULL,
                       call = quote(dln()))
  lam <- setup$kappa + 1 / s_end
  j <- which(path$lambda <= lam)
  b <- abs(path$beta_std[, if (length(j)) j[1L] else length(path$lambda)])
  A <- which(b > 0)
  sharp <- 0
  if (length(A)) {
    d <- sqrt(b[A])
    sharp <- max(eigen(d * t(d * g$M[A, A, drop = FALSE]), symmetric = TRUE,
                       only.values = TRUE)$values)
  }
  rate <- (if (u2) 2 else 1) * max(max(abs(g$r)) + setup$kappa, sharp)
  if (rate > 0) 1 / rate else 10
}

# Minibatch settings: rows (transposed), batch size, and the RNG state the
# run starts from (so coef() can replay it).
minibatch_setup <- function(prob, batch_size, seed) {
  if (is.null(batch_size)) {
    if (!is.null(seed)) dlnpath_abort("`seed` is for minibatches (`batch_size`)", "seed")
    return(list(batch = 0L, Xt = NULL, y = NULL, rng_state = NULL))
  }
  if (is.null(prob$x)) {
    dlnpath_abort("minibatches need the rows of `x`: use dln(), not dln_gram()",
                  "batch_size")
  }
  batch <- check_count(batch_size, "batch_size")
  if (batch > prob$n) {
    dlnpath_abort(sprintf("`batch_size` must be at most the number of rows (%d)",
                          prob$n), "batch_size")
  }
  if (!is.null(seed)) {
    seed <- check_number(seed, "seed")
    old <- get0(".Random.seed", envir = globalenv(), inherits = FALSE)
    set.seed(seed)
    state <- get(".Random.seed", envir = globalenv())
    restore_rng(old)
  } else {
    if (!exists(".Random.seed", envir = globalenv(), inherits = FALSE)) stats::runif(1)
    state <- get(".Random.seed", envir = globalenv())
  }
  list(batch = batch, Xt = t(prob$x), y = prob$y, rng_state = state)
}

restore_rng <- function(state) {
  if (is.null(state)) {
    if (exists(".Random.seed", envir = globalenv(), inherits = FALSE)) {
      rm(".Random.seed", envir = globalenv())
    }
  } else {
    assign(".Random.seed", state, envir = globalenv())
  }
}

# Evaluate `expr` with the RNG at `state` (NULL: leave the RNG alone). With
# a seed the session's stream is restored afterwards; a run from the
# session's own stream advances it, as any random function does.
with_rng_state <- function(state, expr, restore = TRUE) {
  if (is.null(state)) return(expr)
  old <- get0(".Random.seed", envir = globalenv(), inherits = FALSE)
  assign(".Random.seed", state, envir = globalenv())
  if (restore) on.exit(restore_rng(old))
  expr
}

# The reporting grid in rescaled time s from whichever of s, time and lambda
# was given (none: the default grid of time_grid()).
grid_in_s <- function(s, time, lambda, kappa, time_per_s, r, param, prob, ns,
                      lambda_min_ratio) {
  given <- c(s = !is.null(s), time = !is.null(time), lambda = !is.null(lambda))
  if (sum(given) > 1) {
    dlnpath_abort(sprintf("give the grid as one of `s`, `time`, `lambda`, not %s",
                          paste0("`", names(given)[given], "`", collapse = " and ")),
                  names(given)[given][2L])
  }
  if (given[["time"]]) return(check_grid(time, "time") / time_per_s)
  if (given[["lambda"]]) {
    lambda <- check_grid(lambda, "lambda", decreasing = TRUE)
    if (any(lambda <= kappa)) {
      dlnpath_abort(sprintf(
        "`lambda` must exceed `weight_decay` (%g): lambda = weight_decay + 1/s", kappa),
        "lambda")
    }
    return(1 / (lambda - kappa))
  }
  time_grid(s, r, param, prob, ns, lambda_min_ratio)
}

# The s grid: given, or log-spaced over the range where the lasso path moves.
time_grid <- function(s, r, param, prob, ns, lambda_min_ratio) {
  if (!is.null(s)) return(check_grid(s, "s"))
  ns <- check_count(ns, "ns", 2)
  lmax <- lambda_max(r, nonneg = param == "u2")
  lmr <- if (is.null(lambda_min_ratio)) default_lambda_min_ratio(prob$n, prob$p) else
    check_number(lambda_min_ratio, "lambda_min_ratio", 0, 1, open = c(TRUE, TRUE))
  exp(seq(log(0.5 / lmax), log(1 / (lmr * lmax)), length.out = ns))
}

# Largest lambda at which the lasso solution is nonzero (all-zero
# correlations fall back to 1 so that a grid can still be made).
lambda_max <- function(r, nonneg = FALSE) {
  m <- if (nonneg) max(c(r, 0)) else max(abs(r), 0)
  if (m > 0) m else 1
}
