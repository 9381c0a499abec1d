import { describe, expect, it } from 'vitest';
import { golden } from '../../golden/health/golden.js';
import { seasonalAdjustment } from './seasonal-adjustment.js';

const HOUR_MS = 3_600_000;

describe('seasonalAdjustment', () => {
  const g = golden.seasonal;
  // 1970-01-01T00:00Z was a Thursday, the golden series' first window.
  const windowStartMs = g.metric.map((_, t) => t * HOUR_MS);
  const fit = seasonalAdjustment({ values: g.metric, windowStartMs, hourOfDay: true, dayOfWeek: true, factors: { occludedShare: g.factor } });

  it('matches numpy lstsq on intercept, 23 hour, 6 weekday and 1 factor coefficient (to 1e-8)', () => {
    const ours = [fit.intercept, ...fit.hourOfDay!.slice(1), ...fit.dayOfWeek!.slice(1), fit.factors.occludedShare!];
    expect(ours).toHaveLength(g.coefficients.length);
    ours.forEach((b, j) => expect(b, `coefficient ${j}`).toBeCloseTo(g.coefficients[j]!, 8));
    const rss = fit.residuals.reduce((s, e) => s + e * e, 0);
    expect(rss).toBeCloseTo(g.residualSumOfSquares, 6);
  });

  it('keeps the adjusted series on the average level and residuals = values − fitted', () => {
    const mean = (a: ArrayLike<number>): number => Array.from(a).reduce((s, v) => s + v, 0) / a.length;
    expect(mean(fit.adjusted)).toBeCloseTo(mean(g.metric), 10);
    expect(fit.residuals[5]).toBeCloseTo(g.metric[5]! - fit.fitted[5]!, 12);
    expect(mean(fit.residuals)).toBeCloseTo(0, 10);
  });

  it('removes a pure weekly pattern entirely from the adjusted series', () => {
    const days = Array.from({ length: 28 }, (_, t) => t * 24 * HOUR_MS);
    const values = days.map((ms) => 10 + ([0, 0, 0, 0, 0, 4, 5][(new Date(ms).getUTCDay() + 6) % 7] ?? 0));
    const adjusted = seasonalAdjustment({ values, windowStartMs: days, dayOfWeek: true }).adjusted;
    for (const v of adjusted) expect(v).toBeCloseTo(values.reduce((s, x) => s + x, 0) / values.length, 9);
  });

  it('with equal weights gives the unweighted fit', () => {
    const weighted = seasonalAdjustment({ values: g.metric, windowStartMs, hourOfDay: true, weights: g.metric.map(() => 7) });
    const plain = seasonalAdjustment({ values: g.metric, windowStartMs, hourOfDay: true });
    expect(weighted.intercept).toBeCloseTo(plain.intercept, 10);
  });

  it('throws on a constant factor (collinear with the intercept) and on NaN', () => {
    expect(() => seasonalAdjustment({ values: [1, 2, 3], windowStartMs: [0, 1, 2], factors: { flat: [1, 1, 1] } })).toThrow(/collinear/);
    expect(() => seasonalAdjustment({ values: [1, Number.NaN], windowStartMs: [0, 1] })).toThrow(/values\[1\]/);
    expect(() => seasonalAdjustment({ values: [], windowStartMs: [] })).toThrow(/empty/);
  });
});
