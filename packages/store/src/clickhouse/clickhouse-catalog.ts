import { createHash } from 'node:crypto';
import type { ColumnInfo, ValueType } from '../store.js';

export type DynamicSource = ColumnInfo['source'];

export interface ModelColumn {
  key: string;
  column: string;
  source: DynamicSource;
  name: string;
  type: ValueType;
}

export interface ClickHouseModel {
  project: string;
  name: string;
  table: string;
  /** `source\u0000name\u0000type` → physical column (`c_<hash>`). */
  columns: Map<string, string>;
  /** Columns in order of creation. */
  order: ModelColumn[];
  /** source → name → bit set of the types that have a column. */
  types: Map<DynamicSource, Map<string, number>>;
}

export const typeBit: Record<ValueType, number> = { number: 1, string: 2, boolean: 4 };

export const columnKey = (source: string, name: string, type: string): string => `${source}\u0000${name}\u0000${type}`;

export const columnType = (type: ValueType): string =>
  type === 'number' ? 'Nullable(Float64)' : type === 'string' ? 'Nullable(String)' : 'Nullable(UInt8)';

const hash16 = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 16);

/**
 * Physical names are hashes of what they name, not counters: two processes (or two Outlay servers) that see a
 * new model or feature at once derive the same name, so their DDL and catalog rows agree instead of racing.
 */
export const modelTableName = (project: string, model: string): string => `pred_${hash16(`${project}\u0000${model}`)}`;
export const physicalColumnName = (source: string, name: string, type: string): string => `c_${hash16(columnKey(source, name, type))}`;

export function newModel(project: string, name: string, table: string): ClickHouseModel {
  return { project, name, table, columns: new Map(), order: [], types: new Map() };
}

export function addColumn(entry: ClickHouseModel, column: ModelColumn): void {
  if (entry.columns.has(column.key)) return;
  entry.columns.set(column.key, column.column);
  entry.order.push(column);
  let names = entry.types.get(column.source);
  if (!names) entry.types.set(column.source, (names = new Map()));
  names.set(column.name, (names.get(column.name) ?? 0) | typeBit[column.type]);
}

/** The in-memory copy of `models` and `model_columns`, reloaded when another process may have added to them. */
export class ClickHouseCatalog {
  private byProject = new Map<string, Map<string, ClickHouseModel>>();

  replace(models: { project: string; name: string; table: string }[], columns: (Omit<ModelColumn, 'key'> & { project: string; model: string })[]): void {
    this.byProject = new Map();
    for (const m of models) this.add(newModel(m.project, m.name, m.table));
    for (const c of columns) {
      const entry = this.get(c.project, c.model);
      if (entry) addColumn(entry, { key: columnKey(c.source, c.name, c.type), column: c.column, source: c.source, name: c.name, type: c.type });
    }
  }

  get(project: string, name: string): ClickHouseModel | undefined {
    return this.byProject.get(project)?.get(name);
  }

  list(project: string): ClickHouseModel[] {
    return [...(this.byProject.get(project)?.values() ?? [])].sort((a, b) => a.name.localeCompare(b.name));
  }

  add(entry: ClickHouseModel): void {
    let models = this.byProject.get(entry.project);
    if (!models) this.byProject.set(entry.project, (models = new Map()));
    models.set(entry.name, entry);
  }
}
