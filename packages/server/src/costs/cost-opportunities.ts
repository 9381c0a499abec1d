import { OutlayError } from '@outlay/schema';
import { findCostOpportunities, variableCostOf, type ServingUsage } from '@outlay/stats';
import type { Store } from '@outlay/store';
import { z } from 'zod';
import { isServingRow } from './read-cost-data.js';

export const CostOpportunities = z.object({
  project: z.string(),
  from: z.string(),
  to: z.string(),
  total_saving_usd: z.number(),
  opportunities: z.array(z.object({
    rank: z.number(),
    kind: z.enum(['idle_capacity', 'peak_to_mean', 'spot_training', 'redundant_predictions', 'retention']),
    model: z.string().nullable(),
    title: z.string(),
    saving_usd: z.number(),
    cost_usd: z.number(),
    data: z.record(z.string(), z.union([z.number(), z.string(), z.null()])),
    assumptions: z.array(z.string()),
  })),
  notes: z.array(z.string()),
});
export type CostOpportunities = z.infer<typeof CostOpportunities>;

export interface OpportunityOptions {
  project: string;
  from?: number;
  to?: number;
  targetUtilisation: number;
  /** Share of predictions repeating a near-identical previous input, when known. */
  duplicateShare?: number;
  spotDiscount?: number;
  retainedMonths: number;
  hotMonths: number;
}

const hourMs = 3_600_000;
// Services that hold data: what retention tiers act on.
const storageService = /stor|s3|blob|bucket|log|archive|backup/i;

/**
 * Ranked savings over a window (default: the latest month with ledger rows, up to the month of the last logged
 * prediction; ledger rows count when their charge starts in the window): idle capacity and the
 * peak-to-mean gap of each model's serving instances against its hourly traffic, on-demand training compute that
 * could run on spot, redundant predictions (given their share) and storage retention. Everything read is a SQL
 * aggregate: the ledger per month, and per model the hourly count and the latency sums.
 */
export async function costOpportunities(store: Store, options: OpportunityOptions): Promise<CostOpportunities> {
  const models = await store.listModels(options.project);
  const notes: string[] = [];
  let from = options.from;
  let to = options.to;
  if (from === undefined || to === undefined) {
    // Default: the latest calendar month with ledger rows, not after the month of the last logged prediction
    // (monthly ledger rows then fall inside the window; a month with a few stray predictions and no costs is skipped).
    const last = Math.max(...models.map((m) => (m.last_timestamp === null ? Number.NEGATIVE_INFINITY : Date.parse(m.last_timestamp))));
    const at = new Date(Number.isFinite(last) ? last : Date.now());
    const lastMonth = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1);
    const costMonths = (await store.costLedger({ project: options.project, period: 'month', to: Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1) })).map((r) => Date.parse(r.period));
    const month = new Date(costMonths.length > 0 ? Math.max(...costMonths) : lastMonth);
    from ??= Date.UTC(month.getUTCFullYear(), month.getUTCMonth(), 1);
    to ??= Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1);
  }
  if (!(to > from)) throw new OutlayError('invalid_input', `to (${new Date(to).toISOString()}) must be after from (${new Date(from).toISOString()})`);
  const hours = Math.ceil((to - from) / hourMs);
  const ledger = await store.costLedger({ project: options.project, period: 'month', from, to });

  const serving: ServingUsage[] = [];
  for (const { model } of models) {
    const rows = ledger.filter((r) => isServingRow(r) && r.model === model);
    const cost = rows.reduce((s, r) => s + r.effective_cost, 0);
    const seconds = rows.reduce((s, r) => s + r.resource_seconds, 0);
    if (seconds <= 0) {
      notes.push(`model "${model}": no serving instances in the ledger for the window, so no capacity opportunity (declare a deployment)`);
      continue;
    }
    const hourly = await store.aggregate({ project: options.project, model, from, to, window: 'hour', measures: [{ op: 'count' }] });
    const counts = new Array<number>(hours).fill(0);
    for (const row of hourly) {
      const i = Math.floor((Date.parse(row.window!) - from) / hourMs);
      if (i >= 0 && i < hours) counts[i]! += row.values[0] ?? 0;
    }
    const [latency] = await store.aggregate({ project: options.project, model, from, to, measures: [{ op: 'mean', column: { source: 'core', name: 'latency_ms' } }] });
    const meanLatencyMs = latency?.values[0] ?? null;
    if (meanLatencyMs === null) {
      notes.push(`model "${model}": no latency logged in the window, so its capacity need is unknown`);
      continue;
    }
    const replicaHours = seconds / 3600;
    serving.push({
      model,
      replicas: replicaHours / hours,
      pricePerReplicaHourUsd: cost / replicaHours,
      hourlyPredictions: counts,
      meanServiceSeconds: meanLatencyMs / 1000,
    });
  }

  const training = ledger.filter((r) => r.category === 'fixed.development.training' && !storageService.test(r.service ?? '') && r.pricing_category !== 'Dynamic' && r.pricing_category !== 'Committed');
  const storage = ledger.filter((r) => storageService.test(r.service ?? ''));
  const variableCompute = ledger.filter((r) => r.category === 'variable.compute').reduce((s, r) => s + variableCostOf(r), 0);
  const predictions = models.length === 0 ? 0 : (await Promise.all(models.map((m) =>
    store.aggregate({ project: options.project, model: m.model, from, to, measures: [{ op: 'count' }] }),
  ))).reduce((s, rows) => s + (rows[0]?.values[0] ?? 0), 0);
  if (options.duplicateShare !== undefined && serving.length > 0) notes.push('redundant predictions and the capacity opportunities act on the same serving compute: their savings overlap');
  if (options.duplicateShare === undefined) notes.push('redundant predictions: pass duplicate_share (the share of predictions repeating a near-identical previous input) to cost them');

  const opportunities = findCostOpportunities({
    serving,
    targetUtilisation: options.targetUtilisation,
    onDemandTrainingCostUsd: training.reduce((s, r) => s + r.effective_cost, 0),
    ...(options.spotDiscount === undefined ? {} : { spotDiscount: options.spotDiscount }),
    ...(options.duplicateShare === undefined ? {} : { redundant: { variableComputeCostUsd: variableCompute, duplicateShare: options.duplicateShare, predictions } }),
    storage: { costUsd: storage.reduce((s, r) => s + r.effective_cost, 0), retainedMonths: options.retainedMonths, hotMonths: options.hotMonths },
  });
  return {
    project: options.project,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    total_saving_usd: opportunities.reduce((s, o) => s + o.saving_usd, 0),
    opportunities,
    notes,
  };
}
