// Two seeded Parquet files (a before and an after side) written once into a cache directory under
// os.tmpdir() and reused while the recipe (`meta`) stays the same. Never committed. Shared by the scenarios
// that feed files to the CLI (drift, rca).
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

const sqlString = (text) => `'${text.replaceAll("'", "''")}'`;

/**
 * Returns `{dir, files: {name: path}, generatedMs}`, generating the files first when the cache has no complete
 * copy of this recipe. `sides` maps a file name to the SELECT that makes it; both run in one DuckDB on one thread
 * after `setseed(seed)`, so the same seed gives the same rows.
 * @param {{key: string, meta: object, seed: number, sides: [string, string][], log: (line: string) => void}} opts
 */
export async function cachedParquetPair({ key, meta, seed, sides, log }) {
  const dir = path.join(tmpdir(), `outlay-bench-${key}`);
  const files = Object.fromEntries(sides.map(([name]) => [name, path.join(dir, `${name}.parquet`)]));
  const marker = path.join(dir, 'complete.json');
  if (existsSync(marker) && Object.values(files).every((file) => existsSync(file))) {
    const stored = JSON.parse(await readFile(marker, 'utf8'));
    if (JSON.stringify(stored) === JSON.stringify(meta)) return { dir, files, generatedMs: null };
  }
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  log(`generating ${sides.map(([name]) => name).join(' and ')} into ${dir}`);
  const started = performance.now();
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    // One thread so that setseed gives the same rows every time.
    await connection.run('SET threads = 1');
    await connection.run(`SELECT setseed(${seed})`);
    for (const [name, select] of sides) {
      const partial = `${files[name]}.partial`;
      await connection.run(`COPY (${select}) TO ${sqlString(partial)} (FORMAT parquet)`);
      await rename(partial, files[name]);
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  await writeFile(marker, JSON.stringify(meta));
  return { dir, files, generatedMs: performance.now() - started };
}
