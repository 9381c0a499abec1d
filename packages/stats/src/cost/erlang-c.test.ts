import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { erlangB, erlangC } from './erlang-c.js';

// From packages/stats/golden/cost/erlang-golden.py: exact factorial sums in rational arithmetic.
const golden: [servers: number, load: number, probabilityOfWaiting: number][] = [
  [1, 0.5, 0.5],
  [2, 1, 0.3333333333333333],
  [5, 4, 0.5541125541125541],
  [6, 4, 0.28476084538375973],
  [10, 8, 0.40918015079644354],
  [20, 15.5, 0.20434704712975982],
  [50, 45, 0.3638644672069884],
  [100, 95, 0.5064568539130206],
  [300, 290, 0.4493598466425404],
  [1000, 950, 0.06825341537714143],
  [2000, 1990, 0.7481429359412843],
];

describe('erlangC', () => {
  it.each(golden)('matches the exact factorial-sum value for c = %i, A = %d', (servers, load, expected) => {
    expect(Math.abs(erlangC(servers, load) - expected) / expected).toBeLessThan(1e-12);
  });

  it('equals ρ for a single server (M/M/1: an arrival waits exactly when the server is busy)', () => {
    fc.assert(fc.property(fc.double({ min: 0, max: 0.999, noNaN: true }), (rho) => Math.abs(erlangC(1, rho) - rho) <= 1e-15));
  });

  it('is 1 when the load reaches the number of servers', () => {
    expect(erlangC(4, 4)).toBe(1);
    expect(erlangC(4, 9)).toBe(1);
  });

  it('never falls below Erlang B and stays a probability', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3000 }), fc.double({ min: 0, max: 0.999, noNaN: true }), (c, rho) => {
        const a = c * rho;
        const pWait = erlangC(c, a);
        return pWait >= erlangB(c, a) - 1e-15 && pWait >= 0 && pWait <= 1;
      }),
    );
  });

  it('throws on impossible input', () => {
    expect(() => erlangC(0, 1)).toThrow(/servers must be a positive integer/);
    expect(() => erlangC(2.5, 1)).toThrow(/servers must be a positive integer/);
    expect(() => erlangC(2, -1)).toThrow(/offered load/);
    expect(() => erlangC(2, NaN)).toThrow(/offered load/);
  });
});
