export type AmortisationMethod = 'straight-line' | 'declining-balance';

export interface AmortisationInput {
  /** What the asset cost to buy (capex). */
  costUsd: number;
  /** What it is expected to sell for at the end of its life. */
  salvageUsd: number;
  /** Life in periods (months, unless the caller means years); a whole number ≥ 1. */
  lifePeriods: number;
  method?: AmortisationMethod;
  /** Declining balance: the rate per period is factor / lifePeriods (2 = double declining balance). */
  decliningFactor?: number;
  /** Service (maintenance contracts, support) per period, paid while the asset is in its life. */
  servicePerPeriodUsd?: number;
  /** Expected breakage and repair per period (e.g. failure rate × replacement cost). */
  breakagePerPeriodUsd?: number;
}

export interface AmortisationPeriod {
  /** 1-based. */
  period: number;
  opening_book_value_usd: number;
  depreciation_usd: number;
  service_usd: number;
  breakage_usd: number;
  /** Depreciation + service + breakage: what the period is charged. */
  cost_usd: number;
  closing_book_value_usd: number;
}

/**
 * The period-by-period schedule of a capital asset: depreciation from cost down to salvage over its life, plus
 * service and breakage. Straight-line charges (cost − salvage) / life each period. Declining balance charges
 * book × factor / life, switching to straight-line over the remaining life when that charges more, and never
 * going below salvage, so the book value ends exactly at salvage (the convention of Excel's VDB; for factor 2,
 * cost 10,000, salvage 0 over 5 periods: 4,000, 2,400, 1,440, 1,080, 1,080).
 *
 * Throws a RangeError on a life that is not a whole number ≥ 1 or a salvage value above the cost.
 */
export function amortisationSchedule(input: AmortisationInput): AmortisationPeriod[] {
  const { costUsd, salvageUsd, lifePeriods } = input;
  const method = input.method ?? 'straight-line';
  const factor = input.decliningFactor ?? 2;
  const service = input.servicePerPeriodUsd ?? 0;
  const breakage = input.breakagePerPeriodUsd ?? 0;
  if (!(Number.isFinite(costUsd) && costUsd >= 0)) throw new RangeError(`amortisation: cost must be a finite number ≥ 0, got ${costUsd}`);
  if (!(Number.isFinite(salvageUsd) && salvageUsd >= 0)) throw new RangeError(`amortisation: salvage must be a finite number ≥ 0, got ${salvageUsd}`);
  if (!(Number.isInteger(lifePeriods) && lifePeriods >= 1)) {
    throw new RangeError(`amortisation: life must be a whole number of periods ≥ 1, got ${lifePeriods}`);
  }
  if (salvageUsd > costUsd) {
    throw new RangeError(`amortisation: salvage value ${salvageUsd} exceeds the cost ${costUsd}; an asset cannot be worth more at the end of its life than it cost`);
  }
  if (!(Number.isFinite(factor) && factor > 0)) throw new RangeError(`amortisation: declining factor must be a finite number > 0, got ${factor}`);
  for (const [name, value] of [['service', service], ['breakage', breakage]] as const) {
    if (!(Number.isFinite(value) && value >= 0)) throw new RangeError(`amortisation: ${name} per period must be a finite number ≥ 0, got ${value}`);
  }

  const schedule: AmortisationPeriod[] = [];
  let book = costUsd;
  for (let period = 1; period <= lifePeriods; period++) {
    const remaining = lifePeriods - period + 1;
    const straight = (book - salvageUsd) / remaining;
    let depreciation: number;
    if (method === 'straight-line') depreciation = (costUsd - salvageUsd) / lifePeriods;
    else depreciation = Math.min(Math.max((book * factor) / lifePeriods, straight), book - salvageUsd);
    // The last period lands on salvage exactly, whatever rounding the divisions left behind.
    if (period === lifePeriods) depreciation = book - salvageUsd;
    const closing = book - depreciation;
    schedule.push({
      period,
      opening_book_value_usd: book,
      depreciation_usd: depreciation,
      service_usd: service,
      breakage_usd: breakage,
      cost_usd: depreciation + service + breakage,
      closing_book_value_usd: closing,
    });
    book = closing;
  }
  return schedule;
}

export interface AmortisedAsset extends Omit<AmortisationInput, 'lifePeriods'> {
  /** First day of service, `YYYY-MM-DD` (UTC); its month is period 1. */
  inServiceDate: string;
  lifeMonths: number;
}

export interface MonthlyAmortisedCost {
  /** The month asked about, `YYYY-MM`. */
  month: string;
  /** 1-based period of the schedule, or null before service starts or after the life ends. */
  period: number | null;
  depreciation_usd: number;
  service_usd: number;
  breakage_usd: number;
  cost_usd: number;
  book_value_usd: number;
}

/**
 * What an asset costs in the calendar month (UTC) that contains `date`: its monthly schedule's period for that
 * month, or zero outside its life (before service, book value = cost; after, book value = salvage).
 *
 * @example monthlyAmortisedCost({costUsd: 12000, salvageUsd: 0, lifeMonths: 12, inServiceDate: '2026-01-15'}, '2026-03-31').cost_usd // 1000
 */
export function monthlyAmortisedCost(asset: AmortisedAsset, date: string | Date): MonthlyAmortisedCost {
  const start = parseUtcDate(asset.inServiceDate, 'inServiceDate');
  const at = typeof date === 'string' ? parseUtcDate(date, 'date') : date;
  if (Number.isNaN(at.getTime())) throw new RangeError('amortisation: date is not a valid date');
  const schedule = amortisationSchedule({ ...asset, lifePeriods: asset.lifeMonths });
  const index = (at.getUTCFullYear() - start.getUTCFullYear()) * 12 + (at.getUTCMonth() - start.getUTCMonth());
  const month = `${at.getUTCFullYear()}-${String(at.getUTCMonth() + 1).padStart(2, '0')}`;
  const row = schedule[index];
  if (index < 0 || row === undefined) {
    return {
      month,
      period: null,
      depreciation_usd: 0,
      service_usd: 0,
      breakage_usd: 0,
      cost_usd: 0,
      book_value_usd: index < 0 ? asset.costUsd : asset.salvageUsd,
    };
  }
  return {
    month,
    period: row.period,
    depreciation_usd: row.depreciation_usd,
    service_usd: row.service_usd,
    breakage_usd: row.breakage_usd,
    cost_usd: row.cost_usd,
    book_value_usd: row.closing_book_value_usd,
  };
}

function parseUtcDate(text: string, name: string): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) throw new RangeError(`amortisation: ${name} must be a date YYYY-MM-DD, got "${text}"`);
  return date;
}
