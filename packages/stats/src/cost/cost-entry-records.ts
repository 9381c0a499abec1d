import { amortisationSchedule, type AmortisationMethod } from './amortisation.js';
import { priceAt, type PriceBook, type PurchaseOption } from './price-book.js';

interface Attribution {
  model?: string | undefined;
  customer?: string | undefined;
  variable_share?: number | undefined;
}

/** A hand-entered cost, as `CostEntry` in @outlay/schema parses it (defaults applied). */
export type ManualCostEntry =
  | ({ kind: 'expense'; name: string; category: string; amount_usd: number; start_month: string; end_month?: string | undefined; vendor?: string | undefined } & Attribution)
  | ({
      kind: 'asset';
      name: string;
      category: string;
      cost_usd: number;
      salvage_usd: number;
      life_months: number;
      in_service: string;
      method: AmortisationMethod;
      service_per_month_usd: number;
      breakage_per_month_usd: number;
      vendor?: string | undefined;
    } & Attribution)
  | {
      kind: 'deployment';
      name?: string | undefined;
      model: string;
      instance: string;
      replicas: number;
      start_month: string;
      end_month?: string | undefined;
      price_per_hour_usd?: number | undefined;
      vendor?: string | undefined;
      service?: string | undefined;
      region?: string | undefined;
      purchase_option: PurchaseOption;
      customer?: string | undefined;
    };

/** A cost record with FOCUS column names (what @outlay/schema's CostRecord accepts). */
export interface LedgerRecord {
  ChargePeriodStart: string;
  ChargePeriodEnd: string;
  BilledCost: number;
  EffectiveCost: number;
  BillingCurrency: 'USD';
  ProviderName: string;
  ServiceName: string;
  ChargeCategory: 'Usage' | 'Purchase';
  PricingCategory?: 'Standard' | 'Dynamic' | 'Committed';
  ResourceId?: string;
  SkuId?: string;
  Tags: Record<string, string>;
  x_category: string;
  x_model?: string;
  x_customer?: string;
  x_variable_share?: number;
}

const pricingCategory: Record<PurchaseOption, 'Standard' | 'Dynamic' | 'Committed'> = {
  on_demand: 'Standard',
  spot: 'Dynamic',
  commit_1y: 'Committed',
  commit_3y: 'Committed',
};

/**
 * The monthly cost records of a hand-entered cost (UTC calendar months, each record one month long):
 * - expense: `amount_usd` in every month from start to end (inclusive);
 * - asset: its amortisation schedule (`amortisationSchedule`), period 1 in the month of `in_service`, charged as
 *   depreciation + service + breakage, in `fixed.hardware` unless said otherwise;
 * - deployment: one record per replica per month (so a record's charge period is one instance's running time,
 *   which allocation reads as capacity), hours in the month × the price given or in force on the month's first
 *   day in `priceBook` (a missing price throws: never $0), as `variable.compute` for the model.
 * Throws a RangeError naming the field on an impossible entry (an end before the start, a life of zero).
 *
 * @example costEntryRecords({kind: 'expense', name: 'labelling', category: 'variable.operations', amount_usd: 900, start_month: '2026-02', end_month: '2026-03'}).length // 2
 */
export function costEntryRecords(entry: ManualCostEntry, priceBook: PriceBook = []): LedgerRecord[] {
  const attribution = (a: Attribution): Pick<LedgerRecord, 'x_model' | 'x_customer' | 'x_variable_share'> => ({
    ...(a.model === undefined ? {} : { x_model: a.model }),
    ...(a.customer === undefined ? {} : { x_customer: a.customer }),
    ...(a.variable_share === undefined ? {} : { x_variable_share: a.variable_share }),
  });
  if (entry.kind === 'expense') {
    return monthsBetween(entry.start_month, entry.end_month).map((month) => ({
      ...period(month),
      BilledCost: entry.amount_usd,
      EffectiveCost: entry.amount_usd,
      BillingCurrency: 'USD',
      ProviderName: entry.vendor ?? 'manual',
      ServiceName: entry.name,
      ChargeCategory: 'Usage',
      Tags: { 'outlay:entry': 'expense' },
      x_category: entry.category,
      ...attribution(entry),
    }));
  }
  if (entry.kind === 'asset') {
    const schedule = amortisationSchedule({
      costUsd: entry.cost_usd,
      salvageUsd: entry.salvage_usd,
      lifePeriods: entry.life_months,
      method: entry.method,
      servicePerPeriodUsd: entry.service_per_month_usd,
      breakagePerPeriodUsd: entry.breakage_per_month_usd,
    });
    const first = parseMonth(entry.in_service.slice(0, 7), 'in_service');
    return schedule.map((row, i) => ({
      ...period(formatMonth(first + i)),
      BilledCost: row.cost_usd,
      EffectiveCost: row.cost_usd,
      BillingCurrency: 'USD',
      ProviderName: entry.vendor ?? 'manual',
      ServiceName: entry.name,
      ChargeCategory: 'Usage',
      Tags: {
        'outlay:entry': 'asset',
        'outlay:period': String(row.period),
        'outlay:depreciation_usd': String(row.depreciation_usd),
        'outlay:book_value_usd': String(row.closing_book_value_usd),
      },
      x_category: entry.category,
      ...attribution(entry),
    }));
  }
  const records: LedgerRecord[] = [];
  for (const month of monthsBetween(entry.start_month, entry.end_month)) {
    const span = period(month);
    const hours = (Date.parse(span.ChargePeriodEnd) - Date.parse(span.ChargePeriodStart)) / 3_600_000;
    const price = entry.price_per_hour_usd ?? lookUpPrice(entry, `${month}-01`, priceBook);
    for (let replica = 1; replica <= entry.replicas; replica++) {
      records.push({
        ...span,
        BilledCost: hours * price,
        EffectiveCost: hours * price,
        BillingCurrency: 'USD',
        ProviderName: entry.vendor ?? 'manual',
        ServiceName: entry.service ?? entry.name ?? `${entry.model} serving`,
        ChargeCategory: 'Usage',
        PricingCategory: pricingCategory[entry.purchase_option],
        ResourceId: `${entry.model}/${entry.instance}/${replica}`,
        SkuId: entry.instance,
        Tags: { 'outlay:entry': 'deployment', 'outlay:price_per_hour_usd': String(price) },
        x_category: 'variable.compute',
        x_model: entry.model,
        ...(entry.customer === undefined ? {} : { x_customer: entry.customer }),
      });
    }
  }
  return records;
}

function lookUpPrice(entry: Extract<ManualCostEntry, { kind: 'deployment' }>, date: string, book: PriceBook): number {
  const { vendor, service, region } = entry;
  if (vendor === undefined || service === undefined || region === undefined) {
    throw new RangeError('price_per_hour_usd: give a price, or vendor, service and region to look one up in the price book');
  }
  const found = priceAt(book, { vendor, service, region, instance: entry.instance, purchase_option: entry.purchase_option }, date);
  if (found.status === 'missing') throw new RangeError(`price_per_hour_usd: ${found.message}`);
  return found.price_per_hour_usd;
}

/** Months as a count since year 0, so that ranges are integer ranges. */
function parseMonth(text: string, field: string): number {
  const match = /^(\d{4})-(\d{2})$/.exec(text);
  const month = match ? Number(match[2]) : 0;
  if (!match || month < 1 || month > 12) throw new RangeError(`${field}: expected a month YYYY-MM, got "${text}"`);
  return Number(match[1]) * 12 + month - 1;
}

const formatMonth = (index: number): string => `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;

function monthsBetween(start: string, end: string | undefined): string[] {
  const from = parseMonth(start, 'start_month');
  const to = end === undefined ? from : parseMonth(end, 'end_month');
  if (to < from) throw new RangeError(`end_month: ${end} is before start_month ${start}`);
  if (to - from >= 1200) throw new RangeError(`end_month: ${end} is more than 100 years after start_month ${start}`);
  return Array.from({ length: to - from + 1 }, (_, i) => formatMonth(from + i));
}

function period(month: string): { ChargePeriodStart: string; ChargePeriodEnd: string } {
  const index = parseMonth(month, 'month');
  const start = new Date(Date.UTC(Math.floor(index / 12), index % 12, 1));
  const end = new Date(Date.UTC(Math.floor((index + 1) / 12), (index + 1) % 12, 1));
  return { ChargePeriodStart: start.toISOString(), ChargePeriodEnd: end.toISOString() };
}
