import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calibrateScore, calibrateScores, fitIsotonicCalibration } from './fit-isotonic-calibration.js';
import { mulberry32 } from '../mulberry32.js';
import { cbpeGolden } from '../../golden/health/cbpe-golden.js';

describe('fitIsotonicCalibration', () => {
  it.each(cbpeGolden.isotonic.map((c) => [c.name, c] as const))('matches sklearn IsotonicRegression(out_of_bounds="clip") on the %s case', (_name, c) => {
    const calibration = fitIsotonicCalibration({ scores: c.scores, labels: c.labels, ...(c.weights === null ? {} : { weights: c.weights }) });
    expect(calibration.scores.length).toBe(c.knots.length);
    calibration.scores.forEach((x, i) => expect(x).toBeCloseTo(c.knots[i]!, 14));
    calibration.probabilities.forEach((y, i) => expect(y).toBeCloseTo(c.knotProbabilities[i]!, 12));
    const predicted = calibrateScores(calibration, c.queries);
    predicted.forEach((p, i) => expect(p).toBeCloseTo(c.predictions[i]!, 12));
  });

  it('pools a violating pair into its mean: 0.1→0, 0.2→1, 0.3→0, 0.4→1 gives 0, ½, ½, 1', () => {
    const calibration = fitIsotonicCalibration({ scores: [0.3, 0.1, 0.4, 0.2], labels: [0, 0, 1, 1] });
    expect(Array.from(calibration.probabilities)).toEqual([0, 0.5, 0.5, 1]);
    expect(calibrateScore(calibration, 0.25)).toBe(0.5);
    expect(calibrateScore(calibration, 0.35)).toBeCloseTo(0.75, 15);
    expect(calibrateScore(calibration, -1)).toBe(0);
    expect(calibrateScore(calibration, 2)).toBe(1);
  });

  it('is non-decreasing in the score whatever the labels', () => {
    const random = mulberry32(11);
    for (let trial = 0; trial < 20; trial++) {
      const scores = Array.from({ length: 200 }, () => random());
      const labels = scores.map(() => (random() < 0.5 ? 1 : 0));
      const calibration = fitIsotonicCalibration({ scores, labels });
      const grid = Array.from({ length: 101 }, (_, i) => i / 100);
      const p = calibrateScores(calibration, grid);
      for (let i = 1; i < p.length; i++) expect(p[i]!).toBeGreaterThanOrEqual(p[i - 1]!);
    }
  });

  it('keeps the share of positives: the calibrated training scores sum to the labels (property)', () => {
    const rows = fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.boolean()), { minLength: 1, maxLength: 80 });
    fc.assert(
      fc.property(rows, (pairs) => {
        const scores = pairs.map(([s]) => s / 40);
        const labels = pairs.map(([, y]): number => (y ? 1 : 0));
        const calibration = fitIsotonicCalibration({ scores, labels });
        const total = calibrateScores(calibration, scores).reduce((a, b) => a + b, 0);
        expect(total).toBeCloseTo(labels.reduce((a, b) => a + b, 0), 9);
        for (let i = 1; i < calibration.probabilities.length; i++) expect(calibration.probabilities[i]!).toBeGreaterThanOrEqual(calibration.probabilities[i - 1]!);
      }),
    );
  });

  it('fits one score to its share of positives', () => {
    const calibration = fitIsotonicCalibration({ scores: [0.7, 0.7, 0.7, 0.7], labels: [1, 0, 1, 1] });
    expect(calibrateScore(calibration, 0.1)).toBe(0.75);
    expect(calibration.rows).toBe(4);
  });

  it('throws on no rows, a label outside [0, 1], or a non-finite score', () => {
    expect(() => fitIsotonicCalibration({ scores: [], labels: [] })).toThrow(/no labelled rows/);
    expect(() => fitIsotonicCalibration({ scores: [0.1], labels: [2] })).toThrow(/labels\[0\] is 2/);
    expect(() => fitIsotonicCalibration({ scores: [Number.NaN], labels: [1] })).toThrow(/scores\[0\] is NaN/);
    expect(() => fitIsotonicCalibration({ scores: [0.1, 0.2], labels: [1, 0], weights: [0, 0] })).toThrow(/no labelled rows/);
  });
});
