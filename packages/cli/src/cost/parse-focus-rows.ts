import { CostRecord, OutlayError } from '@outlay/schema';
import { categoriseFocusRow, type FocusCategoryRule } from './focus-category-rules.js';
import { focusColumns, focusNumericColumns, focusTimestampColumns, requiredFocusColumns, toleratedExtraColumns } from './focus-columns.js';

/** A FOCUS file as text cells: column names and rows in file order (`null` for an empty cell). */
export interface FocusTable {
  columns: string[];
  rows: (string | null)[][];
}

export interface ParseFocusOptions {
  /** Named in messages. */
  file: string;
  /** The ledger's currency: rows billed in another are refused rather than summed with it. */
  currency: string;
  costBasis: 'effective' | 'billed';
  rules: FocusCategoryRule[];
  /** Non-FOCUS columns the user asked to skip (otherwise an unknown column is refused). */
  ignoreColumns?: Iterable<string>;
}

/** A row that cannot be imported: its 1-based number after the header, the column, and what was expected. */
export interface FocusRowProblem {
  row: number;
  column: string;
  message: string;
}

export interface ParsedFocus {
  records: CostRecord[];
  /** Problems in file order; one per refused row (the first found in it). */
  problems: FocusRowProblem[];
  ignoredColumns: string[];
}

const numberPattern = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
// FOCUS asks for ISO 8601 in UTC; real exports write `2024-09-18 22:00:00` (no T, no zone: read as UTC).
const timestampPattern = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/i;
// Negative charges the spec expects: credits, adjustments, corrections of earlier periods (ChargeClass).
const negativeChargeCategories = new Set(['credit', 'adjustment']);

/**
 * Turns FOCUS rows into cost records (pure: the caller reads the file). Lenient where real exports differ from
 * the spec (bare `NULL`, quoted numbers, timestamps without `T`/`Z`); strict where a wrong number would be
 * summed: unparsable costs and dates, another currency, and negative costs that are not credits, adjustments,
 * corrections or usage reversals (a negative quantity at a non-negative price) are reported by row and column.
 * Unknown columns (neither FOCUS 1.0 nor `x_`-prefixed) refuse the whole file.
 */
export function parseFocusRows(table: FocusTable, options: ParseFocusOptions): ParsedFocus {
  const { file } = options;
  const index = new Map(table.columns.map((name, i) => [name, i]));
  const missing = requiredFocusColumns.filter((c) => !index.has(c));
  if (missing.length > 0) {
    throw new OutlayError('invalid_input', `${file}: missing FOCUS column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (is it a FOCUS 1.0 export?)`);
  }
  const ignore = new Set(options.ignoreColumns ?? []);
  const unknown = table.columns.filter((c) => !focusColumns.has(c) && !c.startsWith('x_') && !toleratedExtraColumns.has(c) && !ignore.has(c));
  if (unknown.length > 0) {
    throw new OutlayError(
      'invalid_input',
      `${file}: unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((c) => `"${c}"`).join(', ')}: expected FOCUS 1.0 columns or custom ones prefixed x_ (pass --ignore-columns ${unknown.join(',')} to skip them)`,
      { details: { file, unknown_columns: unknown } },
    );
  }
  const skipped = new Set([...ignore, ...toleratedExtraColumns].filter((c) => index.has(c)));

  const records: CostRecord[] = [];
  const problems: FocusRowProblem[] = [];
  const currency = options.currency.toUpperCase();
  table.rows.forEach((cells, i) => {
    const rowNumber = i + 1;
    const text: Record<string, string | null> = {};
    table.columns.forEach((column, j) => {
      if (!skipped.has(column)) text[column] = cleanCell(cells[j] ?? null);
    });
    const result = toCostRecord(text, rowNumber, currency, options);
    if ('problem' in result) problems.push(result.problem);
    else records.push(result.record);
  });
  return { records, problems, ignoredColumns: [...skipped] };
}

/** Bare `NULL` (any case) and empty cells are missing values; surrounding quotes left by a lenient writer go. */
function cleanCell(cell: string | null): string | null {
  if (cell === null) return null;
  let value = cell.trim();
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1).trim();
  return value === '' || value.toUpperCase() === 'NULL' ? null : value;
}

function toCostRecord(
  text: Record<string, string | null>,
  row: number,
  currency: string,
  options: ParseFocusOptions,
): { record: CostRecord } | { problem: FocusRowProblem } {
  const problem = (column: string, message: string) => ({ problem: { row, column, message: `${options.file}: row ${row}, column ${column}: ${message}` } });
  const record: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(text)) if (value !== null) record[column] = value;

  for (const column of focusNumericColumns) {
    const value = text[column];
    if (value === undefined || value === null) continue;
    if (!numberPattern.test(value)) return problem(column, `expected a decimal number, got "${value}"`);
    record[column] = Number(value);
  }
  if (record.BilledCost === undefined) return problem('BilledCost', 'expected a decimal number, got nothing (NULL)');
  for (const column of focusTimestampColumns) {
    const value = text[column];
    if (value === undefined || value === null) {
      if (column === 'ChargePeriodStart' || column === 'ChargePeriodEnd') return problem(column, 'expected a date-time, got nothing (NULL)');
      continue;
    }
    const iso = parseTimestamp(value);
    if (iso === null) return problem(column, `expected a date-time like 2024-09-18 22:00:00 or 2024-09-18T22:00:00Z, got "${value}"`);
    record[column] = iso;
  }
  if (Date.parse(record.ChargePeriodEnd as string) < Date.parse(record.ChargePeriodStart as string)) {
    return problem('ChargePeriodEnd', `the period ends (${text.ChargePeriodEnd}) before it starts (${text.ChargePeriodStart})`);
  }

  const billedIn = (text.BillingCurrency ?? currency).toUpperCase();
  if (billedIn !== currency) return problem('BillingCurrency', `billed in ${billedIn}, but the ledger is in ${currency} (convert first, or import with --currency ${billedIn} into a separate project)`);
  record.BillingCurrency = billedIn;

  for (const column of ['BilledCost', 'EffectiveCost'] as const) {
    const cost = record[column] as number | undefined;
    if (cost !== undefined && cost < 0 && !negativeAllowed(text, record)) {
      return problem(
        column,
        `negative cost ${text[column]} in a ${text.ChargeCategory ?? 'charge'} row: only credits, adjustments, corrections (ChargeClass "Correction") and usage reversals (negative quantity) may be negative`,
      );
    }
  }

  if (text.Tags !== undefined && text.Tags !== null) {
    const tags = parseTags(text.Tags);
    if (tags === null) return problem('Tags', `expected a JSON object of key/value pairs, got ${text.Tags.slice(0, 60)}`);
    record.Tags = tags;
  }
  if (text.x_variable_share !== undefined && text.x_variable_share !== null) {
    if (!numberPattern.test(text.x_variable_share)) return problem('x_variable_share', `expected a number between 0 and 1, got "${text.x_variable_share}"`);
    record.x_variable_share = Number(text.x_variable_share);
  }
  if (record.x_category === undefined) {
    const category = categoriseFocusRow(text, options.rules)?.category;
    if (category) record.x_category = category;
  }
  record.x_cost_basis = options.costBasis;

  const parsed = CostRecord.safeParse(record);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return problem(String(issue.path[0] ?? 'row'), issue.message);
  }
  return { record: parsed.data };
}

/**
 * FOCUS 1.0: credits (ChargeCategory "Credit"), adjustments ("Adjustment") and corrections (ChargeClass
 * "Correction") may be negative. Providers also bill reversed usage as a Usage row whose quantity is negative
 * (the Microsoft rows of the FinOps sample data): cost = negative quantity × unit price, so it is accepted when
 * the quantity is negative too. A refund named in the description is accepted as well.
 */
function negativeAllowed(text: Record<string, string | null>, record: Record<string, unknown>): boolean {
  if (negativeChargeCategories.has((text.ChargeCategory ?? '').toLowerCase())) return true;
  if ((text.ChargeClass ?? '').toLowerCase() === 'correction') return true;
  if (/\brefund/i.test(text.ChargeDescription ?? '')) return true;
  const quantity = (record.PricingQuantity ?? record.ConsumedQuantity) as number | undefined;
  return quantity !== undefined && quantity < 0;
}

function parseTimestamp(value: string): string | null {
  const m = timestampPattern.exec(value);
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', s = '00', fraction = '', zone = 'Z'] = m;
  const offset = /^(z|utc)$/i.test(zone) ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
  const ms = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}${fraction}${offset}`);
  if (Number.isNaN(ms)) return null;
  // Date.parse rolls 2024-02-30 over to March; a calendar date that does not exist is refused.
  const check = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return null;
  return new Date(ms).toISOString();
}

function parseTags(value: string): Record<string, string> | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  const tags: Record<string, string> = {};
  // FOCUS allows valueless tags (null): kept as an empty string, since CostRecord tags are strings.
  for (const [k, v] of Object.entries(parsed)) tags[k] = v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  return tags;
}
