"""Golden values for known-factors.test.ts: weighted least squares of a metric series on weekday dummies
(treatment coding, Monday the reference level) and two known factors, by statsmodels. Run:
    /usr/bin/python3 known-factors-wls.py > known-factors-wls.json
The series is built by the same formulas as the test."""
import json
import math

import numpy as np
import statsmodels.api as sm

n = 28
t = np.arange(n)
share = 0.2 + 0.3 * ((t * 7) % 11) / 10
distance = 800 + 50 * ((t * 5) % 9)
weights = 100 + 10 * (t % 5)
weekday = t % 7  # the series starts on a Monday
values = 0.1 + 0.3 * share + 0.0001 * distance + 0.05 * np.isin(weekday, [5, 6]) + 0.01 * np.sin(1.3 * t)

dummies = np.column_stack([(weekday == d).astype(float) for d in range(1, 7)])
X = np.column_stack([np.ones(n), dummies, share, distance])
fit = sm.WLS(values, X, weights=weights).fit()
params = fit.params
fitted = fit.fittedvalues
print(json.dumps({
    "statsmodels": sm.__version__,
    "numpy": np.__version__,
    "intercept": params[0],
    "weekday": [0.0] + list(params[1:7]),
    "factors": {"share": params[7], "distance": params[8]},
    "residuals": list(values - fitted),
    "adjusted": list(values - (fitted - fitted.mean())),
}, indent=1))
