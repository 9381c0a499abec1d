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
    expect(await first.migrate()).toBe(1);
    await first.insertPredictions('acme', [{ id: 'a', model: 'm', timestamp: 0, features: { x: 1 }, prediction: 1 }]);
    await first.close();
    const second = await openDuckDbStore(path);
    expect(await second.migrate()).toBe(0);
    await second.insertPredictions('acme', [{ id: 'b', model: 'm', timestamp: 1, features: { x: 2, y: 'new' }, prediction: 0 }]);
    expect((await second.modelStats('acme', 'm'))!.predictions).toBe(2);
    expect(await second.modelColumns('acme', 'm')).toHaveLength(2);
    await second.close();
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
