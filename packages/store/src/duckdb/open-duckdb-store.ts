import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import {
  OutlayError,
  ProjectConfig,
  fixedColumnNames,
  timestampMs,
  toPredictionColumns,
  type CostRecord,
  type PredictionColumns,
  type Label,
  type ModelStats,
  type ModelSummary,
  type Prediction,
  type RevenueRecord,
} from '@outlay/schema';
import type {
  AggregateQuery,
  AggregateRow,
  ColumnSample,
  CostLedgerRow,
  LedgerQuery,
  RevenueLedgerRow,
  ColumnInfo,
  ColumnRef,
  Histogram,
  HistogramQuery,
  Selection,
  Store,
  StoredKey,
  StoredPrediction,
  ValueType,
  WriteResult,
} from '../store.js';
import { bucketingSql, checkBucketing } from '../store.js';
import { appendChunks, appendWith, type ChunkColumn } from './append-chunk.js';
import { appendPredictionColumns, type ColumnFill } from './append-prediction-columns.js';
import { addColumn, Catalog, columnKey, sqlType, stagingTable, typeBit, type DynamicSource, type ModelEntry } from './catalog.js';
import { labelColumns, labelColumnsVersion, migrations, orphanLabelsSql, predictionTableSql } from './migrations.js';
import { columnSql, measureSql, selectionSql, SqlBuilder, windowKeySql, windowStartMsSql } from './selection-sql.js';
import { WriteQueue, type WriteJob } from './write-queue.js';

export interface DuckDbStoreOptions {
  /** Rows waiting to be written before writers get 429 (default 100,000). */
  maxPendingRows?: number;
  /** Rows committed together (default 20,000). */
  maxGroupRows?: number;
  /** DuckDB settings, e.g. `{threads: '2', memory_limit: '2GB'}`. */
  settings?: Record<string, string>;
  /** Connections that write (default 2: one group is appended while another commits). */
  writeConnections?: number;
}

interface PredictionJob extends WriteJob<WriteResult> {
  project: string;
  batches: PredictionColumns[];
}

const fixedStagingColumns: { name: string; type: ValueType }[] = [
  { name: 'id', type: 'string' },
  { name: 'ts_ms', type: 'number' },
  ...fixedColumnNames.map((name) => ({ name, type: (name === 'model_version' || name === 'prediction_str' || name === 'customer' ? 'string' : 'number') as ValueType })),
];

const hasAny = (present: Uint8Array): boolean => present.some((p) => p === 1);

const labelNum = (label: Label['label']): number | null =>
  typeof label === 'number' ? label : typeof label === 'boolean' ? Number(label) : null;
const labelStr = (label: Label['label']): string | null =>
  typeof label === 'string' ? label : typeof label === 'boolean' ? String(label) : null;

/** A write of labels: the batch travels with the job so that queued batches can be applied together. */
interface LabelJob extends WriteJob<WriteResult> {
  labels: Label[];
}

/** Copies labels in force (`source`: rows with id, label_json, label_num, label_str, source) beside a model's predictions. */
const copyLabelsSql = (table: string, source: string, ts: string): string =>
  `UPDATE ${table} p SET label_json = l.label_json, label_num = l.label_num, label_str = l.label_str, label_ts = ${ts}, label_source = l.source
   FROM ${source} l WHERE l.id = p.id`;

/** A row `latest_labels` took: id, label_json, label_num, label_str, epoch ms, source. */
type LabelInForce = [string, string, number | null, string | null, number, string];

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
// sampleColumns keeps a row when hash(id) modulo this prime falls under a cut.
const SAMPLE_HASH_MODULUS = 1_000_003;
/** DuckDB values as JSON-able scalars: BIGINT arrives as bigint, DECIMAL as its own object. */
const toPlainValue = (value: unknown): number | string | boolean | null =>
  value === null || value === undefined ? null : typeof value === 'bigint' ? Number(value) : typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean' ? value : String(value);

const ledgerUnit = (period: LedgerQuery['period']): 'day' | 'month' => {
  if (period !== 'day' && period !== 'month') throw new OutlayError('invalid_input', `period: expected "day" or "month", got ${JSON.stringify(period)}`);
  return period;
};

/** `project = $1` and the `[from, to)` bounds on a ledger's start column, as SQL with parameters. */
function ledgerWhere(query: LedgerQuery, column: string): { where: string; params: (string | number)[] } {
  const params: (string | number)[] = [query.project];
  const parts = ['project = $1'];
  for (const [name, value, op] of [['from', query.from, '>='], ['to', query.to, '<']] as const) {
    if (value === undefined) continue;
    const ms = typeof value === 'number' ? value : Date.parse(value);
    if (!Number.isFinite(ms)) throw new OutlayError('invalid_input', `${name}: expected epoch milliseconds or an ISO 8601 time, got ${JSON.stringify(value)}`);
    params.push(Math.trunc(ms));
    parts.push(`${column} ${op} make_timestamp($${params.length}::BIGINT * 1000)`);
  }
  return { where: parts.join(' AND '), params };
}

/**
 * The ledger rows a query reads, each with the period it counts in (`p`) and its weight there (`w`). Per month a
 * record counts whole in the month it starts; per day it is spread over the days it covers in proportion to
 * time (a month's invoice is a thirtieth of it on each day, not all of it on the 1st), and the range keeps the
 * days that overlap it.
 */
function ledgerRows(query: LedgerQuery, table: string, start: string, end: string): { sql: string; params: (string | number)[] } {
  if (query.period !== 'day') {
    const { where, params } = ledgerWhere(query, start);
    return { sql: `SELECT *, date_trunc('${ledgerUnit(query.period)}', ${start}) AS p, 1.0::DOUBLE AS w FROM ${table} WHERE ${where}`, params };
  }
  const { where, params } = ledgerWhere({ ...query, from: undefined, to: undefined }, start);
  const days: string[] = [];
  for (const [name, value] of [['from', query.from], ['to', query.to]] as const) {
    if (value === undefined) continue;
    const ms = typeof value === 'number' ? value : Date.parse(value);
    if (!Number.isFinite(ms)) throw new OutlayError('invalid_input', `${name}: expected epoch milliseconds or an ISO 8601 time, got ${JSON.stringify(value)}`);
    params.push(Math.trunc(ms));
    const at = `make_timestamp($${params.length}::BIGINT * 1000)`;
    days.push(name === 'from' ? `p + INTERVAL 1 DAY > ${at}` : `p < ${at}`);
  }
  const span = `(epoch_ms(${end}) - epoch_ms(${start}))`;
  const sql = `SELECT * FROM (
      SELECT *, CASE WHEN ${end} > ${start}
        THEN (epoch_ms(least(${end}, p + INTERVAL 1 DAY)) - epoch_ms(greatest(${start}, p)))::DOUBLE / ${span} ELSE 1.0 END AS w
      FROM (SELECT *, unnest(generate_series(date_trunc('day', ${start}), greatest(${start}, ${end} - INTERVAL 1 MICROSECOND), INTERVAL 1 DAY)) AS p
            FROM ${table} WHERE ${where}))${days.length ? ` WHERE ${days.join(' AND ')}` : ''}`;
  return { sql, params };
}

/** Opens (creating if needed) the embedded store in one DuckDB file; call `migrate()` before use. */
export async function openDuckDbStore(path: string, options: DuckDbStoreOptions = {}): Promise<DuckDbStore> {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  // A checkpoint rewrites table data; DuckDB's 16 MB default made one every few ingest batches (measured: 89k vs
  // 112k rows/s store-only at 256 MB). The cost is a longer WAL replay after a crash.
  const instance = await DuckDBInstance.create(path, { checkpoint_threshold: '256MB', ...options.settings });
  const writers = await Promise.all(Array.from({ length: Math.max(1, options.writeConnections ?? 2) }, () => instance.connect()));
  const reader = await instance.connect();
  return new DuckDbStore(instance, writers, reader, options);
}

export class DuckDbStore implements Store {
  readonly kind = 'duckdb' as const;
  private readonly catalog = new Catalog();
  private readonly queue: WriteQueue;
  /** Temporary staging tables live per connection: which ones each writer has made. */
  private readonly stagedTables = new WeakMap<DuckDBConnection, Set<string>>();
  private readonly writer: DuckDBConnection;
  private closed = false;
  /** Bumped after every prediction or label write: what the cached model stats are checked against. */
  private generation = 0;
  private readonly statsCache = new Map<string, { generation: number; stats: ModelStats }>();
  /**
   * Per project, ids of labels in force whose prediction had not arrived when the label did (`orphan_labels`).
   * A superset of the table (an adopted id stays until the next open): a prediction write checks its ids here
   * in memory, so the usual order (prediction first) costs nothing.
   */
  private readonly orphans = new Map<string, Set<string>>();

  constructor(
    private readonly instance: DuckDBInstance,
    private readonly writers: DuckDBConnection[],
    private readonly reader: DuckDBConnection,
    options: DuckDbStoreOptions,
  ) {
    this.writer = writers[0]!;
    this.queue = new WriteQueue(writers, {
      maxPendingRows: options.maxPendingRows ?? 100_000,
      maxGroupRows: options.maxGroupRows ?? 20_000,
    });
  }

  async migrate(): Promise<number> {
    await this.writer.run('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMP NOT NULL)');
    const applied = new Set(
      (await this.writer.runAndReadAll('SELECT version FROM schema_migrations')).getRowsJS().map((r) => Number(r[0])),
    );
    let count = 0;
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      await this.writer.run('BEGIN TRANSACTION');
      try {
        for (const statement of migration.sql) await this.writer.run(statement);
        await this.writer.run('INSERT INTO schema_migrations VALUES ($1, current_timestamp)', [migration.version]);
        await this.writer.run('COMMIT');
      } catch (error) {
        await this.writer.run('ROLLBACK');
        throw new OutlayError('internal', `migration ${migration.version} (${migration.description}) failed`, { cause: error });
      }
      count++;
    }
    await this.catalog.load(this.writer);
    if (!applied.has(labelColumnsVersion)) {
      await this.addLabelColumns();
      count++;
    }
    await this.loadOrphans();
    return count;
  }

  /** Migration 2: label columns on every model table made before them, filled from `latest_labels`; orphans recorded. */
  private async addLabelColumns(): Promise<void> {
    await this.inTransaction(this.writer, async () => {
      await this.writer.run(orphanLabelsSql);
      const projects = new Set<string>();
      for (const entry of this.catalog.all()) {
        projects.add(entry.project);
        const existing = new Set(
          (await this.writer.runAndReadAll(`SELECT column_name FROM duckdb_columns() WHERE schema_name = 'main' AND table_name = $1`, [entry.table]))
            .getRowsJS().map((r) => r[0] as string),
        );
        for (const c of labelColumns) if (!existing.has(c.name)) await this.writer.run(`ALTER TABLE ${entry.table} ADD COLUMN ${c.name} ${c.type}`);
        await this.writer.run(
          copyLabelsSql(entry.table, '(SELECT * FROM latest_labels WHERE project = $1)', 'l.ts'),
          [entry.project],
        );
      }
      const tables = (project: string) => this.catalog.list(project).map((e) => `SELECT id FROM ${e.table}`);
      for (const project of projects) {
        await this.writer.run(
          `INSERT OR IGNORE INTO orphan_labels SELECT project, id FROM latest_labels WHERE project = $1 AND id NOT IN (${tables(project).join(' UNION ALL ')})`,
          [project],
        );
      }
      // A project with labels and no model yet: every label is an orphan.
      await this.writer.run(
        `INSERT OR IGNORE INTO orphan_labels SELECT project, id FROM latest_labels WHERE project NOT IN (SELECT DISTINCT project FROM models)`,
      );
      await this.writer.run('INSERT INTO schema_migrations VALUES ($1, current_timestamp)', [labelColumnsVersion]);
    });
    await this.catalog.load(this.writer);
  }

  private async loadOrphans(): Promise<void> {
    this.orphans.clear();
    const rows = (await this.writer.runAndReadAll('SELECT project, id FROM orphan_labels')).getRowsJS() as [string, string][];
    for (const [project, id] of rows) this.orphanSet(project).add(id);
  }

  private orphanSet(project: string): Set<string> {
    let set = this.orphans.get(project);
    if (!set) this.orphans.set(project, (set = new Set()));
    return set;
  }

  /**
   * Gives predictions just written the labels that arrived before them: the ids of `ids` that are orphans get
   * their row of `latest_labels` copied beside them, in the same transaction as the append.
   */
  private async adoptOrphans(connection: DuckDBConnection, entry: ModelEntry, ids: Iterable<string>): Promise<void> {
    const orphans = this.orphans.get(entry.project);
    if (!orphans || orphans.size === 0) return;
    const found: string[] = [];
    for (const id of ids) if (orphans.has(id)) found.push(id);
    if (found.length === 0) return;
    await this.ensureStaged(connection, 'stage_adopt', 'CREATE TEMP TABLE IF NOT EXISTS stage_adopt (id VARCHAR)');
    await appendChunks(connection, { name: 'stage_adopt', schema: 'main', catalog: 'temp' }, [{ type: 'string', read: (id: string) => id }], found);
    await connection.run(
      copyLabelsSql(entry.table, '(SELECT l.* FROM latest_labels l JOIN temp.main.stage_adopt s ON l.id = s.id WHERE l.project = $1)', 'l.ts'),
      [entry.project],
    );
    await connection.run('DELETE FROM orphan_labels WHERE project = $1 AND id IN (SELECT id FROM temp.main.stage_adopt)', [entry.project]);
    await connection.run('DELETE FROM temp.main.stage_adopt');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.close();
    // A checkpoint folds the WAL into the database file so the next open need not replay it. If it fails the
    // WAL still holds every committed write and the next open replays it, so closing goes on.
    await this.writer.run('CHECKPOINT');
    for (const writer of this.writers) writer.closeSync();
    this.reader.closeSync();
    this.instance.closeSync();
  }

  pendingRows(): number {
    return this.queue.pendingRows();
  }

  // ---- writes ----

  insertPredictions(project: string, rows: Prediction[]): Promise<WriteResult> {
    return this.insertPredictionColumns(project, toPredictionColumns(rows));
  }

  insertPredictionColumns(project: string, batches: PredictionColumns[]): Promise<WriteResult> {
    const job: PredictionJob = {
      rows: batches.reduce((sum, b) => sum + b.length, 0),
      project,
      batches,
      exclusive: () => batches.some((batch) => this.missingColumns(project, batch) !== null),
      prepare: async (connection) => {
        for (const batch of batches) await this.ensureModelColumns(connection, project, batch);
      },
      apply: (connection) => this.writeWithDuplicates(connection, job),
      together: {
        key: `predictions\u0000${project}`,
        apply: (connection, jobs) => this.appendPredictionJobs(connection, jobs as PredictionJob[]),
      },
    };
    return this.written(this.queue.enqueue(job));
  }

  /** Counts a finished write (or a failed one: it may have been the commit that failed after work was done). */
  private written<T>(write: Promise<T>): Promise<T> {
    return write.finally(() => {
      this.generation++;
    });
  }

  /**
   * The fast path for several batches of one project: one direct append per model into its table. Within the
   * batches the first row with an id wins. An id the table already has makes the append fail (its primary key),
   * and the write queue then retries each batch alone through `writeWithDuplicates`.
   */
  private async appendPredictionJobs(connection: DuckDBConnection, jobs: PredictionJob[]): Promise<WriteResult[]> {
    const seen = new Set<string>();
    const owned = jobs.map(() => 0);
    const byModel = new Map<string, { batch: PredictionColumns; keep: Uint8Array | null }[]>();
    jobs.forEach((job, j) => {
      for (const batch of job.batches) {
        let keep: Uint8Array | null = null;
        batch.ids.forEach((id, i) => {
          if (seen.has(id)) (keep ??= new Uint8Array(batch.length).fill(1))[i] = 0;
          else {
            seen.add(id);
            owned[j]!++;
          }
        });
        const list = byModel.get(batch.model);
        if (list) list.push({ batch, keep });
        else byModel.set(batch.model, [{ batch, keep }]);
      }
    });
    const receivedMs = Date.now();
    for (const [model, parts] of byModel) {
      const entry = this.catalog.get(jobs[0]!.project, model)!;
      const layout = this.tableLayout(entry, 'table');
      await appendWith(connection, { name: entry.table }, (appender) => {
        for (const { batch, keep } of parts) appendPredictionColumns(appender, layout, batch, keep, receivedMs);
      });
      await this.adoptOrphans(connection, entry, parts.flatMap(({ batch }) => batch.ids));
    }
    // Repeats inside the batches count as duplicates.
    return jobs.map((job, j) => ({ accepted: owned[j]!, duplicates: job.rows - owned[j]! }));
  }

  /** One batch that may repeat stored ids: staged, then moved with INSERT OR IGNORE, which skips the repeats. */
  private async writeWithDuplicates(connection: DuckDBConnection, job: PredictionJob): Promise<WriteResult> {
    let accepted = 0;
    for (const batch of job.batches) {
      const entry = this.catalog.get(job.project, batch.model)!;
      accepted += await this.writeModelRows(connection, entry, batch);
    }
    return { accepted, duplicates: job.rows - accepted };
  }

  /** How each column of the model's table (or its staging table) is filled from a batch, in physical order. */
  private tableLayout(entry: ModelEntry, target: 'table' | 'staging'): ColumnFill[] {
    const fixed: ColumnFill[] = fixedColumnNames.map((name) => ({
      kind: 'column' as const,
      type: fixedStagingColumns.find((c) => c.name === name)!.type,
      pick: (batch: PredictionColumns) => batch.fixed[name],
    }));
    const dynamic: ColumnFill[] = entry.order.map((c) => ({
      kind: 'column' as const,
      type: c.type,
      pick: (batch: PredictionColumns) => batch.dynamic.find((d) => d.source === c.source && d.name === c.name && d.type === c.type),
    }));
    const labels: ColumnFill[] = labelColumns.map((c) => ({ kind: 'null' as const, type: c.type }));
    return target === 'table'
      ? [
        { kind: 'ids' },
        { kind: 'timestamp', from: 'prediction' },
        ...fixed,
        { kind: 'timestamp', from: 'received' },
        ...dynamic.slice(0, entry.labelAt),
        ...labels,
        ...dynamic.slice(entry.labelAt),
      ]
      : [{ kind: 'ids' }, { kind: 'timestamp_ms' }, ...fixed, ...dynamic];
  }

  insertLabels(project: string, rows: Label[]): Promise<WriteResult> {
    const job: LabelJob = {
      rows: rows.length,
      labels: rows,
      // Alone, so that every prediction committed before it is visible and none commits during it: a label either
      // finds its prediction here or is recorded as an orphan that the prediction's later write adopts.
      exclusive: () => true,
      prepare: (connection) => this.ensureStaged(connection, 'stage_labels', `CREATE TEMP TABLE IF NOT EXISTS stage_labels (
          id VARCHAR, label_json VARCHAR, label_num DOUBLE, label_str VARCHAR, ts_ms DOUBLE, source VARCHAR, arrival DOUBLE)`),
      apply: async (connection) => {
        const { result, changed } = await this.recordLabels(connection, project, rows);
        await this.copyLabelsBeside(connection, project, changed);
        return result;
      },
      // Label batches queued together share one pass over the prediction tables (a scan of their ids each): the
      // last label in force per id is copied.
      together: {
        key: `labels\u0000${project}`,
        apply: async (connection, jobs) => {
          const results: WriteResult[] = [];
          const changed = new Map<string, LabelInForce>();
          for (const queued of jobs as LabelJob[]) {
            const recorded = await this.recordLabels(connection, project, queued.labels);
            results.push(recorded.result);
            for (const label of recorded.changed) changed.set(label[0], label);
          }
          await this.copyLabelsBeside(connection, project, [...changed.values()]);
          return results;
        },
      },
    };
    return this.written(this.queue.enqueue(job));
  }

  /** Stores a batch of labels and updates `latest_labels`; returns the counts and the rows it took as in force. */
  private async recordLabels(connection: DuckDBConnection, project: string, rows: Label[]): Promise<{ result: WriteResult; changed: LabelInForce[] }> {
    const arrival = new Map(rows.map((row, i) => [row, i]));
    await appendChunks(
      connection,
      { name: 'stage_labels', schema: 'main', catalog: 'temp' },
      [
        { type: 'string', read: (r: Label) => r.id },
        { type: 'string', read: (r: Label) => JSON.stringify(r.label) },
        { type: 'number', read: (r: Label) => labelNum(r.label) },
        { type: 'string', read: (r: Label) => labelStr(r.label) },
        { type: 'number', read: (r: Label) => timestampMs(r.timestamp) },
        { type: 'string', read: (r: Label) => r.source ?? 'ground_truth' },
        { type: 'number', read: (r: Label) => arrival.get(r) },
      ] satisfies ChunkColumn<Label>[],
      rows,
    );
    const p = [project];
    // Within a batch the last row for a key wins, as if the rows had arrived one by one.
    const staged = `SELECT id, label_json, label_num, label_str, make_timestamp(CAST(ts_ms * 1000 AS BIGINT)) AS ts, source, arrival
      FROM stage_labels QUALIFY row_number() OVER (PARTITION BY id, source, ts_ms, label_json ORDER BY arrival DESC) = 1`;
    const inserted = await connection.run(
      `INSERT OR IGNORE INTO labels SELECT $1, id, label_json, label_num, label_str, ts, source, nextval('label_seq')
       FROM (${staged}) ORDER BY arrival`,
      p,
    );
    const changed = await connection.runAndReadAll(
      `INSERT INTO latest_labels
       SELECT $1, id, label_json, label_num, label_str, ts, source, nextval('label_seq') FROM (${staged})
       QUALIFY row_number() OVER (PARTITION BY id ORDER BY ts DESC, arrival DESC) = 1
       ON CONFLICT (project, id) DO UPDATE SET label_json = excluded.label_json, label_num = excluded.label_num,
         label_str = excluded.label_str, ts = excluded.ts, source = excluded.source, received_seq = excluded.received_seq
       WHERE excluded.ts >= latest_labels.ts
       RETURNING id, label_json, label_num, label_str, epoch_ms(ts)::DOUBLE, source`,
      p,
    );
    await connection.run('DELETE FROM stage_labels');
    return { result: { accepted: inserted.rowsChanged, duplicates: rows.length - inserted.rowsChanged }, changed: changed.getRowsJS() as LabelInForce[] };
  }

  /**
   * Copies the labels now in force (the rows `latest_labels` just took) beside their predictions in every model
   * table of the project; ids no table has yet become orphans, adopted when their prediction arrives.
   */
  private async copyLabelsBeside(connection: DuckDBConnection, project: string, labels: LabelInForce[]): Promise<void> {
    if (labels.length === 0) return;
    await this.ensureStaged(connection, 'stage_in_force', `CREATE TEMP TABLE IF NOT EXISTS stage_in_force (
        id VARCHAR, label_json VARCHAR, label_num DOUBLE, label_str VARCHAR, ts_ms DOUBLE, source VARCHAR)`);
    await appendChunks(connection, { name: 'stage_in_force', schema: 'main', catalog: 'temp' }, [
      { type: 'string', read: (r: LabelInForce) => r[0] },
      { type: 'string', read: (r: LabelInForce) => r[1] },
      { type: 'number', read: (r: LabelInForce) => r[2] },
      { type: 'string', read: (r: LabelInForce) => r[3] },
      { type: 'number', read: (r: LabelInForce) => r[4] },
      { type: 'string', read: (r: LabelInForce) => r[5] },
    ] satisfies ChunkColumn<LabelInForce>[], labels);
    const matched = new Set<string>();
    for (const entry of this.catalog.list(project)) {
      const updated = await connection.runAndReadAll(
        `${copyLabelsSql(entry.table, 'temp.main.stage_in_force', 'make_timestamp(CAST(l.ts_ms * 1000 AS BIGINT))')} RETURNING p.id`,
      );
      for (const [id] of updated.getRowsJS()) matched.add(id as string);
    }
    await connection.run('DELETE FROM temp.main.stage_in_force');
    const orphans = labels.map((l) => l[0]).filter((id) => !matched.has(id));
    if (orphans.length === 0) return;
    await this.ensureStaged(connection, 'stage_orphans', 'CREATE TEMP TABLE IF NOT EXISTS stage_orphans (id VARCHAR)');
    await appendChunks(connection, { name: 'stage_orphans', schema: 'main', catalog: 'temp' }, [{ type: 'string', read: (id: string) => id }], orphans);
    await connection.run('INSERT OR IGNORE INTO orphan_labels SELECT $1, id FROM temp.main.stage_orphans', [project]);
    await connection.run('DELETE FROM temp.main.stage_orphans');
    const set = this.orphanSet(project);
    for (const id of orphans) set.add(id);
  }

  insertCostRecords(project: string, rows: CostRecord[]): Promise<{ accepted: number }> {
    // Staged through a data chunk, then converted in one INSERT: a prepared INSERT per row took 0.7 s for the
    // 1,000-row FOCUS sample.
    const text = (read: (r: CostRecord) => unknown): ChunkColumn<CostRecord> => ({ type: 'string', read: (r) => read(r) ?? null });
    const number = (read: (r: CostRecord) => unknown): ChunkColumn<CostRecord> => ({ type: 'number', read: (r) => read(r) ?? null });
    const columns: [string, ChunkColumn<CostRecord>][] = [
      ['start_ms', number((r) => timestampMs(r.ChargePeriodStart))],
      ['end_ms', number((r) => timestampMs(r.ChargePeriodEnd))],
      ['billed_cost', number((r) => r.BilledCost)],
      ['effective_cost', number((r) => r.EffectiveCost)],
      ['currency', text((r) => r.BillingCurrency ?? 'USD')],
      ['provider', text((r) => r.ProviderName)],
      ['service', text((r) => r.ServiceName)],
      ['resource_id', text((r) => r.ResourceId)],
      ['sku_id', text((r) => r.SkuId)],
      ['pricing_category', text((r) => r.PricingCategory)],
      ['charge_category', text((r) => r.ChargeCategory)],
      ['tags', text((r) => (r.Tags ? JSON.stringify(r.Tags) : null))],
      ['x_category', text((r) => r.x_category)],
      ['x_model', text((r) => r.x_model)],
      ['x_customer', text((r) => r.x_customer)],
      ['x_variable_share', number((r) => r.x_variable_share)],
      ['record_json', text((r) => JSON.stringify(r))],
    ];
    return this.queue.enqueue({
      rows: rows.length,
      prepare: (connection) =>
        this.ensureStaged(connection, 'stage_costs', `CREATE TEMP TABLE IF NOT EXISTS stage_costs (${columns
          .map(([name, c]) => `${name} ${c.type === 'number' ? 'DOUBLE' : 'VARCHAR'}`).join(', ')})`),
      apply: async (connection) => {
        await appendChunks(connection, { name: 'stage_costs', schema: 'main', catalog: 'temp' }, columns.map(([, c]) => c), rows);
        const inserted = await connection.run(
          `INSERT INTO cost_records (project, charge_period_start, charge_period_end, billed_cost, effective_cost, currency,
             provider, service, resource_id, sku_id, pricing_category, charge_category, tags, x_category, x_model,
             x_customer, x_variable_share, record_json, received_at)
           SELECT $1, make_timestamp(CAST(start_ms * 1000 AS BIGINT)), make_timestamp(CAST(end_ms * 1000 AS BIGINT)),
             billed_cost, effective_cost, currency, provider, service, resource_id, sku_id, pricing_category,
             charge_category, tags, x_category, x_model, x_customer, x_variable_share, record_json, current_timestamp
           FROM stage_costs`,
          [project],
        );
        await connection.run('DELETE FROM stage_costs');
        return { accepted: inserted.rowsChanged };
      },
    });
  }

  insertRevenue(project: string, rows: RevenueRecord[]): Promise<{ accepted: number }> {
    return this.queue.enqueue({
      rows: rows.length,
      apply: async (connection) => {
        const statement = await connection.prepare(
          `INSERT INTO revenue (project, period_start, period_end, customer, amount, currency, received_at)
           VALUES ($1, epoch_ms($2::BIGINT), epoch_ms($3::BIGINT), $4, $5, $6, current_timestamp)`,
        );
        for (const r of rows) {
          statement.bind([project, Math.trunc(timestampMs(r.period_start)), Math.trunc(timestampMs(r.period_end)), r.customer, r.amount, r.currency ?? 'USD']);
          await statement.run();
        }
        return { accepted: rows.length };
      },
    });
  }

  private async ensureStaged(connection: DuckDBConnection, table: string, ddl: string): Promise<void> {
    let staged = this.stagedTables.get(connection);
    if (!staged) this.stagedTables.set(connection, (staged = new Set()));
    if (staged.has(table)) return;
    await connection.run(ddl);
    staged.add(table);
  }

  /** Creates the model's table and any column its rows carry that it lacks (outside the data transaction). */
  /** What the schema lacks for a batch: null when nothing (a new model lacks its table too). */
  private missingColumns(project: string, batch: PredictionColumns): { newModel: boolean; columns: { source: DynamicSource; name: string; type: ValueType; key: string }[] } | null {
    const entry = this.catalog.get(project, batch.model);
    const columns: { source: DynamicSource; name: string; type: ValueType; key: string }[] = [];
    for (const column of batch.dynamic) {
      const mask = entry?.types.get(column.source)?.get(column.name) ?? 0;
      // A column with no values says nothing of its type: it needs one only for a name never seen before.
      if (!hasAny(column.present) && (mask !== 0 || columns.some((m) => m.source === column.source && m.name === column.name))) continue;
      if ((mask & typeBit[column.type]) !== 0) continue;
      columns.push({ source: column.source, name: column.name, type: column.type, key: columnKey(column.source, column.name, column.type) });
    }
    return entry && columns.length === 0 ? null : { newModel: !entry, columns };
  }

  /**
   * Creates the model's table and any column the batch carries that it lacks. Runs outside the data
   * transaction, and (the write queue sees to it) while no other write is open.
   */
  private async ensureModelColumns(connection: DuckDBConnection, project: string, batch: PredictionColumns): Promise<void> {
    const missing = this.missingColumns(project, batch);
    if (!missing) return;
    let entry = this.catalog.get(project, batch.model);
    if (!entry) {
      const modelId = this.catalog.maxModelId() + 1;
      const table = `pred_${modelId}`;
      await this.inTransaction(connection, async () => {
        await connection.run(predictionTableSql(table));
        await connection.run('INSERT INTO models (model_id, project, name, table_name, created_at) VALUES ($1, $2, $3, $4, current_timestamp)', [modelId, project, batch.model, table]);
      });
      entry = { modelId, project, name: batch.model, table, stage: stagingTable(table), columns: new Map(), order: [], types: new Map(), labelAt: 0 };
      this.catalog.add(entry);
    }
    let next = entry.order.reduce((max, c) => Math.max(max, Number(c.column.slice(2))), 0);
    const added: ModelEntry['order'] = [];
    await this.inTransaction(connection, async () => {
      for (const m of missing.columns) {
        const column = `c_${++next}`;
        await connection.run(`ALTER TABLE ${entry.table} ADD COLUMN ${column} ${sqlType(m.type)}`);
        await connection.run('INSERT INTO model_columns VALUES ($1, $2, $3, $4, $5)', [entry.modelId, m.source, m.name, m.type, column]);
        added.push({ key: m.key, column, source: m.source, name: m.name, type: m.type });
      }
    });
    for (const a of added) addColumn(entry, a);
  }

  private async inTransaction(connection: DuckDBConnection, body: () => Promise<void>): Promise<void> {
    await connection.run('BEGIN TRANSACTION');
    try {
      await body();
      await connection.run('COMMIT');
    } catch (error) {
      await connection.run('ROLLBACK');
      throw error;
    }
  }


  /**
   * Appends rows to a staging table and moves the new ones into the model's table; returns how many were new.
   * The staging table is made afresh with the model's current columns: this path is the rare one (repeats).
   */
  private async writeModelRows(connection: DuckDBConnection, entry: ModelEntry, batch: PredictionColumns): Promise<number> {
    await connection.run(`CREATE OR REPLACE TEMP TABLE ${entry.stage} (${[
      ...fixedStagingColumns.map((c) => `${c.name} ${sqlType(c.type)}`),
      ...entry.order.map((c) => `${c.column} ${sqlType(c.type)}`),
    ].join(', ')})`);
    const layout = this.tableLayout(entry, 'staging');
    await appendWith(connection, { name: entry.stage, schema: 'main', catalog: 'temp' }, (appender) =>
      appendPredictionColumns(appender, layout, batch, null, 0),
    );
    const dynamic = entry.order.map((c) => c.column);
    const target = ['id', 'ts', 'model_version', 'prediction_num', 'prediction_str', 'score', 'interval_low', 'interval_high', 'latency_ms', 'customer', 'received_at', ...dynamic];
    const source = ['id', 'make_timestamp(CAST(ts_ms * 1000 AS BIGINT))', 'model_version', 'prediction_num', 'prediction_str', 'score', 'interval_low', 'interval_high', 'latency_ms', 'customer', 'current_timestamp', ...dynamic];
    // OR IGNORE also skips a repeat inside the batch (the first row wins), so rowsChanged counts the new ids.
    const result = await connection.run(
      `INSERT OR IGNORE INTO ${entry.table} (${target.join(', ')}) SELECT ${source.join(', ')} FROM temp.main.${entry.stage}`,
    );
    await connection.run(`DROP TABLE temp.main.${entry.stage}`);
    await this.adoptOrphans(connection, entry, batch.ids);
    return result.rowsChanged;
  }

  // ---- catalog and stats ----

  private model(project: string, model: string): ModelEntry {
    const entry = this.catalog.get(project, model);
    if (!entry) throw new OutlayError('not_found', `no model "${model}" in project "${project}"`, { details: { model } });
    return entry;
  }

  async listModels(project: string): Promise<ModelSummary[]> {
    const out: ModelSummary[] = [];
    for (const entry of this.catalog.list(project)) out.push({ model: entry.name, ...(await this.statsOf(entry)) });
    return out;
  }

  async modelStats(project: string, model: string): Promise<ModelStats | null> {
    const entry = this.catalog.get(project, model);
    return entry ? this.statsOf(entry) : null;
  }

  /** A model's counts, cached until the next write: the dashboard asks for them on every refresh. */
  private async statsOf(entry: ModelEntry): Promise<ModelStats> {
    // The generation is read before the query: a write that lands during it leaves the entry stale, not wrong.
    const generation = this.generation;
    const cached = this.statsCache.get(entry.table);
    if (cached && cached.generation === generation) return cached.stats;
    const stats = await this.queryStats(entry);
    this.statsCache.set(entry.table, { generation, stats });
    return stats;
  }

  private async queryStats(entry: ModelEntry): Promise<ModelStats> {
    const reader = await this.reader.runAndReadAll(
      `SELECT count(*)::DOUBLE, epoch_ms(min(ts))::DOUBLE, epoch_ms(max(ts))::DOUBLE, count(label_json)::DOUBLE FROM ${entry.table}`,
    );
    const [predictions, first, last, labels] = reader.getRowsJS()[0] as [number, number | null, number | null, number];
    return { predictions, labels, first_timestamp: iso(first), last_timestamp: iso(last) };
  }

  async modelColumns(project: string, model: string): Promise<ColumnInfo[]> {
    return this.model(project, model).order.map(({ source, name, type }) => ({ source, name, type }));
  }

  // ---- analytics, pushed down as SQL ----

  async aggregate(query: AggregateQuery): Promise<AggregateRow[]> {
    const entry = this.model(query.project, query.model);
    if (query.measures.length === 0) throw new OutlayError('invalid_input', 'an aggregate needs at least one measure');
    const sql = new SqlBuilder();
    const groups = (query.groupBy ?? []).map((ref) => columnSql(entry, ref));
    if (query.bucket) {
      checkBucketing(query.bucket);
      groups.push({ sql: bucketingSql(`CAST(${columnSql(entry, query.bucket.column).sql} AS DOUBLE)`, query.bucket, 'isnan', (e) => `${sql.param(e)}::DOUBLE`) });
    }
    const measures = query.measures.map((m) => measureSql(entry, m, sql));
    const select = [
      query.window ? `${windowKeySql(query.window)} AS w` : 'NULL AS w',
      ...groups.map((g, i) => `${g.sql} AS g${i}`),
      ...measures.map((m, i) => `${m.sql} AS m${i}`),
    ];
    const from = selectionSql(entry, query, sql);
    const keys = [...(query.window ? ['w'] : []), ...groups.map((_, i) => `g${i}`)];
    const groupBy = keys.length ? ` GROUP BY ${keys.join(', ')}` : '';
    const order = query.window
      ? ` ORDER BY w${groups.map((_, i) => `, g${i}`).join('')}`
      : groups.length
        ? ` ORDER BY count(*) DESC${groups.map((_, i) => `, g${i}`).join('')}`
        : '';
    const limit = query.limit !== undefined ? ` LIMIT ${sql.param(Math.max(0, Math.trunc(query.limit)))}` : '';
    const inner = `SELECT ${select.join(', ')} ${from}${groupBy}${order}${limit}`;
    // Grouped on the window's integer key; its start is computed on the few result rows.
    const text = query.window ? `SELECT ${windowStartMsSql('w', query.window)} AS w, * EXCLUDE (w) FROM (${inner}) ORDER BY 1${groups.map((_, i) => `, g${i}`).join('')}` : inner;
    const reader = await this.reader.runAndReadAll(text, sql.params);
    const named = groups.length - (query.bucket ? 1 : 0);
    return reader.getRowsJS().map((row) => ({
      window: iso(row[0] as number | null),
      group: row.slice(1, 1 + named) as (string | number | boolean | null)[],
      values: row.slice(1 + groups.length).map((v) => (v === null ? null : Number(v))),
      ...(query.bucket ? { bucket: row[groups.length] === null ? null : Number(row[groups.length]) } : {}),
    }));
  }

  async quantiles(query: Selection & { column: ColumnRef; qs: number[] }): Promise<(number | null)[]> {
    const entry = this.model(query.project, query.model);
    for (const q of query.qs) if (!(q >= 0 && q <= 1)) throw new OutlayError('invalid_input', `quantile q must lie in [0, 1], got ${q}`);
    if (query.qs.length === 0) return [];
    const sql = new SqlBuilder();
    const column = columnSql(entry, query.column);
    const qs = query.qs.map((q) => `quantile_cont(CAST(${column.sql} AS DOUBLE), ${sql.param(q)}::DOUBLE)`);
    const from = selectionSql(entry, query, sql);
    const row = (await this.reader.runAndReadAll(`SELECT ${qs.join(', ')} ${from}`, sql.params)).getRowsJS()[0]!;
    return row.map((v) => (v === null ? null : Number(v)));
  }

  async histogram(query: HistogramQuery): Promise<Histogram> {
    const entry = this.model(query.project, query.model);
    const column = columnSql(entry, query.column);
    const numeric = query.column.source === 'core'
      ? !['prediction_class', 'model_version', 'customer', 'label_class', 'label_source'].includes(query.column.name)
      : (query.column.type ?? (entry.columns.has(columnKey(query.column.source, query.column.name, 'number')) ? 'number' : 'string')) === 'number';
    if (!numeric) return this.categoricalHistogram(entry, query, column);
    let edges = query.edges;
    if (!edges) {
      const bins = query.bins ?? 20;
      if (!(Number.isInteger(bins) && bins >= 1 && bins <= 1000)) throw new OutlayError('invalid_input', `bins must be an integer in [1, 1000], got ${bins}`);
      const sql = new SqlBuilder();
      const from = selectionSql(entry, query, sql);
      const [min, max] = (await this.reader.runAndReadAll(`SELECT min(${column.sql})::DOUBLE, max(${column.sql})::DOUBLE ${from}`, sql.params)).getRowsJS()[0] as [number | null, number | null];
      if (min === null || max === null) edges = [0, 1];
      else {
        const width = max > min ? (max - min) / bins : 1;
        edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? Math.max(max, min + width * bins) : min + width * i));
      }
    }
    if (edges.length < 2 || edges.length > 1001 || edges.some((e, i) => !Number.isFinite(e) || (i > 0 && e <= edges![i - 1]!))) {
      throw new OutlayError('invalid_input', 'edges must be 2 to 1001 finite, strictly increasing numbers');
    }
    const sql = new SqlBuilder();
    const x = `CAST(${column.sql} AS DOUBLE)`;
    const last = edges.length - 2;
    // One scan, one filtered count per bucket; the last bucket includes its upper edge (as numpy does).
    const buckets = edges.slice(0, -1).map((lo, i) =>
      `count(*) FILTER (WHERE ${x} >= ${sql.param(lo)} AND ${x} ${i === last ? '<=' : '<'} ${sql.param(edges![i + 1]!)})::DOUBLE`,
    );
    const lo = sql.param(edges[0]!);
    const hi = sql.param(edges[edges.length - 1]!);
    const select = [
      ...buckets,
      `count(*) FILTER (WHERE ${x} < ${lo})::DOUBLE`,
      `count(*) FILTER (WHERE ${x} > ${hi})::DOUBLE`,
      `count(*) FILTER (WHERE ${column.sql} IS NULL OR isnan(${x}))::DOUBLE`,
      'count(*)::DOUBLE',
    ];
    const from = selectionSql(entry, query, sql);
    const row = (await this.reader.runAndReadAll(`SELECT ${select.join(', ')} ${from}`, sql.params)).getRowsJS()[0] as number[];
    const counts = row.slice(0, buckets.length);
    const [below, above, missing, total] = row.slice(buckets.length) as [number, number, number, number];
    return { kind: 'numeric', edges, counts, below, above, missing, total };
  }

  private async categoricalHistogram(entry: ModelEntry, query: HistogramQuery, column: { sql: string }): Promise<Histogram> {
    const top = query.top ?? 50;
    const sql = new SqlBuilder();
    const from = selectionSql(entry, query, sql);
    const reader = await this.reader.runAndReadAll(
      `SELECT CAST(${column.sql} AS VARCHAR) AS v, count(*)::DOUBLE AS n ${from} GROUP BY v ORDER BY v IS NULL, n DESC, v`,
      sql.params,
    );
    let missing = 0;
    let total = 0;
    let other = 0;
    const values: { value: string; count: number }[] = [];
    for (const [value, count] of reader.getRowsJS() as [string | null, number][]) {
      total += count;
      if (value === null) missing += count;
      else if (values.length < top) values.push({ value, count });
      else other += count;
    }
    return { kind: 'categorical', values, other, missing, total };
  }

  async sampleColumns(query: Selection & { columns: ColumnRef[]; maxRows: number }): Promise<ColumnSample> {
    const entry = this.model(query.project, query.model);
    if (!(Number.isInteger(query.maxRows) && query.maxRows >= 1)) throw new OutlayError('invalid_input', `maxRows must be an integer ≥ 1, got ${query.maxRows}`);
    const columns = query.columns.map((ref) => columnSql(entry, ref));
    const counted = new SqlBuilder();
    const total = Number((await this.reader.runAndReadAll(`SELECT count(*)::DOUBLE ${selectionSql(entry, query, counted)}`, counted.params)).getRowsJS()[0]![0]);
    const sql = new SqlBuilder();
    const from = selectionSql(entry, query, sql);
    // Keep a row when a hash of its id falls under a cut: the same rows on every call, any number of threads.
    const cut = Math.floor(((0.98 * query.maxRows) / Math.max(total, 1)) * SAMPLE_HASH_MODULUS);
    const sample = total > query.maxRows ? `${from.includes(' WHERE ') ? ' AND' : ' WHERE'} hash(p.id) % ${SAMPLE_HASH_MODULUS} < ${cut}` : '';
    const select = columns.length === 0 ? '1' : columns.map((c) => c.sql).join(', ');
    // In time order: what reads the sample in chunks (the PCA thresholds) must not depend on how batches were committed.
    const rows = (await this.reader.runAndReadAll(`SELECT ${select} ${from}${sample} ORDER BY p.ts, p.id LIMIT ${sql.param(query.maxRows)}`, sql.params)).getRowsJS();
    const values = columns.map((_, j) => rows.map((row) => toPlainValue(row[j])));
    return { rows: rows.length, total, values };
  }

  async *scanPredictions(query: Selection & { batchSize?: number; limit?: number }): AsyncIterable<StoredPrediction[]> {
    const entry = this.model(query.project, query.model);
    const batchSize = Math.max(1, Math.min(query.batchSize ?? 5000, 100_000));
    let remaining = query.limit ?? Number.POSITIVE_INFINITY;
    let after: { ts: number; id: string } | null = null;
    const dynamic = entry.order.map((c) => `p.${c.column}`);
    while (remaining > 0) {
      const sql = new SqlBuilder();
      const from = selectionSql(entry, query, sql);
      const keyset = after
        ? `${from.includes(' WHERE ') ? ' AND' : ' WHERE'} (epoch_ms(p.ts), p.id) > (${sql.param(after.ts)}::BIGINT, ${sql.param(after.id)})`
        : '';
      const size = Math.min(batchSize, remaining);
      const reader = await this.reader.runAndReadAll(
        `SELECT p.id, epoch_ms(p.ts)::DOUBLE, p.model_version, p.prediction_num, p.prediction_str, p.score, p.interval_low,
           p.interval_high, p.latency_ms, p.customer, p.label_json, epoch_ms(p.label_ts)::DOUBLE, p.label_source${dynamic.map((d) => `, ${d}`).join('')}
         ${from}${keyset} ORDER BY epoch_ms(p.ts), p.id LIMIT ${sql.param(size)}`,
        sql.params,
      );
      const rows = reader.getRowsJS();
      if (rows.length === 0) return;
      yield rows.map((row) => this.toStoredPrediction(entry, row));
      const last = rows[rows.length - 1]!;
      after = { ts: last[1] as number, id: last[0] as string };
      remaining -= rows.length;
      if (rows.length < size) return;
    }
  }

  private toStoredPrediction(entry: ModelEntry, row: unknown[]): StoredPrediction {
    const [id, ts, version, predNum, predStr, score, low, high, latency, customer, labelJson, labelTs, labelSource] = row as [
      string, number, string | null, number | null, string | null, number | null, number | null, number | null, number | null, string | null, string | null, number | null, string | null,
    ];
    const out: StoredPrediction = {
      id,
      model: entry.name,
      timestamp: new Date(ts).toISOString(),
      features: {},
      prediction: predStr !== null && predNum === null ? predStr : predStr === 'true' || predStr === 'false' ? predStr === 'true' : (predNum ?? 0),
    };
    if (version !== null) out.model_version = version;
    if (score !== null) out.score = score;
    if (low !== null && high !== null) out.interval = [low, high];
    if (latency !== null) out.latency_ms = latency;
    if (customer !== null) out.customer = customer;
    entry.order.forEach((c, i) => {
      const value = row[13 + i] as string | number | boolean | null;
      const key = c.source === 'feature' ? 'features' : c.source === 'segment' ? 'segments' : c.source;
      const map = ((out as unknown as Record<string, Record<string, unknown>>)[key] ??= {});
      if (value !== null || !(c.name in map)) map[c.name] = value;
    });
    if (labelJson !== null) out.label = { label: JSON.parse(labelJson) as Label['label'], timestamp: new Date(labelTs!).toISOString(), source: labelSource as Label['source'] };
    return out;
  }

  async costTotals(project: string): Promise<{ rows: number; billed_cost: number; effective_cost: number }> {
    const [rows, billed, effective] = (await this.reader.runAndReadAll(
      'SELECT count(*)::DOUBLE, coalesce(sum(billed_cost), 0), coalesce(sum(coalesce(effective_cost, billed_cost)), 0) FROM cost_records WHERE project = $1',
      [project],
    )).getRowsJS()[0] as [number, number, number];
    return { rows, billed_cost: billed, effective_cost: effective };
  }

  async revenueTotals(project: string): Promise<{ rows: number; amount: number }> {
    const [rows, amount] = (await this.reader.runAndReadAll(
      'SELECT count(*)::DOUBLE, coalesce(sum(amount), 0) FROM revenue WHERE project = $1',
      [project],
    )).getRowsJS()[0] as [number, number];
    return { rows, amount };
  }

  async costLedger(query: LedgerQuery): Promise<CostLedgerRow[]> {
    const rows = ledgerRows(query, 'cost_records', 'charge_period_start', 'charge_period_end');
    const reader = await this.reader.runAndReadAll(
      `SELECT epoch_ms(p)::DOUBLE AS period, x_category, x_model, x_customer, provider, service, pricing_category, count(*)::DOUBLE,
         (sum(w * (epoch_ms(charge_period_end) - epoch_ms(charge_period_start))) / 1000)::DOUBLE, sum(w * billed_cost)::DOUBLE, sum(w * c)::DOUBLE,
         coalesce(sum(w * c * x_variable_share), 0)::DOUBLE, coalesce(sum(w * c) FILTER (WHERE x_variable_share IS NULL), 0)::DOUBLE
       FROM (SELECT *, coalesce(effective_cost, billed_cost) AS c FROM (${rows.sql}))
       GROUP BY ALL ORDER BY period, x_category NULLS LAST, x_model NULLS LAST, x_customer NULLS LAST, provider NULLS LAST,
         service NULLS LAST, pricing_category NULLS LAST`,
      rows.params,
    );
    return (reader.getRowsJS() as [number, string | null, string | null, string | null, string | null, string | null, string | null, number, number, number, number, number, number][]).map(
      ([period, category, model, customer, provider, service, pricing, records, seconds, billed, effective, declared, undeclared]) => ({
        period: iso(period)!, category, model, customer, provider, service, pricing_category: pricing, records, resource_seconds: seconds,
        billed_cost: billed, effective_cost: effective, declared_variable_effective_cost: declared, undeclared_share_effective_cost: undeclared,
      }),
    );
  }

  async revenueLedger(query: LedgerQuery): Promise<RevenueLedgerRow[]> {
    const rows = ledgerRows(query, 'revenue', 'period_start', 'period_end');
    const reader = await this.reader.runAndReadAll(
      `SELECT epoch_ms(p)::DOUBLE AS period, customer, sum(w * amount)::DOUBLE FROM (${rows.sql}) GROUP BY ALL ORDER BY period, customer`,
      rows.params,
    );
    return (reader.getRowsJS() as [number, string, number][]).map(([period, customer, amount]) => ({ period: iso(period)!, customer, amount }));
  }

  // ---- keys, config, meta ----

  createKey(key: StoredKey): Promise<void> {
    return this.queue.enqueue({
      rows: 1,
      apply: async (connection) => {
        await connection.run(
          'INSERT INTO api_keys VALUES ($1, $2, $3, $4, $5, $6, $7::TIMESTAMP, NULL)',
          [key.id, key.project, key.role, key.name, key.prefix, key.hash, key.created_at],
        );
      },
    });
  }

  async findKey(id: string): Promise<StoredKey | null> {
    return (await this.keys('WHERE id = $1', [id]))[0] ?? null;
  }

  listKeys(project?: string): Promise<StoredKey[]> {
    return project === undefined ? this.keys('', []) : this.keys('WHERE project = $1', [project]);
  }

  private async keys(where: string, params: string[]): Promise<StoredKey[]> {
    const reader = await this.reader.runAndReadAll(
      `SELECT id, project, role, name, prefix, hash, epoch_ms(created_at)::DOUBLE, epoch_ms(revoked_at)::DOUBLE FROM api_keys ${where} ORDER BY created_at, id`,
      params,
    );
    return (reader.getRowsJS() as [string, string, StoredKey['role'], string | null, string, string, number, number | null][]).map(
      ([id, project, role, name, prefix, hash, created, revoked]) => ({
        id, project, role, name, prefix, hash, created_at: iso(created)!, revoked_at: iso(revoked),
      }),
    );
  }

  revokeKey(id: string): Promise<boolean> {
    return this.queue.enqueue({
      rows: 1,
      apply: async (connection) =>
        (await connection.run('UPDATE api_keys SET revoked_at = current_timestamp WHERE id = $1 AND revoked_at IS NULL', [id])).rowsChanged > 0,
    });
  }

  async getConfig(project: string): Promise<ProjectConfig | null> {
    const rows = (await this.reader.runAndReadAll('SELECT doc FROM configs WHERE project = $1', [project])).getRowsJS();
    return rows.length ? ProjectConfig.parse(JSON.parse(rows[0]![0] as string)) : null;
  }

  putConfig(project: string, config: ProjectConfig): Promise<void> {
    const doc = JSON.stringify(ProjectConfig.parse(config));
    return this.queue.enqueue({
      rows: 1,
      apply: async (connection) => {
        await connection.run('INSERT OR REPLACE INTO configs VALUES ($1, $2, current_timestamp)', [project, doc]);
      },
    });
  }

  async getMeta(key: string): Promise<string | null> {
    const rows = (await this.reader.runAndReadAll('SELECT value FROM meta WHERE key = $1', [key])).getRowsJS();
    return rows.length ? (rows[0]![0] as string) : null;
  }

  setMeta(key: string, value: string): Promise<void> {
    return this.queue.enqueue({
      rows: 1,
      apply: async (connection) => {
        await connection.run('INSERT OR REPLACE INTO meta VALUES ($1, $2)', [key, value]);
      },
    });
  }
}
