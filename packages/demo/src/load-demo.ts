import type { Store } from '@outlay/store';
import type { LoadFlightPredictionsResult } from './load-flight-predictions.js';
import { loadFlightPredictions } from './load-flight-predictions.js';
import { loadDemoCostLedger, type LoadDemoCostLedgerResult } from './load-demo-cost-ledger.js';
import { writeDemoProjectConfig } from './demo-project-config.js';

export interface LoadDemoOptions {
  /** Default `demo`. */
  project?: string;
  /** Default `flight-delay`. */
  model?: string;
  /** Score only the first `maxRows` flights from February on; all ~2.49 million when absent. */
  maxRows?: number;
  /** Called after each written batch with rows written so far and rows to write. */
  onProgress?: (done: number, total: number) => void;
  /** Defaults to vega-datasets' flights-3m.parquet. */
  parquetPath?: string;
  /** Write the cost ledger and revenue for the loaded months (default true). */
  costLedger?: boolean;
}

export interface LoadDemoResult extends LoadFlightPredictionsResult {
  project: string;
  /** Null when not asked for or nothing was scored. */
  costLedger: LoadDemoCostLedgerResult | null;
  /** Whether the demo's project config (cost matrix, segments, priors, a monitor) was written; never over an existing one. */
  configWritten: boolean;
  elapsedMs: number;
}

/**
 * Fills a store with the demo project: real US flights of January–June 2001 (vega-datasets) as the
 * predictions of a delay model trained on January, with their delays as labels. Safe to call twice: rows
 * are keyed by id, so a second call writes nothing and reports duplicates. The one place the demo grows
 * (cost records, revenue and incidents will be further steps here).
 * @example await loadDemo(store, { maxRows: 20_000, onProgress: (done, total) => console.log(done, total) })
 */
export async function loadDemo(store: Store, options: LoadDemoOptions = {}): Promise<LoadDemoResult> {
  const startedMs = performance.now();
  const project = options.project ?? 'demo';
  const flights = await loadFlightPredictions(store, {
    project,
    model: options.model ?? 'flight-delay',
    maxRows: options.maxRows,
    onProgress: options.onProgress,
    parquetPath: options.parquetPath,
  });
  const model = options.model ?? 'flight-delay';
  const configWritten = await writeDemoProjectConfig(store, project, model);
  const withLedger = options.costLedger !== false && (await store.modelStats(project, model))?.predictions;
  const costLedger = withLedger ? await loadDemoCostLedger(store, { project, model }) : null;
  return { project, ...flights, costLedger, configWritten, elapsedMs: Math.round(performance.now() - startedMs) };
}
