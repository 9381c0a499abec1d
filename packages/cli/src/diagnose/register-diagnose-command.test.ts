import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Diagnosis } from '@outlay/analysis';
import { runMain } from '../../test-support/run-main.js';
import { runSql } from '../../test-support/run-sql.js';

const dir = mkdtempSync(join(tmpdir(), 'outlay-diagnose-'));
const flights = join(process.cwd(), 'node_modules/vega-datasets/data/flights-3m.parquet');
const file = (name: string) => join(dir, name);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Scenarios on real flights (January 2001): a delay model scored in SQL, trained on one half of January (the
 * reference); the other half is the current data, left alone (healthy) or broken the way each failure type
 * breaks things. The model is a logistic combination of its training rates per origin and per hour and of
 * log distance; `delayed` is departure delay > 15 minutes.
 */
const model = (training: string) => `
  CREATE OR REPLACE TABLE g AS SELECT avg(delayed) AS g FROM ${training};
  CREATE OR REPLACE TABLE ro AS SELECT origin, (sum(delayed) + 50 * any_value(g.g)) / (count(*) + 50) AS r FROM ${training}, g GROUP BY origin;
  CREATE OR REPLACE TABLE rh AS SELECT hour, (sum(delayed) + 50 * any_value(g.g)) / (count(*) + 50) AS r FROM ${training}, g GROUP BY hour;
  CREATE OR REPLACE TABLE ld AS SELECT avg(ln(1 + distance)) AS mu, stddev_pop(ln(1 + distance)) AS sd FROM ${training};`;
const logit = (p: string) => `ln((${p}) / (1 - (${p})))`;
const scored = (source: string) => `
  SELECT s.id, s.hour, s.distance, s.origin, s.destination, s.delayed, x.score, (x.score >= 0.25)::INTEGER AS predicted
  FROM ${source} s
  JOIN (
    SELECT t.id, 1 / (1 + exp(-(${logit('coalesce(ro.r, g.g)')} + ${logit('coalesce(rh.r, g.g)')} - ${logit('g.g')}
      + 0.6 * (ln(1 + t.distance) - ld.mu) / ld.sd))) AS score
    FROM ${source} t LEFT JOIN ro USING (origin) LEFT JOIN rh USING (hour), g, ld
  ) x USING (id)`;
const write = (select: string, name: string) => `COPY (${select}) TO '${file(name)}' (FORMAT parquet)`;

beforeAll(async () => {
  await runSql([
    `CREATE TABLE jan AS SELECT row_number() OVER (ORDER BY date, origin, destination, delay, distance) AS id, hour(date) AS hour, distance, origin, destination, delay, (delay > 15)::INTEGER AS delayed
       FROM read_parquet('${flights}') WHERE month(date) = 1`,
    `CREATE TABLE a AS SELECT * FROM jan WHERE hash(id) % 2 = 0`,
    `CREATE TABLE b AS SELECT * FROM jan WHERE hash(id) % 2 = 1`,
    model('a'),
    write(scored('a'), 'reference.parquet'),
    write(scored('b'), 'healthy.parquet'),
    // Mix: three extra copies of the hardest big airport's rows (same per-airport error, more of its traffic).
    `CREATE TABLE hard AS SELECT origin FROM a GROUP BY origin HAVING count(*) > 3000 ORDER BY avg(delayed) DESC LIMIT 1`,
    write(`SELECT * FROM (${scored('b')}) UNION ALL SELECT s.* FROM (SELECT * FROM (${scored('b')}) WHERE origin IN (SELECT origin FROM hard)) s, range(3) r(k)`, 'mix.parquet'),
    // Bad data: a pipeline that zeroes distance for the busiest airport, which the model then scores.
    `CREATE TABLE busiest AS SELECT origin FROM a GROUP BY origin ORDER BY count(*) DESC LIMIT 1`,
    `CREATE TABLE b_zero AS SELECT * REPLACE (CASE WHEN origin IN (SELECT origin FROM busiest) THEN 0 ELSE distance END AS distance) FROM b`,
    write(scored('b_zero'), 'bad-data.parquet'),
    // Wrong y: labels redefined from 15 to 30 minutes of delay.
    write(`SELECT * REPLACE ((j.delay > 30)::INTEGER AS delayed) FROM (${scored('b')}) s JOIN (SELECT id, delay FROM b) j USING (id)`, 'wrong-y.parquet'),
    // Missing features: a cause the model cannot see decides the label: labels shuffled across rows (same rate).
    `CREATE TABLE shuffled AS SELECT x.id, y.delayed FROM (SELECT id, row_number() OVER (ORDER BY hash(id)) AS k FROM b) x
       JOIN (SELECT delayed, row_number() OVER (ORDER BY hash(id + 7919)) AS k FROM b) y USING (k)`,
    write(`SELECT s.* REPLACE (sh.delayed AS delayed) FROM (${scored('b')}) s JOIN shuffled sh USING (id)`, 'missing-features.parquet'),
    // Interpolation: inside the support, one narrow band of distance (a reference decile) is now always late.
    `CREATE TABLE band AS SELECT quantile_disc(distance, 0.5) AS lo, quantile_disc(distance, 0.6) AS hi FROM a`,
    write(`SELECT s.* REPLACE (CASE WHEN s.distance >= band.lo AND s.distance < band.hi THEN 1 ELSE s.delayed END AS delayed) FROM (${scored('b')}) s, band`, 'interpolation.parquet'),
    // Limited representation: an interaction the additive model cannot express: the busiest airport's evenings.
    `CREATE TABLE evening AS SELECT quantile_disc(hour, 0.6) AS from_hour FROM a`,
    write(`SELECT s.* REPLACE (CASE WHEN s.origin IN (SELECT origin FROM busiest) AND s.hour >= evening.from_hour THEN 1 ELSE s.delayed END AS delayed) FROM (${scored('b')}) s, evening`, 'limited-representation.parquet'),
    // Extrapolation: ten airports never seen in training (the model falls back to the overall rate), all late-prone.
    `CREATE TABLE unseen AS SELECT origin FROM a GROUP BY origin HAVING count(*) > 1000 ORDER BY avg(delayed) DESC LIMIT 10`,
    `CREATE TABLE a_seen AS SELECT * FROM a WHERE origin NOT IN (SELECT origin FROM unseen)`,
    model('a_seen'),
    write(scored('a_seen'), 'reference-seen.parquet'),
    write(scored('b'), 'extrapolation.parquet'),
  ]);
}, 120_000);

async function diagnose(reference: string, current: string, extra: string[] = []): Promise<Diagnosis> {
  const result = await runMain(['diagnose', '--reference', file(reference), '--current', file(current), '--target', 'delayed', '--prediction', 'predicted', '--score', 'score', '--id', 'id', '--format', 'json', ...extra]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as Diagnosis;
}

const ranking = (d: Diagnosis) => d.failure_types.map((f) => `${f.type} ${f.likelihood.toFixed(2)}`).join(', ');

describe('outlay diagnose on real flights', () => {
  const cases: [string, string, string][] = [
    ['a healthy period', 'healthy.parquet', 'none'],
    ['a pure mix change (more traffic from a hard airport)', 'mix.parquet', 'none'],
    ['a pipeline that zeroes distance for one airport', 'bad-data.parquet', 'bad_data'],
    ['labels redefined from 15 to 30 minutes', 'wrong-y.parquet', 'wrong_y'],
    ['a delay cause the model cannot see', 'missing-features.parquet', 'missing_features'],
    ['one distance band gone wrong', 'interpolation.parquet', 'interpolation'],
    ['one airport\u2019s evenings gone wrong', 'limited-representation.parquet', 'limited_representation'],
  ];
  for (const [what, current, expected] of cases) {
    it(`names ${expected} first for ${what}`, async () => {
      const d = await diagnose('reference.parquet', current);
      expect(d.failure_types[0]!.type, ranking(d)).toBe(expected);
      expect(d.failure_types[0]!.evidence.length).toBeGreaterThan(0);
    }, 60_000);
  }

  it('names extrapolation first for airports never seen in training', async () => {
    const d = await diagnose('reference-seen.parquet', 'extrapolation.parquet');
    expect(d.failure_types[0]!.type, ranking(d)).toBe('extrapolation');
    expect(d.detectors.support.columns).toContain('origin');
  }, 60_000);

  it('prints the DESIGN.md contract and a readable text report', async () => {
    const d = await diagnose('reference.parquet', 'bad-data.parquet');
    expect(Object.keys(d)).toEqual(expect.arrayContaining(['detectors', 'failure_types', 'root_causes']));
    expect(d.failure_types.map((f) => f.type).sort()).toEqual(['bad_data', 'extrapolation', 'interpolation', 'limited_representation', 'missing_features', 'none', 'wrong_y']);
    expect(d.failure_types.reduce((s, f) => s + f.likelihood, 0)).toBeCloseTo(1, 9);
    const text = await runMain(['diagnose', '--reference', file('reference.parquet'), '--current', file('bad-data.parquet'), '--target', 'delayed', '--prediction', 'predicted', '--id', 'id']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/most likely: bad_data/);
    expect(text.stdout).toMatch(/distance: zero increase/);
  }, 60_000);

  it('rejects bad input with exit code 2 and one line', async () => {
    const bad = await runMain(['diagnose', '--reference', file('reference.parquet'), '--current', file('healthy.parquet'), '--target', 'nope', '--prediction', 'predicted']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/column "nope" \(--target\) not found/);
    const dims = await runMain(['diagnose', '--reference', file('reference.parquet'), '--current', file('healthy.parquet'), '--target', 'delayed', '--prediction', 'predicted', '--dimensions', 'weather']);
    expect(dims.code).toBe(2);
    expect(dims.stderr).toMatch(/--dimensions: "weather" is not a compared feature column/);
  });
});
