import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { storeContract } from '../store.contract.js';
import { openDuckDbStore } from './open-duckdb-store.js';

const dir = mkdtempSync(join(tmpdir(), 'outlay-duckdb-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

storeContract('duckdb', async () => {
  const store = await openDuckDbStore(join(dir, `contract-${n++}.duckdb`));
  await store.migrate();
  return store;
});

describe('duckdb store', () => {
  it('keeps committed rows and the catalog across a reopen, and migrates once', async () => {
    const path = join(dir, 'reopen.duckdb');
    const first = await openDuckDbStore(path);
    expect(await first.migrate()).toBe(2);
    await first.insertPredictions('acme', [{ id: 'a', model: 'm', timestamp: 0, features: { x: 1 }, prediction: 1 }]);
    await first.close();
    const second = await openDuckDbStore(path);
    expect(await second.migrate()).toBe(0);
    await second.insertPredictions('acme', [{ id: 'b', model: 'm', timestamp: 1, features: { x: 2, y: 'new' }, prediction: 0 }]);
    expect((await second.modelStats('acme', 'm'))!.predictions).toBe(2);
    expect(await second.modelColumns('acme', 'm')).toHaveLength(2);
    await second.close();
  });

  it('answers repeated batches arriving one by one among new ones without failing any', async () => {
    // A repeated id makes the fast direct append fail; the batch is then retried through INSERT OR IGNORE. The
    // failed appender must not poison a later transaction (it did, through its garbage-collected flush).
    const store = await openDuckDbStore(join(dir, 'repeats.duckdb'));
    await store.migrate();
    const batch = (k: number) => Array.from({ length: 300 }, (_, i) => ({ id: `${k}-${i}`, model: 'm', timestamp: i, features: { x: i }, prediction: 1 }));
    await Promise.all([0, 1, 2, 3].map((k) => store.insertPredictions('acme', batch(k))));
    const results = [];
    for (const k of [0, 4, 1, 5, 2, 6, 3, 7]) {
      results.push(store.insertPredictions('acme', batch(k)));
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect(await Promise.all(results)).toEqual([0, 4, 1, 5, 2, 6, 3, 7].map((k) => (k < 4 ? { accepted: 0, duplicates: 300 } : { accepted: 300, duplicates: 0 })));
    expect((await store.modelStats('acme', 'm'))!.predictions).toBe(8 * 300);
    await store.close();
  });

  it('counts every row once when many batches, some repeating ids of others, arrive at once', async () => {
    // Two writer connections: while one commits, the other keeps absorbing arrivals into its open transaction;
    // an id repeated across them fails one commit, and that group is retried batch by batch.
    const store = await openDuckDbStore(join(dir, 'concurrent.duckdb'));
    await store.migrate();
    const batch = (k: number) => Array.from({ length: 200 }, (_, i) => {
      const id = i % 4 === 0 ? `shared-${i}` : `${k}-${i}`;
      return { id, model: 'm', timestamp: i, features: { x: i }, prediction: 1 };
    });
    const writes = [];
    for (let k = 0; k < 40; k++) {
      writes.push(store.insertPredictions('acme', batch(k)));
      if (k % 3 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    const results = await Promise.all(writes);
    const unique = 40 * 150 + 50;
    expect(results.reduce((sum, r) => sum + r.accepted, 0)).toBe(unique);
    expect(results.reduce((sum, r) => sum + r.accepted + r.duplicates, 0)).toBe(40 * 200);
    expect((await store.modelStats('acme', 'm'))!.predictions).toBe(unique);
    await store.close();
  });

  it('applies label batches queued together in one pass, the latest label in force winning across them', async () => {
    const store = await openDuckDbStore(join(dir, 'labels-together.duckdb'));
    await store.migrate();
    await store.insertPredictions('acme', Array.from({ length: 50 }, (_, i) => ({ id: `p${i}`, model: 'm', timestamp: i, features: { x: i }, prediction: 1 })));
    const batch = (k: number, extra: { id: string; label: number; timestamp: number }[] = []) =>
      store.insertLabels('acme', [...Array.from({ length: 10 }, (_, i) => ({ id: `p${k * 10 + i}`, label: k % 2, timestamp: 100, source: 'ground_truth' as const })), ...extra.map((e) => ({ ...e, source: 'annotation' as const }))]);
    const results = await Promise.all([
      batch(0),
      batch(1, [{ id: 'p0', label: 7, timestamp: 200 }]),
      batch(2, [{ id: 'p0', label: 8, timestamp: 150 }]), // older than the 200 before it: not in force
      batch(3, [{ id: 'p0', label: 9, timestamp: 300 }]),
      batch(4),
    ]);
    expect(results).toEqual([{ accepted: 10, duplicates: 0 }, { accepted: 11, duplicates: 0 }, { accepted: 11, duplicates: 0 }, { accepted: 11, duplicates: 0 }, { accepted: 10, duplicates: 0 }]);
    const byId = new Map<string, unknown>();
    for await (const rows of store.scanPredictions({ project: 'acme', model: 'm' })) for (const r of rows) byId.set(r.id, r.label?.label ?? null);
    expect(byId.get('p0')).toBe(9);
    expect(byId.get('p15')).toBe(1);
    expect([...byId.values()].filter((v) => v !== null)).toHaveLength(50);
    await store.close();
  });

  it('upgrades a store made before the label columns: labels copied beside predictions, orphans adopted later', async () => {
    const path = join(dir, 'upgrade.duckdb');
    const store = await openDuckDbStore(path);
    await store.migrate();
    await store.insertPredictions('acme', [0, 1, 2].map((i) => ({ id: `p${i}`, model: 'm', timestamp: i, features: { x: i }, prediction: 1 })));
    await store.insertLabels('acme', [
      { id: 'p0', label: 1, timestamp: 5, source: 'ground_truth' },
      { id: 'early', label: 0, timestamp: 5, source: 'annotation' },
    ]);
    await store.close();
    // Back to the layout of version 1: no label columns, no orphan table.
    const instance = await DuckDBInstance.create(path);
    const raw = await instance.connect();
    for (const column of ['label_json', 'label_num', 'label_str', 'label_ts', 'label_source']) await raw.run(`ALTER TABLE pred_1 DROP COLUMN ${column}`);
    await raw.run('DROP TABLE orphan_labels');
    await raw.run('DELETE FROM schema_migrations WHERE version = 2');
    raw.closeSync();
    instance.closeSync();

    const upgraded = await openDuckDbStore(path);
    expect(await upgraded.migrate()).toBe(1);
    expect((await upgraded.modelStats('acme', 'm'))!.labels).toBe(1);
    // A new feature column lands after the label columns; the append must still fill each in place.
    await upgraded.insertPredictions('acme', [{ id: 'early', model: 'm', timestamp: 3, features: { x: 3, y: 'new' }, prediction: 0 }]);
    const rows = [];
    for await (const batch of upgraded.scanPredictions({ project: 'acme', model: 'm' })) rows.push(...batch);
    expect(rows.map((r) => [r.id, r.features, r.label?.label ?? null])).toEqual([
      ['p0', { x: 0, y: null }, 1],
      ['p1', { x: 1, y: null }, null],
      ['p2', { x: 2, y: null }, null],
      ['early', { x: 3, y: 'new' }, 0],
    ]);
    await upgraded.close();
  });

  it('keeps every label when labels and predictions for the same ids arrive at once', async () => {
    const store = await openDuckDbStore(join(dir, 'labels-race.duckdb'));
    await store.migrate();
    const writes: Promise<unknown>[] = [];
    for (let k = 0; k < 20; k++) {
      const ids = Array.from({ length: 100 }, (_, i) => `${k}-${i}`);
      const predictions = () => store.insertPredictions('acme', ids.map((id, i) => ({ id, model: 'm', timestamp: i, features: { x: i }, prediction: 1 })));
      const labels = () => store.insertLabels('acme', ids.map((id) => ({ id, label: 1, timestamp: 1000, source: 'ground_truth' as const })));
      // Half the time the labels are sent first.
      if (k % 2 === 0) writes.push(labels(), predictions());
      else writes.push(predictions(), labels());
    }
    await Promise.all(writes);
    expect(await store.modelStats('acme', 'm')).toMatchObject({ predictions: 2000, labels: 2000 });
    await store.close();
  });

  it('puts rows before 1970 in their own hour, day and week (the integer window key floors)', async () => {
    const store = await openDuckDbStore(join(dir, 'old.duckdb'));
    await store.migrate();
    const at = (iso: string, id: string) => ({ id, model: 'm', timestamp: iso, features: { x: 1 }, prediction: 1 });
    await store.insertPredictions('acme', [at('1969-12-31T12:30:00Z', 'a'), at('1970-01-01T00:30:00Z', 'b'), at('1999-12-31T23:59:59.999Z', 'c')]);
    const windows = async (window: 'hour' | 'day' | 'week') =>
      (await store.aggregate({ project: 'acme', model: 'm', window, measures: [{ op: 'count' }] })).map((r) => r.window);
    expect(await windows('hour')).toEqual(['1969-12-31T12:00:00.000Z', '1970-01-01T00:00:00.000Z', '1999-12-31T23:00:00.000Z']);
    expect(await windows('day')).toEqual(['1969-12-31T00:00:00.000Z', '1970-01-01T00:00:00.000Z', '1999-12-31T00:00:00.000Z']);
    // Weeks start on Mondays: 29 December 1969 and 27 December 1999.
    expect(await windows('week')).toEqual(['1969-12-29T00:00:00.000Z', '1999-12-27T00:00:00.000Z']);
    await store.close();
  });

  it('answers 429-style busy when writes fall behind its bound', async () => {
    const store = await openDuckDbStore(join(dir, 'busy.duckdb'), { maxPendingRows: 1500 });
    await store.migrate();
    const batch = (k: number) => Array.from({ length: 1000 }, (_, i) => ({ id: `${k}-${i}`, model: 'm', timestamp: i, features: { x: i }, prediction: 1 }));
    const results = await Promise.allSettled([store.insertPredictions('acme', batch(1)), store.insertPredictions('acme', batch(2))]);
    expect(results[0]!.status).toBe('fulfilled');
    expect(results[1]).toMatchObject({ status: 'rejected', reason: { code: 'busy', status: 429 } });
    await store.close();
  });
});
