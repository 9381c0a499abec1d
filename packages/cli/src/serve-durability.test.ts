import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDuckDbStore } from '@outlay/store';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createKey, spawnOutlay, stopAllOutlays } from '../test-support/spawn-outlay.js';

const dir = mkdtempSync(join(tmpdir(), 'outlay-durability-'));
afterEach(stopAllOutlays);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rowsPerBatch = 500;
const batchRows = (b: number) =>
  JSON.stringify(Array.from({ length: rowsPerBatch }, (_, i) => ({
    id: `b${b}-r${i}`,
    model: 'durable',
    timestamp: 1_767_225_600_000 + b * 1000 + i,
    features: { batch: b, x: i / 7, city: `c${i % 13}` },
    prediction: i % 2,
    score: (i % 100) / 100,
  })));

describe('durability', () => {
  it('keeps every acknowledged batch, whole, after SIGKILL in the middle of a load', async () => {
    const data = join(dir, 'kill');
    const server = await spawnOutlay(data);
    const key = await createKey(server, 'acme', 'ingest');
    const acked = new Set<number>();
    const sent = new Set<number>();
    let next = 0;
    let killed = false;
    const worker = async () => {
      while (!killed && next < 2000) {
        const b = next++;
        sent.add(b);
        try {
          const res = await fetch(`${server.url}/v1/predictions`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: batchRows(b) });
          if (res.status === 200) acked.add(b);
          else if (res.status !== 429) throw new Error(`unexpected ${res.status}: ${await res.text()}`);
        } catch (error) {
          if (!killed) throw error;
        }
      }
    };
    const load = Promise.all(Array.from({ length: 6 }, worker));
    // Kill once a good number of batches are in, while requests are still in flight.
    while (acked.size < 40) await new Promise((r) => setTimeout(r, 10));
    killed = true;
    await server.stop('SIGKILL');
    await load;
    expect(sent.size).toBeGreaterThan(acked.size);

    // The restarted server replays the write-ahead log and answers for every acknowledged row.
    const again = await spawnOutlay(data, ['--no-demo'], server.adminKey);
    const read = await createKey(again, 'acme', 'read');
    const stats = (await (await fetch(`${again.url}/v1/models/durable/stats`, { headers: { authorization: `Bearer ${read}` } })).json()) as { predictions: number };
    await again.stop();

    const store = await openDuckDbStore(join(data, 'outlay.duckdb'));
    await store.migrate();
    const perBatch = await store.aggregate({
      project: 'acme', model: 'durable', groupBy: [{ source: 'feature', name: 'batch' }], measures: [{ op: 'count' }],
    });
    await store.close();
    const counts = new Map(perBatch.map((r) => [r.group[0] as number, r.values[0]!]));
    for (const b of acked) expect(counts.get(b), `acknowledged batch ${b}`).toBe(rowsPerBatch);
    // Nothing half-written: a batch is either all there or not at all.
    for (const [b, count] of counts) expect(count, `batch ${b}`).toBe(rowsPerBatch);
    expect(stats.predictions).toBe(counts.size * rowsPerBatch);
  }, 120_000);

  it('stores nothing twice when a whole load is replayed', async () => {
    const server = await spawnOutlay(join(dir, 'replay'));
    const key = await createKey(server, 'acme', 'ingest');
    const post = async (b: number) =>
      (await (await fetch(`${server.url}/v1/predictions`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: batchRows(b) })).json()) as { accepted: number; duplicates: number };
    const first = await Promise.all(Array.from({ length: 10 }, (_, b) => post(b)));
    const second = await Promise.all(Array.from({ length: 10 }, (_, b) => post(b)));
    expect(first.reduce((s, r) => s + r.accepted, 0)).toBe(10 * rowsPerBatch);
    expect(second.reduce((s, r) => s + r.duplicates, 0)).toBe(10 * rowsPerBatch);
    expect(second.reduce((s, r) => s + r.accepted, 0)).toBe(0);
    await server.stop();
  }, 60_000);
});
