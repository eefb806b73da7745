# epsilon_study() and random_instances().

test_that("epsilon_study: one row per (epsilon, s), the contract's columns", {
  x <- diabetes_x(); y <- diabetes_y()
  st <- epsilon_study(x, y, epsilon = c(1e-10, 1e-5), ns = 20)
  expect_s3_class(st, "dln_epsilon_study")
  expect_s3_class(st, "data.frame")
  expect_equal(nrow(st), 2 * 20)
  expect_equal(names(st), c("epsilon", "log_inv_epsilon", "s", "lambda", "rel_gap",
                            "rel_gap_raw", "max_abs_diff", "limit_diff",
                            "rel_gap_limit"))
  # sorted by decreasing epsilon; each block is compare_paths() of one flow
  expect_equal(unique(st$epsilon), c(1e-5, 1e-10))
  s <- st$s[st$epsilon == 1e-10]
  cmp <- compare_paths(dln(x, y, epsilon = 1e-10, s = s))
  expect_equal(st$rel_gap[st$epsilon == 1e-10], cmp$table$rel_gap)
  expect_equal(st$max_abs_diff[st$epsilon == 1e-10], cmp$table$max_abs_diff)
  lim <- dln_limit(x, y, s = s)
  expect_equal(st$rel_gap_limit[st$epsilon == 1e-10], compare_paths(lim)$table$rel_gap)
  expect_equal(st$limit_diff[st$epsilon == 1e-10],
               unname(apply(abs(cmp$coef_avg - lim$beta_avg), 2, max)))
  expect_false(attr(st, "monotone"))
  expect_s3_class(as.data.frame(st), "data.frame")
  expect_false(inherits(as.data.frame(st), "dln_epsilon_study"))
  # log_inv_epsilon reaches below 1e-300
  st <- epsilon_study(x, y, log_inv_epsilon = c(1000, 5000), ns = 10)
  expect_equal(unique(st$log_inv_epsilon), c(1000, 5000))
  expect_true(all(st$rel_gap >= -1e-12))
})

test_that("acceptance: on monotone instances the worst gap falls at least like C / log(1/epsilon)", {
  seeds <- integer(0); seed <- 0L
  while (length(seeds) < 8) {
    seed <- seed + 1L
    d <- paper_instance(seed)
    if (attr(path_monotonicity(lasso_path_gram(d$M, d$r)), "monotone")) seeds <- c(seeds, seed)
  }
  for (seed in seeds) {
    d <- paper_instance(seed)
    st <- epsilon_study_gram(d$M, d$r, c = d$c)
    expect_true(attr(st, "monotone"))
    tab <- summary(st)
    # gap * log(1/epsilon) never grows (C = its value at epsilon = 1e-5)
    expect_true(all(tab$gap_times_log <= tab$gap_times_log[1] * (1 + 1e-6)),
                label = paste("seed", seed))
    expect_lt(attr(tab, "rate_gap"), -1)
    # and the limit's own gap is zero
    expect_lt(max(abs(st$rel_gap_limit)), 1e-10)
  }
  # x/y with standardization: an orthogonal design is monotone
  set.seed(2)
  q <- qr.Q(qr(matrix(rnorm(60), 20, 3))) * sqrt(20)
  st <- epsilon_study(q, rnorm(20), ns = 40)
  tab <- summary(st)
  expect_true(all(tab$gap_times_log <= tab$gap_times_log[1] * (1 + 1e-6)))
})

test_that("non-monotone: the gap tends to the limit's, the distance to the limit to 0", {
  x <- diabetes_x(); y <- diabetes_y()
  st <- epsilon_study(x, y, epsilon = 10^-c(5, 30, 300), ns = 60)
  # by its log(1/epsilon): under valgrind exp() may round 1e-300 differently
  last <- st[st$log_inv_epsilon == max(st$log_inv_epsilon), ]
  bump <- last$rel_gap_limit > 1e-5                # inside the non-monotone stretch
  expect_true(any(bump))
  expect_equal(last$rel_gap[bump], last$rel_gap_limit[bump], tolerance = 0.1)
  tab <- summary(st)
  expect_true(all(diff(tab$max_limit_diff) < 0))
  expect_output(print(st), "not monotone")
  skip_if_not_installed("ggplot2")
  expect_s3_class(ggplot2::autoplot(st), "ggplot")
  expect_s3_class(ggplot2::autoplot(st, type = "gap"), "ggplot")
})

test_that("epsilon_study rejects bad input", {
  x <- diabetes_x(); y <- diabetes_y()
  err <- expect_error(epsilon_study(x, y, epsilon = c(1e-5, 2)), class = "dlnpath_error_input")
  expect_equal(err$arg, "epsilon")
  err <- expect_error(epsilon_study(x, y, log_inv_epsilon = -1), class = "dlnpath_error_input")
  expect_equal(err$arg, "log_inv_epsilon")
  err <- expect_error(epsilon_study(x, y, epsilon_typo = 1), class = "dlnpath_error_input")
  expect_equal(err$arg, "...")
  err <- expect_error(epsilon_study(x, y, weight_decay = -1), class = "dlnpath_error_input")
  expect_equal(err$arg, "weight_decay")
})

test_that("random_instances: reproducible, the paper's draws, consistent fields", {
  st <- random_instances(N = 60, seed = 11)
  expect_s3_class(st, "dln_random_study")
  expect_type(st$fraction_monotone, "double")
  expect_s3_class(st$instances, "data.frame")
  expect_equal(nrow(st$instances), 60)
  expect_equal(st$fraction_monotone, mean(st$instances$monotone))
  expect_equal(random_instances(N = 60, seed = 11)$instances, st$instances)
  # instance 1 is X then y drawn after set.seed(seed)
  d <- paper_instance(11)
  fit <- dln_gram(d$M, d$r, c = d$c, epsilon = 1e-5)
  cmp <- compare_paths(fit)
  expect_equal(st$instances$max_rel_gap[1], max(cmp$table$rel_gap))
  expect_equal(st$instances$monotone[1], cmp$monotone)
  # the limit matches the lasso exactly on monotone instances, not on the others
  inst <- st$instances
  expect_lt(max(inst$limit_gap[inst$monotone]), 1e-9)
  expect_true(all(inst$defect[inst$monotone] == 0))
  expect_true(all(inst$defect[!inst$monotone] > 0))
  expect_gt(stats::median(inst$limit_gap[!inst$monotone]), 1e-6)
  expect_equal(nrow(st$curves), 60 * 100)
  # the generator's state is left as it was
  set.seed(5); a <- runif(1)
  set.seed(5); invisible(random_instances(N = 2, seed = 1)); b <- runif(1)
  expect_equal(a, b)
  expect_output(print(st), "the paper: 76%")
  err <- expect_error(random_instances(N = 0), class = "dlnpath_error_input")
  expect_equal(err$arg, "N")
  err <- expect_error(random_instances(N = 2, betta0 = 1), class = "dlnpath_error_input")
  expect_equal(err$arg, "...")
  skip_if_not_installed("ggplot2")
  expect_s3_class(ggplot2::autoplot(st), "ggplot")
  expect_s3_class(ggplot2::autoplot(st, type = "curves", n_curves = 5), "ggplot")
})

test_that("acceptance: the 1000-instance study is monotone within binomial error of 76%", {
  st <- random_instances(N = 1000, seed = 1)
  # 3 standard errors of a binomial proportion 0.76 with N = 1000: 0.0405
  expect_lt(abs(st$fraction_monotone - 0.76), 3 * sqrt(0.76 * 0.24 / 1000))
  sm <- summary(st)
  # monotone instances have smaller gaps than non-monotone ones
  expect_gt(sm$ratio, 2)
})
