import { AdjustTerm, OutlayError, type ProjectConfig } from '@outlay/schema';
import type { ColumnInfo, ColumnRef, Filter, Store, Window } from '@outlay/store';
import type { Seasonality } from './adjust-series.js';

/** A declared known factor: the mean of a numeric column per window, or the share of a window's rows with a value. */
export interface KnownFactorSpec {
  /** As written: `distance` or `origin=ORD`; the key of `factors` in the document. */
  name: string;
  column: string;
  /** `COLUMN=VALUE`: the share of rows with that value; absent: the column's mean. */
  value?: string;
}

export interface AdjustPlan {
  /** The terms as asked (`known` kept as written). */
  asked: string[];
  seasonality: Seasonality[];
  factors: KnownFactorSpec[];
}

/**
 * Reads `adjust` terms (`weekday`, `hour`, `known`, `COLUMN`, `COLUMN=VALUE`); `known` expands to the model's
 * `known_factors` in the project config. A malformed term is a 400 naming it; columns are checked later, against
 * the model's rows (`factorSeries`).
 */
export function planAdjust(terms: readonly string[], config: ProjectConfig | null, model: string, field = 'adjust'): AdjustPlan {
  const seasonality: Seasonality[] = [];
  const factors: KnownFactorSpec[] = [];
  const add = (term: string, from: string): void => {
    const parsed = AdjustTerm.safeParse(term);
    if (!parsed.success) throw new OutlayError('invalid_input', `${from}: "${term}" is not a valid term: ${parsed.error.issues[0]?.message ?? 'invalid'}`, { details: { field: from, term } });
    const t = parsed.data;
    if (t === 'weekday' || t === 'hour') {
      if (!seasonality.includes(t)) seasonality.push(t);
      return;
    }
    if (factors.some((f) => f.name === t)) return;
    const at = t.indexOf('=');
    factors.push(at < 0 ? { name: t, column: t } : { name: t, column: t.slice(0, at).trim(), value: t.slice(at + 1).trim() });
  };
  for (const term of terms) {
    if (term.trim() === 'known') {
      const entry = config?.models.find((m) => m.name === model);
      if (!entry || entry.known_factors.length === 0) {
        throw new OutlayError('invalid_input', `${field}: "known" asks for the model's known factors, but the project config has no models[name=${model}].known_factors`, {
          details: { field: `models[name=${model}].known_factors` },
        });
      }
      for (const f of entry.known_factors) add(f, `models[name=${model}].known_factors`);
    } else add(term, field);
  }
  return { asked: terms.map((t) => t.trim()), seasonality, factors };
}

/** `adjust=weekday,distance` (a query parameter) → its terms. */
export function adjustTerms(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

const coreFactorColumns = new Set(['model_version', 'customer']);

/** The store column and filter of a factor, or a 400 naming the column the model does not have. */
export function resolveFactor(spec: KnownFactorSpec, columns: ColumnInfo[]): { ref: ColumnRef; filter?: Filter } {
  if (spec.value !== undefined && coreFactorColumns.has(spec.column)) {
    const ref: ColumnRef = { source: 'core', name: spec.column as 'model_version' | 'customer' };
    return { ref, filter: { column: ref, op: '=', value: spec.value } };
  }
  const found = (['segment', 'feature'] as const).map((source) => columns.filter((c) => c.source === source && c.name === spec.column)).find((f) => f.length > 0);
  if (!found) {
    const known = [...new Set(columns.filter((c) => c.source === 'segment' || c.source === 'feature').map((c) => c.name))];
    throw new OutlayError('invalid_input', `adjust: the model has no segment or feature "${spec.column}"${known.length ? `; it has ${known.slice(0, 20).join(', ')}` : ''}`, {
      details: { field: 'adjust', column: spec.column },
    });
  }
  if (spec.value === undefined) {
    const numeric = found.find((c) => c.type === 'number');
    if (!numeric) {
      throw new OutlayError('invalid_input', `adjust: ${found[0]!.source} "${spec.column}" is ${found.map((c) => c.type).join(' or ')}, not numeric: use ${spec.column}=VALUE for the share of rows with a value`, {
        details: { field: 'adjust', column: spec.column },
      });
    }
    return { ref: { source: numeric.source, name: numeric.name, type: 'number' } };
  }
  for (const info of found) {
    const value = coerce(spec.value, info.type);
    if (value === undefined) continue;
    const ref: ColumnRef = { source: info.source, name: info.name, type: info.type };
    return { ref, filter: { column: ref, op: '=', value } };
  }
  throw new OutlayError('invalid_input', `adjust: ${found[0]!.source} "${spec.column}" is ${found.map((c) => c.type).join(' or ')}, and "${spec.value}" is not`, { details: { field: 'adjust', column: spec.column } });
}

function coerce(value: string, type: ColumnInfo['type']): string | number | boolean | undefined {
  if (type === 'string') return value;
  if (type === 'number') {
    const n = value.trim() === '' ? NaN : Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

export interface FactorSeriesRequest {
  project: string;
  model: string;
  window: Window;
  fromMs: number;
  toMs: number;
  /** The series' slice (as a filter), applied to the factors too. */
  where: Filter[];
  /** `only` for a label-based metric: the factor is measured on the rows behind the value. */
  labelled?: 'only';
}

/**
 * Each factor's value per window start (epoch ms), as SQL aggregates in the store: the column's mean, or the share
 * of the window's rows (labelled rows for a label-based metric) holding the value. A window without rows (or
 * without a numeric value of the column) has no entry.
 */
export async function factorSeries(store: Store, request: FactorSeriesRequest, factors: readonly KnownFactorSpec[]): Promise<Map<string, Map<number, number>>> {
  const out = new Map<string, Map<number, number>>();
  if (factors.length === 0) return out;
  const columns = await store.modelColumns(request.project, request.model);
  const resolved = factors.map((f) => ({ spec: f, ...resolveFactor(f, columns) }));
  const base = { project: request.project, model: request.model, from: request.fromMs, to: request.toMs, window: request.window, ...(request.labelled ? { labelled: request.labelled } : {}) };
  let totals: Map<number, number> | null = null;
  for (const { spec, ref, filter } of resolved) {
    const values = new Map<number, number>();
    if (filter === undefined) {
      const rows = await store.aggregate({ ...base, where: request.where, measures: [{ op: 'mean', column: ref }] });
      for (const r of rows) if (r.values[0] !== null && r.values[0] !== undefined && Number.isFinite(r.values[0])) values.set(Date.parse(r.window!), r.values[0]);
    } else {
      if (totals === null) {
        const rows = await store.aggregate({ ...base, where: request.where, measures: [{ op: 'count' }] });
        totals = new Map(rows.map((r) => [Date.parse(r.window!), r.values[0] ?? 0]));
      }
      const rows = await store.aggregate({ ...base, where: [...request.where, filter], measures: [{ op: 'count' }] });
      const hits = new Map(rows.map((r) => [Date.parse(r.window!), r.values[0] ?? 0]));
      for (const [start, total] of totals) if (total > 0) values.set(start, (hits.get(start) ?? 0) / total);
    }
    out.set(spec.name, values);
  }
  return out;
}
