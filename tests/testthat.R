library(testthat)
library(dlnpath)

test_check("dlnpath")
