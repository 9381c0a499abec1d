import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clickHouseTestUrl, clickHouseUnavailable, dropDatabases, freshDatabaseName } from '../../../store/test-support/clickhouse-test-server.js';
import { runMain } from '../../test-support/run-main.js';

// In CI a missing server is a failure; elsewhere the ClickHouse cases are skipped and say why.
const unavailable = await clickHouseUnavailable().catch((error: unknown) => `ClickHouse at ${clickHouseTestUrl} is not reachable: ${String(error)}`);
if (unavailable && process.env.CI === 'true') throw new Error(`${unavailable}. The ClickHouse tests are required in CI: start clickhouse-server (see .ci/run).`);

const dir = mkdtempSync(join(tmpdir(), 'outlay-migrate-'));
const databases: string[] = [];
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await dropDatabases(clickHouseTestUrl, databases);
});

describe('outlay migrate', () => {
  it('creates the DuckDB schema once, then reports it current', async () => {
    const data = join(dir, 'duck');
    const first = await runMain(['migrate', '--data', data, '--format', 'json']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const created = JSON.parse(first.stdout) as { store: string; kind: string; applied: number };
    expect(created).toMatchObject({ store: join(data, 'outlay.duckdb'), kind: 'duckdb' });
    expect(created.applied).toBeGreaterThan(0);
    expect(JSON.parse((await runMain(['migrate', '--data', data, '--format', 'json'])).stdout)).toMatchObject({ applied: 0 });
    expect((await runMain(['migrate', '--data', data])).stdout).toBe(`${join(data, 'outlay.duckdb')}: schema up to date\n`);
    // An explicit --data wins over OUTLAY_STORE.
    const explicit = await runMain(['migrate', '--data', data, '--format', 'json'], { OUTLAY_STORE: 'clickhouse://127.0.0.1:1/outlay' });
    expect(JSON.parse(explicit.stdout)).toMatchObject({ kind: 'duckdb', applied: 0 });
  });

  it('exits 2 with one line naming the store when ClickHouse is not reachable', async () => {
    const result = await runMain(['migrate', '--store', 'clickhouse://127.0.0.1:1/outlay', '--format', 'json']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^outlay: cannot open the clickhouse store at clickhouse:\/\/127\.0\.0\.1:1\/outlay: .*not reachable.*\n$/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('exits 2 on a malformed store URL and on --store with --data', async () => {
    const bad = await runMain(['migrate', '--store', 'clickhouse://h:8123/db?cluster=c']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/"cluster" and "nodes" go together/);
    const both = await runMain(['migrate', '--store', 'clickhouse://h:8123/db', '--data', dir]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--data/);
  });

  it.skipIf(unavailable !== null)(`takes the store from OUTLAY_STORE and migrates ClickHouse once${unavailable ? ` (skipped: ${unavailable})` : ''}`, async () => {
    const database = freshDatabaseName('outlay_migrate');
    databases.push(database);
    const url = `clickhouse://${clickHouseTestUrl.replace(/^https?:\/\//, '')}/${database}`;
    const first = await runMain(['migrate', '--format', 'json'], { OUTLAY_STORE: url });
    expect(first.stderr).toBe('');
    expect(JSON.parse(first.stdout)).toEqual({ store: url, kind: 'clickhouse', applied: 1 });
    expect(JSON.parse((await runMain(['migrate', '--store', url, '--format', 'json'])).stdout)).toEqual({ store: url, kind: 'clickhouse', applied: 0 });
  });
});
