import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mixRateDecomposition, type SegmentPeriods } from './mix-rate-decomposition.js';

const segmentArbitrary = fc.record({
  baselineRows: fc.integer({ min: 1, max: 1_000_000 }),
  currentRows: fc.integer({ min: 1, max: 1_000_000 }),
  baselineRate: fc.double({ min: 0, max: 1000, noNaN: true }),
  currentRate: fc.double({ min: 0, max: 1000, noNaN: true }),
});
const segmentsArbitrary = fc.array(segmentArbitrary, { minLength: 1, maxLength: 12 });

const toSegments = (rows: { baselineRows: number; currentRows: number; baselineRate: number; currentRate: number }[]): SegmentPeriods[] =>
  rows.map((r, i) => ({
    segment: `s${i}`,
    baseline: { rows: r.baselineRows, total: r.baselineRate * r.baselineRows },
    current: { rows: r.currentRows, total: r.currentRate * r.currentRows },
  }));

describe('mixRateDecomposition', () => {
  it('splits a hand-worked example: more traffic from a hard airport is mix, not rate', () => {
    // Baseline: JFK 100 rows at 0.2, BOS 900 at 0.05 → 0.065. Current: JFK 500 at 0.2, BOS 500 at 0.05 → 0.125.
    const d = mixRateDecomposition([
      { segment: 'JFK', baseline: { rows: 100, total: 20 }, current: { rows: 500, total: 100 } },
      { segment: 'BOS', baseline: { rows: 900, total: 45 }, current: { rows: 500, total: 25 } },
    ]);
    expect(d.baselineRate).toBeCloseTo(0.065, 15);
    expect(d.currentRate).toBeCloseTo(0.125, 15);
    expect(d.mix).toBeCloseTo(0.06, 15); // (0.5 − 0.1)·0.2 + (0.5 − 0.9)·0.05
    expect(d.rate).toBe(0);
    expect(d.segments[0]!.mix).toBeCloseTo(0.08, 15);
  });

  it('mix + rate equals the change, per segment and in total (to 1e-12)', () => {
    fc.assert(
      fc.property(segmentsArbitrary, (rows) => {
        const d = mixRateDecomposition(toSegments(rows));
        const scale = Math.max(1, Math.abs(d.baselineRate), Math.abs(d.currentRate));
        expect(Math.abs(d.mix + d.rate - d.change)).toBeLessThanOrEqual(1e-12 * scale);
        const bySegment = d.segments.reduce((s, c) => s + c.mix + c.rate, 0);
        expect(Math.abs(bySegment - d.change)).toBeLessThanOrEqual(1e-12 * scale);
      }),
    );
  });

  it('gives a rate part of exactly 0 when only the mix changes, and a mix part of 0 when only rates change', () => {
    // Integer rows and totals: scaling both by an integer k leaves total/rows bit-identical (both quotients
    // are the correctly rounded value of the same real number), so a pure mix change has identical rates.
    const integerSegment = fc.record({
      rows: fc.integer({ min: 1, max: 100_000 }),
      total: fc.integer({ min: 0, max: 10_000_000 }),
      scale: fc.integer({ min: 1, max: 1000 }),
      otherTotal: fc.integer({ min: 0, max: 10_000_000 }),
    });
    fc.assert(
      fc.property(fc.array(integerSegment, { minLength: 1, maxLength: 12 }), (rows) => {
        const pureMix = mixRateDecomposition(
          rows.map((r, i) => ({ segment: `s${i}`, baseline: { rows: r.rows, total: r.total }, current: { rows: r.rows * r.scale, total: r.total * r.scale } })),
        );
        expect(pureMix.rate).toBe(0);
        const pureRate = mixRateDecomposition(
          rows.map((r, i) => ({ segment: `s${i}`, baseline: { rows: r.rows, total: r.total }, current: { rows: r.rows, total: r.otherTotal } })),
        );
        expect(pureRate.mix).toBe(0);
      }),
    );
  });

  it('is antisymmetric: swapping the periods negates both parts', () => {
    fc.assert(
      fc.property(segmentsArbitrary, (rows) => {
        const forward = mixRateDecomposition(toSegments(rows));
        const backward = mixRateDecomposition(
          toSegments(rows.map((r) => ({ baselineRows: r.currentRows, currentRows: r.baselineRows, baselineRate: r.currentRate, currentRate: r.baselineRate }))),
        );
        expect(backward.mix).toBeCloseTo(-forward.mix, 9);
        expect(backward.rate).toBeCloseTo(-forward.rate, 9);
      }),
    );
  });

  it('counts a segment that appears only in the current period as mix', () => {
    const d = mixRateDecomposition([
      { segment: 'old', baseline: { rows: 100, total: 10 }, current: { rows: 100, total: 10 } },
      { segment: 'new', baseline: { rows: 0, total: 0 }, current: { rows: 100, total: 50 } },
    ]);
    expect(d.segments[1]!.absentIn).toBe('baseline');
    expect(d.rate).toBe(0);
    expect(d.mix).toBeCloseTo(0.3 - 0.1, 15);
  });

  it('throws on an empty period, duplicate segments, or a total over zero rows', () => {
    expect(() => mixRateDecomposition([])).toThrow(/empty/);
    expect(() => mixRateDecomposition([{ segment: 'a', baseline: { rows: 0, total: 0 }, current: { rows: 0, total: 0 } }])).toThrow(/no rows in either/);
    expect(() => mixRateDecomposition([{ segment: 'a', baseline: { rows: 0, total: 3 }, current: { rows: 1, total: 0 } }])).toThrow(/over 0 rows/);
    const a = { segment: 'a', baseline: { rows: 1, total: 0 }, current: { rows: 1, total: 0 } };
    expect(() => mixRateDecomposition([a, a])).toThrow(/twice/);
    expect(() => mixRateDecomposition([{ segment: 'a', baseline: { rows: 1, total: Number.NaN }, current: { rows: 1, total: 0 } }])).toThrow(/NaN/);
  });
});
