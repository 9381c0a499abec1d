import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { mulberry32Normal } from '@outlay/stats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeConceptDrift, type ConceptDriftReportOptions, type ConceptDriftSections, openDriftSource } from '@outlay/analysis';
import { runSql } from '../../test-support/run-sql.js';

const dir = mkdtempSync(join(tmpdir(), 'outlay-concept-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string) => join(dir, name);

interface ClassSpec {
  readonly label: string;
  readonly rows: number;
  /** corr(x, y) within the class */
  readonly rho: number;
  /** how sure the model is: the true class gets this probability, the other two share the rest */
  readonly confidence: number;
}

/**
 * A CSV of three features (x, y correlated within each class, z independent), the class `label`, a `score`
 * and one probability column per class (p_a, p_b, p_c). Every 50th row misses x, so is left out of concept drift.
 */
function writeCsv(name: string, classes: readonly ClassSpec[], seed: number): string {
  const normal = mulberry32Normal(seed);
  const lines = ['x,y,z,label,score,p_a,p_b,p_c'];
  let row = 0;
  for (const spec of classes) {
    for (let i = 0; i < spec.rows; i++, row++) {
      const x = normal();
      const y = spec.rho * x + Math.sqrt(1 - spec.rho ** 2) * normal();
      const z = 10 + 3 * normal();
      // The model's confidence varies a little from row to row; the rest is split evenly.
      const top = Math.min(0.98, Math.max(0.34, spec.confidence + 0.05 * normal()));
      const probabilities = ['a', 'b', 'c'].map((c) => (c === spec.label ? top : (1 - top) / 2));
      const cells = [row % 50 === 7 ? '' : x.toFixed(6), y.toFixed(6), z.toFixed(6), spec.label, top.toFixed(6), ...probabilities.map((p) => p.toFixed(6))];
      lines.push(cells.join(','));
    }
  }
  writeFileSync(file(name), lines.join('\n') + '\n');
  return file(name);
}

/** Opens both files in a fresh DuckDB and runs computeConceptDrift. */
async function run(referencePath: string, currentPath: string, options: Partial<ConceptDriftReportOptions> = {}): Promise<ConceptDriftSections> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const reference = await openDriftSource(connection, 'reference', referencePath);
    const current = await openDriftSource(connection, 'current', currentPath);
    return await computeConceptDrift(connection, reference, current, { features: ['x', 'y', 'z'], classColumn: 'label', ...options });
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

let reference: string;
let current: string;
let unchanged: string;

beforeAll(async () => {
  reference = writeCsv('reference.csv', [
    { label: 'a', rows: 400, rho: 0.9, confidence: 0.9 },
    { label: 'b', rows: 400, rho: 0.6, confidence: 0.9 },
    { label: 'c', rows: 40, rho: 0.6, confidence: 0.9 },
  ], 1);
  // Class a: the x–y correlation flips; class b: unchanged; class c: too few current rows; the model is less sure.
  current = writeCsv('current.csv', [
    { label: 'a', rows: 300, rho: -0.9, confidence: 0.6 },
    { label: 'b', rows: 300, rho: 0.6, confidence: 0.6 },
    { label: 'c', rows: 12, rho: 0.6, confidence: 0.6 },
  ], 2);
  unchanged = writeCsv('unchanged.csv', [
    { label: 'a', rows: 300, rho: 0.9, confidence: 0.9 },
    { label: 'b', rows: 300, rho: 0.6, confidence: 0.9 },
    { label: 'c', rows: 40, rho: 0.6, confidence: 0.9 },
  ], 3);
  await runSql([`COPY (SELECT * FROM read_csv('${reference}', header = true)) TO '${file('reference.parquet')}' (FORMAT parquet)`]);
});

describe('computeConceptDrift', () => {
  it('flags the class whose correlation structure flipped and not the unchanged one', async () => {
    const { concept_drift: report } = await run(reference, current);
    expect(report).not.toBeNull();
    const a = report!.by_class.find((c) => c.class === 'a')!;
    const b = report!.by_class.find((c) => c.class === 'b')!;
    expect(a.status).toBe('ok');
    expect(a.correlation!.drift).toBe(true);
    expect(a.drift).toBe(true);
    expect(a.changed_pairs[0]).toMatchObject({ feature_a: 'x', feature_b: 'y' });
    expect(a.changed_pairs[0]!.reference).toBeGreaterThan(0.8);
    expect(a.changed_pairs[0]!.current).toBeLessThan(-0.8);
    expect(b.status).toBe('ok');
    expect(b.correlation!.drift).toBe(false);
    expect(b.drift).toBe(false);
    expect(report!.drifted_classes).toEqual(['a']);
    expect(report!.drift).toBe(true);
  });

  it('reports a class with too few rows as insufficient_data, and counts only complete rows', async () => {
    const { concept_drift: report } = await run(reference, current);
    const c = report!.by_class.find((k) => k.class === 'c')!;
    expect(c.status).toBe('insufficient_data');
    expect(c.reason).toMatch(/current rows; needs at least 30/);
    expect(report!.insufficient_classes).toEqual(['c']);
    // Every 50th row of the file misses x: 400 rows of class a hold 8 of them.
    expect(report!.by_class.find((k) => k.class === 'a')!.rows_in_file).toEqual({ reference: 392, current: 294 });
    expect(report!.omitted_classes).toBe(0);
    expect(report!.class_column).toBe('label');
  });

  it('finds no concept drift between two samples of the same population', async () => {
    const { concept_drift: report } = await run(reference, unchanged);
    expect(report!.by_class.map((c) => [c.class, c.status, c.drift])).toEqual([
      ['a', 'ok', false],
      ['b', 'ok', false],
      ['c', 'ok', false],
    ]);
    expect(report!.drift).toBe(false);
  });

  it('samples at most rowsPerClass rows per class, the same rows on every run (Parquet)', async () => {
    const first = await run(file('reference.parquet'), current, { rowsPerClass: 100, resamples: 50 });
    const second = await run(file('reference.parquet'), current, { rowsPerClass: 100, resamples: 50 });
    const a = first.concept_drift!.by_class.find((c) => c.class === 'a')!;
    expect(a.reference_rows).toBe(100);
    expect(a.current_rows).toBe(100);
    expect(a.rows_in_file.reference).toBe(392);
    expect(a.drift).toBe(true);
    expect(second).toEqual(first);
  });

  it('tests the score distribution with KS and Mann–Whitney when one probability column is given', async () => {
    const { confidence } = await run(reference, current, { probabilityColumns: ['score'] });
    expect(confidence).toMatchObject({ kind: 'score', columns: ['score'], reference_rows: 840, current_rows: 612, drift: true });
    expect(confidence!.measures.map((m) => m.measure)).toEqual(['score']);
    expect(confidence!.measures[0]!.tests.map((t) => [t.method, t.drift])).toEqual([
      ['ks', true],
      ['mannw', true],
    ]);
    expect(confidence!.measures[0]!.current_mean).toBeLessThan(confidence!.measures[0]!.reference_mean);
    const same = await run(reference, unchanged, { probabilityColumns: ['score'] });
    expect(same.confidence!.drift).toBe(false);
  });

  it('tests entropy and margin when several class probability columns are given', async () => {
    const { confidence } = await run(reference, current, { probabilityColumns: ['p_a', 'p_b', 'p_c'] });
    expect(confidence!.kind).toBe('class_probabilities');
    expect(confidence!.measures.map((m) => [m.measure, m.drift])).toEqual([
      ['entropy', true],
      ['margin', true],
    ]);
    const [entropy, margin] = confidence!.measures;
    expect(entropy!.current_mean).toBeGreaterThan(entropy!.reference_mean);
    expect(entropy!.reference_mean).toBeLessThanOrEqual(Math.log(3));
    expect(margin!.current_mean).toBeLessThan(margin!.reference_mean);
  });

  it('leaves out concept drift without a class column, and the probability columns from the features', async () => {
    const sections = await run(reference, unchanged, { classColumn: undefined });
    expect(sections).toEqual({ confidence: null, concept_drift: null });
    const { concept_drift: report } = await run(reference, unchanged, { features: ['x', 'y', 'score'], probabilityColumns: ['score'] });
    expect(report!.features).toEqual(['x', 'y']);
  });

  it('compares only the most frequent classes and counts the others', async () => {
    const { concept_drift: report } = await run(reference, current, { maxClasses: 2 });
    expect(report!.by_class.map((c) => c.class)).toEqual(['a', 'b']);
    expect(report!.omitted_classes).toBe(1);
    // A numeric column taken for the class: one "class" per value, far more than maxClasses.
    const { concept_drift: numeric } = await run(reference, current, { classColumn: 'z', features: ['x', 'y'], maxClasses: 5 });
    expect(numeric!.by_class).toHaveLength(5);
    expect(numeric!.omitted_classes).toBeGreaterThan(1000);
    expect(numeric!.insufficient_classes).toHaveLength(5);
  });

  it('names the file and row of class probabilities that do not sum to 1', async () => {
    writeFileSync(file('bad.csv'), 'x,y,label,p_a,p_b\n1,2,a,0.5,0.5\n2,1,a,0.7,0.2\n');
    await expect(run(file('bad.csv'), file('bad.csv'), { features: ['x', 'y'], probabilityColumns: ['p_a', 'p_b'] })).rejects.toThrow(/bad\.csv: row 2: columns p_a, p_b sum to 0\.9/);
  });

  it('rejects impossible options as bad input', async () => {
    await expect(run(reference, current, { rowsPerClass: 0 })).rejects.toThrow(/rowsPerClass is 0; expected an integer ≥ 1/);
    await expect(run(reference, current, { minRows: 2 })).rejects.toThrow(/minRows is 2/);
  });

  it('names the file of a missing column', async () => {
    await expect(run(reference, current, { classColumn: 'nope' })).rejects.toThrow(/reference\.csv: column "nope" not found/);
  });
});
