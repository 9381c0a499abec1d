// A DuckDB store holding N predictions of one model over 60 days, 80% of them labelled, for the dashboard API
// benchmark: written once through the store's own columnar insert (what the server's ingest calls) and cached
// under the system temp folder by size and version, never committed.
import { existsSync, mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { toPredictionColumns } from '@outlay/schema';
import { mulberry32 } from '@outlay/stats';
import { openDuckDbStore } from '@outlay/store';

export const MODEL = 'fraud';
export const PROJECT = 'bench';
export const DAYS = 60;
export const START_MS = Date.UTC(2026, 8, 1);
const VERSION = 1;
const BATCH = 20_000;
const REGIONS = ['eu', 'us', 'apac', 'latam'];
const DEVICES = ['mobile', 'desktop', 'tablet'];

/**
 * Returns `{dataDir, rows}` for a store with `rows` predictions (seeded), building it when the cache lacks it.
 * Prediction i falls at START_MS + i × (60 days / rows); features: amount, age_days, velocity, ratio, score_v1
 * (numbers), region, device, merchant (strings); segment region; score; latency; labels for 4 rows in 5.
 */
export async function ensureDashboardStore({ rows, log }) {
  const dataDir = path.join(os.tmpdir(), `outlay-bench-dashboard-v${VERSION}-${rows}`);
  const done = path.join(dataDir, 'complete.json');
  if (existsSync(done)) {
    log(`dashboard: reusing the store in ${dataDir}`);
    return { dataDir, rows, ...JSON.parse(readFileSync(done, 'utf8')) };
  }
  mkdirSync(dataDir, { recursive: true });
  const store = await openDuckDbStore(path.join(dataDir, 'outlay.duckdb'));
  await store.migrate();
  const random = mulberry32(7);
  const step = (DAYS * 86_400_000) / rows;
  const started = performance.now();
  try {
    for (let from = 0; from < rows; from += BATCH) {
      const n = Math.min(BATCH, rows - from);
      const predictions = [];
      const labels = [];
      for (let k = 0; k < n; k++) {
        const i = from + k;
        const amount = Math.exp(3 + 1.5 * random());
        const region = REGIONS[Math.floor(random() * REGIONS.length)];
        const score = Math.min(0.999, Math.max(0.001, random() * random() * (region === 'latam' ? 1.6 : 1)));
        const timestamp = START_MS + Math.floor(i * step);
        predictions.push({
          id: `p${i}`,
          model: MODEL,
          timestamp,
          features: {
            amount,
            age_days: Math.floor(random() * 2000),
            velocity: random() * 10,
            ratio: random(),
            score_v1: random(),
            region,
            device: DEVICES[Math.floor(random() * DEVICES.length)],
            merchant: `m${Math.floor(random() * 500)}`,
          },
          prediction: Number(score >= 0.5),
          score,
          segments: { region },
          latency_ms: 5 + 20 * random(),
        });
        if (i % 5 !== 4) labels.push({ id: `p${i}`, label: Number(random() < score), timestamp: timestamp + 86_400_000 });
      }
      await store.insertPredictionColumns(PROJECT, toPredictionColumns(predictions));
      await store.insertLabels(PROJECT, labels);
      if ((from / BATCH) % 50 === 0) log(`dashboard: ${from + n} of ${rows} predictions written (${((performance.now() - started) / 1000).toFixed(0)} s)`);
    }
  } finally {
    await store.close();
  }
  const meta = { seconds: Math.round((performance.now() - started) / 1000) };
  writeFileSync(done, JSON.stringify(meta));
  return { dataDir, rows, ...meta };
}
