import { ClickHouseError, ClickHouseLogLevel, createClient, type ClickHouseClient, type ClickHouseSettings } from '@clickhouse/client';
import {
  OutlayError,
  ProjectConfig,
  timestampMs,
  toPredictionColumns,
  type CostRecord,
  type Label,
  type ModelStats,
  type ModelSummary,
  type Prediction,
  type PredictionColumns,
  type RevenueRecord,
} from '@outlay/schema';
import type {
  AggregateQuery,
  AggregateRow,
  ColumnInfo,
  ColumnSample,
  ColumnRef,
  CostLedgerRow,
  Histogram,
  HistogramQuery,
  LedgerQuery,
  RevenueLedgerRow,
  Selection,
  Store,
  StoredKey,
  StoredPrediction,
  ValueType,
  WriteResult,
} from '../store.js';
import { bucketingSql, checkBucketing } from '../store.js';
import {
  addColumn,
  ClickHouseCatalog,
  columnKey,
  columnType,
  modelTableName,
  newModel,
  physicalColumnName,
  typeBit,
  type ClickHouseModel,
  type DynamicSource,
  type ModelColumn,
} from './clickhouse-catalog.js';
import { addColumnDdl, migrations, migrationsTableSql, predictionTable, tableDdl, type Topology } from './clickhouse-schema.js';
import {
  asText,
  columnSql,
  exactQuantileSql,
  measureSql,
  selectionSql,
  windowSql,
  type ColumnSql,
  type QuantileMethod,
  windowWhere,
  type SelectionOptions,
} from './clickhouse-selection-sql.js';
import { GroupWriter } from './group-writer.js';
import { KeyedLock } from './keyed-lock.js';
import { sqlIdentifier, sqlNumber, sqlString } from './sql-literal.js';

export interface ClickHouseStoreOptions {
  /** Rows waiting to be written before writers get 429 (default 100,000). */
  maxPendingRows?: number;
  /**
   * Run on a cluster: every table becomes `<name>_local` on each shard plus a `<name>` Distributed table, and
   * the DDL runs on each node in `nodes` (HTTP URLs; the store's own URL is added). `name` is the cluster of the
   * servers' `remote_servers`. Without ZooKeeper there is no ON CLUSTER DDL, hence the explicit node list.
   */
  cluster?: { name: string; nodes: string[] };
  /**
   * Read predictions with FINAL (default true). The insert-time duplicate check is exact within one process; two
   * processes racing on the same id can both store it, and FINAL makes that copy count once until a merge drops
   * it. Turn off only when one process writes each model.
   */
  finalReads?: boolean;
  /** `exact` (default): type 7 like DuckDB, memory O(rows per group). `tdigest`: bounded memory, approximate. */
  quantiles?: QuantileMethod;
  /** Rows of one model written together when batches queue up (default 20,000). */
  maxGroupRows?: number;
  /** Per-request timeout (default 60 s). */
  requestTimeoutMs?: number;
}

interface Endpoint {
  origin: string;
  username?: string;
  password?: string;
  database: string;
}

/** `clickhouse://user:pass@host:8123/db` (HTTP) or `http(s)://host:8123/db`; the database defaults to `outlay`. */
export function parseClickHouseUrl(url: string): Endpoint {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new OutlayError('invalid_input', `store URL: expected clickhouse://host:8123/database or http://host:8123/database, got ${JSON.stringify(url)}`, { cause: error });
  }
  const protocol = parsed.protocol === 'clickhouse:' ? 'http:' : parsed.protocol === 'clickhouses:' ? 'https:' : parsed.protocol;
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new OutlayError('invalid_input', `store URL: expected the clickhouse, http or https scheme, got ${JSON.stringify(parsed.protocol)}`);
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\/+|\/+$/g, '')) || 'outlay';
  const endpoint: Endpoint = {
    origin: `${protocol}//${parsed.hostname}:${parsed.port || (protocol === 'https:' ? '8443' : '8123')}`,
    database: sqlIdentifier(database, 'database name'),
  };
  if (parsed.username) endpoint.username = decodeURIComponent(parsed.username);
  if (parsed.password) endpoint.password = decodeURIComponent(parsed.password);
  return endpoint;
}

/** Opens a store on a ClickHouse server (18.16 or later); call `migrate()` before use, which creates the database. */
export async function openClickHouseStore(url: string, options: ClickHouseStoreOptions = {}): Promise<ClickHouseStore> {
  const endpoint = parseClickHouseUrl(url);
  const connect = (e: Endpoint): ClickHouseClient =>
    createClient({
      url: e.origin,
      request_timeout: options.requestTimeoutMs ?? 60_000,
      // Every failure reaches the caller as an OutlayError; the client's own stderr logging would only repeat it.
      log: { level: ClickHouseLogLevel.OFF },
      ...(e.username !== undefined ? { username: e.username } : {}),
      ...(e.password !== undefined ? { password: e.password } : {}),
    });
  const client = connect(endpoint);
  const nodeUrls = options.cluster ? [...new Set(options.cluster.nodes.map((n) => parseClickHouseUrl(n).origin))].filter((o) => o !== endpoint.origin) : [];
  const nodes = [client, ...nodeUrls.map((origin) => connect({ ...endpoint, origin }))];
  const store = new ClickHouseStore(client, nodes, { database: endpoint.database, cluster: options.cluster ? sqlIdentifier(options.cluster.name, 'cluster name') : null }, options);
  try {
    await client.ping().then((r) => {
      if (!r.success) throw r.error;
    });
  } catch (error) {
    await store.close();
    throw new OutlayError('unavailable', `ClickHouse at ${endpoint.origin} is not reachable`, { cause: error });
  }
  return store;
}

interface LabelRow {
  project: string;
  id: string;
  label_json: string;
  label_num: number | null;
  label_str: string | null;
  ts_ms: number;
  source: string;
  received_seq: number;
}

const labelNum = (label: Label['label']): number | null =>
  typeof label === 'number' ? label : typeof label === 'boolean' ? Number(label) : null;
const labelStr = (label: Label['label']): string | null =>
  typeof label === 'string' ? label : typeof label === 'boolean' ? String(label) : null;

const iso = (ms: number | string | null): string | null => (ms === null ? null : new Date(Number(ms)).toISOString());
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/**
 * The period a ledger row's start (epoch ms) falls in: a day as its start in ms; a month as year × 100 + month,
 * read in UTC, because 18.16's Date-to-DateTime conversions use the server's time zone.
 */
function ledgerPeriodSql(period: LedgerQuery['period'], column: string): string {
  if (period === 'day') return `floor(${column} / 86400000) * 86400000`;
  if (period === 'month') return `toYear(toDateTime(intDiv(${column}, 1000), 'UTC')) * 100 + toMonth(toDateTime(intDiv(${column}, 1000), 'UTC'))`;
  throw new OutlayError('invalid_input', `period: expected "day" or "month", got ${JSON.stringify(period)}`);
}

function ledgerPeriodIso(period: LedgerQuery['period'], value: number): string {
  return new Date(period === 'day' ? value : Date.UTC(Math.floor(value / 100), (value % 100) - 1, 1)).toISOString();
}

/**
 * The ledger rows a query reads with the period each counts in (`__p`) and its weight there (`__w`), as the DuckDB
 * adapter does: per month whole in the month it starts, per day spread over the days it covers in proportion to
 * time (SQL that ClickHouse 18.16 accepts: range with one argument, a lambda for the offset).
 */
function ledgerRowsSql(query: LedgerQuery, table: string, start: string, end: string): string {
  if (query.period !== 'day') return `SELECT *, ${ledgerPeriodSql(query.period, start)} AS __p, 1.0 AS __w FROM ${table} WHERE ${ledgerWhereSql(query, start)}`;
  const where = ledgerWhereSql({ ...query, from: undefined, to: undefined }, start);
  const days: string[] = [];
  for (const [name, value] of [['from', query.from], ['to', query.to]] as const) {
    if (value === undefined) continue;
    const ms = typeof value === 'number' ? value : Date.parse(value);
    if (!Number.isFinite(ms)) throw new OutlayError('invalid_input', `${name}: expected epoch milliseconds or an ISO 8601 time, got ${JSON.stringify(value)}`);
    days.push(name === 'from' ? `__p + 86400000 > ${sqlNumber(Math.trunc(ms))}` : `__p < ${sqlNumber(Math.trunc(ms))}`);
  }
  const first = `intDiv(${start}, 86400000)`;
  const last = `intDiv(greatest(${end} - 1, ${start}), 86400000)`;
  return `SELECT *, __day * 86400000 AS __p,
      if(${end} > ${start}, (least(${end}, (__day + 1) * 86400000) - greatest(${start}, __day * 86400000)) / (${end} - ${start}), 1.0) AS __w
    FROM (SELECT *, arrayJoin(arrayMap(i -> i + ${first}, range(toUInt64(${last} - ${first} + 1)))) AS __day FROM ${table} WHERE ${where})
    ${days.length ? `WHERE ${days.join(' AND ')}` : ''}`;
}

function ledgerWhereSql(query: LedgerQuery, column: string): string {
  const parts = [`project = ${sqlString(query.project)}`];
  for (const [name, value, op] of [['from', query.from, '>='], ['to', query.to, '<']] as const) {
    if (value === undefined) continue;
    const ms = typeof value === 'number' ? value : Date.parse(value);
    if (!Number.isFinite(ms)) throw new OutlayError('invalid_input', `${name}: expected epoch milliseconds or an ISO 8601 time, got ${JSON.stringify(value)}`);
    parts.push(`${column} ${op} ${sqlNumber(Math.trunc(ms))}`);
  }
  return parts.join(' AND ');
}
// sampleColumns keeps a row when hash(id) modulo this prime falls under a cut (as the DuckDB adapter does).
const SAMPLE_HASH_MODULUS = 1_000_003;
const hasAny = (present: Uint8Array): boolean => present.some((p) => p === 1);

/** A value read back in the type the caller sent: booleans are stored as UInt8. */
const typed = (value: unknown, type: ValueType): string | number | boolean | null =>
  value === null || value === undefined ? null : type === 'boolean' ? Number(value) === 1 : type === 'number' ? Number(value) : String(value);

/** Keeps `IN (…)` lists well under ClickHouse's max_query_size (256 KiB). */
function chunksOf(ids: string[], maxChars = 100_000): string[][] {
  const out: string[][] = [];
  let current: string[] = [];
  let size = 0;
  for (const id of ids) {
    if (current.length && size + id.length + 4 > maxChars) {
      out.push(current);
      current = [];
      size = 0;
    }
    current.push(id);
    size += id.length + 4;
  }
  if (current.length) out.push(current);
  return out;
}

export class ClickHouseStore implements Store {
  readonly kind = 'clickhouse' as const;
  private readonly catalog = new ClickHouseCatalog();
  private readonly locks = new KeyedLock();
  private readonly predictionWriter: GroupWriter<{ project: string; batch: PredictionColumns }, number>;
  private readonly db: string;
  private readonly selection: SelectionOptions;
  private readonly quantileMethod: QuantileMethod;
  private readonly maxPendingRows: number;
  private readonly readSettings: ClickHouseSettings;
  private readonly writeSettings: ClickHouseSettings;
  private pending = 0;
  private lastSeq = 0;
  private lastColumnMs = 0;
  private closed = false;

  constructor(
    private readonly client: ClickHouseClient,
    /** Every node DDL runs on; the first is `client`. */
    private readonly nodes: ClickHouseClient[],
    private readonly topology: Topology,
    options: ClickHouseStoreOptions,
  ) {
    this.db = topology.database;
    this.selection = { database: this.db, final: options.finalReads ?? true };
    this.quantileMethod = options.quantiles ?? 'exact';
    this.maxPendingRows = options.maxPendingRows ?? 100_000;
    this.predictionWriter = new GroupWriter((_key, jobs) => this.writeGroup(jobs), options.maxGroupRows ?? 20_000);
    // On a cluster: an insert returns once every shard has its rows (so an acknowledged row is readable), and a
    // subquery over a Distributed table inside a distributed query reads the shard's local table, which is right
    // because predictions, ids and labels are all sharded by the prediction id.
    this.readSettings = topology.cluster ? { distributed_product_mode: 'local' } : {};
    this.writeSettings = topology.cluster ? { insert_distributed_sync: 1 } : {};
  }

  async migrate(): Promise<number> {
    let applied = 0;
    for (const node of this.nodes) {
      await this.command(`CREATE DATABASE IF NOT EXISTS ${this.db}`, node);
      await this.command(migrationsTableSql(this.db), node);
      const done = new Set((await this.rows<{ version: number }>(`SELECT version FROM ${this.db}.schema_migrations`, node)).map((r) => Number(r.version)));
      let count = 0;
      for (const migration of migrations) {
        if (done.has(migration.version)) continue;
        try {
          // ClickHouse DDL is not transactional; every statement is IF NOT EXISTS, so a failed migration reruns.
          for (const statement of migration.ddl(this.topology)) await this.command(statement, node);
        } catch (error) {
          throw new OutlayError('internal', `migration ${migration.version} (${migration.description}) failed`, { cause: error });
        }
        await clickHouseCall(() => node.insert({
          table: `${this.db}.schema_migrations`,
          values: [{ version: migration.version, applied_at_ms: Date.now() }],
          format: 'JSONEachRow',
        }));
        count++;
      }
      applied = Math.max(applied, count);
    }
    await this.loadCatalog();
    return applied;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.predictionWriter.idle();
    await this.locks.idle();
    await Promise.all(this.nodes.map((node) => node.close()));
  }

  pendingRows(): number {
    return this.pending;
  }

  // ---- plumbing ----

  private async command(query: string, node: ClickHouseClient = this.client): Promise<void> {
    await clickHouseCall(() => node.command({ query, clickhouse_settings: this.readSettings }));
  }

  /**
   * DDL that another process may be running at the same moment. 18.16 has no ADD COLUMN IF NOT EXISTS (code 44
   * says the column exists), and two concurrent CREATE TABLE IF NOT EXISTS can meet its DDL guard ("is being
   * created right now"): both mean the object is, or is about to be, there.
   */
  private async idempotentDdl(query: string, node: ClickHouseClient): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.command(query, node);
        return;
      } catch (error) {
        const message = String((error as Error).message);
        if (/already exists/.test(message)) return;
        if (!/right now/.test(message) || attempt >= 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }

  private async rows<T>(query: string, node: ClickHouseClient = this.client): Promise<T[]> {
    return clickHouseCall(async () => (await node.query({ query, format: 'JSONEachRow', clickhouse_settings: this.readSettings })).json<T>());
  }

  private async insert(table: string, values: object[]): Promise<void> {
    if (values.length === 0) return;
    await clickHouseCall(() => this.client.insert({ table: `${this.db}.${table}`, values, format: 'JSONEachRow', clickhouse_settings: this.writeSettings }));
  }

  /** Strictly increasing epoch ms within the process, at or after `now`: the creation stamp of a catalog column. */
  private nextColumnMs(now: number): number {
    this.lastColumnMs = Math.max(this.lastColumnMs + 1, now);
    return this.lastColumnMs;
  }

  /** Strictly increasing within the process, and close to the clock across processes: orders label arrivals and record versions. */
  private nextSeq(): number {
    this.lastSeq = Math.max(this.lastSeq + 1, Date.now() * 1000);
    return this.lastSeq;
  }

  private async bounded<T>(rows: number, write: () => Promise<T>): Promise<T> {
    if (this.closed) throw new OutlayError('unavailable', 'the store is closed');
    if (this.pending > 0 && this.pending + rows > this.maxPendingRows) {
      throw new OutlayError('busy', `${this.pending} rows are waiting to be written; retry later`, { details: { pending: this.pending } });
    }
    this.pending += rows;
    try {
      return await write();
    } finally {
      this.pending -= rows;
    }
  }

  // ---- catalog ----

  private async loadCatalog(): Promise<void> {
    // Aliases never repeat a column name: `any(x) AS x` makes current releases (without the analyzer) read
    // any(any(x)).
    const models = await this.rows<{ project: string; name: string; model_table: string }>(
      `SELECT project, name, any(table_name) AS model_table FROM ${this.db}.models GROUP BY project, name`,
    );
    const columns = await this.rows<{ project: string; model: string; source: DynamicSource; name: string; type: ValueType; physical: string }>(
      `SELECT project, model, source, name, type, any(column_name) AS physical, min(created_at_ms) AS created_ms
       FROM ${this.db}.model_columns GROUP BY project, model, source, name, type ORDER BY created_ms, physical`,
    );
    this.catalog.replace(
      models.map((m) => ({ project: m.project, name: m.name, table: m.model_table })),
      columns.map((c) => ({ project: c.project, model: c.model, source: c.source, name: c.name, type: c.type, column: c.physical })),
    );
  }

  /** The model, reloading the catalog once when this process has not seen it (another may have created it). */
  private async model(project: string, name: string): Promise<ClickHouseModel> {
    let entry = this.catalog.get(project, name);
    if (!entry) {
      await this.loadCatalog();
      entry = this.catalog.get(project, name);
    }
    if (!entry) throw new OutlayError('not_found', `no model "${name}" in project "${project}"`, { details: { model: name } });
    return entry;
  }

  /** Resolves a column, reloading the catalog once when it is unknown here (another process may have added it). */
  private async column(entry: ClickHouseModel, ref: ColumnRef): Promise<ColumnSql> {
    try {
      return columnSql(entry, ref);
    } catch (error) {
      if (!(error instanceof OutlayError && error.code === 'not_found')) throw error;
      await this.loadCatalog();
      return columnSql(this.catalog.get(entry.project, entry.name) ?? entry, ref);
    }
  }

  /** Refreshes the entry if any column the query names is unknown, so the pure SQL builders can resolve them. */
  private async resolved(entry: ClickHouseModel, refs: ColumnRef[]): Promise<ClickHouseModel> {
    for (const ref of refs) await this.column(entry, ref);
    return this.catalog.get(entry.project, entry.name) ?? entry;
  }

  /** What the schema lacks for a batch (a null-only name needs a column only when never seen). */
  private missingColumns(entry: ClickHouseModel | undefined, batch: PredictionColumns): Omit<ModelColumn, 'column'>[] {
    const columns: Omit<ModelColumn, 'column'>[] = [];
    for (const column of batch.dynamic) {
      const mask = entry?.types.get(column.source)?.get(column.name) ?? 0;
      if (!hasAny(column.present) && (mask !== 0 || columns.some((m) => m.source === column.source && m.name === column.name))) continue;
      if ((mask & typeBit[column.type]) !== 0) continue;
      columns.push({ source: column.source, name: column.name, type: column.type, key: columnKey(column.source, column.name, column.type) });
    }
    return columns;
  }

  /**
   * Creates the model's table and the columns a batch needs, on every node. Idempotent and safe against another
   * process doing the same: names are derived, DDL is IF NOT EXISTS, an ALTER that finds its column is fine, and
   * the catalog row is written after the DDL it records.
   */
  private async ensureModel(project: string, batch: PredictionColumns): Promise<ClickHouseModel> {
    let entry = this.catalog.get(project, batch.model);
    if (!entry) {
      const table = modelTableName(project, batch.model);
      for (const node of this.nodes) for (const ddl of tableDdl(this.topology, predictionTable(table))) await this.idempotentDdl(ddl, node);
      await this.insert('models', [{ project, name: batch.model, table_name: table, created_at_ms: Date.now() }]);
      entry = newModel(project, batch.model, table);
      this.catalog.add(entry);
    }
    const missing = this.missingColumns(entry, batch);
    if (missing.length === 0) return entry;
    const now = Date.now();
    const added: ModelColumn[] = missing.map((m) => ({ ...m, column: physicalColumnName(m.source, m.name, m.type) }));
    for (const node of this.nodes) {
      // Skip what another process already added; the catch below covers a race between this check and the ALTER.
      const present = new Set((await this.rows<{ table: string; name: string }>(
        `SELECT table, name FROM system.columns WHERE database = ${sqlString(this.db)} AND table IN (${sqlString(entry.table)}, ${sqlString(`${entry.table}_local`)})`,
        node,
      )).map((c) => `${c.table}.${c.name}`));
      for (const a of added) {
        for (const ddl of addColumnDdl(this.topology, entry.table, a.column, columnType(a.type))) {
          if (present.has(`${ddl.table}.${a.column}`)) continue;
          await this.idempotentDdl(ddl.sql, node);
        }
      }
    }
    // The catalog lists columns by created_at_ms: one stamp per column, increasing, keeps a batch's columns in the
    // order they first appear (as DuckDB does) rather than in the order of their hashed names.
    await this.insert('model_columns', added.map((a) => ({
      project, model: entry.name, source: a.source, name: a.name, type: a.type, column_name: a.column, created_at_ms: this.nextColumnMs(now),
    })));
    for (const a of added) addColumn(entry, a);
    return entry;
  }

  // ---- writes ----

  insertPredictions(project: string, rows: Prediction[]): Promise<WriteResult> {
    return this.insertPredictionColumns(project, toPredictionColumns(rows));
  }

  insertPredictionColumns(project: string, batches: PredictionColumns[]): Promise<WriteResult> {
    const rows = batches.reduce((sum, b) => sum + b.length, 0);
    return this.bounded(rows, async () => {
      // One writer per model in this process (the check for stored ids and the insert cannot interleave), and
      // batches for one model that arrive meanwhile are written together.
      const accepted = await Promise.all(batches.map((batch) => this.predictionWriter.submit(`${project}\u0000${batch.model}`, { project, batch }, batch.length)));
      const total = accepted.reduce((sum, n) => sum + n, 0);
      return { accepted: total, duplicates: rows - total };
    });
  }

  /**
   * Writes the rows of a group of batches (one project, one model) whose ids the model has not stored; the first
   * row of an id wins, in arrival order. Answers the rows accepted from each batch. Rows go in before their ids:
   * a crash between the two leaves ids unrecorded, so a retry writes the same rows again, which FINAL and the
   * merge collapse; the other order could lose rows that the ids claim exist.
   */
  private async writeGroup(jobs: { project: string; batch: PredictionColumns }[]): Promise<number[]> {
    const { project, batch: { model } } = jobs[0]!;
    let entry: ClickHouseModel | undefined;
    for (const job of jobs) entry = await this.ensureModel(project, job.batch);
    const columns = entry!.columns;
    const owner = new Map<string, { job: number; row: number }>();
    jobs.forEach((job, j) => job.batch.ids.forEach((id, i) => {
      if (!owner.has(id)) owner.set(id, { job: j, row: i });
    }));
    for (const chunk of chunksOf([...owner.keys()])) {
      const found = await this.rows<{ id: string }>(
        `SELECT DISTINCT id FROM ${this.db}.prediction_ids WHERE project = ${sqlString(project)} AND model = ${sqlString(model)}
           AND id IN (${chunk.map(sqlString).join(', ')})`,
      );
      for (const { id } of found) owner.delete(id);
    }
    const accepted = jobs.map(() => 0);
    if (owner.size === 0) return accepted;
    const receivedMs = Date.now();
    const layouts = jobs.map(({ batch }) => ({
      fixed: Object.entries(batch.fixed),
      dynamic: batch.dynamic
        .map((c) => ({ c, column: columns.get(columnKey(c.source, c.name, c.type)) }))
        .filter((d): d is { c: (typeof batch.dynamic)[number]; column: string } => d.column !== undefined),
    }));
    const values: Record<string, unknown>[] = [];
    for (const [id, { job, row: i }] of owner) {
      const { batch } = jobs[job]!;
      const { fixed, dynamic } = layouts[job]!;
      // A column a row does not name is left out and the insert fills in NULL.
      const row: Record<string, unknown> = { id, ts_ms: Math.trunc(batch.timestampMs[i]!), received_ms: receivedMs };
      for (const [name, c] of fixed) if (c.present[i]) row[name] = c.type === 'string' ? c.strings![i] : c.numbers![i];
      for (const { c, column } of dynamic) if (c.present[i]) row[column] = c.type === 'string' ? c.strings![i] : c.numbers![i];
      values.push(row);
      accepted[job]!++;
    }
    await this.insert(entry!.table, values);
    await this.insert('prediction_ids', values.map((v) => ({ project, model, id: v.id, ts_ms: v.ts_ms })));
    return accepted;
  }

  insertLabels(project: string, rows: Label[]): Promise<WriteResult> {
    return this.bounded(rows.length, () =>
      this.locks.run(`labels\u0000${project}`, async () => {
        // A label is a duplicate when the same (id, source, timestamp, label) is stored or earlier in the batch.
        const keyOf = (id: string, source: string, ts: number, json: string): string => JSON.stringify([id, source, ts, json]);
        const stored = new Set<string>();
        for (const chunk of chunksOf([...new Set(rows.map((r) => r.id))])) {
          const found = await this.rows<{ id: string; source: string; ts_ms: string; label_json: string }>(
            `SELECT id, source, ts_ms, label_json FROM ${this.db}.labels WHERE project = ${sqlString(project)} AND id IN (${chunk.map(sqlString).join(', ')})`,
          );
          for (const f of found) stored.add(keyOf(f.id, f.source, Number(f.ts_ms), f.label_json));
        }
        const fresh: LabelRow[] = [];
        for (const r of rows) {
          const ts = Math.trunc(timestampMs(r.timestamp));
          const json = JSON.stringify(r.label);
          const source = r.source ?? 'ground_truth';
          const key = keyOf(r.id, source, ts, json);
          if (stored.has(key)) continue;
          stored.add(key);
          // Arrival order is the tie-break between labels of one id with one timestamp: the later one wins.
          fresh.push({ project, id: r.id, label_json: json, label_num: labelNum(r.label), label_str: labelStr(r.label), ts_ms: ts, source, received_seq: this.nextSeq() });
        }
        await this.insert('labels', fresh);
        return { accepted: fresh.length, duplicates: rows.length - fresh.length };
      }),
    );
  }

  insertCostRecords(project: string, rows: CostRecord[]): Promise<{ accepted: number }> {
    const receivedMs = Date.now();
    return this.bounded(rows.length, async () => {
      await this.insert('cost_records', rows.map((r) => ({
        project,
        charge_period_start_ms: Math.trunc(timestampMs(r.ChargePeriodStart)),
        charge_period_end_ms: Math.trunc(timestampMs(r.ChargePeriodEnd)),
        billed_cost: r.BilledCost,
        effective_cost: r.EffectiveCost ?? null,
        currency: r.BillingCurrency ?? 'USD',
        provider: r.ProviderName ?? null,
        service: r.ServiceName ?? null,
        resource_id: r.ResourceId ?? null,
        sku_id: r.SkuId ?? null,
        pricing_category: r.PricingCategory ?? null,
        charge_category: r.ChargeCategory ?? null,
        tags: r.Tags ? JSON.stringify(r.Tags) : null,
        x_category: r.x_category ?? null,
        x_model: r.x_model ?? null,
        x_customer: r.x_customer ?? null,
        x_variable_share: r.x_variable_share ?? null,
        record_json: JSON.stringify(r),
        received_at_ms: receivedMs,
      })));
      return { accepted: rows.length };
    });
  }

  insertRevenue(project: string, rows: RevenueRecord[]): Promise<{ accepted: number }> {
    const receivedMs = Date.now();
    return this.bounded(rows.length, async () => {
      await this.insert('revenue', rows.map((r) => ({
        project,
        period_start_ms: Math.trunc(timestampMs(r.period_start)),
        period_end_ms: Math.trunc(timestampMs(r.period_end)),
        customer: r.customer,
        amount: r.amount,
        currency: r.currency ?? 'USD',
        received_at_ms: receivedMs,
      })));
      return { accepted: rows.length };
    });
  }

  // ---- stats ----

  async listModels(project: string): Promise<ModelSummary[]> {
    await this.loadCatalog();
    const out: ModelSummary[] = [];
    for (const entry of this.catalog.list(project)) out.push({ model: entry.name, ...(await this.statsOf(entry)) });
    return out;
  }

  async modelStats(project: string, model: string): Promise<ModelStats | null> {
    let entry = this.catalog.get(project, model);
    if (!entry) {
      await this.loadCatalog();
      entry = this.catalog.get(project, model);
    }
    return entry ? this.statsOf(entry) : null;
  }

  private async statsOf(entry: ModelEntryLike): Promise<ModelStats> {
    const table = `${this.db}.${entry.table}${this.selection.final ? ' FINAL' : ''}`;
    const [row] = await this.rows<{ n: number; first_ms: number | null; last_ms: number | null }>(
      `SELECT toFloat64(count()) AS n, if(n = 0, NULL, toFloat64(min(ts_ms))) AS first_ms, if(n = 0, NULL, toFloat64(max(ts_ms))) AS last_ms FROM ${table}`,
    );
    const [labels] = await this.rows<{ n: number }>(
      `SELECT toFloat64(count()) AS n FROM ${table} WHERE id IN (SELECT id FROM ${this.db}.labels WHERE project = ${sqlString(entry.project)})`,
    );
    return { predictions: Number(row!.n), labels: Number(labels!.n), first_timestamp: iso(row!.first_ms), last_timestamp: iso(row!.last_ms) };
  }

  async modelColumns(project: string, model: string): Promise<ColumnInfo[]> {
    await this.loadCatalog();
    return (await this.model(project, model)).order.map(({ source, name, type }) => ({ source, name, type }));
  }

  // ---- analytics, pushed down as SQL ----

  async aggregate(query: AggregateQuery): Promise<AggregateRow[]> {
    if (query.measures.length === 0) throw new OutlayError('invalid_input', 'an aggregate needs at least one measure');
    const entry = await this.resolved(await this.model(query.project, query.model), [
      ...(query.groupBy ?? []),
      ...query.measures.flatMap((m) => (m.op === 'count' ? [] : [m.column])),
      ...(query.where ?? []).map((f) => f.column),
    ]);
    const groups = (query.groupBy ?? []).map((ref) => columnSql(entry, ref));
    const measures = query.measures.map((m, i) => measureSql(entry, m, i, this.quantileMethod));
    let bucket: { sql: string; label: boolean } | null = null;
    if (query.bucket) {
      checkBucketing(query.bucket);
      const column = columnSql(entry, query.bucket.column);
      bucket = { sql: bucketingSql(`toFloat64(${column.sql})`, query.bucket, 'isNaN', sqlNumber), label: column.label };
    }
    const needsLabels = [...groups, ...measures, ...(bucket ? [bucket] : [])].some((x) => x.label);
    const select = [
      query.window ? `toFloat64(${windowSql(query.window)}) AS __w` : 'NULL AS __w',
      ...groups.map((g, i) => `${g.sql} AS __g${i}`),
      ...(bucket ? [`${bucket.sql} AS __b`] : []),
      ...measures.map((m, i) => `${m.sql} AS __m${i}`),
    ];
    const keys = [...(query.window ? ['__w'] : []), ...groups.map((_, i) => `__g${i}`), ...(bucket ? ['__b'] : [])];
    const groupBy = keys.length ? ` GROUP BY ${keys.join(', ')}` : '';
    const ordered = keys.filter((k) => k !== '__w').map((k) => `, ${k}`).join('');
    const order = query.window ? ` ORDER BY __w${ordered}` : keys.length ? ` ORDER BY count() DESC${ordered}` : '';
    const limit = query.limit !== undefined ? ` LIMIT ${sqlNumber(Math.max(0, Math.trunc(query.limit)))}` : '';
    const from = selectionSql(entry, query, await this.selectionFor(entry, query, needsLabels), needsLabels);
    const rows = await this.rows<Record<string, unknown>>(`SELECT ${select.join(', ')} ${from}${groupBy}${order}${limit}`);
    return rows.map((row) => ({
      window: query.window ? iso(num(row.__w)) : null,
      group: groups.map((g, i) => typed(row[`__g${i}`], g.type)),
      values: measures.map((_, i) => num(row[`__m${i}`])),
      ...(bucket ? { bucket: num(row.__b) } : {}),
    }));
  }

  /**
   * Selection options for a query: whether a label join (when there is one) is better limited to the window's
   * ids, decided by two counts that read one small column each.
   */
  private async selectionFor(entry: ClickHouseModel, query: Selection, needsLabels: boolean): Promise<SelectionOptions> {
    const window = windowWhere(query);
    const joins = needsLabels || query.labelled !== undefined || (query.where ?? []).length > 0;
    if (!joins || window.length === 0) return this.selection;
    const [row] = await this.rows<{ w: number; l: number }>(
      `SELECT toFloat64((SELECT count() FROM ${this.db}.${entry.table} WHERE ${window.join(' AND ')})) AS w,
              toFloat64((SELECT count() FROM ${this.db}.labels WHERE project = ${sqlString(entry.project)})) AS l`,
    );
    return { ...this.selection, narrowLabels: Number(row!.w) < Number(row!.l) };
  }

  async quantiles(query: Selection & { column: ColumnRef; qs: number[] }): Promise<(number | null)[]> {
    for (const q of query.qs) if (!(q >= 0 && q <= 1)) throw new OutlayError('invalid_input', `quantile q must lie in [0, 1], got ${q}`);
    const entry = await this.resolved(await this.model(query.project, query.model), [query.column, ...(query.where ?? []).map((f) => f.column)]);
    if (query.qs.length === 0) return [];
    const column = columnSql(entry, query.column);
    const x = `toFloat64(${column.sql})`;
    // One sorted array for all levels: the alias is defined in the first expression and reused by the others.
    const qs = query.qs.map((q, i) =>
      this.quantileMethod === 'tdigest'
        ? `if(count(${column.sql}) = 0, NULL, quantileTDigest(${sqlNumber(q)})(${x})) AS __q${i}`
        : `${exactQuantileSql(x, q, '__sorted', i === 0)} AS __q${i}`,
    );
    const from = selectionSql(entry, query, await this.selectionFor(entry, query, column.label), column.label);
    const [row] = await this.rows<Record<string, unknown>>(`SELECT ${qs.join(', ')} ${from}`);
    return query.qs.map((_, i) => num(row![`__q${i}`]));
  }

  async histogram(query: HistogramQuery): Promise<Histogram> {
    const entry = await this.resolved(await this.model(query.project, query.model), [query.column, ...(query.where ?? []).map((f) => f.column)]);
    const column = columnSql(entry, query.column);
    if (column.type !== 'number') return this.categoricalHistogram(entry, query, column);
    const from = selectionSql(entry, query, await this.selectionFor(entry, query, column.label), column.label);
    const x = `toFloat64(${column.sql})`;
    let edges = query.edges;
    if (!edges) {
      const bins = query.bins ?? 20;
      if (!(Number.isInteger(bins) && bins >= 1 && bins <= 1000)) throw new OutlayError('invalid_input', `bins must be an integer in [1, 1000], got ${bins}`);
      const [range] = await this.rows<{ lo: number | null; hi: number | null }>(
        `SELECT if(count(${column.sql}) = 0, NULL, min(${x})) AS lo, if(count(${column.sql}) = 0, NULL, max(${x})) AS hi ${from}`,
      );
      const min = num(range!.lo);
      const max = num(range!.hi);
      if (min === null || max === null) edges = [0, 1];
      else {
        const width = max > min ? (max - min) / bins : 1;
        edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? Math.max(max, min + width * bins) : min + width * i));
      }
    }
    if (edges.length < 2 || edges.length > 1001 || edges.some((e, i) => !Number.isFinite(e) || (i > 0 && e <= edges![i - 1]!))) {
      throw new OutlayError('invalid_input', 'edges must be 2 to 1001 finite, strictly increasing numbers');
    }
    const last = edges.length - 2;
    // One scan, one conditional count per bucket; the last bucket includes its upper edge (as numpy does).
    const buckets = edges.slice(0, -1).map((lo, i) =>
      `toFloat64(countIf(${x} >= ${sqlNumber(lo)} AND ${x} ${i === last ? '<=' : '<'} ${sqlNumber(edges![i + 1]!)})) AS __b${i}`,
    );
    const select = [
      ...buckets,
      `toFloat64(countIf(${x} < ${sqlNumber(edges[0]!)})) AS __below`,
      `toFloat64(countIf(${x} > ${sqlNumber(edges[edges.length - 1]!)})) AS __above`,
      `toFloat64(countIf(ifNull(isNaN(${x}), 1))) AS __missing`,
      'toFloat64(count()) AS __total',
    ];
    const [row] = await this.rows<Record<string, number>>(`SELECT ${select.join(', ')} ${from}`);
    return {
      kind: 'numeric',
      edges,
      counts: buckets.map((_, i) => Number(row![`__b${i}`])),
      below: Number(row!.__below),
      above: Number(row!.__above),
      missing: Number(row!.__missing),
      total: Number(row!.__total),
    };
  }

  private async categoricalHistogram(entry: ClickHouseModel, query: HistogramQuery, column: ColumnSql): Promise<Histogram> {
    const top = query.top ?? 50;
    const from = selectionSql(entry, query, await this.selectionFor(entry, query, column.label), column.label);
    const rows = await this.rows<{ v: string | null; n: number }>(
      `SELECT ${asText(column)} AS v, toFloat64(count()) AS n ${from} GROUP BY v ORDER BY isNull(v), n DESC, v`,
    );
    let missing = 0;
    let total = 0;
    let other = 0;
    const values: { value: string; count: number }[] = [];
    for (const { v, n } of rows) {
      const count = Number(n);
      total += count;
      if (v === null) missing += count;
      else if (values.length < top) values.push({ value: v, count });
      else other += count;
    }
    return { kind: 'categorical', values, other, missing, total };
  }

  async sampleColumns(query: Selection & { columns: ColumnRef[]; maxRows: number }): Promise<ColumnSample> {
    if (!(Number.isInteger(query.maxRows) && query.maxRows >= 1)) throw new OutlayError('invalid_input', `maxRows must be an integer ≥ 1, got ${query.maxRows}`);
    const entry = await this.resolved(await this.model(query.project, query.model), [...query.columns, ...(query.where ?? []).map((f) => f.column)]);
    const columns = query.columns.map((ref) => columnSql(entry, ref));
    const needsLabels = columns.some((c) => c.label);
    const options = await this.selectionFor(entry, query, needsLabels);
    // A LEFT JOIN keeps every row, so the count needs the labels only when the selection filters on them (which
    // selectionSql sees by itself).
    const [counted] = await this.rows<{ n: number }>(`SELECT toFloat64(count()) AS n ${selectionSql(entry, query, options, false)}`);
    const total = Number(counted!.n);
    // Keep a row when a hash of its id falls under a cut: the same rows on every call and on every shard layout;
    // the order makes the arrays equal too. 0.98 leaves room for the hash's unevenness under the cap.
    const cut = Math.floor(((0.98 * query.maxRows) / Math.max(total, 1)) * SAMPLE_HASH_MODULUS);
    const sample = total > query.maxRows ? [`cityHash64(id) % ${SAMPLE_HASH_MODULUS} < ${sqlNumber(cut)}`] : [];
    const select = columns.length === 0 ? '1 AS __c' : columns.map((c, i) => `${c.sql} AS __c${i}`).join(', ');
    const rows = await this.rows<Record<string, unknown>>(
      `SELECT ${select} ${selectionSql(entry, query, options, needsLabels, sample)} ORDER BY ts_ms, id LIMIT ${sqlNumber(query.maxRows)}`,
    );
    return { rows: rows.length, total, values: columns.map((c, i) => rows.map((row) => typed(row[`__c${i}`], c.type))) };
  }

  async *scanPredictions(query: Selection & { batchSize?: number; limit?: number }): AsyncIterable<StoredPrediction[]> {
    const entry = await this.resolved(await this.model(query.project, query.model), (query.where ?? []).map((f) => f.column));
    const batchSize = Math.max(1, Math.min(query.batchSize ?? 5000, 100_000));
    let remaining = query.limit ?? Number.POSITIVE_INFINITY;
    let after: { ts: number; id: string } | null = null;
    const order = [...entry.order];
    const dynamic = order.map((c, i) => `${c.column} AS __d${i}`);
    const options = await this.selectionFor(entry, query, true);
    while (remaining > 0) {
      const keyset = after ? [`(ts_ms, id) > (${sqlNumber(after.ts)}, ${sqlString(after.id)})`] : [];
      const from = selectionSql(entry, query, options, true, keyset);
      const size = Math.min(batchSize, remaining);
      const rows = await this.rows<Record<string, unknown>>(
        `SELECT id, toFloat64(ts_ms) AS ts, model_version, prediction_num, prediction_str, score, interval_low, interval_high,
           latency_ms, customer, l_has, l_json, toFloat64(l_ts) AS l_ts, l_source${dynamic.map((d) => `, ${d}`).join('')}
         ${from} ORDER BY ts_ms, id LIMIT ${sqlNumber(size)}`,
      );
      if (rows.length === 0) return;
      yield rows.map((row) => toStoredPrediction(entry.name, order, row));
      const last = rows[rows.length - 1]!;
      after = { ts: Number(last.ts), id: String(last.id) };
      remaining -= rows.length;
      if (rows.length < size) return;
    }
  }

  async costTotals(project: string): Promise<{ rows: number; billed_cost: number; effective_cost: number }> {
    const [row] = await this.rows<{ n: number; billed: number; effective: number }>(
      `SELECT toFloat64(count()) AS n, sum(billed_cost) AS billed, sum(ifNull(effective_cost, billed_cost)) AS effective
       FROM ${this.db}.cost_records WHERE project = ${sqlString(project)}`,
    );
    return { rows: Number(row!.n), billed_cost: Number(row!.billed), effective_cost: Number(row!.effective) };
  }

  async revenueTotals(project: string): Promise<{ rows: number; amount: number }> {
    const [row] = await this.rows<{ n: number; total: number }>(
      `SELECT toFloat64(count()) AS n, sum(amount) AS total FROM ${this.db}.revenue WHERE project = ${sqlString(project)}`,
    );
    return { rows: Number(row!.n), amount: Number(row!.total) };
  }

  async costLedger(query: LedgerQuery): Promise<CostLedgerRow[]> {
    const rows = await this.rows<Record<string, unknown>>(
      `SELECT __p, x_category AS __category, x_model AS __model, x_customer AS __customer, provider AS __provider,
         service AS __service, pricing_category AS __pricing, toFloat64(count()) AS __records,
         sum(__w * (charge_period_end_ms - charge_period_start_ms)) / 1000 AS __seconds, sum(__w * billed_cost) AS __billed,
         sum(__w * ifNull(effective_cost, billed_cost)) AS __effective,
         ifNull(sum(__w * ifNull(effective_cost, billed_cost) * x_variable_share), 0) AS __declared,
         sumIf(__w * ifNull(effective_cost, billed_cost), isNull(x_variable_share)) AS __undeclared
       FROM (${ledgerRowsSql(query, `${this.db}.cost_records`, 'charge_period_start_ms', 'charge_period_end_ms')})
       GROUP BY __p, __category, __model, __customer, __provider, __service, __pricing
       ORDER BY __p, isNull(__category), __category, isNull(__model), __model, isNull(__customer), __customer,
         isNull(__provider), __provider, isNull(__service), __service, isNull(__pricing), __pricing`,
    );
    const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
    return rows.map((row) => ({
      period: ledgerPeriodIso(query.period, Number(row.__p)),
      category: text(row.__category),
      model: text(row.__model),
      customer: text(row.__customer),
      provider: text(row.__provider),
      service: text(row.__service),
      pricing_category: text(row.__pricing),
      records: Number(row.__records),
      resource_seconds: Number(row.__seconds),
      billed_cost: Number(row.__billed),
      effective_cost: Number(row.__effective),
      declared_variable_effective_cost: Number(row.__declared),
      undeclared_share_effective_cost: Number(row.__undeclared),
    }));
  }

  async revenueLedger(query: LedgerQuery): Promise<RevenueLedgerRow[]> {
    const rows = await this.rows<{ __p: number; customer: string; __amount: number }>(
      `SELECT __p, customer, sum(__w * amount) AS __amount FROM (${ledgerRowsSql(query, `${this.db}.revenue`, 'period_start_ms', 'period_end_ms')})
       GROUP BY __p, customer ORDER BY __p, customer`,
    );
    return rows.map((row) => ({ period: ledgerPeriodIso(query.period, Number(row.__p)), customer: String(row.customer), amount: Number(row.__amount) }));
  }

  // ---- keys, config, meta: versioned rows, the latest wins ----

  createKey(key: StoredKey): Promise<void> {
    return this.locks.run('keys', async () => {
      if (await this.findKey(key.id)) throw new OutlayError('conflict', `a key with id "${key.id}" exists`, { details: { id: key.id } });
      await this.writeKey(key);
    });
  }

  private async writeKey(key: StoredKey): Promise<void> {
    await this.insert('api_keys', [{
      id: key.id, project: key.project, role: key.role, name: key.name, prefix: key.prefix, hash: key.hash,
      created_at_ms: Date.parse(key.created_at), revoked_at_ms: key.revoked_at === null ? null : Date.parse(key.revoked_at), version: this.nextSeq(),
    }]);
  }

  async findKey(id: string): Promise<StoredKey | null> {
    return (await this.keys(`id = ${sqlString(id)}`))[0] ?? null;
  }

  listKeys(project?: string): Promise<StoredKey[]> {
    return this.keys(project === undefined ? '1' : `project = ${sqlString(project)}`);
  }

  private async keys(where: string): Promise<StoredKey[]> {
    const rows = await this.rows<{ id: string; project: string; role: StoredKey['role']; name: string | null; prefix: string; hash: string; created: number; revoked: number | null }>(
      `SELECT id, project, role, name, prefix, hash, toFloat64(created_at_ms) AS created, toFloat64(revoked_at_ms) AS revoked
       FROM ${this.db}.api_keys WHERE ${where} ORDER BY version DESC LIMIT 1 BY id`,
    );
    return rows
      .map(({ id, project, role, name, prefix, hash, created, revoked }) => ({
        id, project, role, name, prefix, hash, created_at: iso(created)!, revoked_at: iso(num(revoked)),
      }))
      .sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id));
  }

  revokeKey(id: string): Promise<boolean> {
    return this.locks.run('keys', async () => {
      const key = await this.findKey(id);
      if (!key || key.revoked_at !== null) return false;
      await this.writeKey({ ...key, revoked_at: new Date().toISOString() });
      return true;
    });
  }

  async getConfig(project: string): Promise<ProjectConfig | null> {
    const rows = await this.rows<{ doc: string }>(
      `SELECT doc FROM ${this.db}.configs WHERE project = ${sqlString(project)} ORDER BY version DESC LIMIT 1`,
    );
    return rows.length ? ProjectConfig.parse(JSON.parse(rows[0]!.doc)) : null;
  }

  async putConfig(project: string, config: ProjectConfig): Promise<void> {
    const doc = JSON.stringify(ProjectConfig.parse(config));
    await this.insert('configs', [{ project, doc, updated_at_ms: Date.now(), version: this.nextSeq() }]);
  }

  async getMeta(key: string): Promise<string | null> {
    const rows = await this.rows<{ value: string }>(`SELECT value FROM ${this.db}.meta WHERE key = ${sqlString(key)} ORDER BY version DESC LIMIT 1`);
    return rows.length ? rows[0]!.value : null;
  }

  async setMeta(key: string, value: string): Promise<void> {
    await this.insert('meta', [{ key, value, version: this.nextSeq() }]);
  }
}

type ModelEntryLike = Pick<ClickHouseModel, 'project' | 'table'>;

/** Runs a request, turning a server error into `internal` and a failed connection into `unavailable` (503). */
async function clickHouseCall<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    if (error instanceof OutlayError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof ClickHouseError) throw new OutlayError('internal', `ClickHouse: ${message}`, { cause: error, details: { clickhouse_code: error.code } });
    throw new OutlayError('unavailable', `ClickHouse request failed: ${message}`, { cause: error });
  }
}

function toStoredPrediction(model: string, order: ModelColumn[], row: Record<string, unknown>): StoredPrediction {
  const predNum = num(row.prediction_num);
  const predStr = row.prediction_str as string | null;
  const out: StoredPrediction = {
    id: String(row.id),
    model,
    timestamp: iso(num(row.ts))!,
    features: {},
    prediction: predStr !== null && predNum === null ? predStr : predStr === 'true' || predStr === 'false' ? predStr === 'true' : (predNum ?? 0),
  };
  if (row.model_version !== null) out.model_version = String(row.model_version);
  if (row.score !== null) out.score = Number(row.score);
  if (row.interval_low !== null && row.interval_high !== null) out.interval = [Number(row.interval_low), Number(row.interval_high)];
  if (row.latency_ms !== null) out.latency_ms = Number(row.latency_ms);
  if (row.customer !== null) out.customer = String(row.customer);
  order.forEach((c, i) => {
    const value = typed(row[`__d${i}`], c.type);
    const key = c.source === 'feature' ? 'features' : c.source === 'segment' ? 'segments' : c.source;
    const map = ((out as unknown as Record<string, Record<string, unknown>>)[key] ??= {});
    if (value !== null || !(c.name in map)) map[c.name] = value;
  });
  if (Number(row.l_has) === 1) {
    out.label = { label: JSON.parse(String(row.l_json)) as Label['label'], timestamp: iso(num(row.l_ts))!, source: row.l_source as Label['source'] };
  }
  return out;
}
