import { CostEntry, CostRecord, type ProjectConfig } from '@outlay/schema';
import { costEntryRecords, defaultPriceCatalogue, mergePriceBooks, type PriceEntry } from '@outlay/stats';

/** An entry that cannot be recorded: its 0-based index, the field, and what was expected. */
export interface CostEntryProblem {
  index: number;
  field: string;
  message: string;
}

/** The default catalogue, then the project's own prices (which win on the same key and date). */
export function projectPriceBook(config: ProjectConfig | null): PriceEntry[] {
  const own: PriceEntry[] = (config?.price_book ?? []).map((e) => ({
    vendor: e.vendor,
    service: e.service ?? '',
    region: e.region ?? '',
    instance: e.instance,
    purchase_option: e.purchase_option,
    price_per_hour_usd: e.price_per_hour_usd,
    effective_from: e.effective_from,
  }));
  return mergePriceBooks(defaultPriceCatalogue, own);
}

/**
 * Checks every manual cost entry and turns each into its monthly cost records (stats' costEntryRecords). Every
 * entry is checked, so the caller can refuse the batch with all its problems, or keep the good entries.
 */
export function costEntriesToRecords(entries: unknown[], priceBook: PriceEntry[]): { records: CostRecord[][]; problems: CostEntryProblem[] } {
  const records: CostRecord[][] = [];
  const problems: CostEntryProblem[] = [];
  entries.forEach((raw, index) => {
    const parsed = CostEntry.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      problems.push({ index, field: issue.path.map(String).join('.') || '(entry)', message: issue.message });
      records.push([]);
      return;
    }
    try {
      records.push(costEntryRecords(parsed.data, priceBook).map((r) => CostRecord.parse(r)));
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      // stats names the field first ("end_month: …"; amortisation says "amortisation: life …").
      const match = /^([a-z_]+): /.exec(error.message);
      const field = match && match[1] !== 'amortisation' ? match[1]! : /life/.test(error.message) ? 'life_months' : /salvage/.test(error.message) ? 'salvage_usd' : '(entry)';
      problems.push({ index, field, message: error.message.startsWith(`${field}: `) ? error.message.slice(field.length + 2) : error.message });
      records.push([]);
    }
  });
  return { records, problems };
}
