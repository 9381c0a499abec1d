import { OutlayError } from '@outlay/schema';
import { computeSecondsFromLatency, type ModelUsage } from '@outlay/stats';
import type { ColumnRef, CostLedgerRow, LedgerPeriod, Store } from '@outlay/store';

export interface CostWindow {
  project: string;
  period: LedgerPeriod;
  /** Epoch ms; absent: unbounded. */
  from?: number;
  to?: number;
}

const customer: ColumnRef = { source: 'core', name: 'customer' };
const latency: ColumnRef = { source: 'core', name: 'latency_ms' };

/** The start (ISO) of the period holding `iso`: its day, or its month. */
export function periodOf(iso: string, period: LedgerPeriod): string {
  const ms = Date.parse(iso);
  const d = new Date(ms);
  return new Date(period === 'day' ? Math.floor(ms / 86_400_000) * 86_400_000 : Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)).toISOString();
}

/** Parses `from`/`to` query values (ISO or epoch ms) into epoch ms, naming the field on bad input. */
export function parseTime(value: string | undefined, field: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = /^-?\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms)) throw new OutlayError('invalid_input', `${field}: expected an ISO 8601 time or epoch milliseconds, got "${value}"`);
  return ms;
}

/**
 * Usage per period, model and customer from the prediction tables: one SQL aggregate per model by day and customer
 * (count, Σ latency, rows with a latency), rolled up to months here when asked. Compute-seconds count a row
 * without a latency at its group's mean.
 */
export async function readUsage(store: Store, window: CostWindow): Promise<Map<string, ModelUsage[]>> {
  const byPeriod = new Map<string, Map<string, { model: string; customer: string | null; predictions: number; latencySumMs: number; latencyCount: number }>>();
  for (const { model } of await store.listModels(window.project)) {
    const rows = await store.aggregate({
      project: window.project,
      model,
      ...(window.from === undefined ? {} : { from: window.from }),
      ...(window.to === undefined ? {} : { to: window.to }),
      window: 'day',
      groupBy: [customer],
      measures: [{ op: 'count' }, { op: 'sum', column: latency }, { op: 'count_non_null', column: latency }],
    });
    for (const row of rows) {
      const period = periodOf(row.window!, window.period);
      const name = row.group[0] === null ? null : String(row.group[0]);
      const groups = byPeriod.get(period) ?? new Map();
      byPeriod.set(period, groups);
      const key = `${model}\u0000${name ?? ''}\u0000${name === null ? 'null' : ''}`;
      const g = groups.get(key) ?? { model, customer: name, predictions: 0, latencySumMs: 0, latencyCount: 0 };
      g.predictions += row.values[0] ?? 0;
      g.latencySumMs += row.values[1] ?? 0;
      g.latencyCount += row.values[2] ?? 0;
      groups.set(key, g);
    }
  }
  const out = new Map<string, ModelUsage[]>();
  for (const [period, groups] of [...byPeriod].sort(([a], [b]) => a.localeCompare(b))) {
    // Latency is imputed per model and period: a customer whose rows all lack one counts at the model's mean.
    const modelMean = new Map<string, { sum: number; count: number }>();
    for (const g of groups.values()) {
      const m = modelMean.get(g.model) ?? { sum: 0, count: 0 };
      m.sum += g.latencySumMs;
      m.count += g.latencyCount;
      modelMean.set(g.model, m);
    }
    out.set(period, [...groups.values()].map((g) => {
      const mean = modelMean.get(g.model)!;
      const computeSeconds = g.latencyCount > 0
        ? computeSecondsFromLatency({ predictions: g.predictions, latencySumMs: g.latencySumMs, latencyCount: g.latencyCount })
        : mean.count > 0 ? (g.predictions * mean.sum) / mean.count / 1000 : 0;
      return { model: g.model, customer: g.customer, predictions: g.predictions, computeSeconds };
    }));
  }
  return out;
}

/** Groups ledger rows by period, in period order. */
export function byPeriod<T extends { period: string }>(rows: T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const list = out.get(row.period);
    if (list) list.push(row);
    else out.set(row.period, [row]);
  }
  return new Map([...out].sort(([a], [b]) => a.localeCompare(b)));
}

/** Compute rows of a model: the instances serving it, whose charge periods are its capacity. */
export const isServingRow = (row: CostLedgerRow): row is CostLedgerRow & { model: string } =>
  row.category === 'variable.compute' && row.model !== null;
