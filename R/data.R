#' Diabetes progression data
#'
#' Ten baseline variables (age, sex, body mass index, average blood pressure,
#' and six blood serum measurements) for 442 diabetes patients, and `y`, a
#' quantitative measure of disease progression one year after baseline. The
#' data of the least angle regression paper, on their original scale.
#'
#' @format A data frame with 442 rows and 11 columns: `age`, `sex`, `bmi`,
#'   `bp`, `s1`, ..., `s6` (predictors) and `y` (response).
#' @source Efron, B., Hastie, T., Johnstone, I. and Tibshirani, R. (2004).
#'   Least angle regression. *Annals of Statistics* 32(2), 407-499.
#'   Built from `data-raw/diabetes.csv` by `data-raw/make-data.R`.
#' @examples
#' fit <- lasso_path(as.matrix(diabetes[, 1:10]), diabetes$y)
"diabetes"

#' Prostate cancer data
#'
#' Log prostate-specific antigen (`lpsa`) and eight clinical measures for 97
#' men about to receive a radical prostatectomy.
#'
#' @format A data frame with 97 rows and 9 columns: `lcavol` (log cancer
#'   volume), `lweight` (log prostate weight), `age`, `lbph` (log benign
#'   prostatic hyperplasia amount), `svi` (seminal vesicle invasion), `lcp`
#'   (log capsular penetration), `gleason` (Gleason score), `pgg45` (percent
#'   of Gleason scores 4 or 5), and the response `lpsa`.
#' @source Stamey, T. A. et al. (1989). Prostate specific antigen in the
#'   diagnosis and treatment of adenocarcinoma of the prostate II: radical
#'   prostatectomy treated patients. *Journal of Urology* 141(5), 1076-1083.
#'   As distributed with Hastie, Tibshirani and Friedman, *The Elements of
#'   Statistical Learning* (2009). Built from `data-raw/prostate.csv` by
#'   `data-raw/make-data.R`.
#' @examples
#' fit <- lasso_path(as.matrix(prostate[, 1:8]), prostate$lpsa)
"prostate"
