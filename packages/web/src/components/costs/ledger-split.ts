// The ledger split one way (variable/fixed, cost centre, model, customer, provider) for a month or for every
// month. Pure, so the rows are checked against the summary's totals without a browser.

import type { CostGroup, CostSummary, CostSums } from '../../costs-api.ts';

export const splits = ['behaviour', 'category', 'model', 'customer', 'provider'] as const;
export type LedgerSplitName = (typeof splits)[number];

export const splitTitles: Record<LedgerSplitName, string> = {
  behaviour: 'Variable / fixed',
  category: 'Cost centre',
  model: 'Model',
  customer: 'Customer',
  provider: 'Provider',
};

export interface LedgerRow {
  name: string;
  effective_cost: number;
  variable_cost: number;
  fixed_cost: number;
  /** Null where the split has none: a ledger row's variable and fixed parts share one billed cost and one record. */
  billed_cost: number | null;
  records: number | null;
  /** A row that stands for several groups (the customers beyond the longest list worth reading). */
  rest?: number;
}

export interface LedgerSplit {
  rows: LedgerRow[];
  totals: CostSums;
}

/** Customers listed one by one; the others are added up in one row, so the total still matches the ledger. */
export const maxListedGroups = 15;

export function parseSplit(value: string | null): LedgerSplitName {
  return splits.includes(value as LedgerSplitName) ? (value as LedgerSplitName) : 'category';
}

/** The ledger's sums for `period` (an ISO period start), or over every period when it is null. */
export function scopeOf(summary: CostSummary, period: string | null): (CostSums & { by_category: CostGroup[]; by_model: CostGroup[]; by_customer: CostGroup[]; by_provider: CostGroup[] | null }) | null {
  if (period === null) return { ...summary.totals, by_category: summary.by_category, by_model: summary.by_model, by_customer: summary.by_customer, by_provider: summary.by_provider };
  const found = summary.periods.find((p) => p.period === period);
  // The summary splits by provider over the whole window only.
  return found ? { ...found, by_provider: null } : null;
}

function sums(list: readonly CostSums[]): CostSums {
  return {
    billed_cost: list.reduce((s, g) => s + g.billed_cost, 0),
    effective_cost: list.reduce((s, g) => s + g.effective_cost, 0),
    variable_cost: list.reduce((s, g) => s + g.variable_cost, 0),
    fixed_cost: list.reduce((s, g) => s + g.fixed_cost, 0),
    records: list.reduce((s, g) => s + g.records, 0),
  };
}

/** Rows of one split, largest first, and the totals of the scope they split. */
export function ledgerSplit(scope: NonNullable<ReturnType<typeof scopeOf>>, split: LedgerSplitName): LedgerSplit | null {
  const totals: CostSums = { billed_cost: scope.billed_cost, effective_cost: scope.effective_cost, variable_cost: scope.variable_cost, fixed_cost: scope.fixed_cost, records: scope.records };
  if (split === 'behaviour') {
    return {
      totals,
      rows: [
        { name: 'Variable', billed_cost: null, effective_cost: scope.variable_cost, variable_cost: scope.variable_cost, fixed_cost: 0, records: null },
        { name: 'Fixed', billed_cost: null, effective_cost: scope.fixed_cost, variable_cost: 0, fixed_cost: scope.fixed_cost, records: null },
      ],
    };
  }
  const groups = split === 'category' ? scope.by_category : split === 'model' ? scope.by_model : split === 'customer' ? scope.by_customer : scope.by_provider;
  if (groups === null) return null;
  if (groups.length <= maxListedGroups + 1) return { totals, rows: groups.map((g) => ({ ...g })) };
  const rest = groups.slice(maxListedGroups);
  return { totals, rows: [...groups.slice(0, maxListedGroups).map((g) => ({ ...g })), { name: `${rest.length} other ${split}s`, rest: rest.length, ...sums(rest) }] };
}

/** `variable.compute` → `variable › compute`: the taxonomy path, readable. */
export function categoryLabel(category: string): string {
  return category.split('.').join(' › ');
}
