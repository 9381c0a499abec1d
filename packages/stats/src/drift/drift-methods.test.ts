import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { golden } from '../../golden/drift/golden.js';
import type { GoldenInput } from '../../golden/drift/golden-types.js';
import type { DriftInput } from './drift-input.js';
import { driftMethod, driftMethods, isDrift } from './drift-methods.js';

function toInput(g: GoldenInput): DriftInput {
  if (g.type === 'sample') return { type: 'sample', values: Float64Array.from(g.values) };
  if (g.type === 'bins') return { type: 'bins', counts: g.counts };
  return { type: 'categories', counts: new Map(Object.entries(g.counts)) };
}

function expectRelativelyClose(actual: number, expected: number, relative = 1e-6): void {
  if (!Number.isFinite(expected)) expect(actual).toBe(expected);
  else if (expected === 0) expect(Math.abs(actual)).toBeLessThanOrEqual(1e-12);
  else expect(Math.abs(actual - expected) / Math.abs(expected)).toBeLessThanOrEqual(relative);
}

describe('drift methods against scipy (golden/drift/make-golden.py)', () => {
  it(`was generated with scipy ${golden.scipy}`, () => {
    expect(golden.methodCases.length).toBeGreaterThan(0);
  });

  for (const c of golden.methodCases) {
    it(`${c.method}, ${c.name}: matches scipy to 1e-6`, () => {
      const result = driftMethod(c.method).compute(toInput(c.reference), toInput(c.current));
      expectRelativelyClose(result.score, c.score);
      if (c.pValue === null) expect(result.pValue).toBeNull();
      else expectRelativelyClose(result.pValue!, c.pValue);
    });
  }

  it('has a golden case for every registered method', () => {
    const covered = new Set(golden.methodCases.map((c) => c.method));
    const missing = driftMethods.map((m) => m.name).filter((name) => !covered.has(name));
    expect(missing).toEqual([]);
  });

  it('has a golden case for every input form a method accepts', () => {
    const missing = driftMethods.flatMap((m) =>
      m.inputs.filter((form) => !golden.methodCases.some((c) => c.method === m.name && c.reference.type === form)).map((form) => `${m.name}/${form}`),
    );
    expect(missing).toEqual([]);
  });
});

describe('the registry', () => {
  it('names each method once and states a direction and threshold for each', () => {
    const names = driftMethods.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    for (const m of driftMethods) {
      expect(['p-below', 'score-above']).toContain(m.driftWhen);
      expect(m.defaultThreshold).toBeGreaterThan(0);
    }
  });

  it('follows the threshold direction: p below for tests, score at or above for distances', () => {
    expect(isDrift(driftMethod('ks'), { score: 0.3, pValue: 0.049 }, 0.05)).toBe(true);
    expect(isDrift(driftMethod('ks'), { score: 0.3, pValue: 0.051 }, 0.05)).toBe(false);
    expect(isDrift(driftMethod('psi'), { score: 0.1, pValue: null }, 0.1)).toBe(true);
    expect(isDrift(driftMethod('psi'), { score: 0.09, pValue: null }, 0.1)).toBe(false);
  });

  it('throws on an unknown method, naming the known ones', () => {
    expect(() => driftMethod('t-test')).toThrow(/unknown drift method 't-test'.*ks, wasserstein/);
  });

  it('throws on impossible input instead of returning NaN', () => {
    const empty: DriftInput = { type: 'sample', values: new Float64Array(0) };
    const withNaN: DriftInput = { type: 'sample', values: Float64Array.of(1, Number.NaN, 3) };
    const ok: DriftInput = { type: 'sample', values: Float64Array.of(1, 2, 3, 4, 5, 6) };
    for (const m of driftMethods) {
      expect(() => m.compute(empty, ok), m.name).toThrow(/empty/);
      expect(() => m.compute(ok, withNaN), m.name).toThrow(/NaN/);
    }
    expect(() => driftMethod('psi').compute({ type: 'categories', counts: new Map([['a', -1]]) }, ok)).toThrow();
    expect(() => driftMethod('ks').compute({ type: 'categories', counts: new Map([['a', 1]]) }, ok)).toThrow(/raw numeric sample/);
    expect(() => driftMethod('psi').compute({ type: 'bins', counts: [1, 2] }, { type: 'bins', counts: [1, 2, 3] })).toThrow(/bins must be shared/);
    expect(() => driftMethod('psi').compute({ type: 'bins', counts: [0, 0] }, { type: 'bins', counts: [1, 2] })).toThrow(/all zero/);
  });
});

// Samples with at least two distinct values (Anderson–Darling needs them) and some ties.
const sampleArbitrary = fc
  .array(fc.integer({ min: -50, max: 50 }), { minLength: 4, maxLength: 60 })
  .filter((xs) => new Set(xs).size >= 2)
  .map((xs) => Float64Array.from(xs, (x) => x / 4));
const pairArbitrary = fc.tuple(sampleArbitrary, sampleArbitrary);

function shuffled(values: Float64Array, seed: number): Float64Array {
  const out = Float64Array.from(values);
  let state = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 48271) % 2147483647;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function categoriesOf(values: Float64Array): DriftInput {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(`c${v}`, (counts.get(`c${v}`) ?? 0) + 1);
  return { type: 'categories', counts };
}

describe('drift method properties (fast-check, seeded)', () => {
  const params = { seed: 20240603, numRuns: 60 };

  for (const m of driftMethods) {
    it(`${m.name}: identical samples never drift`, () => {
      fc.assert(
        fc.property(sampleArbitrary, (values) => {
          const input: DriftInput = { type: 'sample', values };
          const result = m.compute(input, { type: 'sample', values: Float64Array.from(values) });
          expect(isDrift(m, result, m.defaultThreshold)).toBe(false);
          if (m.inputs.includes('categories')) {
            expect(isDrift(m, m.compute(categoriesOf(values), categoriesOf(values)), m.defaultThreshold)).toBe(false);
          }
        }),
        params,
      );
    });

    it(`${m.name}: shuffling rows changes nothing`, () => {
      fc.assert(
        fc.property(pairArbitrary, fc.integer({ min: 1, max: 1e9 }), ([reference, current], seed) => {
          const a = m.compute({ type: 'sample', values: reference }, { type: 'sample', values: current });
          const b = m.compute({ type: 'sample', values: shuffled(reference, seed) }, { type: 'sample', values: shuffled(current, seed + 1) });
          expect(b.score).toBeCloseTo(a.score, 10);
          if (a.pValue === null) expect(b.pValue).toBeNull();
          else expect(b.pValue!).toBeCloseTo(a.pValue, 10);
        }),
        params,
      );
    });

    it(`${m.name}: score within [${m.scoreRange.join(', ')}] and p within [0, 1]`, () => {
      fc.assert(
        fc.property(pairArbitrary, ([reference, current]) => {
          const r = m.compute({ type: 'sample', values: reference }, { type: 'sample', values: current });
          expect(Number.isNaN(r.score)).toBe(false);
          expect(r.score).toBeGreaterThanOrEqual(m.scoreRange[0]);
          expect(r.score).toBeLessThanOrEqual(m.scoreRange[1]);
          if (m.driftWhen === 'p-below') {
            expect(r.pValue).not.toBeNull();
            expect(r.pValue!).toBeGreaterThanOrEqual(0);
            expect(r.pValue!).toBeLessThanOrEqual(1);
          }
        }),
        params,
      );
    });
  }
});
