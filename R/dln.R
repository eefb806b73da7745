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
#' `method = "flow"` integrates gradient flow exactly (to `tol`) through the
#' p-dimensional ODE for \eqn{Z(s) = s\bar b(s)}{Z(s) = s bbar(s)},
#' \deqn{dZ/ds = c_+ \epsilon^{1 + \kappa s + E} - c_- \epsilon^{1 + \kappa s - E},
#'   \quad E = MZ - sr,}{dZ/ds = c+ eps^(1 + kappa s + E) - c- eps^(1 + kappa s - E),  E = M Z - s r,}
#' with \eqn{c_\pm = (\beta_0 \pm \gamma_0)^2/4}{c+- = (beta0 +- gamma0)^2 / 4},
#' evaluated in log space (so `epsilon` may be `1e-300`, or smaller through
#' `log_inv_epsilon`), by a stiff Rosenbrock method (RODAS4) with the
#' analytic Jacobian and error control. `tol` bounds the local error of each
#' step in \eqn{\log b}{log b} (that is, the relative error of \eqn{b}) and
#' in \eqn{Z}, so the cost does not grow with \eqn{\log(1/\epsilon)}{log(1/eps)}.
#'
#' The network is not invariant to the scale of `y` (nor, without
#' `standardize`, of `x`): `epsilon` is measured against the coefficients of
#' the prepared problem, and multiplying `y` by `c` has the effect of dividing
#' `epsilon` by `c`.
#'
#' @inheritParams lasso_path
#' @param param `"uv"` or `"u2"`.
#' @param epsilon Initialization scale, in (0, 1).
#' @param method `"flow"` (gradient flow).
#' @param step Step size, for gradient descent.
#' @param s Rescaled times at which to report the trajectory. Default: `ns`
#'   log-spaced values from `0.5 / lambda_max` to
#'   `1 / (lambda_min_ratio * lambda_max)`, where the lasso path moves.
#' @param weight_decay Weight decay \eqn{\kappa \ge 0}{kappa >= 0}.
#' @param beta0,gamma0 Initialization directions of `u` and `v` (`"uv"`):
#'   scalars or vectors of length p, with `beta0 != +-gamma0` elementwise.
#' @param alpha0 Initialization direction of `u` (`"u2"`), nonzero.
#' @param tol Local error bound of the integrator (see Details).
#' @param ... Unused; an error if not empty.
#' @param log_inv_epsilon \eqn{\log(1/\epsilon)}{log(1/epsilon)}; overrides
#'   `epsilon` (for initializations smaller than `1e-300`). At most `1e10`:
#'   beyond, the transitions of the trajectory (of width about
#'   \eqn{1/\log(1/\epsilon)}{1/log(1/eps)} in `s`) fall below double-precision
#'   resolution.
#' @param ns Number of points of the default `s` grid.
#' @param lambda_min_ratio Lower end of the default grid, as a fraction of
#'   `lambda_max` (glmnet's default: `1e-2` when n < p, else `1e-4`).
#' @param max_steps Maximum number of integrator steps.
#' @return An object of class `"dln"`: a list with `s`, `time`, `lambda`
#'   (`weight_decay + 1/s`), `beta`/`a0` (the predictor \eqn{b(s)} on the
#'   original scale) and `beta_avg`/`a0_avg` (the averaged trajectory), the
#'   integrator's counts in `stats`, and the settings used.
#' @seealso [dln_gram()], [compare_paths()], [coef.dln()].
#' @examples
#' x <- as.matrix(diabetes[, 1:10])
#' fit <- dln(x, diabetes$y, epsilon = 1e-30)
#' fit
#' coef(fit, s = 0.1, average = TRUE)
#' @export
dln <- function(x, y, param = c("uv", "u2"), epsilon = 1e-5,
                method = c("flow"), step = NULL, s = NULL,
                weight_decay = 0, beta0 = 1, gamma0 = 0, alpha0 = 1,
                standardize = TRUE, intercept = TRUE, tol = 1e-8, ...,
                log_inv_epsilon = NULL, ns = 100, lambda_min_ratio = NULL,
                max_steps = 100000L) {
  check_dots_empty(...)
  prob <- prepare_problem(x, y, standardize, intercept)
  fit_dln(problem_gram(prob), prob, param = param, epsilon = epsilon,
          method = method, step = step, s = s, weight_decay = weight_decay,
          beta0 = beta0, gamma0 = gamma0, alpha0 = alpha0, tol = tol,
          log_inv_epsilon = log_inv_epsilon, ns = ns,
          lambda_min_ratio = lambda_min_ratio, max_steps = max_steps,
          call = match.call())
}

#' Train a diagonal linear network on a problem given by its Gram matrix
#'
#' Same as [dln()] for the loss \eqn{\frac12 b'Mb - r'b + c}{1/2 b'Mb - r'b + c}:
#' the paper's units are `M = X'X`, `X'y` for `r`. There is no intercept and no
#' standardization.
#'
#' @inheritParams lasso_path_gram
#' @param ... Arguments of [dln()] other than `x`, `y`, `standardize`,
#'   `intercept`.
#' @return An object of class `"dln"`.
#' @examples
#' set.seed(1)
#' X <- matrix(rnorm(12), 3, 4); y <- rnorm(3)
#' fit <- dln_gram(crossprod(X), drop(crossprod(X, y)), epsilon = 1e-10)
#' coef(fit, s = 1, average = TRUE)
#' @export
dln_gram <- function(M, r, ..., c = NULL) {
  g <- check_gram(M, r, c)
  check_dots_known(list(...), setdiff(names(formals(fit_dln)), c("g", "prob", "call")))
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
                    method = c("flow"), step = NULL, s = NULL,
                    weight_decay = 0, beta0 = 1, gamma0 = 0, alpha0 = 1,
                    tol = 1e-8, log_inv_epsilon = NULL, ns = 100,
                    lambda_min_ratio = NULL, max_steps = 100000L, call) {
  param <- match.arg(param)
  method <- match.arg(method)
  p <- prob$p
  if (is.null(log_inv_epsilon)) {
    epsilon <- check_number(epsilon, "epsilon", 0, 1, open = c(TRUE, TRUE))
    L <- -log(epsilon)
  } else {
    L <- check_number(log_inv_epsilon, "log_inv_epsilon", 0, 1e10,
                      open = c(TRUE, FALSE))
    epsilon <- exp(-L)
  }
  kappa <- check_number(weight_decay, "weight_decay", 0)
  tol <- check_number(tol, "tol", 1e-14, 0.1)
  max_steps <- check_count(max_steps, "max_steps")
  w <- init_weights(param, beta0, gamma0, alpha0, p)
  s <- time_grid(s, g$r, param, prob, ns, lambda_min_ratio)

  res <- .Call(C_dln_flow, g$M, g$r, w$logcp, w$logcm, L, kappa, 0, rep(0, p),
               rep(0, p), s, tol, max_steps)
  if (res$status != 0L) {
    why <- if (res$status == 1L) "reached `max_steps`" else "needed a step below rounding level"
    dlnpath_abort(sprintf(paste0(
      "the flow integration %s at s = %g (of %g); increase `max_steps` or `tol`"),
      why, res$s_fail, max(s)), kind = "numeric")
  }
  Zavg <- sweep(res$Z, 2L, s, "/")
  dimnames(res$b) <- dimnames(Zavg) <- list(prob$names, NULL)
  coefs <- to_original(prob, res$b)
  coefs_avg <- to_original(prob, Zavg)
  time_per_s <- L / if (param == "uv") 2 else 4
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
    tol = tol,
    stats = c(steps = res$naccept, rejected = res$nreject, rhs = res$nrhs,
              lu = res$nlu),
    history = list(s = res$hist_s, E = res$hist_E, Z = res$hist_Z),
    gram = g,
    prep = prob[setdiff(names(prob), c("x", "y"))],
    call = call
  ), class = "dln")
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
