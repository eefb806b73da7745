# One place for argument checks and the package's classed conditions.
#
# Every error is `dlnpath_error_<kind>` and `dlnpath_error`; every warning is
# `dlnpath_warning_<kind>` and `dlnpath_warning`. Input errors name the
# argument (field `arg`) and say what would be accepted.

dlnpath_abort <- function(message, arg = NULL, kind = "input",
                          call = sys.call(-1)) {
  cnd <- structure(
    list(message = message, call = call, arg = arg),
    class = c(paste0("dlnpath_error_", kind), "dlnpath_error", "error",
              "condition")
  )
  stop(cnd)
}

dlnpath_warn <- function(message, kind, call = sys.call(-1)) {
  cnd <- structure(
    list(message = message, call = call),
    class = c(paste0("dlnpath_warning_", kind), "dlnpath_warning", "warning",
              "condition")
  )
  warning(cnd)
}

# x: numeric matrix, integer/logical matrix, numeric vector (one column) or a
# data frame of numeric/logical columns. Returns a double matrix with column
# names. With `sparse_ok`, a sparse Matrix is accepted and returned as a
# dgCMatrix (never densified). `finite = FALSE` leaves the check for NA/Inf
# to the caller (who reads the values anyway).
check_x <- function(x, arg = "x", sparse_ok = FALSE, finite = TRUE) {
  if (sparse_ok && inherits(x, "sparseMatrix")) return(check_sparse_x(x, arg))
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
    dlnpath_abort(sprintf(
      "`%s` is a sparse Matrix; this method needs a dense matrix (as.matrix(%s))",
      arg, arg), arg)
  }
  if (!is.matrix(x) || !(is.numeric(x) || is.logical(x))) {
    dlnpath_abort(sprintf(
      "`%s` must be a numeric matrix or data frame, not %s", arg,
      class(x)[1]), arg)
  }
  if (length(dim(x)) != 2L) dlnpath_abort(sprintf("`%s` must be a matrix", arg), arg)
  storage.mode(x) <- "double"
  if (finite) check_finite(x, arg)
  if (is.null(colnames(x))) colnames(x) <- paste0("V", seq_len(ncol(x)))
  x
}

check_sparse_x <- function(x, arg) {
  x <- methods::as(methods::as(methods::as(x, "CsparseMatrix"), "generalMatrix"),
                   "dMatrix")
  check_finite(x@x, arg)
  if (is.null(colnames(x))) colnames(x) <- paste0("V", seq_len(ncol(x)))
  x
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

check_finite <- function(v, arg) {
  bad <- which(!is.finite(v))
  if (length(bad)) {
    what <- if (anyNA(v[bad])) "NA/NaN" else "Inf"
    dlnpath_abort(sprintf("`%s` contains %s (first at position %d); remove or impute it",
                          arg, what, bad[1]), arg)
  }
  invisible(v)
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
    dlnpath_abort(sprintf("`%s` must be a single number in %s%s, %s%s", arg,
                          if (open[1]) "(" else "[", format(lo), format(hi),
                          if (open[2]) ")" else "]"), arg)
  }
  as.double(v)
}

check_count <- function(v, arg, lo = 1) {
  if (!is.numeric(v) || length(v) != 1L || is.na(v) || v < lo ||
      v != round(v) || v > .Machine$integer.max) {
    dlnpath_abort(sprintf("`%s` must be a whole number >= %d", arg, lo), arg)
  }
  as.integer(v)
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

# M (symmetric p x p, finite) and r (length p) for the *_gram() entry points.
check_gram <- function(M, r, c = NULL) {
  if (is.null(dim(M)) && is.numeric(M) && length(M) == 1L) M <- matrix(M, 1L, 1L)
  if (!is.matrix(M) || !(is.numeric(M) || is.logical(M)) || nrow(M) != ncol(M)) {
    dlnpath_abort("`M` must be a square numeric matrix", "M")
  }
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
  r <- as.double(r)
  check_finite(r, "r")
  if (any(diag(M) < 0)) {
    dlnpath_abort("`M` must be positive semi-definite (it has a negative diagonal)",
                  "M")
  }
  if (!is.null(c)) c <- check_number(c, "c")
  names <- colnames(M) %||% names(r) %||% paste0("V", seq_len(nrow(M)))
  dimnames(M) <- NULL
  list(M = M, r = r, c = c, names = names)
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
