import { describe, expect, it } from 'vitest';
import { golden } from '../../golden/health/golden.js';
import { ewmaChart } from './ewma-chart.js';

describe('ewmaChart', () => {
  const g = golden.ewma;

  it("matches Montgomery's exact limits μ₀ ± Lσ√(λ/(2−λ)·(1−(1−λ)^{2i})) when every window has one observation", () => {
    const points = ewmaChart(g.x, { target: g.target, sigma: g.sigma, lambda: g.lambda, limitWidth: g.L });
    points.forEach((p, i) => {
      expect(p.smoothed, `i = ${i}`).toBeCloseTo(g.smoothed[i]!, 12);
      expect(p.upper - g.target, `i = ${i}`).toBeCloseTo(g.halfWidth[i]!, 12);
      expect(g.target - p.lower, `i = ${i}`).toBeCloseTo(g.halfWidth[i]!, 12);
    });
  });

  it('widens the limits of small windows: Var(zᵢ) = Σⱼ λ²(1−λ)^{2(i−j)} σ²/nⱼ', () => {
    const points = ewmaChart(g.x, { target: g.target, sigma: g.sigma, lambda: g.lambda, limitWidth: g.L, sampleSizes: g.sizes });
    points.forEach((p, i) => expect(p.upper - g.target, `i = ${i}`).toBeCloseTo(g.halfWidthWeighted[i]!, 12));
  });

  it('alerts on the same deviation after 30,000 rows but not after 30', () => {
    const values = [0.05, 0.05, 0.08];
    const options = { target: 0.05, sigma: Math.sqrt(0.05 * 0.95), lambda: 0.3 };
    expect(ewmaChart(values, { ...options, sampleSizes: [30_000, 30_000, 30_000] })[2]!.alert).toBe(true);
    expect(ewmaChart(values, { ...options, sampleSizes: [30, 30, 30] })[2]!.alert).toBe(false);
  });

  it('throws on an empty series, a NaN, or a window without rows', () => {
    expect(() => ewmaChart([], { target: 0, sigma: 1 })).toThrow(/empty/);
    expect(() => ewmaChart([1, Number.NaN], { target: 0, sigma: 1 })).toThrow(/values\[1\]/);
    expect(() => ewmaChart([1], { target: 0, sigma: 1, sampleSizes: [0] })).toThrow(/no labelled rows/);
    expect(() => ewmaChart([1], { target: 0, sigma: 1, lambda: 0 })).toThrow(/lambda/);
  });
});
