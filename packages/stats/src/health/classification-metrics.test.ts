import { describe, expect, it } from 'vitest';
import { golden } from '../../golden/health/golden.js';
import { binaryConfusion, classificationMetrics } from './classification-metrics.js';
import { normalQuantile } from './normal-quantile.js';
import { regressionMetrics } from './regression-metrics.js';
import { rocAuc } from './roc-auc.js';
import { wilsonInterval } from './wilson-interval.js';

describe('wilsonInterval', () => {
  it('matches statsmodels proportion_confint(method="wilson"), including 0 and n successes', () => {
    for (const c of golden.wilson) {
      const interval = wilsonInterval(c.successes, c.n, c.confidence);
      expect(interval.lower, `${c.successes}/${c.n}`).toBeCloseTo(c.lower, 12);
      expect(interval.upper, `${c.successes}/${c.n}`).toBeCloseTo(c.upper, 12);
      expect(interval.value).toBe(c.successes / c.n);
    }
  });

  it('throws on impossible counts instead of returning NaN', () => {
    expect(() => wilsonInterval(0, 0)).toThrow(/trials/);
    expect(() => wilsonInterval(11, 10)).toThrow(/successes/);
    expect(() => wilsonInterval(Number.NaN, 10)).toThrow(/successes/);
  });
});

describe('normalQuantile', () => {
  it('matches scipy.stats.norm.ppf to 1e-12 relative, tails included', () => {
    for (const pair of golden.normalQuantile) {
      const [p, expected] = pair as [number, number];
      expect(Math.abs(normalQuantile(p) - expected), `p = ${p}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected)));
    }
  });

  it('throws outside (0, 1)', () => {
    expect(() => normalQuantile(0)).toThrow(RangeError);
    expect(() => normalQuantile(1)).toThrow(RangeError);
  });
});

describe('classificationMetrics', () => {
  const g = golden.classification;

  it('matches sklearn on accuracy, precision, recall, F1, ROC AUC (tied scores) and log loss', () => {
    const m = classificationMetrics({ labels: g.labels, scores: g.scores, threshold: g.threshold });
    expect(m.accuracy.value).toBeCloseTo(g.accuracy, 14);
    expect(m.precision?.value).toBeCloseTo(g.precision, 14);
    expect(m.recall?.value).toBeCloseTo(g.recall, 14);
    expect(m.f1).toBeCloseTo(g.f1, 14);
    expect(m.rocAuc).toBeCloseTo(g.rocAuc, 14);
    expect(m.logLoss).toBeCloseTo(g.logLoss, 12);
  });

  it('puts a Wilson interval around each rate', () => {
    const m = classificationMetrics({ labels: g.labels, scores: g.scores });
    const { truePositives: tp, falsePositives: fp } = m.confusion;
    expect(m.precision).toEqual(wilsonInterval(tp, tp + fp));
    expect(m.accuracy.lower).toBeLessThan(m.accuracy.value);
    expect(m.accuracy.upper).toBeGreaterThan(m.accuracy.value);
  });

  it('reports precision as null, not NaN, when nothing is predicted positive', () => {
    const m = classificationMetrics({ labels: [1, 0, 0], predictions: [0, 0, 0] });
    expect(m.precision).toBeNull();
    expect(m.f1).toBeNull();
    expect(m.recall?.value).toBe(0);
  });

  it('counts the confusion matrix', () => {
    expect(binaryConfusion([1, 1, 0, 0, 1], [1, 0, 1, 0, 1])).toEqual({ truePositives: 2, falseNegatives: 1, falsePositives: 1, trueNegatives: 1 });
    expect(() => binaryConfusion([], [])).toThrow(/empty/);
    expect(() => binaryConfusion([2], [1])).toThrow(/labels\[0\]/);
  });
});

describe('rocAuc', () => {
  it('gives ½ to every positive–negative tie', () => {
    expect(rocAuc([0, 1], [0.5, 0.5])).toBe(0.5);
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBe(0.75);
  });

  it('throws when one class is missing', () => {
    expect(() => rocAuc([1, 1], [0.2, 0.3])).toThrow(/both classes/);
  });
});

describe('regressionMetrics', () => {
  it('matches sklearn MAE, RMSE and MAPE', () => {
    const g2 = golden.regression;
    const m = regressionMetrics(g2.actual, g2.predicted);
    expect(m.mae).toBeCloseTo(g2.mae, 12);
    expect(m.rmse).toBeCloseTo(g2.rmse, 12);
    expect(m.mape).toBeCloseTo(g2.mape, 12);
  });

  it('throws on NaN and on an empty sample', () => {
    expect(() => regressionMetrics([], [])).toThrow(/empty/);
    expect(() => regressionMetrics([1, Number.NaN], [1, 2])).toThrow(/actual\[1\]/);
  });
});
