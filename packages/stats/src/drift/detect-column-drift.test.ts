import { describe, expect, it } from 'vitest';
import { detectColumnDrift } from './detect-column-drift.js';

// Deterministic, evenly spread values: quantiles of the uniform distribution on [low, low + width).
function spread(n: number, low: number, width: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => low + (width * (i + 0.5)) / n);
}

describe('detectColumnDrift', () => {
  it('chooses KS for a small numeric column and flags a shift', () => {
    const result = detectColumnDrift({
      kind: 'numeric',
      // Values k + ½ are exact in binary, so the ECDFs differ by exactly 60/200 over the shifted stretch.
      reference: { type: 'sample', values: spread(200, 0, 200) },
      current: { type: 'sample', values: spread(200, 60, 200) },
    });
    expect(result.method).toBe('ks');
    expect(result.score).toBeCloseTo(0.3, 15);
    expect(result.p_value!).toBeLessThan(1e-6);
    expect(result).toMatchObject({ threshold: 0.05, drift: true });
  });

  it('chooses normed Wasserstein above 1,000 rows and reports no p-value', () => {
    const result = detectColumnDrift({
      kind: 'numeric',
      reference: { type: 'sample', values: spread(2000, 0, 1) },
      current: { type: 'sample', values: spread(2000, 0.01, 1) },
    });
    expect(result.method).toBe('wasserstein');
    expect(result.p_value).toBeNull();
    // W₁ of a shift is the shift (0.01); the reference std of U(0, 1) is ≈ 1/√12.
    expect(result.score).toBeCloseTo(0.01 * Math.sqrt(12), 4);
    expect(result.drift).toBe(false);
  });

  it('flags drift when PSI exceeds its threshold on store-made histograms', () => {
    const result = detectColumnDrift({
      kind: 'numeric',
      method: 'psi',
      reference: { type: 'bins', counts: [250, 250, 250, 250] },
      current: { type: 'bins', counts: [100, 200, 300, 400] },
    });
    // By hand: Σ (r − c) ln(r/c) = 0.15 ln 2.5 + 0.05 ln 1.25 − 0.05 ln 0.8333… − 0.15 ln 0.625.
    expect(result.score).toBeCloseTo(0.15 * Math.log(2.5) + 0.05 * Math.log(1.25) + 0.05 * Math.log(1.2) + 0.15 * Math.log(1.6), 12);
    expect(result).toMatchObject({ method: 'psi', threshold: 0.1, drift: true });
  });

  it('chooses the Z-test for a small binary categorical column', () => {
    const result = detectColumnDrift({
      kind: 'categorical',
      reference: { type: 'categories', counts: new Map([['yes', 50], ['no', 50]]) },
      current: { type: 'categories', counts: new Map([['yes', 50], ['no', 50]]) },
    });
    expect(result).toEqual({ method: 'z', score: 0, p_value: 1, threshold: 0.05, drift: false });
  });

  it('honours an explicit threshold in the method direction', () => {
    const options = {
      kind: 'categorical' as const,
      method: 'jensenshannon',
      reference: { type: 'categories' as const, counts: new Map([['a', 60], ['b', 40]]) },
      current: { type: 'categories' as const, counts: new Map([['a', 50], ['b', 50]]) },
    };
    const score = detectColumnDrift(options).score;
    expect(detectColumnDrift({ ...options, threshold: score }).drift).toBe(true);
    expect(detectColumnDrift({ ...options, threshold: score * 1.01 }).drift).toBe(false);
  });

  it('throws when a method cannot take the input or the kind', () => {
    const bins = { type: 'bins' as const, counts: [1, 2, 3] };
    expect(() => detectColumnDrift({ kind: 'numeric', reference: bins, current: bins })).toThrow(/give method/);
    expect(() => detectColumnDrift({ kind: 'numeric', method: 'ks', reference: bins, current: bins })).toThrow(/ks takes sample/);
    const cats = { type: 'categories' as const, counts: new Map([['a', 1]]) };
    expect(() => detectColumnDrift({ kind: 'categorical', method: 'wasserstein', reference: cats, current: cats })).toThrow(/wasserstein does not apply to categorical/);
  });
});
