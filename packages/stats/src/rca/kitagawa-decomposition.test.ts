import { describe, expect, it } from 'vitest';
import { kitagawaDecomposition } from './kitagawa-decomposition.js';

describe('kitagawaDecomposition', () => {
  // By hand: A 10/100 → 20/100 (w .5 → .25), B 2/100 → 6/300 (w .5 → .75); R 0.06 → 0.065.
  // mix = (.25−.5)(.1+.2)/2 + (.75−.5)(.02+.02)/2 = −0.0375 + 0.005 = −0.0325
  // rate = (.2−.1)(.5+.25)/2 + 0 = 0.0375; sum 0.005.
  it('splits a rate change into the hand-computed mix and rate parts', () => {
    const r = kitagawaDecomposition([
      { baselineNum: 10, baselineDen: 100, currentNum: 20, currentDen: 100 },
      { baselineNum: 2, baselineDen: 100, currentNum: 6, currentDen: 300 },
    ]);
    expect(r.mix).toBeCloseTo(-0.0325, 12);
    expect(r.rate).toBeCloseTo(0.0375, 12);
  });

  it('throws when a period has no denominator', () => {
    expect(() => kitagawaDecomposition([{ baselineNum: 0, baselineDen: 0, currentNum: 1, currentDen: 2 }])).toThrow(/both must be positive/);
  });
});
