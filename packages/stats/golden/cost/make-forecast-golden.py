"""Golden values for packages/stats/src/cost/holt-winters.test.ts: Holt-Winters by statsmodels.

Run: /usr/bin/python3 packages/stats/golden/cost/make-forecast-golden.py
(Debian: apt-get install python3-statsmodels)
Writes forecast-golden.ts next to this script: the series themselves (so the tests need neither Python nor the
data files) and statsmodels' ExponentialSmoothing(trend='add', seasonal='add'|'mul') outputs.

Series:
- traffic: a synthetic daily request count with a weekly season, 16 weeks, numpy default_rng(20261128):
  level 20,000 growing 60/day, weekday/weekend profile, multiplicative noise (sd 3%).
- co2: the last 120 monthly values (2010-05 .. 2020-04) of vega-datasets data/co2-concentration.csv (Mauna Loa
  CO2, column CO2), season 12. The script checks that the months are consecutive.

Initial states are the classic heuristic, written out here and in the TypeScript alike, and given to statsmodels
with initialization_method='known' so that both start from the same state:
  level0 = mean(y[0:m]); trend0 = mean((y[m:2m] - y[0:m]) / m); season0 = y[0:m] - level0 (add) or y[0:m] / level0 (mul).

For each series and season type:
- fixed: fit(smoothing_level=0.3, smoothing_trend=0.05, smoothing_seasonal=0.2, optimized=False): fitted values,
  SSE and a forecast of 2 seasons. The TypeScript must match these to 1e-6 (relative).
  statsmodels 0.13.5's HoltWintersResults.forecast re-uses, for every step h that is a multiple of m, the
  seasonal value from one season before the last observation (model.py _predict: s[nobs + m - 1:] is refilled
  from s[nobs - 1 + j % m], discarding the update made by the last observation). FPP3 and ETSModel use the
  updated value. So the script also stores forecast_reference: the same recursion written out in plain Python
  below, checked here against statsmodels' fitted values (every step) and its forecasts (every h not a multiple
  of m), and for additive seasonality against statsmodels' ETSModel(error='add', trend='add', seasonal='add')
  smoothed with the same parameters (ETS beta = alpha * beta_hw, gamma = gamma_hw), at every h.
- fitted: fit() with statsmodels' own optimiser (brute-force grid, then SLSQP on the SSE, with
  beta <= alpha and gamma <= 1 - alpha), the initial state held at the heuristic values (fix_params with
  initialization_method='estimated'; in 0.13.5 fit() would otherwise re-estimate the initial state even when
  it is 'known'): the parameters, SSE and forecast. Optimisers differ; the test allows a stated tolerance.
"""
import csv
import json
import os
import warnings

import numpy as np
import statsmodels
from statsmodels.tsa.exponential_smoothing.ets import ETSModel
from statsmodels.tsa.holtwinters import ExponentialSmoothing

here = os.path.dirname(os.path.abspath(__file__))
repo = os.path.abspath(os.path.join(here, '..', '..', '..', '..'))

rng = np.random.default_rng(20261128)
days = 16 * 7
weekly = np.array([1.00, 1.08, 1.10, 1.07, 1.02, 0.78, 0.70])  # Monday .. Sunday
t = np.arange(days)
traffic = (20000 + 60 * t) * weekly[t % 7] * (1 + rng.normal(0, 0.03, days))
traffic = np.round(traffic, 1)

with open(os.path.join(repo, 'node_modules', 'vega-datasets', 'data', 'co2-concentration.csv')) as f:
    rows = list(csv.DictReader(f))[-120:]
months = [r['Date'][:7] for r in rows]
for a, b in zip(months, months[1:]):
    ya, ma = map(int, a.split('-'))
    yb, mb = map(int, b.split('-'))
    assert (yb * 12 + mb) - (ya * 12 + ma) == 1, f'co2: months not consecutive at {a} -> {b}'
co2 = np.array([float(r['CO2']) for r in rows])


def initial_state(y, m, seasonal):
    level = float(np.mean(y[:m]))
    trend = float(np.mean((y[m:2 * m] - y[:m]) / m))
    season = (y[:m] / level) if seasonal == 'mul' else (y[:m] - level)
    return level, trend, [float(s) for s in season]


def reference_recursion(y, m, seasonal, alpha, beta, gamma, level, trend, season, horizon):
    """FPP3 eq. 8.3 (additive) and its multiplicative form, one observation at a time."""
    s = list(season)
    fitted = []
    for t, v in enumerate(y):
        k = t % m
        base = level + trend
        fitted.append(base + s[k] if seasonal == 'add' else base * s[k])
        new_level = alpha * (v - s[k]) + (1 - alpha) * base if seasonal == 'add' else alpha * (v / s[k]) + (1 - alpha) * base
        trend = beta * (new_level - level) + (1 - beta) * trend
        s[k] = gamma * (v - base) + (1 - gamma) * s[k] if seasonal == 'add' else gamma * (v / base) + (1 - gamma) * s[k]
        level = new_level
    n = len(y)
    forecast = []
    for h in range(1, horizon + 1):
        sh = s[(n + h - 1) % m]
        forecast.append(level + h * trend + sh if seasonal == 'add' else (level + h * trend) * sh)
    return fitted, forecast


def case(name, y, m, seasonal):
    level, trend, season = initial_state(y, m, seasonal)

    def model():
        return ExponentialSmoothing(y, trend='add', seasonal=seasonal, seasonal_periods=m,
                                    initialization_method='known', initial_level=level,
                                    initial_trend=trend, initial_seasonal=season)

    fixed = model().fit(smoothing_level=0.3, smoothing_trend=0.05, smoothing_seasonal=0.2, optimized=False)
    fitted_ref, forecast_ref = reference_recursion(y, m, seasonal, 0.3, 0.05, 0.2, level, trend, season, 2 * m)
    assert np.max(np.abs(np.array(fitted_ref) - fixed.fittedvalues)) < 1e-9 * abs(level)
    sm_forecast = np.array(fixed.forecast(2 * m))
    for h in range(1, 2 * m + 1):
        if h % m != 0:
            assert abs(forecast_ref[h - 1] - sm_forecast[h - 1]) < 1e-9 * abs(level), (name, h)
    if seasonal == 'add':
        ets = ETSModel(y, error='add', trend='add', seasonal='add', seasonal_periods=m, initialization_method='known',
                       initial_level=level, initial_trend=trend, initial_seasonal=season).smooth([0.3, 0.3 * 0.05, 0.2])
        assert np.max(np.abs(np.array(ets.forecast(2 * m)) - forecast_ref)) < 1e-9 * abs(level)
    estimated = ExponentialSmoothing(y, trend='add', seasonal=seasonal, seasonal_periods=m, initialization_method='estimated')
    held = {'initial_level': level, 'initial_trend': trend}
    held.update({f'initial_seasonal.{i}': s for i, s in enumerate(season)})
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        with estimated.fix_params(held):
            fitted = estimated.fit()
    assert abs(fitted.params['initial_level'] - level) < 1e-12 * abs(level)
    return {
        'name': name,
        'seasonal': seasonal,
        'seasonLength': m,
        'y': [float(v) for v in y],
        'initial': {'level': level, 'trend': trend, 'season': season},
        'fixed': {
            'alpha': 0.3, 'beta': 0.05, 'gamma': 0.2,
            'fitted': [float(v) for v in fixed.fittedvalues],
            'sse': float(fixed.sse),
            'forecast': [float(v) for v in sm_forecast],
            'forecast_reference': [float(v) for v in forecast_ref],
        },
        'fitted': {
            'alpha': float(fitted.params['smoothing_level']),
            'beta': float(fitted.params['smoothing_trend']),
            'gamma': float(fitted.params['smoothing_seasonal']),
            'sse': float(fitted.sse),
            'forecast': [float(v) for v in fitted.forecast(2 * m)],
        },
    }


out = {'cases': [
    case('traffic', traffic, 7, 'add'),
    case('traffic', traffic, 7, 'mul'),
    case('co2', co2, 12, 'add'),
    case('co2', co2, 12, 'mul'),
]}
for c in out['cases']:
    print(c['name'], c['seasonal'], 'fixed sse', round(c['fixed']['sse'], 4), 'fitted', {k: round(c['fitted'][k], 4) for k in ('alpha', 'beta', 'gamma', 'sse')})

header = (f'// Generated by make-forecast-golden.py (numpy {np.__version__}, statsmodels {statsmodels.__version__}). '
          'Do not edit; rerun the script.\n')
with open(os.path.join(here, 'forecast-golden.ts'), 'w') as f:
    f.write(header + 'export const forecastGolden = ' + json.dumps(out, indent=1) + ' as const;\n')
