import { describe, expect, it } from 'vitest';
import type { CostGroup, CostSummary } from '../../costs-api.ts';
import { categoryLabel, ledgerSplit, maxListedGroups, parseSplit, scopeOf } from './ledger-split.ts';

const group = (name: string, cost: number, variableShare = 0): CostGroup => ({
  name,
  billed_cost: cost,
  effective_cost: cost,
  variable_cost: cost * variableShare,
  fixed_cost: cost * (1 - variableShare),
  records: 1,
});

function summaryOf(customers: CostGroup[]): CostSummary {
  const categories = [group('fixed.development.developers', 1000), group('variable.compute', 200, 1)];
  const totals = { billed_cost: 1200, effective_cost: 1200, variable_cost: 200, fixed_cost: 1000, records: 2 };
  return {
    project: 'p',
    period: 'month',
    totals,
    by_category: categories,
    by_model: [group('unattributed', 1000), group('fraud-v2', 200, 1)],
    by_customer: customers,
    by_provider: [group('aws', 1200)],
    periods: [{ period: '2026-01-01T00:00:00.000Z', ...totals, by_category: categories, by_model: [], by_customer: customers }],
  };
}

describe('ledgerSplit', () => {
  it('splits into variable and fixed parts that add up to the total', () => {
    const split = ledgerSplit(scopeOf(summaryOf([group('acme', 1200)]), null)!, 'behaviour')!;
    expect(split.rows.map((r) => [r.name, r.effective_cost])).toEqual([
      ['Variable', 200],
      ['Fixed', 1000],
    ]);
    expect(split.totals.effective_cost).toBe(1200);
  });

  it('adds the customers beyond the list up in one row, so the rows still sum to the total', () => {
    const customers = Array.from({ length: maxListedGroups + 5 }, (_, i) => group(`c${i}`, 60));
    const split = ledgerSplit(scopeOf(summaryOf(customers), null)!, 'customer')!;
    expect(split.rows).toHaveLength(maxListedGroups + 1);
    expect(split.rows.at(-1)).toMatchObject({ name: '5 other customers', rest: 5, effective_cost: 300 });
    expect(split.rows.reduce((s, r) => s + r.effective_cost, 0)).toBe(1200);
  });

  it('has no provider split for one month, which the summary only gives over the whole window', () => {
    const month = scopeOf(summaryOf([]), '2026-01-01T00:00:00.000Z')!;
    expect(ledgerSplit(month, 'provider')).toBeNull();
    expect(ledgerSplit(month, 'category')!.rows).toHaveLength(2);
    expect(scopeOf(summaryOf([]), '2026-02-01T00:00:00.000Z')).toBeNull();
  });
});

describe('names', () => {
  it('reads the taxonomy path and falls back to the cost centre split', () => {
    expect(categoryLabel('fixed.development.training')).toBe('fixed › development › training');
    expect(parseSplit('customer')).toBe('customer');
    expect(parseSplit('<script>')).toBe('category');
  });
});
