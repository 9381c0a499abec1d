import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { logLoss } from '@outlay/stats';
import type { Store, StoredPrediction } from '@outlay/store';
import { openDuckDbStore } from '@outlay/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadDemoResult } from './load-demo.js';
import { loadDemo } from './load-demo.js';

const timeoutMs = 120_000;

async function scanAll(store: Store): Promise<StoredPrediction[]> {
  const rows: StoredPrediction[] = [];
  for await (const batch of store.scanPredictions({ project: 'demo', model: 'flight-delay', batchSize: 10_000 })) rows.push(...batch);
  return rows;
}

/** AUC as the Mann–Whitney U statistic over positives and negatives, ties given their mean rank. */
function areaUnderRocCurve(labels: number[], scores: number[]): number {
  const order = scores.map((_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let positives = 0;
  let positiveRankSum = 0;
  for (let k = 0; k < order.length; ) {
    let end = k;
    while (end < order.length && scores[order[end]!] === scores[order[k]!]) end++;
    const meanRank = (k + 1 + end) / 2;
    for (let m = k; m < end; m++) {
      if (labels[order[m]!] === 1) {
        positives++;
        positiveRankSum += meanRank;
      }
    }
    k = end;
  }
  const negatives = labels.length - positives;
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

describe('loadDemo', () => {
  const dir = mkdtempSync(join(tmpdir(), 'outlay-demo-'));
  let store: Store;
  let first: LoadDemoResult;
  const progress: [number, number][] = [];

  beforeAll(async () => {
    store = await openDuckDbStore(join(dir, 'first.duckdb'));
    await store.migrate();
    first = await loadDemo(store, { maxRows: 20_000, onProgress: (done, total) => progress.push([done, total]) });
  }, timeoutMs);

  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes one prediction and one label per scored flight, in batches with progress', () => {
    expect(first.scoredRows).toBe(20_000);
    expect(first.predictions).toEqual({ accepted: 20_000, duplicates: 0 });
    expect(first.labels).toEqual({ accepted: 20_000, duplicates: 0 });
    expect(first.modelVersion).toBe('v1-jan');
    expect(progress.at(-1)).toEqual([20_000, 20_000]);
    expect(progress.length).toBeGreaterThanOrEqual(4);
    for (let i = 1; i < progress.length; i++) expect(progress[i]![0]).toBeGreaterThan(progress[i - 1]![0]);
  });

  it('trains on a quarter of January and lists the model in the demo project', async () => {
    expect(first.trainRows).toBeGreaterThan(100_000);
    expect(first.trainDelayedShare).toBeGreaterThan(0.15);
    expect(first.trainDelayedShare).toBeLessThan(0.25);
    const models = await store.listModels('demo');
    expect(models).toEqual([
      expect.objectContaining({ model: 'flight-delay', predictions: 20_000, labels: 20_000, first_timestamp: '2001-02-01T00:00:00.000Z' }),
    ]);
  });

  it('beats the January base rate on log loss for February flights', async () => {
    const rows = await scanAll(store);
    const labels = rows.map((r) => Number(r.label?.label));
    const scores = rows.map((r) => r.score ?? Number.NaN);
    // The feature-blind model trained on the same month: predict January's delay rate for every flight.
    const baseline = logLoss(labels, labels.map(() => first.trainDelayedShare));
    const model = logLoss(labels, scores);
    expect(rows.length).toBe(20_000);
    expect(rows.every((r) => r.timestamp >= '2001-02-01')).toBe(true);
    // Measured: 0.3848 against 0.3888. The margin is thin because early February is less delayed than
    // January (the base rate shifts), so ranking is checked too: a feature-blind guess has AUC 0.5, this
    // model 0.587 (schedule and airports alone, no weather; its standard error on 20,000 rows is ~0.005).
    expect(model).toBeLessThan(baseline);
    expect(areaUnderRocCurve(labels, scores)).toBeGreaterThan(0.55);
  });

  it('gives the same id the same score, prediction and latency on a fresh load', async () => {
    const other = await openDuckDbStore(join(dir, 'second.duckdb'));
    try {
      await other.migrate();
      await loadDemo(other, { maxRows: 3_000 });
      const again = new Map((await scanAll(other)).map((r) => [r.id, r]));
      const original = (await scanAll(store)).filter((r) => again.has(r.id));
      expect(original.length).toBe(3_000);
      for (const row of original) {
        const twin = again.get(row.id)!;
        expect([twin.score, twin.prediction, twin.latency_ms]).toEqual([row.score, row.prediction, row.latency_ms]);
      }
    } finally {
      await other.close();
    }
  }, timeoutMs);

  it('adds no rows when loaded twice: every row comes back as a duplicate', async () => {
    const second = await loadDemo(store, { maxRows: 20_000 });
    expect(second.predictions).toEqual({ accepted: 0, duplicates: 20_000 });
    expect(second.labels.accepted + second.labels.duplicates).toBe(20_000);
    const [summary] = await store.listModels('demo');
    expect(summary).toMatchObject({ predictions: 20_000, labels: 20_000 });
  }, timeoutMs);

  it('gives the demo a cost ledger and revenue per airport for the months it scored, once', async () => {
    expect(first.costLedger).toMatchObject({ written: true, months: ['2001-02'] });
    const revenue = await store.revenueLedger({ project: 'demo', period: 'month' });
    // Every airport that had a scored flight pays $99 + $0.03 a flight: 20,000 flights in all.
    expect(revenue.reduce((s, r) => s + r.amount, 0)).toBeCloseTo(revenue.length * 99 + 0.03 * 20_000, 6);
    const costs = await store.costTotals('demo');
    expect(costs.effective_cost).toBeCloseTo(first.costLedger!.costUsd, 6);
    const again = await loadDemo(store, { maxRows: 100 });
    expect(again.costLedger).toMatchObject({ written: false });
    expect(await store.costTotals('demo')).toEqual(costs);
  }, timeoutMs);

  it('writes a project config with the cost matrix and a weekday-adjusted monitor, and never over a user\'s own', async () => {
    expect(first.configWritten).toBe(true);
    const config = await store.getConfig('demo');
    expect(config?.models[0]).toMatchObject({ name: 'flight-delay', cost: { false_negative: 150, false_positive: 40 } });
    expect(config?.monitors.map((m) => [m.metric, m.adjust])).toEqual([['business_cost_per_1k', ['weekday']]]);
    await store.putConfig('demo', { ...config!, priors: { origin: 5 } });
    expect((await loadDemo(store, { maxRows: 100 })).configWritten).toBe(false);
    expect((await store.getConfig('demo'))?.priors).toEqual({ origin: 5 });
  }, timeoutMs);

  it('refuses a maxRows that is not a whole number', async () => {
    await expect(loadDemo(store, { maxRows: -1 })).rejects.toThrow(/maxRows is -1/);
  });
});
