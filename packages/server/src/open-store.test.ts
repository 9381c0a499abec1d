import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OutlayError } from '@outlay/schema';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore, resolveStore } from './open-store.js';

const dir = mkdtempSync(join(tmpdir(), 'outlay-open-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('resolveStore', () => {
  it('picks the DuckDB file in the data directory when no URL is given', async () => {
    expect(resolveStore({ dataDir: '/var/lib/outlay' })).toMatchObject({ kind: 'duckdb', location: '/var/lib/outlay/outlay.duckdb' });
    expect(resolveStore({ url: '', dataDir: '/d' }).kind).toBe('duckdb');
    const store = await openStore({ dataDir: join(dir, 'a') });
    expect(store.kind).toBe('duckdb');
    await store.close();
  });

  it('picks ClickHouse for a clickhouse:// URL and hides the password when printed', () => {
    const resolved = resolveStore({ url: 'clickhouse://outlay:s3cret@10.0.0.1:8123/metrics', dataDir: '/d' });
    expect(resolved.kind).toBe('clickhouse');
    expect(resolved.location).toBe('clickhouse://outlay:***@10.0.0.1:8123/metrics');
  });

  it('refuses a cluster without its nodes, unknown parameters and other schemes, naming what was expected', () => {
    const bad = (url: string, message: RegExp) => {
      let thrown: unknown;
      try {
        resolveStore({ url, dataDir: '/d' });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(OutlayError);
      expect((thrown as OutlayError).code).toBe('invalid_input');
      expect((thrown as OutlayError).message).toMatch(message);
    };
    bad('clickhouse://h:8123/db?cluster=c', /"cluster" and "nodes" go together/);
    bad('clickhouse://h:8123/db?nodes=a:1', /"cluster" and "nodes" go together/);
    bad('clickhouse://h:8123/db?shards=2', /unknown parameter "shards"/);
    bad('clickhouse://h:8123/db?quantiles=fast', /quantiles must be exact or tdigest/);
    bad('postgres://h/db', /clickhouse:\/\//);
    bad('not a url', /expected clickhouse:\/\/host:8123\/database/);
  });

  it('fails as unavailable, not as bad input, when nothing listens at the URL', async () => {
    await expect(openStore({ url: 'clickhouse://127.0.0.1:1/outlay?cluster=c&nodes=127.0.0.1:1,127.0.0.1:2', dataDir: '/d' })).rejects.toMatchObject({ code: 'unavailable' });
  });
});
