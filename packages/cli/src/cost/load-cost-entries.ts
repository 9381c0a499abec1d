import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import { CostEntry, OutlayError } from '@outlay/schema';
import { isStructuredFile, readStructuredFile } from '../read-structured-file.js';
import { loadFocusCsv } from './load-focus-csv.js';

/** Columns (fields) a manual cost entry may have, from the CostEntry schema. */
const entryFields = new Set(CostEntry.options.flatMap((o) => Object.keys(o.shape)));
const numericFields = new Set([
  'amount_usd', 'cost_usd', 'salvage_usd', 'life_months', 'service_per_month_usd', 'breakage_per_month_usd', 'replicas', 'price_per_hour_usd', 'variable_share',
]);
const numberPattern = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Reads manual cost entries from JSON (an array of entries) or CSV (one entry a row, a column per field, empty
 * cells absent). CSV numbers are parsed here, naming the row (1-based, after the header) and column of a bad one;
 * a column no entry kind has is refused. The entries themselves are checked where they are recorded.
 */
export async function loadCostEntries(file: string): Promise<Record<string, unknown>[]> {
  if (!existsSync(file)) throw new OutlayError('invalid_input', `${file}: no such file`);
  if (isStructuredFile(file)) {
    const parsed = readStructuredFile(file, '--file');
    if (!Array.isArray(parsed)) throw new OutlayError('invalid_input', `${file}: expected a list of cost entries`);
    parsed.forEach((entry, i) => {
      if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) throw new OutlayError('invalid_input', `${file}: row ${i + 1}: expected an object`);
    });
    return parsed as Record<string, unknown>[];
  }
  if (extname(file).toLowerCase() !== '.csv') throw new OutlayError('invalid_input', `${file}: expected a .csv, .json or .yaml file of cost entries`);
  const table = await loadFocusCsv(file);
  const unknown = table.columns.filter((c) => !entryFields.has(c));
  if (unknown.length > 0) {
    throw new OutlayError('invalid_input', `${file}: unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((c) => `"${c}"`).join(', ')}: expected ${[...entryFields].join(', ')}`);
  }
  return table.rows.map((row, r) => {
    const entry: Record<string, unknown> = {};
    table.columns.forEach((column, c) => {
      const cell = row[c]?.trim() ?? '';
      if (cell === '') return;
      if (numericFields.has(column)) {
        if (!numberPattern.test(cell)) throw new OutlayError('invalid_input', `${file}: row ${r + 1}, column ${column}: expected a number, got "${cell}"`);
        entry[column] = Number(cell);
      } else entry[column] = cell;
    });
    return entry;
  });
}
