export type PurchaseOption = 'on_demand' | 'spot' | 'commit_1y' | 'commit_3y';

export const purchaseOptions: readonly PurchaseOption[] = ['on_demand', 'spot', 'commit_1y', 'commit_3y'];

/** What a price is for. Field names follow the project config's price_book entries. */
export interface PriceKey {
  vendor: string;
  service: string;
  region: string;
  /** Instance type or SKU. */
  instance: string;
  purchase_option: PurchaseOption;
}

export interface PriceSource {
  url: string;
  /** When the number was read or published, `YYYY-MM-DD`. */
  retrieved: string;
  note?: string;
}

export interface PriceEntry extends PriceKey {
  /** Price per instance-hour; null withdraws the key from `effective_from` on (a price no longer offered). */
  price_per_hour_usd: number | null;
  /** First day (UTC) the price is in force, `YYYY-MM-DD`. */
  effective_from: string;
  source?: PriceSource;
}

export type PriceBook = readonly PriceEntry[];

export type PriceLookup =
  | { status: 'found'; price_per_hour_usd: number; effective_from: string; entry: PriceEntry }
  | {
      status: 'missing';
      /** What was looked for: the key and the date. */
      looked_for: PriceKey & { at: string };
      reason: 'no_price_for_key' | 'not_yet_in_force' | 'withdrawn';
      /** One line a person can act on. */
      message: string;
    };

/**
 * The price in force for `key` on `date`: the entry with the same vendor, service, region, instance and purchase
 * option whose `effective_from` is the latest on or before the date (on a tie, the later entry in the book wins,
 * so overrides go last). Never a silent $0: with no such entry the result is `missing`, saying what was looked
 * for and why nothing was found.
 */
export function priceAt(book: PriceBook, key: PriceKey, date: string | Date): PriceLookup {
  const at = typeof date === 'string' ? date.slice(0, 10) : date.toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(at)) throw new RangeError(`priceAt: date must be YYYY-MM-DD, got "${String(date)}"`);
  let best: PriceEntry | undefined;
  let earliest: string | undefined;
  for (const entry of book) {
    if (!sameKey(entry, key)) continue;
    if (earliest === undefined || entry.effective_from < earliest) earliest = entry.effective_from;
    if (entry.effective_from > at) continue;
    if (best === undefined || entry.effective_from >= best.effective_from) best = entry;
  }
  const lookedFor = { vendor: key.vendor, service: key.service, region: key.region, instance: key.instance, purchase_option: key.purchase_option, at };
  const described = `${key.vendor} ${key.service} ${key.instance} (${key.purchase_option}) in ${key.region} on ${at}`;
  if (best === undefined) {
    if (earliest === undefined) {
      return { status: 'missing', looked_for: lookedFor, reason: 'no_price_for_key', message: `no price for ${described}: add one to the price book` };
    }
    return { status: 'missing', looked_for: lookedFor, reason: 'not_yet_in_force', message: `no price for ${described}: the first price is effective from ${earliest}` };
  }
  if (best.price_per_hour_usd === null) {
    return { status: 'missing', looked_for: lookedFor, reason: 'withdrawn', message: `no price for ${described}: withdrawn from ${best.effective_from}` };
  }
  return { status: 'found', price_per_hour_usd: best.price_per_hour_usd, effective_from: best.effective_from, entry: best };
}

/**
 * One book from several, later books overriding earlier ones (e.g. the default catalogue, then the project's own
 * prices). Checks every entry: a negative or non-finite price or a malformed date throws, naming the entry.
 */
export function mergePriceBooks(...books: PriceBook[]): PriceEntry[] {
  const merged: PriceEntry[] = [];
  books.forEach((book, b) =>
    book.forEach((entry, i) => {
      const where = `price book ${b + 1}, entry ${i + 1} (${entry.vendor} ${entry.instance})`;
      if (entry.price_per_hour_usd !== null && !(Number.isFinite(entry.price_per_hour_usd) && entry.price_per_hour_usd >= 0)) {
        throw new RangeError(`${where}: price_per_hour_usd must be a finite number ≥ 0 or null, got ${entry.price_per_hour_usd}`);
      }
      if (!/^\d{4}-\d{2}-\d{2}$/.test(entry.effective_from)) throw new RangeError(`${where}: effective_from must be YYYY-MM-DD, got "${entry.effective_from}"`);
      if (!purchaseOptions.includes(entry.purchase_option)) throw new RangeError(`${where}: purchase_option must be one of ${purchaseOptions.join(', ')}, got "${entry.purchase_option}"`);
      merged.push(entry);
    }),
  );
  return merged;
}

function sameKey(a: PriceKey, b: PriceKey): boolean {
  return a.vendor === b.vendor && a.service === b.service && a.region === b.region && a.instance === b.instance && a.purchase_option === b.purchase_option;
}
