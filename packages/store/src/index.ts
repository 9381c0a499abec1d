export * from './store.js';
export { openDuckDbStore, DuckDbStore, type DuckDbStoreOptions } from './duckdb/open-duckdb-store.js';
export { openClickHouseStore, ClickHouseStore, parseClickHouseUrl, type ClickHouseStoreOptions } from './clickhouse/open-clickhouse-store.js';
