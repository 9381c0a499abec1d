import { OutlayError } from '@outlay/schema';
import type { ColumnRef, Filter, Measure, Selection, Window } from '../store.js';
import { columnKey, type ModelEntry } from './catalog.js';

/** SQL text plus its positional parameters ($1, $2 …), built together so the numbering cannot drift. */
export class SqlBuilder {
  readonly params: (string | number | boolean)[] = [];

  param(value: string | number | boolean): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }
}

const coreExpr: Record<string, string> = {
  id: 'p.id',
  timestamp_ms: 'epoch_ms(p.ts)::DOUBLE',
  prediction: 'p.prediction_num',
  prediction_class: 'p.prediction_str',
  score: 'p.score',
  latency_ms: 'p.latency_ms',
  interval_low: 'p.interval_low',
  interval_high: 'p.interval_high',
  interval_width: '(p.interval_high - p.interval_low)',
  model_version: 'p.model_version',
  customer: 'p.customer',
  label: 'p.label_num',
  label_class: 'p.label_str',
  label_source: 'p.label_source',
};

const typePreference = ['number', 'string', 'boolean'] as const;

/** The SQL expression for a column of the model. */
export function columnSql(model: ModelEntry, ref: ColumnRef): { sql: string } {
  if (ref.source === 'core') {
    const core = coreExpr[ref.name];
    if (!core) throw new OutlayError('invalid_input', `unknown column "${ref.name}"`, { details: { column: ref } });
    return { sql: core };
  }
  const types = ref.type ? [ref.type] : typePreference;
  for (const type of types) {
    const column = model.columns.get(columnKey(ref.source, ref.name, type));
    if (column) return { sql: `p.${column}` };
  }
  throw new OutlayError('not_found', `model "${model.name}" has no ${ref.source} "${ref.name}"${ref.type ? ` of type ${ref.type}` : ''}`, {
    details: { column: ref },
  });
}

/**
 * A window as an integer key and back. Grouping on `epoch_us(ts) // size` is twice as fast as on
 * `time_bucket(…)` (37 ms against 84 ms for 5,000,000 rows per day here); the offset, a whole number of windows,
 * keeps every timestamp after 1400 positive so that the truncating division floors. Weeks start on Mondays
 * (2000-01-03 was one), as time_bucket's did.
 */
const windowMicros: Record<Window, { size: bigint; origin: bigint }> = {
  hour: { size: 3_600_000_000n, origin: 0n },
  day: { size: 86_400_000_000n, origin: 0n },
  week: { size: 604_800_000_000n, origin: 946_857_600_000_000n },
};

const windowOffset = (size: bigint): bigint => (86_400_000_000n * 200_000n / size) * size;

/** The integer key of a row's window (for GROUP BY). */
export function windowKeySql(window: Window): string {
  const { size, origin } = windowMicros[window];
  return `((epoch_us(p.ts) - ${origin} + ${windowOffset(size)}) // ${size})`;
}

/** A window key back to the window's start in epoch milliseconds (DOUBLE). */
export function windowStartMsSql(key: string, window: Window): string {
  const { size, origin } = windowMicros[window];
  return `((${key} * ${size} - ${windowOffset(size)} + ${origin}) // 1000)::DOUBLE`;
}

const toMs = (value: number | string, field: string): number => {
  const ms = typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms)) throw new OutlayError('invalid_input', `${field}: expected epoch milliseconds or an ISO 8601 time, got ${JSON.stringify(value)}`);
  return ms;
};

/** FROM and WHERE for a selection. The label in force sits beside each prediction (label_* columns): no join. */
export function selectionSql(model: ModelEntry, selection: Selection, sql: SqlBuilder): string {
  const where: string[] = [];
  if (selection.from !== undefined) where.push(`p.ts >= epoch_ms(${sql.param(Math.trunc(toMs(selection.from, 'from')))}::BIGINT)`);
  if (selection.to !== undefined) where.push(`p.ts < epoch_ms(${sql.param(Math.trunc(toMs(selection.to, 'to')))}::BIGINT)`);
  for (const filter of selection.where ?? []) where.push(filterSql(columnSql(model, filter.column).sql, filter, sql));
  if (selection.labelled === 'only') where.push('p.label_json IS NOT NULL');
  if (selection.labelled === 'without') where.push('p.label_json IS NULL');
  return `FROM ${model.table} p${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`;
}

function filterSql(expr: string, filter: Filter, sql: SqlBuilder): string {
  const scalar = (value: unknown): string => {
    if (typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) return sql.param(value);
    throw new OutlayError('invalid_input', `filter on ${filter.column.name}: expected a string, finite number or boolean`);
  };
  switch (filter.op) {
    case 'is_null':
      return `${expr} IS NULL`;
    case 'not_null':
      return `${expr} IS NOT NULL`;
    case 'in': {
      if (!Array.isArray(filter.value) || filter.value.length === 0) throw new OutlayError('invalid_input', `filter on ${filter.column.name}: "in" needs a non-empty list`);
      return `${expr} IN (${filter.value.map(scalar).join(', ')})`;
    }
    default:
      return `${expr} ${filter.op === '!=' ? 'IS DISTINCT FROM' : filter.op} ${scalar(filter.value)}`;
  }
}

/** SQL for one aggregate measure over `p`. */
export function measureSql(model: ModelEntry, measure: Measure, sql: SqlBuilder): { sql: string } {
  if (measure.op === 'count') return { sql: 'count(*)::DOUBLE' };
  const column = columnSql(model, measure.column);
  const x = `CAST(${column.sql} AS DOUBLE)`;
  switch (measure.op) {
    case 'count_non_null':
      // The label's source is set exactly when there is a label; its timestamp column is cheaper to count.
      return { sql: `count(${column.sql === 'p.label_source' ? 'p.label_ts' : column.sql})::DOUBLE` };
    case 'sum':
      return { sql: `sum(${x})` };
    case 'mean':
      return { sql: `avg(${x})` };
    case 'min':
      return { sql: `min(${x})` };
    case 'max':
      return { sql: `max(${x})` };
    case 'stddev':
      return { sql: `stddev_samp(${x})` };
    case 'quantile': {
      if (!(measure.q >= 0 && measure.q <= 1)) throw new OutlayError('invalid_input', `quantile q must lie in [0, 1], got ${measure.q}`);
      return { sql: `quantile_cont(${x}, ${sql.param(measure.q)}::DOUBLE)` };
    }
  }
}
