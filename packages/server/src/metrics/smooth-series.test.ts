import { describe, expect, it } from 'vitest';
import { smoothSeries } from './smooth-series.js';

describe('smoothSeries', () => {
  it('sets the EWMA target and σ from the reference windows, by hand', () => {
    // Error rates of 4 windows, 100 rows each; reference: the first 2.
    const values = [0.1, 0.2, 0.15, 0.5];
    const result = smoothSeries({ values, sampleSizes: [100, 100, 100, 100], rowSds: [null, null, null, null], rate: true }, 'ewma', 2);
    // Target 0.15; spread √(Σ nᵢ(xᵢ−μ)²/(K−1)) = √(100·0.0025·2) = 0.7071 > √(0.15·0.85) = 0.3571.
    expect(result.target).toBeCloseTo(0.15, 12);
    expect(result.sigmaPerRow).toBeCloseTo(Math.sqrt(0.5), 12);
    // z₁ = 0.2·0.1 + 0.8·0.15 = 0.14; Var(z₁) = 0.04·0.5/100 → limits 0.15 ± 3·√0.0002.
    expect(result.points![0]!.smoothed).toBeCloseTo(0.14, 12);
    expect(result.points![0]!.upper).toBeCloseTo(0.15 + 3 * Math.sqrt(0.0002), 12);
    // z₄ = 0.2·0.5 + 0.8·z₃ with z₂ = 0.152, z₃ = 0.1516 → 0.22128, far above its limit.
    expect(result.points![3]!.smoothed).toBeCloseTo(0.22128, 12);
    expect(result.points!.map((p) => p.alert)).toEqual([false, false, false, true]);
  });

  it('uses the rows\' own σ when the windows agree more than rows would', () => {
    const result = smoothSeries({ values: [10, 10.1, 9.9, 10], sampleSizes: [50, 50, 50, 50], rowSds: [4, 4, 4, 4], rate: false }, 'ewma', 3);
    expect(result.sigmaPerRow).toBeCloseTo(4, 12);
  });

  it('says why there are no limits instead of returning NaN', () => {
    expect(smoothSeries({ values: [1, 1], sampleSizes: undefined, rowSds: [null, null], rate: false }, 'ewma', 1)).toMatchObject({ status: 'insufficient_data', points: null });
    expect(smoothSeries({ values: [2, 2, 2, 2], sampleSizes: undefined, rowSds: [null, null, null, null], rate: false }, 'kalman', 3)).toMatchObject({
      status: 'insufficient_data',
      reason: 'the reference windows have no variation: no limits can be set',
    });
    // Full label coverage after seasonal adjustment: 1 give or take rounding, which must not become limits and alerts.
    const rounded = [1, 1.0000000000000013, 0.9999999999999998, 1.0000000000000022, 1];
    expect(smoothSeries({ values: rounded, sampleSizes: [40, 40, 40, 40, 40], rowSds: rounded.map(() => null), rate: true }, 'kalman', 4)).toMatchObject({
      status: 'insufficient_data',
      points: null,
    });
  });
});
