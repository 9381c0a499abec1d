import {
  allocateCost,
  unitMetrics,
  variableCostOf,
  type Allocation,
  type IdleShare,
  type MarginalCostTrend,
  type PeriodCostLine,
  type PeriodUnitMetrics,
  type UnitMetricsPeriodInput,
} from '@outlay/stats';
import type { Store } from '@outlay/store';
import { z } from 'zod';
import { byPeriod, isServingRow, readUsage, type CostWindow } from './read-cost-data.js';

const nullableNumber = z.number().nullable();

export const CostUnitMetrics = z.object({
  project: z.string(),
  period: z.enum(['day', 'month']),
  from: z.string().nullable(),
  to: z.string().nullable(),
  idle_share: z.enum(['none', 'even', 'proportional']),
  periods: z.array(z.looseObject({
    period: z.string(),
    predictions: z.number(),
    customers: z.number(),
    revenue_usd: z.number(),
    arr_usd: z.number(),
    total_cost_usd: z.number(),
    variable_cost_usd: z.number(),
    variable_cost_per_prediction_usd: nullableNumber,
    variable_cost_per_1k_predictions_usd: nullableNumber,
    variable_cost_per_customer_usd: nullableNumber,
    variable_cost_per_revenue_usd: nullableNumber,
    variable_cost_pct_of_arr: nullableNumber,
    contribution_margin_usd: z.number(),
    contribution_margin_ratio: nullableNumber,
    cost_centres: z.array(z.object({ category: z.string(), cost_usd: z.number(), variable_cost_usd: z.number(), per_revenue_usd: nullableNumber })),
    by_customer: z.array(z.looseObject({ customer: z.string(), variable_cost_usd: z.number(), revenue_usd: z.number() })),
    by_customer_truncated: z.boolean(),
    allocation: z.looseObject({ models: z.array(z.looseObject({ model: z.string(), idle_cost_usd: z.number() })), idle: z.looseObject({ cost_usd: z.number() }), warnings: z.array(z.string()) }),
  })),
  marginal_cost_trend: z.looseObject({ volume_elasticity: nullableNumber, unit_cost_with_volume: z.enum(['falls', 'flat', 'rises']).nullable() }),
});

/** What the route returns (CostUnitMetrics is its schema, looser where stats' types carry more fields). */
export interface CostUnitMetricsResult {
  project: string;
  period: 'day' | 'month';
  from: string | null;
  to: string | null;
  idle_share: IdleShare;
  periods: (PeriodUnitMetrics & { by_customer_truncated: boolean; allocation: Pick<Allocation, 'models' | 'idle' | 'totals' | 'warnings'> })[];
  marginal_cost_trend: MarginalCostTrend;
}

/**
 * Unit economics per period from the stored ledger, revenue and predictions. Serving cost (compute rows that name
 * a model and no customer) is the model's capacity: allocated to customers by compute-seconds from logged latency,
 * with idle capacity shared as `idleShare` says; the rest of the ledger enters as it is attributed.
 */
export async function costUnitMetrics(store: Store, window: CostWindow, options: { idleShare: IdleShare; topCustomers: number }): Promise<CostUnitMetricsResult> {
  const bounds = { ...(window.from === undefined ? {} : { from: window.from }), ...(window.to === undefined ? {} : { to: window.to }) };
  const ledger = byPeriod(await store.costLedger({ project: window.project, period: window.period, ...bounds }));
  const revenue = byPeriod(await store.revenueLedger({ project: window.project, period: window.period, ...bounds }));
  const usage = await readUsage(store, window);
  const periods = [...new Set([...ledger.keys(), ...revenue.keys(), ...usage.keys()])].sort();

  const allocations = new Map<string, Allocation>();
  const inputs: UnitMetricsPeriodInput[] = periods.map((period) => {
    const rows = ledger.get(period) ?? [];
    const periodUsage = usage.get(period) ?? [];
    const serving = new Map<string, { cost: number; variable: number; seconds: number }>();
    const costs: PeriodCostLine[] = [];
    for (const row of rows) {
      if (isServingRow(row) && row.customer === null) {
        const s = serving.get(row.model) ?? { cost: 0, variable: 0, seconds: 0 };
        s.cost += row.effective_cost;
        s.variable += variableCostOf(row);
        s.seconds += row.resource_seconds;
        serving.set(row.model, s);
      } else {
        costs.push({ category: row.category, customer: row.customer, costUsd: row.effective_cost, variableCostUsd: variableCostOf(row) });
      }
    }
    const deployments = [...serving].filter(([, s]) => s.seconds > 0).map(([model, s]) => ({ model, replicas: 1, hours: s.seconds / 3600, pricePerHourUsd: s.cost / (s.seconds / 3600) }));
    const allocation = allocateCost({ usage: periodUsage, deployments, idleShare: options.idleShare });
    allocations.set(period, allocation);
    for (const [model, s] of serving) {
      const variableRatio = s.cost !== 0 ? s.variable / s.cost : 0;
      let passed = 0;
      for (const c of allocation.customers.filter((c) => c.model === model && c.customer !== null)) {
        costs.push({ category: 'variable.compute', customer: c.customer, costUsd: c.cost_usd, variableCostUsd: c.cost_usd * variableRatio });
        passed += c.cost_usd;
      }
      // What reaches no named customer: idle capacity kept as its own line, and usage that names no customer.
      costs.push({ category: 'variable.compute', customer: null, costUsd: s.cost - passed, variableCostUsd: (s.cost - passed) * variableRatio });
    }
    const predictionsByCustomer: Record<string, number> = {};
    for (const u of periodUsage) if (u.customer !== null) predictionsByCustomer[u.customer] = (predictionsByCustomer[u.customer] ?? 0) + u.predictions;
    const revenueByCustomer: Record<string, number> = {};
    for (const r of revenue.get(period) ?? []) revenueByCustomer[r.customer] = (revenueByCustomer[r.customer] ?? 0) + r.amount;
    return { period, predictions: periodUsage.reduce((s, u) => s + u.predictions, 0), predictionsByCustomer, costs, revenueByCustomer };
  });

  const metrics = unitMetrics(inputs, { periodsPerYear: window.period === 'month' ? 12 : 365 });
  return {
    project: window.project,
    period: window.period,
    from: window.from === undefined ? null : new Date(window.from).toISOString(),
    to: window.to === undefined ? null : new Date(window.to).toISOString(),
    idle_share: options.idleShare,
    periods: metrics.periods.map((p) => {
      const allocation = allocations.get(p.period)!;
      const byCustomer = [...p.by_customer].sort((a, b) => b.variable_cost_usd - a.variable_cost_usd || b.revenue_usd - a.revenue_usd || a.customer.localeCompare(b.customer));
      return {
        ...p,
        by_customer: byCustomer.slice(0, options.topCustomers),
        by_customer_truncated: byCustomer.length > options.topCustomers,
        allocation: { models: allocation.models, idle: allocation.idle, totals: allocation.totals, warnings: allocation.warnings },
      };
    }),
    marginal_cost_trend: metrics.marginal_cost_trend,
  };
}
