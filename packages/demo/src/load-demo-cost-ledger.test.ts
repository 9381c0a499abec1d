import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { variableCostOf } from '@outlay/stats';
import { openDuckDbStore, type Store } from '@outlay/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoCostLedger } from './load-demo-cost-ledger.js';

const dir = mkdtempSync(join(tmpdir(), 'outlay-demo-ledger-'));
let store: Store;

// Ten SEA flights in February 2001 and five PDX flights in March: the ledger covers those two months.
beforeAll(async () => {
  store = await openDuckDbStore(join(dir, 'ledger.duckdb'));
  await store.migrate();
  const flight = (i: number, at: number, customer: string) => ({ id: `f${i}`, model: 'flight-delay', timestamp: at + i * 60_000, features: {}, prediction: 0, latency_ms: 12, customer });
  await store.insertPredictions('demo', [
    ...Array.from({ length: 10 }, (_, i) => flight(i, Date.UTC(2001, 1, 3), 'SEA')),
    ...Array.from({ length: 5 }, (_, i) => flight(10 + i, Date.UTC(2001, 2, 9), 'PDX')),
  ]);
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('loadDemoCostLedger', () => {
  it('writes serving, annotation, tools, an engineer, training, storage and amortised hardware for the loaded months', async () => {
    const result = await loadDemoCostLedger(store, { project: 'demo', model: 'flight-delay' });
    expect(result.months).toEqual(['2001-02', '2001-03']);
    // 2 replicas × 2 months + 5 expenses × 2 months + 2 months of the workstation's 36.
    expect(result.costRecords).toBe(16);
    // Serving: 2 × (672 + 744) h × $0.0816 (catalogue m7g.large); expenses 16,780 a month; workstation (6,000 − 1,000) / 36.
    const expected = 2 * (672 + 744) * 0.0816 + 2 * 16_780 + (2 * 5000) / 36;
    expect(result.costUsd).toBeCloseTo(expected, 6);
    expect((await store.costTotals('demo')).effective_cost).toBeCloseTo(expected, 6);
    // Revenue: $99 + $0.03 per flight: SEA 99.30 in February, PDX 99.15 in March.
    expect(await store.revenueLedger({ project: 'demo', period: 'month' })).toEqual([
      { period: '2001-02-01T00:00:00.000Z', customer: 'SEA', amount: 99.3 },
      { period: '2001-03-01T00:00:00.000Z', customer: 'PDX', amount: 99.15 },
    ]);
    const february = await store.costLedger({ project: 'demo', period: 'month', to: Date.UTC(2001, 2, 1) });
    const serving = february.filter((r) => r.category === 'variable.compute');
    expect(serving).toEqual([expect.objectContaining({ model: 'flight-delay', records: 2, resource_seconds: 2 * 672 * 3600 })]);
    // Variable in February: serving + 70% of annotation + tools.
    expect(february.reduce((s, r) => s + variableCostOf(r), 0)).toBeCloseTo(2 * 672 * 0.0816 + 840 + 300, 9);
  });

  it('writes nothing the second time', async () => {
    const before = await store.costTotals('demo');
    expect(await loadDemoCostLedger(store, { project: 'demo', model: 'flight-delay' })).toMatchObject({ written: false, costRecords: 0 });
    expect(await store.costTotals('demo')).toEqual(before);
  });

  it('refuses a model without predictions', async () => {
    await expect(loadDemoCostLedger(store, { project: 'demo', model: 'nope' })).rejects.toThrow(/no predictions/);
  });
});
