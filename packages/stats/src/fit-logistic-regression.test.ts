import { describe, expect, it } from 'vitest';
import { fitLogisticRegression } from './fit-logistic-regression.js';
import { logLoss } from './log-loss.js';
import { predictLogistic } from './predict-logistic.js';

// The same Park–Miller "minimal standard" generator as golden/logistic-regression.py (48271 · s mod 2³¹ − 1
// stays below 2⁵³, so doubles compute it exactly and both languages see identical rows).
function dataset(n = 200, seed = 20240601): { rows: Float64Array[]; y: Uint8Array } {
  let state = seed;
  const uniform = (): number => {
    state = (state * 48271) % 2147483647;
    return state / 2147483647;
  };
  const rows: Float64Array[] = [];
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const x1 = 4 * uniform() - 2;
    const x2 = 2 * uniform() - 1;
    const x3 = uniform() < 0.3 ? 1 : 0;
    const eta = 0.5 + 1.5 * x1 - 2 * x2 + 0.8 * x3;
    rows.push(Float64Array.of(x1, x2, x3));
    y[i] = uniform() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
  }
  return { rows, y };
}

// Printed by golden/logistic-regression.py (scikit-learn 1.2.1, solver newton-cholesky, tol 1e-10).
const golden = [
  { l2: 1.0, intercept: 0.5070790022033271, weights: [1.5276888158116784, -1.5346961707736042, 0.7605690726588673], logLoss: 0.4153049439374054 },
  { l2: 0.01, intercept: 0.4963617381932869, weights: [1.6859182327361282, -1.7937484464242137, 0.9746551104366568], logLoss: 0.4133425801288745 },
  { l2: 10.0, intercept: 0.5046306753481838, weights: [1.045566145165063, -0.7715874971041832, 0.2664245126414904], logLoss: 0.4491359687220533 },
  { l2: 0.0, intercept: 0.4961925904924769, weights: [1.6879949683630182, -1.797105537539471, 0.9775769957585045], logLoss: 0.41334227099329013 },
];

describe('fitLogisticRegression', () => {
  const { rows, y } = dataset();

  it('generates the same rows as the golden script', () => {
    expect(rows.length).toBe(200);
    expect(y.reduce((a, b) => a + b, 0)).toBe(122);
    expect(Array.from(rows[0]!)).toEqual([1.8677363357822112, 0.7503322715639753, 1]);
    expect(y[0]).toBe(1);
  });

  for (const expected of golden) {
    it(`matches scikit-learn's coefficients with C = 1/${expected.l2}`, () => {
      const model = fitLogisticRegression(rows, y, { l2: expected.l2 });
      expect(model.converged).toBe(true);
      expect(model.intercept).toBeCloseTo(expected.intercept, 6);
      expected.weights.forEach((w, j) => expect(model.weights[j]).toBeCloseTo(w, 6));
      expect(model.logLoss).toBeCloseTo(expected.logLoss, 8);
    });
  }

  it('reports the training log loss of its own predictions', () => {
    const model = fitLogisticRegression(rows, y, { l2: 1 });
    const scores = rows.map((row) => predictLogistic(model, row));
    expect(model.logLoss).toBeCloseTo(logLoss(y, scores), 12);
  });

  it('gives the same fit for one array per row and a row-major matrix', () => {
    const values = new Float64Array(rows.length * 3);
    rows.forEach((row, i) => values.set(row, i * 3));
    const fromRows = fitLogisticRegression(rows, y, { l2: 0.5 });
    const fromMatrix = fitLogisticRegression({ values, nRows: rows.length, nCols: 3 }, y, { l2: 0.5 });
    expect(Array.from(fromMatrix.weights)).toEqual(Array.from(fromRows.weights));
    expect(fromMatrix.intercept).toBe(fromRows.intercept);
  });

  it('fits the base rate with no columns', () => {
    const model = fitLogisticRegression({ values: new Float64Array(0), nRows: 4, nCols: 0 }, Uint8Array.of(1, 0, 0, 0));
    expect(model.intercept).toBeCloseTo(Math.log(1 / 3), 9);
  });

  it('stops at maxIterations and says it did not converge', () => {
    const model = fitLogisticRegression(rows, y, { l2: 1, maxIterations: 1 });
    expect(model.iterations).toBe(1);
    expect(model.converged).toBe(false);
  });

  it('throws on an empty sample', () => {
    expect(() => fitLogisticRegression([], new Uint8Array(0))).toThrow(/no rows/);
  });

  it('throws when x and y have different lengths', () => {
    expect(() => fitLogisticRegression(rows, y.subarray(1))).toThrow(/200 rows but y has 199/);
  });

  it('throws on ragged rows, labels other than 0/1, one class only, non-finite values and a negative penalty', () => {
    expect(() => fitLogisticRegression([Float64Array.of(1, 2), Float64Array.of(1)], Uint8Array.of(0, 1))).toThrow(/row 1 has 1 columns/);
    expect(() => fitLogisticRegression([Float64Array.of(1), Float64Array.of(2)], Uint8Array.of(0, 2))).toThrow(/y\[1\] is 2/);
    expect(() => fitLogisticRegression([Float64Array.of(1), Float64Array.of(2)], Uint8Array.of(1, 1))).toThrow(/only class 1/);
    expect(() => fitLogisticRegression([Float64Array.of(1), Float64Array.of(NaN)], Uint8Array.of(0, 1))).toThrow(/non-finite value NaN at row 1/);
    expect(() => fitLogisticRegression(rows, y, { l2: -1 })).toThrow(/options.l2/);
    expect(() => fitLogisticRegression({ values: new Float64Array(5), nRows: 2, nCols: 3 }, Uint8Array.of(0, 1))).toThrow(/expected nRows × nCols = 6/);
  });
});

describe('predictLogistic', () => {
  it('is σ(intercept + w·x)', () => {
    const model = { weights: Float64Array.of(2, -1), intercept: 0.5 };
    expect(predictLogistic(model, [1, 1])).toBeCloseTo(1 / (1 + Math.exp(-1.5)), 15);
    expect(predictLogistic(model, [-400, 0])).toBeGreaterThanOrEqual(0);
    expect(predictLogistic(model, [400, 0])).toBe(1);
  });

  it('throws when the row does not have one value per weight', () => {
    expect(() => predictLogistic({ weights: Float64Array.of(1, 2), intercept: 0 }, [1])).toThrow(/row has 1 values, the model has 2 weights/);
  });
});
