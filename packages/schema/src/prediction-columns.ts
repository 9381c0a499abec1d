import { timestampMs, type Prediction } from './prediction.js';

export type ColumnType = 'number' | 'string' | 'boolean';
export type DynamicSource = 'feature' | 'segment' | 'stage' | 'scores';

/**
 * One column of a batch: numbers (booleans as 0/1) in a Float64Array or strings in an array, and which rows
 * have a value of this type. Typed arrays cross from a decoding worker to the writer without copying.
 */
export interface BatchColumn {
  type: ColumnType;
  numbers: Float64Array | null;
  strings: (string | null)[] | null;
  present: Uint8Array;
}

export interface DynamicColumn extends BatchColumn {
  source: DynamicSource;
  name: string;
}

export const fixedColumnNames = [
  'model_version', 'prediction_num', 'prediction_str', 'score', 'interval_low', 'interval_high', 'latency_ms', 'customer',
] as const;
export type FixedColumnName = (typeof fixedColumnNames)[number];

/** A batch of one model's predictions, column by column, as the store writes them. */
export interface PredictionColumns {
  model: string;
  length: number;
  ids: string[];
  timestampMs: Float64Array;
  fixed: Record<FixedColumnName, BatchColumn>;
  /** One column per (source, name, type) the rows carry, in order of first appearance. */
  dynamic: DynamicColumn[];
}

const fixedTypes: Record<FixedColumnName, ColumnType> = {
  model_version: 'string', prediction_num: 'number', prediction_str: 'string', score: 'number',
  interval_low: 'number', interval_high: 'number', latency_ms: 'number', customer: 'string',
};

function newColumn(type: ColumnType, length: number): BatchColumn {
  return {
    type,
    numbers: type === 'string' ? null : new Float64Array(length),
    strings: type === 'string' ? new Array<string | null>(length).fill(null) : null,
    present: new Uint8Array(length),
  };
}

function put(column: BatchColumn, row: number, value: unknown): void {
  if (value === null || value === undefined) return;
  if (column.type === 'string') column.strings![row] = value as string;
  else column.numbers![row] = column.type === 'boolean' ? (value ? 1 : 0) : (value as number);
  column.present[row] = 1;
}

const typeOf = (value: unknown): ColumnType | null =>
  value === null || value === undefined ? null : typeof value === 'number' ? 'number' : typeof value === 'string' ? 'string' : 'boolean';

const typeSlot: Record<ColumnType, number> = { number: 0, string: 1, boolean: 2 };

const sources: [DynamicSource, (row: Prediction) => Record<string, unknown> | undefined][] = [
  ['feature', (r) => r.features],
  ['segment', (r) => r.segments],
  ['stage', (r) => r.stage],
  ['scores', (r) => r.scores],
];

/**
 * Turns validated predictions into one column batch per model, in one pass over the rows. A name whose only
 * values in the batch are null still gets a (number) column, so the store learns the feature exists.
 */
export function toPredictionColumns(rows: readonly Prediction[]): PredictionColumns[] {
  const byModel = new Map<string, Prediction[]>();
  for (const row of rows) {
    const list = byModel.get(row.model);
    if (list) list.push(row);
    else byModel.set(row.model, [row]);
  }
  const out: PredictionColumns[] = [];
  for (const [model, modelRows] of byModel) {
    const length = modelRows.length;
    const fixed = Object.fromEntries(fixedColumnNames.map((name) => [name, newColumn(fixedTypes[name], length)])) as Record<FixedColumnName, BatchColumn>;
    const dynamic: DynamicColumn[] = [];
    // source → name → its columns by type (number, string, boolean); an entry with none is a null-only name.
    const bySource = new Map<DynamicSource, Map<string, (DynamicColumn | undefined)[]>>();
    const ids = new Array<string>(length);
    const times = new Float64Array(length);
    for (let i = 0; i < length; i++) {
      const row = modelRows[i]!;
      ids[i] = row.id;
      times[i] = timestampMs(row.timestamp);
      put(fixed.model_version, i, row.model_version);
      if (typeof row.prediction === 'string') put(fixed.prediction_str, i, row.prediction);
      else {
        put(fixed.prediction_num, i, Number(row.prediction));
        if (typeof row.prediction === 'boolean') put(fixed.prediction_str, i, String(row.prediction));
      }
      put(fixed.score, i, row.score);
      put(fixed.interval_low, i, row.interval?.[0]);
      put(fixed.interval_high, i, row.interval?.[1]);
      put(fixed.latency_ms, i, row.latency_ms);
      put(fixed.customer, i, row.customer);
      for (const [source, read] of sources) {
        const map = read(row);
        if (!map) continue;
        let names = bySource.get(source);
        if (!names) bySource.set(source, (names = new Map()));
        for (const name in map) {
          const value = map[name];
          let columns = names.get(name);
          if (!columns) names.set(name, (columns = [undefined, undefined, undefined]));
          const type = typeOf(value);
          if (type === null) continue;
          const slot = typeSlot[type];
          let column = columns[slot];
          if (!column) {
            column = { ...newColumn(type, length), source, name };
            columns[slot] = column;
            dynamic.push(column);
          }
          put(column, i, value);
        }
      }
    }
    for (const [source, names] of bySource) {
      for (const [name, columns] of names) {
        if (columns.every((c) => c === undefined)) dynamic.push({ ...newColumn('number', length), source, name });
      }
    }
    out.push({ model, length, ids, timestampMs: times, fixed, dynamic });
  }
  return out;
}
