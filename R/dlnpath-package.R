#' dlnpath: diagonal linear networks and the lasso regularization path
#'
#' Computes the training trajectory of diagonal linear networks (gradient
#' flow from a small initialization, integrated by a stiff solver that stays
#' cheap as the initialization scale goes to zero) and the exact lasso
#' regularization path, and compares them: the averaged trajectory at
#' rescaled time `s` tracks the lasso at `lambda = 1/s`.
#'
#' Main entry points: [dln()], [lasso_path()], [compare_paths()],
#' [path_monotonicity()], [dln_limit()] (the limit as the initialization
#' scale goes to 0), [epsilon_study()] and [random_instances()] (the paper's
#' study). Data sets: [diabetes], [prostate]. Vignettes: "Reproducing the
#' paper", "Training time as regularization on real data", "dlnpath and
#' glmnet".
#'
#' @references Berthier, R. (2025). Diagonal linear networks and the lasso
#'   regularization path. arXiv:2509.18766.
#' @keywords internal
#' @useDynLib dlnpath, .registration = TRUE, .fixes = "C_"
#' @importFrom stats coef predict
"_PACKAGE"

utils::globalVariables(".data")
