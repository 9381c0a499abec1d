import type { DuckDBConnection } from '@duckdb/node-api';
import type { ColumnInfo, ValueType } from '../store.js';

export type DynamicSource = ColumnInfo['source'];

export interface ModelEntry {
  modelId: number;
  project: string;
  name: string;
  table: string;
  stage: string;
  /** `source\u0000name\u0000type` → physical column name (`c_12`). */
  columns: Map<string, string>;
  /** Physical columns in creation order, as in the staging table. */
  order: { key: string; column: string; source: DynamicSource; name: string; type: ValueType }[];
  /** source → name → bit set of the types that have a column: the per-row check on the ingest path, without building strings. */
  types: Map<DynamicSource, Map<string, number>>;
  /**
   * How many dynamic columns sit physically before the label columns: 0 for a table made with them, more for a
   * table that had columns when the label columns were added (appends fill columns in physical order).
   */
  labelAt: number;
}

export const typeBit: Record<ValueType, number> = { number: 1, string: 2, boolean: 4 };

/** Records a column in the entry's lookups. */
export function addColumn(entry: ModelEntry, column: ModelEntry['order'][number]): void {
  entry.columns.set(column.key, column.column);
  entry.order.push(column);
  let names = entry.types.get(column.source);
  if (!names) entry.types.set(column.source, (names = new Map()));
  names.set(column.name, (names.get(column.name) ?? 0) | typeBit[column.type]);
}

export const columnKey = (source: string, name: string, type: string): string => `${source}\u0000${name}\u0000${type}`;

export const sqlType = (type: ValueType): string => (type === 'number' ? 'DOUBLE' : type === 'string' ? 'VARCHAR' : 'BOOLEAN');

/** The in-memory copy of `models` and `model_columns`; only the write connection changes them. */
export class Catalog {
  private byProject = new Map<string, Map<string, ModelEntry>>();

  async load(connection: DuckDBConnection): Promise<void> {
    const models = await connection.runAndReadAll(
      'SELECT model_id, project, name, table_name FROM models ORDER BY model_id',
    );
    const columns = await connection.runAndReadAll(
      'SELECT model_id, source, name, type, column_name FROM model_columns ORDER BY model_id, column_name',
    );
    const byId = new Map<number, ModelEntry>();
    this.byProject = new Map();
    const labelPositions = new Map(
      ((await connection.runAndReadAll(
        `SELECT table_name, (SELECT count(*) FROM duckdb_columns() d WHERE d.table_name = c.table_name AND d.schema_name = 'main'
           AND d.column_name LIKE 'c\\_%' ESCAPE '\\' AND d.column_index < c.column_index)::INTEGER
         FROM duckdb_columns() c WHERE c.schema_name = 'main' AND c.column_name = 'label_json' AND c.table_name LIKE 'pred\\_%' ESCAPE '\\'`,
      )).getRowsJS() as [string, number][]),
    );
    for (const [modelId, project, name, table] of models.getRowsJS() as [number, string, string, string][]) {
      const entry: ModelEntry = { modelId, project, name, table, stage: stagingTable(table), columns: new Map(), order: [], types: new Map(), labelAt: labelPositions.get(table) ?? 0 };
      byId.set(modelId, entry);
      this.projectModels(project).set(name, entry);
    }
    const rows = columns.getRowsJS() as [number, DynamicSource, string, ValueType, string][];
    rows.sort((a, b) => columnNumber(a[4]) - columnNumber(b[4]));
    for (const [modelId, source, name, type, column] of rows) {
      const entry = byId.get(modelId);
      if (!entry) continue;
      addColumn(entry, { key: columnKey(source, name, type), column, source, name, type });
    }
  }

  get(project: string, name: string): ModelEntry | undefined {
    return this.byProject.get(project)?.get(name);
  }

  list(project: string): ModelEntry[] {
    return [...(this.byProject.get(project)?.values() ?? [])].sort((a, b) => a.name.localeCompare(b.name));
  }

  all(): ModelEntry[] {
    return [...this.byProject.values()].flatMap((models) => [...models.values()]);
  }

  add(entry: ModelEntry): void {
    this.projectModels(entry.project).set(entry.name, entry);
  }

  maxModelId(): number {
    let max = 0;
    for (const models of this.byProject.values()) for (const entry of models.values()) max = Math.max(max, entry.modelId);
    return max;
  }

  private projectModels(project: string): Map<string, ModelEntry> {
    let models = this.byProject.get(project);
    if (!models) {
      models = new Map();
      this.byProject.set(project, models);
    }
    return models;
  }
}

export const stagingTable = (table: string): string => `stage_${table}`;

const columnNumber = (column: string): number => Number(column.slice(2));
