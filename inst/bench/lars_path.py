"""Times scikit-learn's exact lasso path (lars_path, method="lasso") for
bench-homotopy.R.

usage: python3 lars_path.py X.npy y.npy alphas_out.npy

X and y are the prepared (centred, standardized) design and response, so the
returned alphas are dlnpath's lambdas. Gram="auto" is scikit-learn's own
choice: the Gram matrix when n > p (its computation is timed), the design
otherwise. The knots go to alphas_out.npy; the last line printed is the time
in seconds of the lars_path call alone.
"""
import sys
import time

import numpy as np
from sklearn.linear_model import lars_path

X = np.load(sys.argv[1])
y = np.load(sys.argv[2])
t0 = time.perf_counter()
alphas, _, _ = lars_path(X, y, method="lasso", Gram="auto",
                         max_iter=100000)
seconds = time.perf_counter() - t0
np.save(sys.argv[3], alphas)
print(seconds)
