import { join } from 'node:path';
import { IngestResult, OutlayError, type CostRecord } from '@outlay/schema';
import { defaultFocusCategoryRules, type FocusCategoryRule } from './focus-category-rules.js';
import { loadFocusCsv } from './load-focus-csv.js';
import { openLocalStore } from './open-local-store.js';
import { parseFocusRows, type FocusRowProblem } from './parse-focus-rows.js';

/** Where imported rows go: the embedded store in a data folder, or a running server over HTTP. */
export type CostDestination = { kind: 'store'; dataDir: string } | { kind: 'server'; url: string; key: string; batchSize?: number };

export interface ImportFocusOptions {
  file: string;
  project: string;
  destination: CostDestination;
  costBasis?: 'effective' | 'billed';
  currency?: string;
  /** Import the good rows and report the others, instead of refusing the file. */
  partial?: boolean;
  ignoreColumns?: string[];
  rules?: FocusCategoryRule[];
}

export interface CostSums {
  billed_cost: number;
  effective_cost: number;
}

export interface FocusImportResult {
  file: string;
  project: string;
  destination: string;
  /** Data rows in the file. */
  rows: number;
  imported: number;
  rejected: number;
  currency: string;
  cost_basis: 'effective' | 'billed';
  /** The total on the chosen basis. */
  cost: number;
  totals: CostSums;
  by_provider: Record<string, CostSums>;
  by_charge_category: Record<string, CostSums>;
  /** By Outlay's taxonomy; rows no rule classified are under `unclassified`. */
  by_category: Record<string, CostSums>;
  ignored_columns: string[];
  /** The first 100 problems, in file order. */
  errors: FocusRowProblem[];
}

/** Most rows one request carries to `POST /v1/cost-records`. */
export const maxCostRecordsPerRequest = 10_000;

/**
 * Reads a FOCUS CSV, maps it to cost records and writes them: to the embedded store in one call (all rows or
 * none), or to a server in batches of ≤ 10,000 (each batch atomic; the whole file is checked before the first is
 * sent, so bad input writes nothing either way). Cost rows carry no idempotency key: importing a file twice
 * stores its rows twice.
 */
export async function importFocus(options: ImportFocusOptions): Promise<FocusImportResult> {
  const costBasis = options.costBasis ?? 'effective';
  const currency = (options.currency ?? 'USD').toUpperCase();
  const table = await loadFocusCsv(options.file);
  const parsed = parseFocusRows(table, {
    file: options.file,
    currency,
    costBasis,
    rules: options.rules ?? defaultFocusCategoryRules,
    ignoreColumns: options.ignoreColumns ?? [],
  });
  const { records, problems } = parsed;
  if (problems.length > 0 && !options.partial) {
    const more = problems.length > 1 ? ` (${problems.length} rows have problems)` : '';
    throw new OutlayError('invalid_input', `${problems[0]!.message}${more}; nothing was imported (--partial imports the other rows)`, {
      details: { problems: problems.slice(0, 100) },
    });
  }

  const destination = await writeCostRecords(options.destination, options.project, records);
  const totals = sumCosts(records);
  return {
    file: options.file,
    project: options.project,
    destination,
    rows: table.rows.length,
    imported: records.length,
    rejected: problems.length,
    currency,
    cost_basis: costBasis,
    cost: costBasis === 'billed' ? totals.billed_cost : totals.effective_cost,
    totals,
    by_provider: sumCostsBy(records, (r) => r.ProviderName ?? 'unknown'),
    by_charge_category: sumCostsBy(records, (r) => r.ChargeCategory ?? 'unknown'),
    by_category: sumCostsBy(records, (r) => r.x_category ?? 'unclassified'),
    ignored_columns: parsed.ignoredColumns,
    errors: problems.slice(0, 100),
  };
}

async function writeCostRecords(destination: CostDestination, project: string, records: CostRecord[]): Promise<string> {
  if (destination.kind === 'store') {
    const store = await openLocalStore(destination.dataDir, 'import');
    try {
      // One call: the store writes it in one transaction, so the import lands whole or not at all.
      if (records.length > 0) await store.insertCostRecords(project, records);
    } finally {
      await store.close();
    }
    return join(destination.dataDir, 'outlay.duckdb');
  }
  const batchSize = Math.min(destination.batchSize ?? maxCostRecordsPerRequest, maxCostRecordsPerRequest);
  for (let start = 0; start < records.length; start += batchSize) {
    await postCostRecords(destination.url, destination.key, project, records.slice(start, start + batchSize), start);
  }
  return destination.url;
}

async function postCostRecords(url: string, key: string, project: string, batch: CostRecord[], offset: number): Promise<void> {
  let response: Response;
  try {
    response = await fetch(`${url.replace(/\/$/, '')}/v1/cost-records`, {
      method: 'POST',
      // An ingest key names its project; an admin key needs it said (the server's X-Outlay-Project convention).
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'x-outlay-project': project },
      body: JSON.stringify(batch),
    });
  } catch (error) {
    throw new Error(`cannot reach the Outlay server at ${url} (${(error as Error).message}); is \`outlay serve\` running?`, { cause: error });
  }
  const payload = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
  const imported = offset > 0 ? ` (rows 1-${offset} were imported before this batch)` : '';
  if (!response.ok) {
    const message = `${payload?.error?.message ?? `HTTP ${response.status}`}${imported}`;
    if (response.status === 400 || response.status === 401 || response.status === 403) throw new OutlayError('invalid_input', `the server refused the cost records: ${message}`);
    throw new Error(`the server failed to store the cost records (${response.status}): ${message}`);
  }
  const result = IngestResult.safeParse(payload);
  if (result.success && result.data.rejected.length > 0) {
    throw new OutlayError('invalid_input', `the server rejected ${result.data.rejected.length} cost records of the batch from row ${offset + 1}${imported}`, {
      details: { rejected: result.data.rejected.slice(0, 100) },
    });
  }
}

/** Sums with Neumaier's compensated summation, so totals of many small charges do not drift. */
function sumCosts(records: CostRecord[]): CostSums {
  const billed = new CompensatedSum();
  const effective = new CompensatedSum();
  for (const r of records) {
    billed.add(r.BilledCost);
    // The store's convention (costTotals): a row without EffectiveCost counts at its BilledCost.
    effective.add(r.EffectiveCost ?? r.BilledCost);
  }
  return { billed_cost: billed.value(), effective_cost: effective.value() };
}

function sumCostsBy(records: CostRecord[], key: (r: CostRecord) => string): Record<string, CostSums> {
  const groups = new Map<string, CostRecord[]>();
  for (const r of records) {
    const k = key(r);
    const list = groups.get(k);
    if (list) list.push(r);
    else groups.set(k, [r]);
  }
  return Object.fromEntries([...groups].sort(([a], [b]) => a.localeCompare(b)).map(([k, rows]) => [k, sumCosts(rows)]));
}

/** Neumaier (1974) improvement of Kahan summation. */
class CompensatedSum {
  private sum = 0;
  private compensation = 0;

  add(x: number): void {
    const t = this.sum + x;
    this.compensation += Math.abs(this.sum) >= Math.abs(x) ? this.sum - t + x : x - t + this.sum;
    this.sum = t;
  }

  value(): number {
    return this.sum + this.compensation;
  }
}
