"""Reference values of Cronbach's alpha for tests/agreement.rs, from pingouin.

Run: python3 scripts/alpha_reference.py   (pingouin 0.7.0, pandas, numpy)
"""

import numpy as np
import pandas as pd
import pingouin

NAN = np.nan

# 8 respondents x 3 statements on a 1..=5 scale, three ratings missing.
MISSING = pd.DataFrame(
    [
        [4, 5, 4],
        [3, 3, 2],
        [5, 4, 5],
        [2, NAN, 3],
        [4, 4, NAN],
        [1, 2, 2],
        [NAN, 3, 4],
        [3, 4, 3],
    ],
    columns=["s1", "s2", "s3"],
)

# 5 respondents x 3 statements whose third statement runs against the first two.
NEGATIVE = pd.DataFrame(
    [
        [1, 2, 5],
        [2, 1, 4],
        [3, 4, 2],
        [4, 3, 1],
        [5, 5, 1],
    ],
    columns=["s1", "s2", "s3"],
)

print("pingouin", pingouin.__version__)
for name, df in [("missing", MISSING), ("negative", NEGATIVE)]:
    for policy in ["pairwise", "listwise"]:
        alpha, ci = pingouin.cronbach_alpha(df, nan_policy=policy)
        print(name, policy, repr(float(alpha)), "ci", ci)
# The covariance matrices behind them (pandas' pairwise cov, and cov of complete rows).
print(MISSING.cov())
print(MISSING.dropna().cov())
