import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outlayBin, spawnOutlay, stopAllOutlays, type SpawnedServer } from '../test-support/spawn-outlay.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'outlay-cli-'));
let server: SpawnedServer;

/** Runs the built CLI as a user would; resolves with its exit code and output instead of throwing. */
async function outlay(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [outlayBin, ...args], { env: { ...process.env, OUTLAY_ADMIN_KEY: '', ...env }, cwd: dir });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  server = await spawnOutlay(join(dir, 'data'));
}, 60_000);
afterAll(async () => {
  await server.stop();
  await stopAllOutlays();
  rmSync(dir, { recursive: true, force: true });
});

describe('outlay CLI against a running server', () => {
  let ingestKey = '';

  it('creates, lists and revokes keys through the admin API', async () => {
    const created = await outlay(['keys', 'create', '--project', 'shop', '--role', 'ingest', '--server', server.url, '--key', server.adminKey, '--format', 'json']);
    expect(created.code).toBe(0);
    const key = JSON.parse(created.stdout) as { key: string; id: string; role: string };
    expect(key).toMatchObject({ role: 'ingest', project: 'shop' });
    ingestKey = key.key;
    const doomed = JSON.parse((await outlay(['keys', 'create', '--project', 'shop', '--role', 'read', '--server', server.url, '--format', 'json'], { OUTLAY_ADMIN_KEY: server.adminKey })).stdout) as { id: string };
    const listed = JSON.parse((await outlay(['keys', 'list', '--project', 'shop', '--server', server.url, '--key', server.adminKey, '--format', 'json'])).stdout) as { keys: { id: string }[] };
    expect(listed.keys.map((k) => k.id).sort()).toEqual([key.id, doomed.id].sort());
    expect(JSON.stringify(listed)).not.toContain(key.key.split('_')[2]);
    expect((await outlay(['keys', 'revoke', doomed.id, '--server', server.url, '--key', server.adminKey])).code).toBe(0);
    const bad = await outlay(['keys', 'create', '--project', 'Shop!', '--role', 'read', '--server', server.url, '--key', server.adminKey]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/project/);
  });

  it('streams a Parquet file in, and a rerun stores nothing twice', async () => {
    const file = join(dir, 'scored.parquet');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await connection.run(`COPY (
      SELECT 'tx-' || i AS id, TIMESTAMP '2026-01-01' + INTERVAL (i) MINUTE AS timestamp, (i % 3 = 0)::INT AS prediction,
             (i % 100) / 100.0 AS score, i * 1.5 AS amount, CASE WHEN i % 2 = 0 THEN 'FR' ELSE 'DE' END AS country,
             CASE WHEN i % 4 = 0 THEN 'eu' ELSE 'us' END AS region, (i % 5 = 0)::INT AS label
      FROM range(2500) t(i)) TO '${file}' (FORMAT parquet)`);
    connection.closeSync();
    instance.closeSync();
    const args = ['ingest', file, '--model', 'fraud-v2', '--key', ingestKey, '--server', server.url, '--segments', 'region', '--format', 'json'];
    const first = await outlay(args);
    expect(first.stderr).toBe('');
    expect(JSON.parse(first.stdout)).toMatchObject({ rows: 2500, accepted: 2500, duplicates: 0, rejected: 0, labels: { accepted: 2500, duplicates: 0 } });
    const again = await outlay(args);
    expect(JSON.parse(again.stdout)).toMatchObject({ rows: 2500, accepted: 0, duplicates: 2500 });
    const readKey = JSON.parse((await outlay(['keys', 'create', '--project', 'shop', '--role', 'read', '--server', server.url, '--key', server.adminKey, '--format', 'json'])).stdout).key as string;
    const stats = await (await fetch(`${server.url}/v1/models/fraud-v2/stats`, { headers: { authorization: `Bearer ${readKey}` } })).json();
    expect(stats).toEqual({ predictions: 2500, labels: 2500, first_timestamp: '2026-01-01T00:00:00.000Z', last_timestamp: '2026-01-02T17:39:00.000Z' });
    const columns = (await (await fetch(`${server.url}/v1/models/fraud-v2/columns`, { headers: { authorization: `Bearer ${readKey}` } })).json()) as { columns: unknown[] };
    expect(columns.columns).toEqual([
      { source: 'feature', name: 'amount', type: 'number' },
      { source: 'feature', name: 'country', type: 'string' },
      { source: 'segment', name: 'region', type: 'string' },
    ]);
  });

  it('takes CSV and NDJSON, with ids from the row number when the file has none', async () => {
    const csv = join(dir, 'plain.csv');
    writeFileSync(csv, 'timestamp,prediction,score,tenure\n2026-02-01 10:00:00,1,0.7,12\n2026-02-01 10:05:00,0,0.2,3\n');
    const fromCsv = await outlay(['ingest', csv, '--model', 'churn', '--key', ingestKey, '--server', server.url, '--format', 'json']);
    expect(JSON.parse(fromCsv.stdout)).toMatchObject({ rows: 2, accepted: 2 });
    expect(JSON.parse((await outlay(['ingest', csv, '--model', 'churn', '--key', ingestKey, '--server', server.url, '--format', 'json'])).stdout)).toMatchObject({ duplicates: 2 });
    const ndjson = join(dir, 'rows.ndjson');
    writeFileSync(ndjson, `${JSON.stringify({ id: 'n1', timestamp: '2026-02-02T00:00:00Z', features: { tenure: 4 }, prediction: 1 })}\n\n${JSON.stringify({ id: 'n2', timestamp: 1767225600000, features: { tenure: 5 }, prediction: 0 })}\n`);
    expect(JSON.parse((await outlay(['ingest', ndjson, '--model', 'churn', '--key', ingestKey, '--server', server.url, '--format', 'json'])).stdout)).toMatchObject({ rows: 2, accepted: 2 });
  });

  it('exits 2 with one line naming the file, row and column of bad input, and stores nothing of that batch', async () => {
    const csv = join(dir, 'bad.csv');
    writeFileSync(csv, 'id,timestamp,prediction,score\nb1,2026-02-01 10:00:00,1,0.7\nb2,2026-02-01 10:00:00,1,0.9\nb3,2026-02-01 10:00:00,1,1.7\n');
    const result = await outlay(['ingest', csv, '--model', 'bad-model', '--key', ingestKey, '--server', server.url, '--format', 'json']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/bad\.csv: row 3: column score: .*1/);
    const missing = await outlay(['ingest', join(dir, 'nope.parquet'), '--model', 'm', '--key', ingestKey, '--server', server.url]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.parquet: no such file/);
    const unknownFlag = await outlay(['ingest', csv, '--modle', 'x']);
    expect(unknownFlag.code).toBe(2);
  });

  it('teaches with --help', async () => {
    const help = await outlay(['ingest', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Examples:/);
    expect(help.stdout).toMatch(/--segments/);
  });
});
