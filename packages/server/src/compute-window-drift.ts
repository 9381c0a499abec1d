import { OutlayError } from '@outlay/schema';
import {
  datasetDrift,
  judgeColumn,
  driftMethod,
  reconstructionDrift,
  reportedVerdict,
  type ColumnDrift,
  type ColumnKind,
  type DriftInput,
  type MultivariateColumn,
  type PValueCorrection,
  type ReconstructionDrift,
} from '@outlay/stats';
import type { ColumnRef, Selection, Store } from '@outlay/store';

/** A stored window of a model: `[from, to)`, epoch ms or ISO. */
export interface TimeWindow {
  readonly from: number | string;
  readonly to: number | string;
}

export interface WindowDriftOptions {
  readonly project: string;
  readonly model: string;
  readonly reference: TimeWindow;
  readonly current: TimeWindow;
  /** Feature names to compare (all features when absent); prediction, score and label are always included. */
  readonly columns?: readonly string[];
  readonly method?: string;
  readonly threshold?: number;
  readonly correction?: PValueCorrection;
  /** Sample-based methods and the multivariate model see at most this many rows per window. */
  readonly sampleRows?: number;
}

/** One column of the answer: the fields of `outlay drift --format json` that stored windows can fill. */
export interface WindowColumnDrift {
  readonly column: string;
  readonly source: 'feature' | 'core';
  readonly kind: ColumnKind;
  readonly method: string;
  readonly score: number | null;
  readonly p_value: number | null;
  readonly threshold: number;
  readonly drift: boolean;
  readonly missing: { readonly reference_share: number; readonly current_share: number };
  readonly out_of_range_share: number | null;
  readonly new_categories: readonly string[];
  readonly new_category_counts: readonly { readonly value: string; readonly count: number }[];
  readonly sampled: boolean;
}

export interface WindowDrift {
  readonly reference_rows: number;
  readonly current_rows: number;
  readonly columns: readonly WindowColumnDrift[];
  readonly drifted_columns: number;
  readonly share_of_drifted_columns: number;
  readonly dataset_drift: boolean;
  readonly correction: PValueCorrection;
  readonly multivariate: (ReconstructionDrift & { readonly sampled: boolean; readonly columns: readonly string[] }) | null;
}

export const DEFAULT_WINDOW_SAMPLE_ROWS = 20_000;
const CATEGORY_LIMIT = 10_000;
const NEW_CATEGORIES_SHOWN = 20;

interface Candidate {
  readonly name: string;
  readonly source: 'feature' | 'core';
  readonly ref: ColumnRef;
  readonly kind: ColumnKind;
}

/**
 * Drift between two stored windows of one model, the server's twin of `outlay drift` on files: counts, missing
 * shares, ranges and category counts come from the store's SQL aggregates over every row; the sample-based
 * tests (KS, Wasserstein) and the PCA reconstruction model read a deterministic sample of each window.
 */
export async function computeWindowDrift(store: Store, options: WindowDriftOptions): Promise<WindowDrift> {
  const sampleRows = options.sampleRows ?? DEFAULT_WINDOW_SAMPLE_ROWS;
  if (options.method !== undefined) {
    try {
      driftMethod(options.method);
    } catch (error) {
      throw new OutlayError('invalid_input', `method: ${(error as Error).message}`);
    }
  }
  const base = { project: options.project, model: options.model };
  const reference: Selection = { ...base, ...options.reference };
  const current: Selection = { ...base, ...options.current };
  const candidates = await selectColumns(store, reference, options.columns);
  const count = async (selection: Selection, what: string) => {
    const [row] = await store.aggregate({ ...selection, measures: [{ op: 'count' }, ...candidates.map((c) => ({ op: 'count_non_null' as const, column: c.ref }))] });
    const total = row?.values[0] ?? 0;
    if (total === 0) throw new OutlayError('invalid_input', `${what} window [${String(selection.from)}, ${String(selection.to)}) holds no predictions of model "${options.model}"`);
    return { total, present: new Map(candidates.map((c, i) => [c.name, row!.values[i + 1] ?? 0])) };
  };
  const referenceCount = await count(reference, 'reference');
  const currentCount = await count(current, 'current');
  // Columns with no value in the reference window cannot be compared (e.g. a label that has not arrived).
  const columns = candidates.filter((c) => referenceCount.present.get(c.name)! > 0);
  if (columns.length === 0) throw new OutlayError('invalid_input', 'no column has values in the reference window');

  const sampled = columns.filter((c) => c.kind === 'numeric' || c.source === 'feature');
  const pull = (selection: Selection) => store.sampleColumns({ ...selection, columns: sampled.map((c) => c.ref), maxRows: sampleRows });
  const referenceSample = await pull(reference);
  const currentSample = await pull(current);
  const numbers = (values: readonly unknown[]) => Float64Array.from(values, (v) => (typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : Number.NaN));
  const strings = (values: readonly unknown[]) => values.map((v) => (v === null || v === undefined ? null : String(v)));

  const verdicts: ColumnDrift[] = [];
  const reports: Omit<WindowColumnDrift, 'method' | 'score' | 'p_value' | 'threshold' | 'drift'>[] = [];
  const compared: boolean[] = [];
  for (const column of columns) {
    const referencePresent = referenceCount.present.get(column.name)!;
    const currentPresent = currentCount.present.get(column.name)!;
    let referenceInput: DriftInput;
    let currentInput: DriftInput;
    let distinctValues: number;
    let outOfRange: number | null = null;
    let newCategories: { value: string; count: number }[] = [];
    let isSampled = false;
    if (column.kind === 'numeric') {
      const j = sampled.indexOf(column);
      const ref = finite(numbers(referenceSample.values[j]!)).sort();
      referenceInput = { type: 'sample', values: ref };
      currentInput = { type: 'sample', values: finite(numbers(currentSample.values[j]!)) };
      distinctValues = distinct(ref);
      isSampled = referenceSample.total > referenceSample.rows || currentSample.total > currentSample.rows;
      outOfRange = await outOfRangeShare(store, reference, current, column.ref, currentPresent);
    } else {
      const ref = await categoryCounts(store, reference, column.ref);
      const cur = await categoryCounts(store, current, column.ref);
      referenceInput = { type: 'categories', counts: ref };
      currentInput = { type: 'categories', counts: cur };
      distinctValues = ref.size;
      newCategories = [...cur].filter(([value]) => !ref.has(value)).map(([value, n]) => ({ value, count: n }));
      newCategories.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
      newCategories = newCategories.slice(0, NEW_CATEGORIES_SHOWN);
    }
    const judged = judgeColumn({ kind: column.kind, reference: referenceInput, current: currentInput, referenceRows: referencePresent, currentRows: currentPresent, distinctValues }, options);
    verdicts.push(judged.verdict);
    compared.push(judged.compared);
    reports.push({
      column: column.name,
      source: column.source,
      kind: column.kind,
      missing: { reference_share: 1 - referencePresent / referenceCount.total, current_share: 1 - currentPresent / currentCount.total },
      out_of_range_share: outOfRange,
      new_categories: newCategories.map((c) => c.value),
      new_category_counts: newCategories,
      sampled: isSampled,
    });
  }
  const correction = options.correction ?? 'none';
  const dataset = datasetDrift(verdicts, 0.5, correction);
  const multivariateColumns: MultivariateColumn[] = [];
  sampled.forEach((c, j) => {
    if (c.source !== 'feature' || !columns.includes(c)) return;
    if (c.kind === 'numeric') {
      const ref = numbers(referenceSample.values[j]!);
      if (ref.some((x) => Number.isFinite(x))) multivariateColumns.push({ kind: 'numeric', name: c.name, reference: ref, current: numbers(currentSample.values[j]!) });
    } else {
      const ref = strings(referenceSample.values[j]!);
      if (ref.some((x) => x !== null)) multivariateColumns.push({ kind: 'categorical', name: c.name, reference: ref, current: strings(currentSample.values[j]!) });
    }
  });
  const multivariate = multivariateColumns.length > 0 && referenceSample.rows >= 10 && currentSample.rows > 0
    ? {
      ...reconstructionDrift(multivariateColumns),
      sampled: referenceSample.total > referenceSample.rows || currentSample.total > currentSample.rows,
      columns: multivariateColumns.map((c) => c.name),
    }
    : null;
  return {
    reference_rows: referenceCount.total,
    current_rows: currentCount.total,
    columns: dataset.columns.map((v, i) => ({ ...reports[i]!, ...reportedVerdict(v, compared[i]!) })),
    drifted_columns: dataset.drifted_columns,
    share_of_drifted_columns: dataset.share_of_drifted_columns,
    dataset_drift: dataset.dataset_drift,
    correction,
    multivariate,
  };
}

/** The model's features (one type per name: numbers first), then prediction, score, interval width and label. */
async function selectColumns(store: Store, reference: Selection, names: readonly string[] | undefined): Promise<Candidate[]> {
  const info = await store.modelColumns(reference.project, reference.model);
  const features = new Map<string, Candidate>();
  // A name seen with several types (a type change) is compared as its number column, else its text column.
  const rank = { number: 0, string: 1, boolean: 2 } as const;
  const typeOf = new Map<string, keyof typeof rank>();
  for (const c of info) {
    if (c.source !== 'feature') continue;
    const existing = typeOf.get(c.name);
    if (existing !== undefined && rank[existing] <= rank[c.type]) continue;
    typeOf.set(c.name, c.type);
    features.set(c.name, { name: c.name, source: 'feature', ref: { source: 'feature', name: c.name, type: c.type }, kind: c.type === 'number' ? 'numeric' : 'categorical' });
  }
  for (const name of names ?? []) {
    if (!features.has(name)) throw new OutlayError('invalid_input', `columns: model "${reference.model}" has no feature "${name}"; it has: ${[...features.keys()].join(', ')}`);
  }
  const chosen = names ? names.map((n) => features.get(n)!) : [...features.values()];
  const core = (name: 'prediction' | 'prediction_class' | 'score' | 'interval_width' | 'label' | 'label_class', kind: ColumnKind, shown: string): Candidate =>
    ({ name: shown, source: 'core', ref: { source: 'core', name }, kind });
  return [
    ...chosen,
    core('prediction', 'numeric', 'prediction'),
    core('prediction_class', 'categorical', 'prediction_class'),
    core('score', 'numeric', 'score'),
    core('interval_width', 'numeric', 'interval_width'),
    core('label', 'numeric', 'label'),
    core('label_class', 'categorical', 'label_class'),
  ];
}

/** Share of the current window's values outside the reference window's [min, max] (one histogram query). */
async function outOfRangeShare(store: Store, reference: Selection, current: Selection, column: ColumnRef, currentPresent: number): Promise<number> {
  if (currentPresent === 0) return 0;
  const [row] = await store.aggregate({ ...reference, measures: [{ op: 'min', column }, { op: 'max', column }] });
  const [min, max] = row?.values ?? [null, null];
  if (min === null || max === null || min === undefined || max === undefined) return 0;
  // A one-value reference gets a hair-wide bucket: everything but that value falls below or above it.
  const edges = max > min ? [min, max] : [min, min + Math.max(Math.abs(min) * 1e-12, Number.MIN_VALUE)];
  const histogram = await store.histogram({ ...current, column, edges });
  return histogram.kind === 'numeric' ? (histogram.below + histogram.above) / currentPresent : 0;
}

async function categoryCounts(store: Store, selection: Selection, column: ColumnRef): Promise<Map<string, number>> {
  const histogram = await store.histogram({ ...selection, column, top: CATEGORY_LIMIT });
  if (histogram.kind !== 'categorical') return new Map();
  return new Map(histogram.values.map((v) => [v.value, v.count]));
}

function finite(values: Float64Array): Float64Array {
  return values.filter((x) => Number.isFinite(x));
}

function distinct(sorted: Float64Array): number {
  let n = sorted.length > 0 ? 1 : 0;
  for (let i = 1; i < sorted.length; i++) if (sorted[i] !== sorted[i - 1]) n++;
  return n;
}
