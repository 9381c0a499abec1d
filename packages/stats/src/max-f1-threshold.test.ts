import { describe, expect, it } from 'vitest';
import { maxF1Threshold } from './max-f1-threshold.js';

describe('maxF1Threshold', () => {
  it('picks the threshold with the best F1, worked by hand', () => {
    // Scores descending 0.9(1) 0.8(0) 0.7(1) 0.4(1) 0.1(0); 3 positives. F1 = 2TP / (flagged + 3):
    // ≥0.9: 2/4 = 0.5; ≥0.8: 2/5 = 0.4; ≥0.7: 4/6 ≈ 0.667; ≥0.4: 6/7 ≈ 0.857; ≥0.1: 6/8 = 0.75.
    const result = maxF1Threshold([0, 1, 1, 0, 1], [0.1, 0.9, 0.7, 0.8, 0.4]);
    expect(result.threshold).toBe(0.4);
    expect(result.f1).toBeCloseTo(6 / 7, 15);
    expect(result.precision).toBeCloseTo(3 / 4, 15);
    expect(result.recall).toBe(1);
  });

  it('flags tied scores together', () => {
    // ≥0.9 flags one negative: F1 0. ≥0.5 flags all three: TP 1 → 2/(3 + 1) = 0.5. Counting the tied
    // positive before its tied negative would claim 2/(2 + 1) ≈ 0.667 for the same threshold.
    const result = maxF1Threshold([0, 1, 0], [0.9, 0.5, 0.5]);
    expect(result.threshold).toBe(0.5);
    expect(result.f1).toBeCloseTo(2 / 4, 15);
  });

  it('throws on impossible input', () => {
    expect(() => maxF1Threshold([], [])).toThrow(/empty/);
    expect(() => maxF1Threshold([1], [0.2, 0.3])).toThrow(/1 rows but scores has 2/);
    expect(() => maxF1Threshold([0, 0], [0.2, 0.3])).toThrow(/no positive row/);
    expect(() => maxF1Threshold([1, 3], [0.2, 0.3])).toThrow(/labels\[1\] is 3/);
    expect(() => maxF1Threshold([1, 0], [NaN, 0.3])).toThrow(/scores\[0\] is NaN/);
  });
});
