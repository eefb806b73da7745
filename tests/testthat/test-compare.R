# compare_paths() and path_monotonicity().

test_that("compare_paths reports the contract's columns, gaps >= 0", {
  x <- diabetes_x(); y <- diabetes_y()
  cmp <- compare_paths(dln(x, y, epsilon = 1e-10, s = c(0.02, 0.1, 1, 10)))
  df <- as.data.frame(cmp)
  expect_true(all(c("s", "lambda", "objective_avg", "objective_lasso", "rel_gap",
                    "max_abs_diff") %in% names(df)))
  expect_equal(nrow(df), 4)
  # the lasso minimizes its objective: no trajectory can beat it
  expect_gt(min(df$rel_gap), -1e-12)
  expect_gt(min(df$rel_gap_raw), -1e-12)
  # objective recomputed independently from the data
  g <- gram_of(x, y)
  b <- coef(cmp$dln, s = 1, average = TRUE)[-1, 1] * g$sd
  lam <- 1
  obj <- sum((y - mean(y) - scale(x, scale = FALSE) %*% (b / g$sd))^2) / (2 * nrow(x)) +
    lam * sum(abs(b))
  expect_equal(df$objective_avg[3], obj, tolerance = 1e-10)
})

test_that("max_abs_diff is on the original scale of x", {
  x <- diabetes_x(); y <- diabetes_y()
  fit <- dln(x, y, epsilon = 1e-10, s = c(0.1, 1))
  lasso <- lasso_path(x, y)
  cmp <- as.data.frame(compare_paths(fit, lasso))
  d <- abs(coef(fit, average = TRUE)[-1, ] - coef(lasso, lambda = 1 / c(0.1, 1))[-1, ])
  expect_equal(cmp$max_abs_diff, unname(apply(d, 2, max)), tolerance = 1e-10)
})

test_that("support_agree counts tiny coefficients alike on both sides", {
  # a monotone instance: the limit equals the lasso, so supports agree at
  # every s (a just-entered lasso coefficient below the threshold counted as
  # nonzero for the lasso only, and agreement was 98%)
  set.seed(3)
  X <- matrix(rnorm(200), 50)
  y <- X %*% c(1, -2, 0, 0) + rnorm(50)
  M <- crossprod(X); r <- drop(crossprod(X, y))
  cmp <- compare_paths(dln_limit_gram(M, r), lasso_path_gram(M, r))
  tab <- as.data.frame(cmp)
  expect_lt(max(tab$max_abs_diff), 1e-10)
  expect_true(all(tab$support_agree))
})

test_that("compare_paths refuses a lasso path of another problem", {
  x <- diabetes_x(); y <- diabetes_y()
  fit <- dln(x, y, s = 1)
  expect_error(compare_paths(fit, lasso_path(x, y, standardize = FALSE)),
               class = "dlnpath_error_input")
  expect_error(compare_paths(fit, lasso_path(x, rev(y))), class = "dlnpath_error_input")
  expect_error(compare_paths(fit, lasso_path(x, y, nonneg = TRUE)),
               class = "dlnpath_error_input")
  expect_error(compare_paths(lasso_path(x, y)), class = "dlnpath_error_input")
})

test_that("path_monotonicity: orthogonal designs are monotone, diabetes is not", {
  set.seed(2)
  q <- qr.Q(qr(matrix(rnorm(60), 20, 3)))
  y <- rnorm(20)
  mono <- path_monotonicity(lasso_path(q, y, standardize = FALSE, intercept = FALSE))
  expect_true(attr(mono, "monotone"))
  expect_true(all(mono$direction %in% c("increasing", "decreasing")))

  fit <- lasso_path(diabetes_x(), diabetes_y())
  mono <- path_monotonicity(fit)
  expect_false(attr(mono, "monotone"))
  expect_equal(mono$term[!mono$monotone], "s3")
  # s3 turns back on the segment where it leaves: from the knot of +s2
  expect_equal(mono$lambda_break[mono$term == "s3"],
               fit$lambda[fit$events$knot[fit$events$term == "s2"]])
})

test_that("acceptance: path_monotonicity agrees with z(mu) on a dense grid (200 instances)", {
  nmono <- 0
  for (seed in 1:200) {
    d <- paper_instance(seed)
    fit <- lasso_path_gram(d$M, d$r)
    mono <- path_monotonicity(fit)
    # log-spaced, from below the first knot to past the last one: segments
    # of a few percent in mu are resolved
    mu <- c(0, exp(seq(log(0.5 / fit$lambda[1]), log(3 / min(fit$lambda[fit$lambda > 0])),
                       length.out = 6000)))
    z <- unname(dlnpath:::path_at(fit, 1 / mu[-1])) * rep(mu[-1], each = 4)
    dz <- t(apply(z, 1, diff))
    tol <- 1e-9 * max(abs(dz))
    dense <- apply(dz, 1, function(v) !(any(v > tol) && any(v < -tol)))
    expect_equal(mono$monotone, dense, info = paste("seed", seed))
    expect_equal(attr(mono, "monotone"), all(dense))
    nmono <- nmono + all(dense)
    # z of the result is exact at any mu
    expect_equal(unname(dlnpath:::z_at(mono, mu[-1])), z, tolerance = 1e-9)
    # the defect: integral of (1 + u) (d|z_i|/du)_- on the grid with the
    # knots added (|z| is linear between grid points, so the midpoint rule
    # is exact for the weight 1 + u)
    knots <- 1 / fit$lambda[fit$lambda > 0]
    m2 <- sort(unique(c(mu[-1], knots[knots < max(mu)])))
    dabs <- t(apply(abs(unname(dlnpath:::path_at(fit, 1 / m2))) *
                      rep(m2, each = 4), 1, diff))
    dabs[abs(dabs) < tol] <- 0
    mid <- (m2[-1] + m2[-length(m2)]) / 2
    cell <- pmax(-dabs, 0) * rep(1 + mid, each = 4)
    num <- cumsum(colSums(cell))
    ana <- monotonicity_defect(fit, m2[-1])$defect
    expect_equal(ana, num, tolerance = 1e-8, info = paste("seed", seed))
    expect_equal(ana > 1e-12 * max(ana), num > 1e-12 * max(ana))
    expect_equal(mono$defect, rowSums(cell), tolerance = 1e-8)
    # intervals cover exactly where some |z_i| decreases
    iv <- attr(mono, "intervals")
    expect_equal(nrow(iv) > 0, !all(dense))
    covered <- matrix(FALSE, 4, length(mid), dimnames = list(mono$term, NULL))
    for (k in seq_len(nrow(iv))) {
      inside <- mid > iv$mu_from[k] & mid < iv$mu_to[k]
      covered[iv$term[k], inside] <- TRUE
      expect_equal(iv$defect[k], sum(cell[mono$term == iv$term[k], inside]),
                   tolerance = 1e-8)
    }
    expect_equal(covered, cell > 0 & matrix(TRUE, 4, length(mid)), ignore_attr = TRUE)
  }
  # the paper's 76%, within a few binomial standard errors on 200 draws
  expect_lt(abs(nmono / 200 - 0.76), 4 * sqrt(0.76 * 0.24 / 200))
})

test_that("path_monotonicity with weight decay is that of s * b(kappa + 1/s)", {
  fit <- lasso_path(diabetes_x(), diabetes_y())
  for (kappa in c(0.1, 0.2, 0.5, 5)) {
    mono <- path_monotonicity(fit, weight_decay = kappa)
    lam_end <- min(fit$lambda[fit$lambda > kappa])
    s <- exp(seq(log(0.5 / (fit$lambda[1] - kappa)), log(3 / (lam_end - kappa)),
                 length.out = 5000))
    z <- coef(fit, lambda = kappa + 1 / s)[-1, ] * fit$prep$scale * rep(s, each = 10)
    dz <- t(apply(z, 1, diff))
    tol <- 1e-9 * max(abs(dz))
    dense <- apply(dz, 1, function(v) !(any(v > tol) && any(v < -tol)))
    expect_equal(mono$monotone, unname(dense), info = paste("kappa", kappa))
    expect_equal(unname(dlnpath:::z_at(mono, s)), unname(z), tolerance = 1e-8)
  }
  # diabetes is monotone once the penalty stays above 0.2605 (s3 turns back there)
  expect_true(attr(path_monotonicity(fit, weight_decay = 0.27), "monotone"))
  expect_true(all(path_monotonicity(fit, weight_decay = 50)$direction == "zero"))
})

test_that("the defect is the closed form on diabetes; compare_paths reports it", {
  fit <- lasso_path(diabetes_x(), diabetes_y())
  mono <- path_monotonicity(fit)
  tab <- attr(mono, "defect")
  # continuous and piecewise quadratic
  ends <- tab$mu_to[is.finite(tab$mu_to)]
  left <- tab$c0 + tab$c1 * tab$mu_to + tab$c2 * tab$mu_to^2
  right <- monotonicity_defect(fit, ends)$defect
  expect_equal(left[is.finite(tab$mu_to)], right, tolerance = 1e-10)
  expect_equal(sum(mono$defect), max(monotonicity_defect(fit, 1e6)$defect))
  expect_equal(mono$defect[mono$term != "s3"], rep(0, 9))
  iv <- attr(mono, "intervals")
  expect_equal(iv$term, "s3")
  expect_equal(iv$lambda_from, mono$lambda_break[mono$term == "s3"])
  # s3 reaches zero where it is dropped
  drop_knot <- fit$events$knot[fit$events$term == "s3" & fit$events$event == "drop"]
  expect_equal(iv$lambda_to, fit$lambda[drop_knot])
  d <- monotonicity_defect(fit, c(1, 5))
  expect_equal(d$eta, (sqrt(d$defect) / d$mu + d$defect / d$mu^2))
  cmp <- compare_paths(dln(diabetes_x(), diabetes_y(), s = c(1, 5)), fit)
  expect_equal(cmp$table$defect, d$defect)
  expect_equal(cmp$table$eta, d$eta)
  sm <- summary(cmp)
  expect_true(sm$term_at_max %in% rownames(cmp$coef_avg))
  expect_output(print(sm), "farthest term")
  expect_output(print(mono), "decreases on")
  err <- expect_error(monotonicity_defect(fit, -1), class = "dlnpath_error_input")
  expect_equal(err$arg, "mu")
  err <- expect_error(path_monotonicity(fit, weight_decay = -1), class = "dlnpath_error_input")
  expect_equal(err$arg, "weight_decay")
  err <- expect_error(path_monotonicity(1), class = "dlnpath_error_input")
  expect_equal(err$arg, "lasso_fit")
  skip_if_not_installed("ggplot2")
  expect_s3_class(ggplot2::autoplot(mono), "ggplot")
  expect_s3_class(ggplot2::autoplot(mono, type = "defect"), "ggplot")
})

test_that("Gram fits: the default c makes the gaps those of the x/y problem", {
  x <- diabetes_x(); y <- diabetes_y()
  g <- gram_of(x, y)
  fit <- dln_gram(g$M, g$r, epsilon = 1e-10, ns = 30)
  cmp <- compare_paths(fit)
  tab <- cmp$table
  expect_true(all(tab$objective_lasso > 0))
  expect_gte(min(tab$rel_gap), -1e-10)
  expect_lt(max(tab$rel_gap), 1)
  # the loss differs from the x/y problem's by the constant part of y'y/(2n)
  # that no coefficient fits: the objectives differ by exactly that constant
  xy <- compare_paths(dln(x, y, epsilon = 1e-10, s = fit$s))$table
  rss <- mean(lm(y ~ x)$residuals^2) / 2
  expect_equal(xy$objective_lasso - tab$objective_lasso, rep(rss, 30), tolerance = 1e-8)
  expect_equal(xy$objective_avg - tab$objective_avg, rep(rss, 30), tolerance = 1e-8)
  # the paper's units (M = X'X, r = X'y, c = |y|^2 / 2) give the same gaps
  # as the default c when X spans y (n <= p)
  d <- paper_instance(3)
  a <- compare_paths(dln_gram(d$M, d$r, c = d$c, ns = 20))$table$rel_gap
  b <- compare_paths(dln_gram(d$M, d$r, ns = 20))$table$rel_gap
  expect_equal(a, b, tolerance = 1e-6)
})

test_that("compare_paths compares M through its fingerprint", {
  x <- diabetes_x(); y <- diabetes_y()
  g <- gram_of(x, y)
  fit <- dln_gram(g$M, g$r, ns = 5)
  err <- expect_error(compare_paths(fit, lasso_path_gram(2 * g$M, g$r)),
                      class = "dlnpath_error_input")
  expect_identical(err$arg, "lasso_fit")
  expect_match(conditionMessage(err), "another `M`")
  M2 <- g$M; M2[1, 2] <- M2[2, 1] <- M2[1, 2] * (1 + 1e-6)
  expect_error(compare_paths(fit, lasso_path_gram(M2, g$r)), class = "dlnpath_error_input")
  # the same M reached from x, y (through X when p > n) is accepted
  expect_s3_class(compare_paths(dln(x, y, ns = 5), lasso_path(x, y)), "dln_comparison")
  set.seed(1)
  xw <- matrix(rnorm(15 * 40), 15); yw <- rnorm(15)
  expect_s3_class(compare_paths(dln(xw, yw, ns = 5), lasso_path(xw, yw)), "dln_comparison")
  expect_s3_class(compare_paths(dln_limit(xw, yw, ns = 5), lasso_path(xw, yw)),
                  "dln_comparison")
})

test_that("a lasso path stopped by max_knots: NA beyond its end, said everywhere", {
  x <- diabetes_x(); y <- diabetes_y()
  expect_warning(short <- lasso_path(x, y, max_knots = 3), class = "dlnpath_warning_step_cap")
  fit <- dln(x, y, epsilon = 1e-10, ns = 40)
  w <- expect_warning(cmp <- compare_paths(fit, short), class = "dlnpath_warning_step_cap")
  expect_match(conditionMessage(w), "stops at lambda = 21.54")
  tab <- cmp$table
  beyond <- tab$lambda < min(short$lambda)
  expect_true(any(beyond) && any(!beyond))
  expect_true(all(is.na(tab$rel_gap[beyond]) & is.na(tab$max_abs_diff[beyond])))
  expect_true(all(!is.na(tab$rel_gap[!beyond])))
  # on the rows it covers it agrees with the complete path
  full <- compare_paths(fit)$table
  expect_equal(tab$rel_gap[!beyond], full$rel_gap[!beyond])
  sm <- summary(cmp)
  expect_equal(sm$known, sum(!beyond))
  expect_equal(sm$max_rel_gap, max(full$rel_gap[!beyond]))
  expect_output(print(sm), sprintf("compared at %d of 40 times", sum(!beyond)))
  expect_output(print(sm), "unknown below lambda = 21.54")
  expect_true(is.na(cmp$monotone))
  # path_monotonicity: nothing non-monotone above 21.5, unknown below
  w <- expect_warning(mono <- path_monotonicity(short), class = "dlnpath_warning_step_cap")
  expect_true(all(is.na(mono$monotone)))
  expect_true(is.na(attr(mono, "monotone")))
  expect_equal(attr(mono, "lambda_min"), min(short$lambda))
  expect_output(print(summary(short)), "unknown below lambda = 21.54")
  # a term found non-monotone above the end stays FALSE
  expect_warning(mid <- lasso_path(x, y, max_knots = 12), class = "dlnpath_warning_step_cap")
  expect_warning(mono <- path_monotonicity(mid), class = "dlnpath_warning_step_cap")
  expect_false(mono$monotone[mono$term == "s3"])
  expect_false(attr(mono, "monotone"))
  expect_true(all(is.na(mono$monotone[mono$term != "s3"])))
})
