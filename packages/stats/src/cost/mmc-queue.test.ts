import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mmcMeanWait, mmcSojournCdf, mmcSojournQuantile, mmcUtilization } from './mmc-queue.js';

// From packages/stats/golden/cost/erlang-golden.py: P(T ≤ t) integrated numerically from the wait's
// distribution (scipy quad) and solved with brentq; the closed form in mmc-queue.ts is not used there.
const golden: [servers: number, arrivalRate: number, serviceRate: number, q: number, quantile: number][] = [
  [6, 40, 10, 0.99, 0.48540131078236026],
  [5, 40, 10, 0.99, 0.6079662524508239], // cμ − λ = μ: the Erlang-2 special case
  [2, 1, 1, 0.5, 0.9744116051899294], // special case again
  [2, 1, 1, 0.99, 5.6659606837929815],
  [7, 40, 10, 0.999, 0.6973126291453197],
  [1, 0.5, 1, 0.9, 4.60517018598809],
  [50, 450, 10, 0.99, 0.4692233834757823],
  [3, 2.9, 1, 0.95, 30.367439207284843],
];

describe('mmcSojournQuantile', () => {
  it.each(golden)('matches the integrated CDF for c = %i, λ = %d, μ = %d, q = %d', (servers, arrivalRate, serviceRate, q, expected) => {
    const t = mmcSojournQuantile({ servers, arrivalRate, serviceRate }, q);
    expect(Math.abs(t - expected) / expected).toBeLessThan(1e-9);
  });

  it('is the M/M/1 closed form −ln(1 − q)/(μ − λ) for one server (the sojourn is Exp(μ − λ))', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 0.98, noNaN: true }), fc.double({ min: 0.01, max: 0.999, noNaN: true }), (rho, q) => {
        const t = mmcSojournQuantile({ servers: 1, arrivalRate: rho, serviceRate: 1 }, q);
        const expected = -Math.log(1 - q) / (1 - rho);
        return Math.abs(t - expected) <= 1e-9 * expected;
      }),
    );
  });

  it('is continuous across the special case cμ − λ = μ', () => {
    // c = 5, μ = 10: λ = 40 is the special case; λ = 40 ± 1e-9 take the general branch.
    const at = mmcSojournCdf({ servers: 5, arrivalRate: 40, serviceRate: 10 }, 0.3);
    for (const arrivalRate of [40 - 1e-9, 40 + 1e-9, 40 - 1e-4, 40 + 1e-4]) {
      expect(mmcSojournCdf({ servers: 5, arrivalRate, serviceRate: 10 }, 0.3)).toBeCloseTo(at, 4);
    }
    expect(mmcSojournCdf({ servers: 5, arrivalRate: 40 + 1e-9, serviceRate: 10 }, 0.3)).toBeCloseTo(at, 9);
  });

  it('throws when the queue is unstable or q is not a probability', () => {
    expect(() => mmcSojournQuantile({ servers: 4, arrivalRate: 40, serviceRate: 10 }, 0.99)).toThrow(/unstable/);
    expect(() => mmcSojournQuantile({ servers: 6, arrivalRate: 40, serviceRate: 10 }, 1)).toThrow(/quantile must be in/);
    expect(() => mmcSojournQuantile({ servers: 6, arrivalRate: 40, serviceRate: 0 }, 0.5)).toThrow(/service rate/);
  });
});

describe('mmcMeanWait and mmcUtilization', () => {
  it('give the hand-worked M/M/2 values', () => {
    // c = 2, λ = 1, μ = 1: A = 1, C = 1/3, W_q = C/(cμ − λ) = 1/3, ρ = 1/2.
    expect(mmcMeanWait({ servers: 2, arrivalRate: 1, serviceRate: 1 })).toBeCloseTo(1 / 3, 14);
    expect(mmcUtilization({ servers: 2, arrivalRate: 1, serviceRate: 1 })).toBe(0.5);
  });

  it('agree with Little’s law on the mean of the sojourn distribution', () => {
    // E[T] = ∫ P(T > t) dt by the trapezoid rule must equal W_q + 1/μ.
    const queue = { servers: 6, arrivalRate: 40, serviceRate: 10 };
    const step = 1e-4;
    let integral = 0;
    for (let t = 0; t < 5; t += step) integral += ((1 - mmcSojournCdf(queue, t)) + (1 - mmcSojournCdf(queue, t + step))) * step / 2;
    expect(integral).toBeCloseTo(mmcMeanWait(queue) + 0.1, 6);
  });
});
