import { describe, expect, it } from 'vitest';
import { logLoss } from './log-loss.js';

describe('logLoss', () => {
  it('is the mean of −ln of the probability given to the true class', () => {
    // By hand: (−ln 0.9 − ln 0.8 − ln 0.4) / 3.
    expect(logLoss([1, 0, 1], [0.9, 0.2, 0.4])).toBeCloseTo(-(Math.log(0.9) + Math.log(0.8) + Math.log(0.4)) / 3, 15);
  });

  it('clips certain mistakes like scikit-learn instead of returning Infinity', () => {
    expect(logLoss([1], [0])).toBeCloseTo(-Math.log(1e-15), 6);
  });

  it('throws on impossible input', () => {
    expect(() => logLoss([], [])).toThrow(/empty/);
    expect(() => logLoss([1, 0], [0.5])).toThrow(/2 rows but scores has 1/);
    expect(() => logLoss([2], [0.5])).toThrow(/labels\[0\] is 2/);
    expect(() => logLoss([1], [1.5])).toThrow(/scores\[0\] is 1.5/);
  });
});
