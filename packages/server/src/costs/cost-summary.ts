import { variableCostOf } from '@outlay/stats';
import type { CostLedgerRow, LedgerPeriod, Store } from '@outlay/store';
import { z } from 'zod';
import { byPeriod, type CostWindow } from './read-cost-data.js';

const Sums = z.object({ billed_cost: z.number(), effective_cost: z.number(), variable_cost: z.number(), fixed_cost: z.number(), records: z.number() });
const Group = Sums.extend({ name: z.string() });

export const CostSummary = z.object({
  project: z.string(),
  period: z.enum(['day', 'month']),
  from: z.string().nullable(),
  to: z.string().nullable(),
  currency: z.literal('USD'),
  totals: Sums,
  by_category: z.array(Group),
  by_model: z.array(Group),
  by_customer: z.array(Group),
  by_provider: z.array(Group),
  periods: z.array(Sums.extend({ period: z.string(), by_category: z.array(Group), by_model: z.array(Group), by_customer: z.array(Group) })),
});
export type CostSummary = z.infer<typeof CostSummary>;

/**
 * The ledger per period and over the window: by taxonomy bucket, by model, by customer and by provider, each with
 * billed and effective cost and its variable and fixed parts (declared shares, else the bucket's default).
 * Rows that name no model or customer are under `unattributed`, rows no rule classified under `unclassified`.
 */
export async function costSummary(store: Store, window: CostWindow): Promise<CostSummary> {
  const rows = await store.costLedger({
    project: window.project,
    period: window.period,
    ...(window.from === undefined ? {} : { from: window.from }),
    ...(window.to === undefined ? {} : { to: window.to }),
  });
  return {
    project: window.project,
    period: window.period satisfies LedgerPeriod,
    from: window.from === undefined ? null : new Date(window.from).toISOString(),
    to: window.to === undefined ? null : new Date(window.to).toISOString(),
    currency: 'USD',
    totals: sums(rows),
    by_category: groups(rows, (r) => r.category ?? 'unclassified'),
    by_model: groups(rows, (r) => r.model ?? 'unattributed'),
    by_customer: groups(rows, (r) => r.customer ?? 'unattributed'),
    by_provider: groups(rows, (r) => r.provider ?? 'unknown'),
    periods: [...byPeriod(rows)].map(([period, list]) => ({
      period,
      ...sums(list),
      by_category: groups(list, (r) => r.category ?? 'unclassified'),
      by_model: groups(list, (r) => r.model ?? 'unattributed'),
      by_customer: groups(list, (r) => r.customer ?? 'unattributed'),
    })),
  };
}

function sums(rows: CostLedgerRow[]): z.infer<typeof Sums> {
  let billed = 0;
  let effective = 0;
  let variable = 0;
  let records = 0;
  for (const r of rows) {
    billed += r.billed_cost;
    effective += r.effective_cost;
    variable += variableCostOf(r);
    records += r.records;
  }
  return { billed_cost: billed, effective_cost: effective, variable_cost: variable, fixed_cost: effective - variable, records };
}

/** Groups by a key, largest effective cost first. */
function groups(rows: CostLedgerRow[], key: (r: CostLedgerRow) => string): z.infer<typeof Group>[] {
  const map = new Map<string, CostLedgerRow[]>();
  for (const r of rows) {
    const k = key(r);
    const list = map.get(k);
    if (list) list.push(r);
    else map.set(k, [r]);
  }
  return [...map].map(([name, list]) => ({ name, ...sums(list) })).sort((a, b) => b.effective_cost - a.effective_cost || a.name.localeCompare(b.name));
}
