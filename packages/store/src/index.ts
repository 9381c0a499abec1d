export * from './store.js';
export { openDuckDbStore, DuckDbStore, type DuckDbStoreOptions } from './duckdb/open-duckdb-store.js';
