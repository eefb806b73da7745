# One place for argument checks and the package's classed conditions.
#
# Every error is `dlnpath_error_<kind>` and `dlnpath_error`; every warning is
# `dlnpath_warning_<kind>` and `dlnpath_warning`. Input errors name the
# argument (field `arg`) and say what would be accepted.

dlnpath_abort <- function(message, arg = NULL, kind = "input",
                          call = user_call()) {
  cnd <- structure(
    list(message = message, call = call, arg = arg),
    class = c(paste0("dlnpath_error_", kind), "dlnpath_error", "error",
              "condition")
  )
  stop(cnd)
}

dlnpath_warn <- function(message, kind, call = user_call()) {
  cnd <- structure(
    list(message = message, call = call),
    class = c(paste0("dlnpath_warning_", kind), "dlnpath_warning", "warning",
              "condition")
  )
  warning(cnd)
}

# The call of the function the user called: the outermost frame running a
# function of this package (conditions then read "Error in dln(...)", not
# the name of the internal helper that raised them).
user_call <- function() {
  ns <- topenv(environment(user_call))
  for (i in seq_len(sys.nframe())) {
    env <- environment(sys.function(i))
    if (!is.null(env) && identical(topenv(env), ns)) return(sys.call(i))
  }
  NULL
}

# x: numeric matrix, integer/logical matrix, numeric vector (one column) or a
# data frame of numeric/logical columns, with at least one column. Returns a
# double matrix with column names (repaired by column_names(), with a
# warning when `warn_names`). With `sparse_ok`, a sparse Matrix is accepted
# and returned as a dgCMatrix (never densified). `finite = FALSE` leaves
# the check for NA/Inf to the caller (who reads the values anyway).
check_x <- function(x, arg = "x", warn_names = TRUE, sparse_ok = FALSE,
                    finite = TRUE) {
  if (sparse_ok && inherits(x, "sparseMatrix")) {
    return(check_sparse_x(x, arg, warn_names))
  }
  if (is.data.frame(x)) {
    bad <- names(x)[!vapply(x, function(v) is.numeric(v) || is.logical(v),
                            logical(1))]
    if (length(bad)) {
      dlnpath_abort(sprintf(paste0(
        "`%s` has non-numeric column(s) %s; encode them first, e.g. with ",
        "model.matrix(~ ., data)[, -1] for factors"), arg,
        paste0("'", bad, "'", collapse = ", ")), arg)
    }
    x <- as.matrix(x)
    storage.mode(x) <- "double"
  }
  if (is.null(dim(x)) && (is.numeric(x) || is.logical(x))) {
    x <- matrix(x, ncol = 1L)
  }
  if (inherits(x, "Matrix")) {
    dlnpath_abort(sprintf(paste0(
      "`%s` is a Matrix object (class %s); this method needs a base R matrix ",
      "(as.matrix(%s); method = \"cd\" of lasso_path() takes a sparse dgCMatrix)"),
      arg, class(x)[1], arg), arg)
  }
  if (!is.matrix(x) || !(is.numeric(x) || is.logical(x))) {
    what <- if (is.matrix(x)) paste(typeof(x), "matrix") else class(x)[1]
    dlnpath_abort(sprintf(
      "`%s` must be a numeric matrix or data frame, not a %s", arg, what), arg)
  }
  check_has_columns(x, arg)
  storage.mode(x) <- "double"
  if (finite) check_finite(x, arg)
  nm <- column_names(colnames(x), ncol(x), arg, warn_names)
  if (!identical(nm, colnames(x))) colnames(x) <- nm   # no copy when unchanged
  x
}

# A sparse Matrix as a dgCMatrix, with the checks of check_x().
check_sparse_x <- function(x, arg, warn_names = TRUE) {
  x <- methods::as(methods::as(methods::as(x, "CsparseMatrix"), "generalMatrix"),
                   "dMatrix")
  check_has_columns(x, arg)
  bad <- which(!is.finite(x@x))
  if (length(bad)) {
    k <- bad[1L]
    j <- findInterval(k - 1L, x@p)      # x@p: 0-based column starts
    abort_nonfinite(arg, anyNA(x@x[bad]), sprintf("[%d, %d]%s", x@i[k] + 1L, j,
                                         column_label(colnames(x)[j])))
  }
  nm <- column_names(colnames(x), ncol(x), arg, warn_names)
  if (!identical(nm, colnames(x))) colnames(x) <- nm
  x
}

check_has_columns <- function(x, arg) {
  if (ncol(x) == 0L) {
    dlnpath_abort(sprintf("`%s` has no columns: there is nothing to fit", arg),
                  arg)
  }
}

# Column names as the fits report them: missing, empty or NA names become
# V<column number>; a name used twice, or "(Intercept)" (the intercept's
# row in coef()), is made unique with make.unique(), with a warning of
# class `dlnpath_warning_names` (warn = FALSE for newx, repaired the same
# way to be matched with the fit's).
column_names <- function(nm, p, arg, warn = TRUE) {
  if (is.null(nm)) return(paste0("V", seq_len(p)))
  empty <- is.na(nm) | nm == ""
  nm[empty] <- paste0("V", which(empty))
  fixed <- make.unique(c("(Intercept)", nm))[-1L]
  changed <- fixed != nm
  if (warn && any(changed)) {
    dlnpath_warn(sprintf(paste0(
      "`%s` has duplicated column names or one named \"(Intercept)\"; ",
      "renamed %s"), arg, paste0("'", nm[changed], "' -> '", fixed[changed], "'",
                                 collapse = ", ")), "names")
  }
  fixed
}

# y: numeric vector, or a one-column matrix or data frame.
check_y <- function(y, n, arg = "y") {
  if (is.data.frame(y) || is.matrix(y)) {
    if (NCOL(y) != 1L) {
      dlnpath_abort(sprintf("`%s` must be a vector or have one column, not %d",
                            arg, NCOL(y)), arg)
    }
    y <- if (is.data.frame(y)) y[[1L]] else y[, 1L]
  }
  if (is.factor(y) || !(is.numeric(y) || is.logical(y))) {
    dlnpath_abort(sprintf("`%s` must be numeric, not %s", arg, class(y)[1]), arg)
  }
  y <- as.double(y)
  if (length(y) != n) {
    dlnpath_abort(sprintf("`%s` has length %d but `x` has %d rows", arg,
                          length(y), n), arg)
  }
  check_finite(y, arg)
  y
}

# No NA, NaN or Inf; the first offender is reported as [row, column] in a
# matrix, by position in a vector.
check_finite <- function(v, arg) {
  if (!length(v) || (is.finite(min(v)) && is.finite(max(v)))) {
    return(invisible(v))                                  # no copies
  }
  bad <- which(!is.finite(v))
  if (length(bad)) {
    where <- if (is.matrix(v)) {
      i <- arrayInd(bad[1L], dim(v))
      sprintf("[%d, %d]%s", i[1L], i[2L], column_label(colnames(v)[i[2L]]))
    } else {
      sprintf("position %d", bad[1L])
    }
    abort_nonfinite(arg, anyNA(v[bad]), where)
  }
  invisible(v)
}

abort_nonfinite <- function(arg, na, where) {
  dlnpath_abort(sprintf("`%s` contains %s (first at %s); remove or impute it",
                        arg, if (na) "NA/NaN" else "Inf", where), arg)
}

column_label <- function(col) {
  if (is.null(col) || is.na(col) || col == "") "" else sprintf(" (column '%s')", col)
}

check_flag <- function(v, arg) {
  if (!is.logical(v) || length(v) != 1L || is.na(v)) {
    dlnpath_abort(sprintf("`%s` must be TRUE or FALSE", arg), arg)
  }
  v
}

# A single finite number in [lo, hi] (open ends with `open`).
check_number <- function(v, arg, lo = -Inf, hi = Inf, open = c(FALSE, FALSE)) {
  ok <- is.numeric(v) && length(v) == 1L && !is.na(v) && is.finite(v)
  if (ok) {
    ok <- (if (open[1]) v > lo else v >= lo) && (if (open[2]) v < hi else v <= hi)
  }
  if (!ok) {
    range <- describe_range(lo, hi, open)
    dlnpath_abort(sprintf("`%s` must be a single finite number%s", arg,
                          if (nzchar(range)) paste0(" ", range) else ""), arg)
  }
  as.double(v)
}

# "in [0, 1)", ">= 0", "> 0", ...: the range in words, infinite ends left out.
describe_range <- function(lo, hi, open = c(FALSE, FALSE)) {
  if (is.finite(lo) && is.finite(hi)) {
    return(sprintf("in %s%s, %s%s", if (open[1]) "(" else "[", format(lo),
                   format(hi), if (open[2]) ")" else "]"))
  }
  if (is.finite(lo)) return(sprintf("%s %s", if (open[1]) ">" else ">=", format(lo)))
  if (is.finite(hi)) return(sprintf("%s %s", if (open[2]) "<" else "<=", format(hi)))
  ""
}

# A whole number in [lo, hi] (hi at most the largest integer); `Inf` too
# when `inf_ok` (returned as is: "no limit", as print(n = Inf)).
check_count <- function(v, arg, lo = 1, hi = .Machine$integer.max, inf_ok = FALSE) {
  if (inf_ok && identical(as.double(v), Inf)) return(Inf)
  whole <- is.numeric(v) && length(v) == 1L && !is.na(v) && v == round(v)
  if (!whole || v < lo || v > hi) {
    big <- whole && v > hi || hi < .Machine$integer.max
    dlnpath_abort(sprintf("`%s` must be a whole number %s%s", arg,
                          describe_range(lo, if (big) hi else Inf),
                          if (inf_ok) " (or Inf)" else ""), arg)
  }
  as.integer(v)
}

# match.arg() with a classed error naming the argument: `v` is one of
# `choices` (partial matching as match.arg; the whole default vector gives
# its first element).
check_choice <- function(v, choices, arg) {
  if (identical(v, choices)) return(choices[1L])
  i <- if (is.character(v) && length(v) == 1L && !is.na(v)) pmatch(v, choices) else NA
  if (is.na(i)) {
    got <- if (is.character(v) && length(v) == 1L) sprintf("\"%s\"", v) else
      sprintf("a %s of length %d", class(v)[1], length(v))
    dlnpath_abort(sprintf("`%s` must be one of %s, not %s", arg,
                          paste0("\"", choices, "\"", collapse = ", "), got), arg)
  }
  choices[i]
}

# A grid of positive values (s, lambda, time): finite, positive, sorted
# increasing (decreasing = FALSE) or decreasing, duplicates removed.
check_grid <- function(v, arg, decreasing = FALSE, positive = TRUE) {
  if (!is.numeric(v) || !length(v)) {
    dlnpath_abort(sprintf("`%s` must be a non-empty numeric vector", arg), arg)
  }
  check_finite(v, arg)
  if (positive && any(v <= 0)) {
    dlnpath_abort(sprintf("`%s` must be positive", arg), arg)
  }
  if (!positive && any(v < 0)) {
    dlnpath_abort(sprintf("`%s` must be non-negative", arg), arg)
  }
  sort(unique(as.double(v)), decreasing = decreasing)
}

check_min_rows <- function(x, arg = "x") {
  if (nrow(x) < 2L) {
    dlnpath_abort(sprintf("`%s` must have at least 2 rows, not %d", arg, nrow(x)),
                  arg)
  }
}

# M (symmetric positive semi-definite p x p, finite), r (length p, in the
# range of M) and the constant c of the loss 1/2 b'Mb - r'b + c for the
# *_gram() entry points. Both conditions, and the default c = r'M^+r/2 (the
# smallest for which the loss is nonnegative), come from one pivoted
# Cholesky factorization (gram_factor()). Returns the problem as
# problem_gram() does, with the fingerprint of M.
check_gram <- function(M, r, c = NULL) {
  if (is.null(dim(M)) && is.numeric(M) && length(M) == 1L) M <- matrix(M, 1L, 1L)
  if (!is.matrix(M) || !(is.numeric(M) || is.logical(M)) || nrow(M) != ncol(M)) {
    dlnpath_abort("`M` must be a square numeric matrix", "M")
  }
  if (nrow(M) == 0L) dlnpath_abort("`M` is 0 x 0: there is nothing to fit", "M")
  storage.mode(M) <- "double"
  check_finite(M, "M")
  if (!isTRUE(all.equal(M, t(M), tolerance = 1e-10, check.attributes = FALSE))) {
    dlnpath_abort("`M` must be symmetric", "M")
  }
  if (is.matrix(r) && ncol(r) == 1L) r <- r[, 1L]
  if (!(is.numeric(r) || is.logical(r)) || length(r) != nrow(M)) {
    dlnpath_abort(sprintf("`r` must be a numeric vector of length nrow(M) = %d",
                          nrow(M)), "r")
  }
  given <- colnames(M) %||% names(r)
  names <- column_names(given, nrow(M), "M")
  r <- as.double(r)
  check_finite(r, "r")
  if (any(diag(M) < 0)) {
    dlnpath_abort("`M` must be positive semi-definite (it has a negative diagonal)",
                  "M")
  }
  dimnames(M) <- NULL
  f <- gram_factor(M, r)
  if (f$curvature > 1e-10) {
    dlnpath_abort(sprintf(paste0(
      "`M` must be positive semi-definite; it is indefinite (negative ",
      "curvature of about %.3g max(diag(M))), so the lasso objective is not ",
      "convex"), f$curvature), "M")
  }
  if (f$outside > 1e-8) {
    dlnpath_abort(sprintf(paste0(
      "`r` must lie in the range of `M` (as X'y lies in that of X'X); %.3g of ",
      "it lies outside, along directions where M is zero, so the loss ",
      "1/2 b'Mb - r'b is unbounded below"), f$outside), "r")
  }
  if (is.null(c)) {
    c <- f$c_min
  } else {
    c <- check_number(c, "c")
    if (c < f$c_min * (1 - 1e-6)) {
      dlnpath_abort(sprintf(paste0(
        "`c` must be at least r'M^+r/2 = %.6g, or the loss 1/2 b'Mb - r'b + c ",
        "takes negative values and relative gaps are undefined; omit `c` to ",
        "use that smallest value"), f$c_min), "c")
    }
  }
  list(M = M, r = r, c = c, names = names, named = !is.null(given),
       fingerprint = gram_fingerprint(M))
}

# The pivoted Cholesky factor R of M (R'R = M[piv, piv] on its first k =
# rank rows) gives, with R11 its leading k x k block and R12 the rest of
# those rows:
# - curvature: the Schur complement S = M22 - R12'R12 is 0 (to rounding)
#   exactly when M is positive semi-definite (its diagonal is below the
#   pivoting tolerance, so it is near zero when it is itself semi-definite);
#   it is probed with two fixed vectors (O(p^2) instead of forming S),
#   relative to max(diag(M));
# - w solving R11'w = r1, the part of r outside the range of M (r2 - R12'w,
#   relative to the size of r) and r'M^+r = |w|^2 (r = R1'w on the range).
gram_factor <- function(M, r) {
  top <- max(diag(M))
  rsize <- max(abs(r))
  if (top == 0) {
    return(list(curvature = if (any(M != 0)) Inf else 0,
                outside = if (rsize > 0) 1 else 0, c_min = 0))
  }
  R <- suppressWarnings(chol(M, pivot = TRUE))   # warns when rank-deficient
  k <- attr(R, "rank")
  piv <- attr(R, "pivot")
  lead <- seq_len(k)
  w <- backsolve(R[lead, lead, drop = FALSE], r[piv[lead]], transpose = TRUE)
  curvature <- 0
  outside <- 0
  if (k < nrow(M)) {
    rest <- piv[-lead]
    R12 <- R[lead, -lead, drop = FALSE]
    V <- cbind(sin(seq_along(rest) * 12.9898), cos(seq_along(rest) * 78.233))
    SV <- M[rest, rest, drop = FALSE] %*% V - crossprod(R12, R12 %*% V)
    curvature <- max(abs(SV)) / (top * max(colSums(abs(V))))
    resid <- r[rest] - drop(crossprod(R12, w))
    outside <- max(abs(resid)) / (rsize + sqrt(top * sum(w^2)))
  }
  list(curvature = curvature, outside = outside, c_min = sum(w^2) / 2)
}

`%||%` <- function(a, b) if (is.null(a)) b else a

# Arguments that fell into `...` are a typo or a misplaced argument.
check_dots_empty <- function(...) {
  dots <- list(...)
  if (length(dots)) {
    nms <- names(dots)
    nms <- if (is.null(nms)) rep("", length(dots)) else nms
    nms[nms == ""] <- "<unnamed>"
    dlnpath_abort(sprintf("unknown argument(s): %s", paste(nms, collapse = ", ")),
                  "...", call = sys.call(-1))
  }
}

# Arguments passed on through `...` must be named and among `known`.
check_dots_known <- function(args, known) {
  nms <- names(args) %||% rep("", length(args))
  bad <- nms[nms == "" | !nms %in% known]
  if (length(bad)) {
    bad[bad == ""] <- "<unnamed>"
    dlnpath_abort(sprintf("unknown argument(s) in `...`: %s; accepted: %s",
                          paste(bad, collapse = ", "), paste(known, collapse = ", ")),
                  "...", call = sys.call(-1))
  }
}
