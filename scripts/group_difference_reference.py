"""Reference values for tests/stats.rs: Welch interval (scipy) and Hedges' g (pingouin).

Run: python3 scripts/group_difference_reference.py   (scipy 1.17, pingouin 0.7)
"""

import numpy as np
import pingouin
import scipy
from scipy import stats

FROM = np.array([2.0, 3.0, 3.0, 4.0, 5.0, 7.0])
TO = np.array([5.0, 6.0, 9.0, 10.0])

print("scipy", scipy.__version__, "pingouin", pingouin.__version__)
# The crate's difference is to - from, so `to` is scipy's first sample.
welch = stats.ttest_ind(TO, FROM, equal_var=False)
ci = welch.confidence_interval(0.95)
print("welch df", repr(float(welch.df)))
print("welch ci", repr(float(ci.low)), repr(float(ci.high)))
# pingouin's d is mean(x) - mean(y), so x = to.
g = pingouin.compute_effsize(TO, FROM, eftype="hedges")
d = pingouin.compute_effsize(TO, FROM, eftype="cohen")
print("pingouin cohen d", repr(float(d)))
print("pingouin hedges g", repr(float(g)))
print("pingouin hedges g (from, to)", repr(float(pingouin.compute_effsize(FROM, TO, eftype="hedges"))))
# The exact small-sample correction (Hedges 1981), for comparison with the approximation
# 1 - 3 / (4 (n1 + n2) - 9) that both pingouin and the crate use.
from scipy.special import gammaln

m = len(FROM) + len(TO) - 2
exact_j = np.exp(gammaln(m / 2) - np.log(np.sqrt(m / 2)) - gammaln((m - 1) / 2))
print("exact J", repr(float(exact_j)), "approx J", repr(1 - 3 / (4 * (len(FROM) + len(TO)) - 9)))
print("g with exact J", repr(float(d * exact_j)))
