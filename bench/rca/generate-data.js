// Seeded baseline and current Parquet files for the rca scenario, written once into a cache directory under
// os.tmpdir() and reused while the seed, size and layout stay the same. Never committed.
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

/** Bump when the recipe changes, so an old cache is not reused. */
const LAYOUT = 1;

/** Dimension columns d0…d5, each with VALUES string values v0…v9, uniform and independent. */
export const DIMENSIONS = ['d0', 'd1', 'd2', 'd3', 'd4', 'd5'];
export const VALUES = 10;
/** Error rate of every row, except inside the injected slice in the current file. */
export const BASE_RATE = 0.02;
export const SLICE = { d0: 'v3', d1: 'v7' };
export const SLICE_RATE = 0.2;

function select(rows, current) {
  const dims = DIMENSIONS.map((d) => `'v' || floor(random() * ${VALUES})::INTEGER AS ${d}`).join(',\n    ');
  const inSlice = Object.entries(SLICE).map(([d, v]) => `${d} = '${v}'`).join(' AND ');
  const rate = current ? `CASE WHEN ${inSlice} THEN ${SLICE_RATE} ELSE ${BASE_RATE} END` : `${BASE_RATE}`;
  return `SELECT ${DIMENSIONS.join(', ')}, (random() < ${rate})::INTEGER AS errors, 1::INTEGER AS requests
FROM (SELECT
    ${dims}
  FROM range(${rows}))`;
}

const sqlString = (text) => `'${text.replaceAll("'", "''")}'`;

/**
 * Returns the paths of the two files, generating them first when the cache has no complete copy.
 * @param {{rows: number, seed: number, log: (line: string) => void}} opts
 */
export async function ensureRcaData({ rows, seed, log }) {
  const dir = path.join(tmpdir(), `outlay-bench-rca-v${LAYOUT}-${rows}-${String(seed).replace('.', '_')}`);
  const baseline = path.join(dir, 'baseline.parquet');
  const current = path.join(dir, 'current.parquet');
  const marker = path.join(dir, 'complete.json');
  const meta = { layout: LAYOUT, rows, seed, dimensions: DIMENSIONS, values: VALUES, baseRate: BASE_RATE, slice: SLICE, sliceRate: SLICE_RATE };
  if (existsSync(marker) && existsSync(baseline) && existsSync(current)) {
    const stored = JSON.parse(await readFile(marker, 'utf8'));
    if (JSON.stringify(stored) === JSON.stringify(meta)) return { dir, baseline, current, generatedMs: null };
  }
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  log(`rca: generating ${rows.toLocaleString('en-US')} rows per side into ${dir}`);
  const started = performance.now();
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    // One thread so that setseed gives the same rows every time.
    await connection.run('SET threads = 1');
    await connection.run(`SELECT setseed(${seed})`);
    for (const [file, isCurrent] of [
      [baseline, false],
      [current, true],
    ]) {
      const partial = `${file}.partial`;
      await connection.run(`COPY (${select(rows, isCurrent)}) TO ${sqlString(partial)} (FORMAT parquet)`);
      await rename(partial, file);
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  await writeFile(marker, JSON.stringify(meta));
  return { dir, baseline, current, generatedMs: performance.now() - started };
}
