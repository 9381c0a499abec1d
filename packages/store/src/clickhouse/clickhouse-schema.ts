/**
 * Versioned schema of the ClickHouse store. Each migration runs once per node, in order, and is recorded in that
 * node's `schema_migrations`. Never edit an applied migration: add the next one.
 *
 * Every table is declared once as a `TableSpec`; `tableDdl` turns it into one MergeTree table (single node) or,
 * with a cluster, a `<name>_local` MergeTree table on every shard plus a `<name>` Distributed table over them.
 * Queries and inserts always name `<name>`, so the rest of the adapter does not know which layout it runs on.
 */
export interface TableSpec {
  name: string;
  columns: string;
  engine: 'MergeTree' | 'ReplacingMergeTree' | { replacingVersion: string };
  orderBy: string;
  partitionBy?: string;
  /** How rows spread over shards. Predictions, their ids and labels all shard by the prediction id, so a label
   *  sits on the same shard as its prediction and the join runs shard-locally. */
  shardingKey: string;
}

export interface Topology {
  database: string;
  /** Cluster name from the servers' `remote_servers`; null on a single node. */
  cluster: string | null;
}

const engineSql = (engine: TableSpec['engine']): string =>
  typeof engine === 'string' ? `${engine}()` : `ReplacingMergeTree(${engine.replacingVersion})`;

/** DDL for one table, idempotent (`IF NOT EXISTS`), to run on every node. */
export function tableDdl(topology: Topology, spec: TableSpec): string[] {
  const db = topology.database;
  const local = topology.cluster ? `${spec.name}_local` : spec.name;
  const storage = `CREATE TABLE IF NOT EXISTS ${db}.${local} (${spec.columns}) ENGINE = ${engineSql(spec.engine)}${
    spec.partitionBy ? ` PARTITION BY ${spec.partitionBy}` : ''} ORDER BY ${spec.orderBy}`;
  if (!topology.cluster) return [storage];
  return [
    storage,
    `CREATE TABLE IF NOT EXISTS ${db}.${spec.name} AS ${db}.${local} ENGINE = Distributed(${topology.cluster}, ${db}, ${local}, ${spec.shardingKey})`,
  ];
}

/** ALTERs adding a column: the shard-local table first, so a Distributed insert never names a column a shard lacks. */
export function addColumnDdl(topology: Topology, table: string, column: string, type: string): { table: string; sql: string }[] {
  const add = (t: string) => ({ table: t, sql: `ALTER TABLE ${topology.database}.${t} ADD COLUMN ${column} ${type}` });
  return topology.cluster ? [add(`${table}_local`), add(table)] : [add(table)];
}

/** A model's prediction table: fixed columns here, one Nullable column per feature, segment, stage or score. */
export const predictionTable = (table: string, columns = ''): TableSpec => ({
  name: table,
  columns: `id String, ts_ms Int64, model_version Nullable(String), prediction_num Nullable(Float64),
    prediction_str Nullable(String), score Nullable(Float64), interval_low Nullable(Float64), interval_high Nullable(Float64),
    latency_ms Nullable(Float64), customer Nullable(String), received_ms Int64${columns}`,
  // A retried row repeats (ts_ms, id) exactly, so a copy that slipped past the insert-time check (two processes
  // racing) is collapsed by the merge, and reads with FINAL never count it twice.
  engine: 'ReplacingMergeTree',
  // Month partitions make retention a DROP PARTITION; toDateTime's zone only moves a boundary by hours.
  partitionBy: 'toYYYYMM(toDateTime(intDiv(ts_ms, 1000)))',
  orderBy: '(ts_ms, id)',
  shardingKey: 'cityHash64(id)',
});

const v1Tables: TableSpec[] = [
  // Mutable records are rows with a version: an update is a newer row, a read takes the latest (argMax or
  // ORDER BY version DESC LIMIT 1 BY key), and ReplacingMergeTree drops the old ones in the background.
  { name: 'meta', columns: 'key String, value String, version UInt64', engine: { replacingVersion: 'version' }, orderBy: 'key', shardingKey: 'cityHash64(key)' },
  {
    name: 'api_keys',
    columns: `id String, project String, role String, name Nullable(String), prefix String, hash String, created_at_ms Int64,
      revoked_at_ms Nullable(Int64), version UInt64`,
    engine: { replacingVersion: 'version' },
    orderBy: 'id',
    shardingKey: 'cityHash64(id)',
  },
  { name: 'configs', columns: 'project String, doc String, updated_at_ms Int64, version UInt64', engine: { replacingVersion: 'version' }, orderBy: 'project', shardingKey: 'cityHash64(project)' },
  // Table and column names are hashes of what they hold, so two processes creating the same model or column
  // make the same DDL and the same catalog row, which the engine collapses.
  { name: 'models', columns: 'project String, name String, table_name String, created_at_ms Int64', engine: 'ReplacingMergeTree', orderBy: '(project, name)', shardingKey: 'cityHash64(project, name)' },
  {
    name: 'model_columns',
    columns: 'project String, model String, source String, name String, type String, column_name String, created_at_ms Int64',
    engine: 'ReplacingMergeTree',
    orderBy: '(project, model, source, name, type)',
    shardingKey: 'cityHash64(project, model)',
  },
  // Every label received (corrections included); the one in force per id is argMax by (ts_ms, received_seq).
  {
    name: 'labels',
    columns: `project String, id String, label_json String, label_num Nullable(Float64), label_str Nullable(String), ts_ms Int64,
      source String, received_seq UInt64`,
    engine: 'ReplacingMergeTree',
    orderBy: '(project, id, source, ts_ms, label_json)',
    shardingKey: 'cityHash64(id)',
  },
  // The ids each model has stored, ordered by id: the insert-time duplicate check is a primary-key lookup here
  // instead of a scan of a prediction table ordered by time.
  { name: 'prediction_ids', columns: 'project String, model String, id String, ts_ms Int64', engine: 'ReplacingMergeTree', orderBy: '(project, model, id)', shardingKey: 'cityHash64(id)' },
  {
    name: 'cost_records',
    columns: `project String, charge_period_start_ms Int64, charge_period_end_ms Int64, billed_cost Float64,
      effective_cost Nullable(Float64), currency String, provider Nullable(String), service Nullable(String),
      resource_id Nullable(String), sku_id Nullable(String), pricing_category Nullable(String), charge_category Nullable(String),
      tags Nullable(String), x_category Nullable(String), x_model Nullable(String), x_customer Nullable(String),
      x_variable_share Nullable(Float64), record_json String, received_at_ms Int64`,
    engine: 'MergeTree',
    orderBy: '(project, charge_period_start_ms)',
    shardingKey: 'rand()',
  },
  {
    name: 'revenue',
    columns: 'project String, period_start_ms Int64, period_end_ms Int64, customer String, amount Float64, currency String, received_at_ms Int64',
    engine: 'MergeTree',
    orderBy: '(project, period_start_ms)',
    shardingKey: 'rand()',
  },
];

export const migrations: { version: number; description: string; ddl: (topology: Topology) => string[] }[] = [
  {
    version: 1,
    description: 'catalog, keys, labels, prediction ids, costs, revenue, config, meta',
    ddl: (topology) => v1Tables.flatMap((spec) => tableDdl(topology, spec)),
  },
];

/** Per node and never distributed: each node records what it has applied. */
export const migrationsTableSql = (database: string): string =>
  `CREATE TABLE IF NOT EXISTS ${database}.schema_migrations (version UInt32, applied_at_ms Int64) ENGINE = MergeTree() ORDER BY version`;
