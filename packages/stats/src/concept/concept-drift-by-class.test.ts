import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mulberry32, mulberry32Normal } from '../mulberry32.js';
import { conceptDriftByClass } from './concept-drift-by-class.js';
import type { FeatureColumns } from './row-matrix.js';

/** n rows of (a, b, c) with corr(a, b) = rho, c independent. */
function sample(n: number, rho: number, seed: number): Record<string, Float64Array> {
  const normal = mulberry32Normal(seed);
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  const c = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = normal();
    b[i] = rho * a[i]! + Math.sqrt(1 - rho * rho) * normal();
    c[i] = normal();
  }
  return { a, b, c };
}

describe('conceptDriftByClass', () => {
  const reference = new Map<string, FeatureColumns>([
    ['cat', sample(400, 0.8, 1)],
    ['dog', sample(400, 0.8, 2)],
    ['eel', sample(50, 0.8, 3)],
    ['fox', sample(100, 0.8, 4)],
  ]);
  const current = new Map<string, FeatureColumns>([
    ['cat', sample(300, -0.8, 11)],
    ['dog', sample(300, 0.8, 12)],
    ['eel', sample(10, 0.8, 13)],
    ['gnu', sample(100, 0.8, 14)],
  ]);
  const result = conceptDriftByClass(reference, current);

  it('flags the class whose correlation flipped, and names the pair', () => {
    const cat = result.by_class.find((c) => c.class === 'cat')!;
    expect(cat.status).toBe('ok');
    expect(cat.drift).toBe(true);
    expect(cat.correlation!.drift).toBe(true);
    expect(cat.changed_pairs[0]).toMatchObject({ feature_a: 'a', feature_b: 'b' });
    expect(cat.changed_pairs[0]!.reference).toBeGreaterThan(0.7);
    expect(cat.changed_pairs[0]!.current).toBeLessThan(-0.7);
    expect(result.drifted_classes).toEqual(['cat']);
    expect(result.drift).toBe(true);
  });

  it('leaves an unchanged class alone', () => {
    const dog = result.by_class.find((c) => c.class === 'dog')!;
    expect(dog).toMatchObject({ status: 'ok', drift: false, changed_pairs: [] });
    expect(dog.correlation!.drift).toBe(false);
    expect(dog.clusters!.drift).toBe(false);
  });

  it('reports small and one-sided classes as insufficient_data instead of dropping them', () => {
    expect(result.by_class.map((c) => c.class)).toEqual(['cat', 'dog', 'eel', 'fox', 'gnu']);
    expect(result.insufficient_classes).toEqual(['eel', 'fox', 'gnu']);
    const eel = result.by_class.find((c) => c.class === 'eel')!;
    expect(eel).toMatchObject({ status: 'insufficient_data', reference_rows: 50, current_rows: 10, correlation: null, clusters: null, drift: false });
    expect(eel.reason).toMatch(/10 current rows; needs at least 30/);
    expect(result.by_class.find((c) => c.class === 'fox')!.reason).toMatch(/absent from the current data/);
    expect(result.by_class.find((c) => c.class === 'gnu')!.reason).toMatch(/absent from the reference/);
  });

  it('requires at least twice as many rows as features', () => {
    const wide = (n: number, seed: number) => {
      const random = mulberry32(seed);
      return Object.fromEntries(Array.from({ length: 20 }, (_, j) => [`f${j}`, Float64Array.from({ length: n }, () => random())]));
    };
    const r = conceptDriftByClass(new Map([['x', wide(35, 1)]]), new Map([['x', wide(60, 2)]]));
    expect(r.by_class[0]).toMatchObject({ status: 'insufficient_data', min_rows: 40 });
    expect(r.by_class[0]!.reason).toMatch(/35 reference rows/);
  });

  it('throws on a class missing a feature', () => {
    expect(() => conceptDriftByClass(new Map([['x', { a: [1], b: [2] }]]), new Map([['x', { a: [1] }]]))).toThrow(/current class "x": column "b" is missing/);
    expect(() => conceptDriftByClass(new Map(), new Map())).toThrow(/no classes/);
    expect(() => conceptDriftByClass(new Map([['x', { a: [1], b: [2] }]]), new Map(), { minRows: 2 })).toThrow(/minRows is 2/);
  });

  it('never flags a class compared with itself, whatever the row order (fast-check)', () => {
    const rows = fc.array(fc.tuple(fc.integer({ min: -9, max: 9 }), fc.integer({ min: -9, max: 9 })), { minLength: 30, maxLength: 60 });
    fc.assert(
      fc.property(rows, (data) => {
        const columns = { a: data.map((r) => r[0]), b: data.map((r) => r[1]) };
        const reversed = { a: [...columns.a].reverse(), b: [...columns.b].reverse() };
        const r = conceptDriftByClass(new Map([['k', columns]]), new Map([['k', reversed]]), { correlation: { resamples: 20 } });
        expect(r.by_class[0]!.status).toBe('ok');
        expect(r.drift).toBe(false);
      }),
      { seed: 20261128, numRuns: 25 },
    );
  });
});
