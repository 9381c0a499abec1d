import { CostRecord, OutlayError, type RevenueRecord } from '@outlay/schema';
import { costEntryRecords, defaultPriceCatalogue, priceAt, type ManualCostEntry, type PriceKey } from '@outlay/stats';
import type { Store } from '@outlay/store';

export interface LoadDemoCostLedgerOptions {
  project: string;
  model: string;
}

export interface LoadDemoCostLedgerResult {
  /** False when the project already had the demo ledger (a second load writes nothing). */
  written: boolean;
  months: string[];
  costRecords: number;
  costUsd: number;
  revenueRows: number;
  revenueUsd: number;
}

// The serving instance: an AWS Graviton m7g.large (2 vCPU, 8 GiB) runs a logistic regression comfortably; two of
// them for availability. The price is the catalogue's (2026), applied to 2001 traffic: the catalogue has no 2001
// prices, and the point is today's cost of serving that traffic.
const servingKey: PriceKey = { vendor: 'aws', service: 'AmazonEC2', region: 'us-east-1', instance: 'm7g.large', purchase_option: 'on_demand' };
// What each airport (the demo's customer) pays per month: a platform fee plus a fee per scored flight.
const platformFeeUsd = 99;
const feePerFlightUsd = 0.03;
const metaKey = (project: string) => `demo_cost_ledger:${project}`;

/**
 * The demo project's cost ledger and revenue for the months its predictions cover, so unit economics run on real
 * traffic: two serving instances priced from the default catalogue, annotation (mostly spent keeping the model
 * performant: 70% variable), monitoring tools, an engineer, monthly retraining on demand, prediction-log storage,
 * and a training workstation amortised over three years; revenue per airport from its flights that month.
 * Deterministic, and written once per project (a meta key marks it: cost rows have no idempotency key).
 */
export async function loadDemoCostLedger(store: Store, options: LoadDemoCostLedgerOptions): Promise<LoadDemoCostLedgerResult> {
  const stats = await store.modelStats(options.project, options.model);
  if (!stats || stats.predictions === 0) {
    throw new OutlayError('invalid_input', `loadDemoCostLedger: model "${options.model}" has no predictions in project "${options.project}"`);
  }
  const flights = await flightsPerAirportMonth(store, options);
  // Months with real traffic: a handful of late-June departures fall on 1 July in UTC, and a whole month of
  // salaries against six flights would be a fake unit cost.
  const perMonth = new Map<string, number>();
  for (const [key, count] of flights) {
    const month = key.split('\u0000')[0]!;
    perMonth.set(month, (perMonth.get(month) ?? 0) + count);
  }
  const busiest = Math.max(...perMonth.values());
  const months = [...perMonth].filter(([, count]) => count >= 0.05 * busiest).map(([month]) => month).sort();
  const empty = { months, costRecords: 0, costUsd: 0, revenueRows: 0, revenueUsd: 0 };
  if ((await store.getMeta(metaKey(options.project))) !== null) return { written: false, ...empty };

  // The latest price the catalogue has for the key.
  const price = priceAt(defaultPriceCatalogue, servingKey, '9999-12-31');
  if (price.status === 'missing') throw new OutlayError('internal', `demo serving price: ${price.message}`);
  const start_month = months[0]!;
  const end_month = months[months.length - 1]!;
  const entries: ManualCostEntry[] = [
    { kind: 'deployment', name: 'flight-delay serving', model: options.model, instance: servingKey.instance, replicas: 2, start_month, end_month, price_per_hour_usd: price.price_per_hour_usd, vendor: 'aws', service: 'AmazonEC2', purchase_option: 'on_demand' },
    { kind: 'expense', name: 'delay annotation review', category: 'variable.operations', amount_usd: 1200, start_month, end_month, variable_share: 0.7 },
    { kind: 'expense', name: 'monitoring tools', category: 'variable.operations', amount_usd: 300, start_month, end_month },
    { kind: 'expense', name: 'ML engineer', category: 'fixed.development.developers', amount_usd: 15_000, start_month, end_month },
    { kind: 'expense', name: 'monthly retraining (on demand)', category: 'fixed.development.training', amount_usd: 200, start_month, end_month, vendor: 'aws' },
    { kind: 'expense', name: 'prediction log storage', category: 'fixed.development.training', amount_usd: 80, start_month, end_month, vendor: 'aws' },
    {
      kind: 'asset', name: 'training workstation', category: 'fixed.hardware', cost_usd: 6000, salvage_usd: 1000, life_months: 36, in_service: `${start_month}-01`,
      method: 'straight-line', service_per_month_usd: 0, breakage_per_month_usd: 0,
    },
  ];
  const last = Date.parse(`${end_month}-01T00:00:00Z`);
  const records = entries.flatMap((e) => costEntryRecords(e))
    // Only the demo's months: the workstation's schedule runs on past them.
    .filter((r) => Date.parse(r.ChargePeriodStart) <= last)
    .map((r) => CostRecord.parse(r));

  const revenue = airportRevenue(flights, new Set(months));
  await store.insertCostRecords(options.project, records);
  await store.insertRevenue(options.project, revenue);
  await store.setMeta(metaKey(options.project), JSON.stringify({ cost_records: records.length, revenue_rows: revenue.length, months }));
  return {
    written: true,
    months,
    costRecords: records.length,
    costUsd: records.reduce((s, r) => s + r.BilledCost, 0),
    revenueRows: revenue.length,
    revenueUsd: revenue.reduce((s, r) => s + r.amount, 0),
  };
}

/** Scored flights per airport and month (`YYYY-MM\u0000airport`): a SQL count per day and customer, summed per month. */
async function flightsPerAirportMonth(store: Store, options: LoadDemoCostLedgerOptions): Promise<Map<string, number>> {
  const rows = await store.aggregate({ project: options.project, model: options.model, window: 'day', groupBy: [{ source: 'core', name: 'customer' }], measures: [{ op: 'count' }] });
  const flights = new Map<string, number>();
  for (const row of rows) {
    if (row.group[0] === null) continue;
    const key = `${row.window!.slice(0, 7)}\u0000${String(row.group[0])}`;
    flights.set(key, (flights.get(key) ?? 0) + (row.values[0] ?? 0));
  }
  return flights;
}

/** Revenue per airport and month of the ledger: a platform fee plus a fee per scored flight. */
function airportRevenue(flights: Map<string, number>, months: Set<string>): RevenueRecord[] {
  return [...flights].sort(([a], [b]) => a.localeCompare(b)).flatMap(([key, count]) => {
    const [month, customer] = key.split('\u0000') as [string, string];
    if (!months.has(month)) return [];
    const start = Date.parse(`${month}-01T00:00:00Z`);
    const d = new Date(start);
    return [{
      period_start: new Date(start).toISOString(),
      period_end: new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)).toISOString(),
      customer,
      amount: Math.round((platformFeeUsd + feePerFlightUsd * count) * 100) / 100,
      currency: 'USD',
    }];
  });
}
