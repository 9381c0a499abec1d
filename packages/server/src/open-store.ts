import { join } from 'node:path';
import { OutlayError } from '@outlay/schema';
import { openClickHouseStore, openDuckDbStore, type ClickHouseStoreOptions, type Store } from '@outlay/store';

/** Which store to open: a ClickHouse URL, or (without one) the embedded DuckDB file in `dataDir`. */
export interface StoreSpec {
  /** `clickhouse://host:8123/db`, optionally `?cluster=NAME&nodes=host:port,host:port`; absent: DuckDB. */
  url?: string | undefined;
  /** Folder of `outlay.duckdb` when no URL is given. */
  dataDir: string;
}

export interface ResolvedStore {
  kind: 'duckdb' | 'clickhouse';
  /** Where the store is, safe to print: the DuckDB path, or the URL without its password. */
  location: string;
  open(): Promise<Store>;
}

/**
 * Reads a store spec without connecting. ClickHouse URL query parameters: `cluster` (the `remote_servers`
 * cluster the tables are sharded over, with `<table>_local` plus Distributed `<table>`), `nodes` (comma-separated
 * `host:port` or URLs of every shard's server, where DDL runs; required with `cluster`), `quantiles`
 * (`exact` | `tdigest`) and `final` (`0` turns off FINAL reads: only when one process writes each model).
 *
 * @example resolveStore({ url: 'clickhouse://10.0.0.1:8123/outlay?cluster=outlay&nodes=10.0.0.1:8123,10.0.0.2:8123', dataDir: '.outlay' })
 */
export function resolveStore(spec: StoreSpec): ResolvedStore {
  if (spec.url === undefined || spec.url === '') {
    const path = join(spec.dataDir, 'outlay.duckdb');
    return { kind: 'duckdb', location: path, open: () => openDuckDbStore(path) };
  }
  let parsed: URL;
  try {
    parsed = new URL(spec.url);
  } catch (error) {
    throw new OutlayError('invalid_input', `store: expected clickhouse://host:8123/database, got ${JSON.stringify(spec.url)}`, { cause: error });
  }
  if (!['clickhouse:', 'clickhouses:', 'http:', 'https:'].includes(parsed.protocol)) {
    throw new OutlayError('invalid_input', `store: expected a clickhouse://, clickhouses://, http:// or https:// URL, got ${JSON.stringify(spec.url)}`);
  }
  const options = clickHouseOptions(parsed);
  const base = new URL(parsed.href);
  base.search = '';
  const location = new URL(parsed.href);
  if (location.password) location.password = '***';
  return { kind: 'clickhouse', location: location.href, open: () => openClickHouseStore(base.href, options) };
}

/** Opens (without migrating) the store a spec names. */
export function openStore(spec: StoreSpec): Promise<Store> {
  return resolveStore(spec).open();
}

const knownParams = new Set(['cluster', 'nodes', 'quantiles', 'final']);

function clickHouseOptions(url: URL): ClickHouseStoreOptions {
  for (const key of url.searchParams.keys()) {
    if (!knownParams.has(key)) throw new OutlayError('invalid_input', `store URL: unknown parameter "${key}"; expected ${[...knownParams].join(', ')}`);
  }
  const options: ClickHouseStoreOptions = {};
  const cluster = url.searchParams.get('cluster');
  const nodes = url.searchParams.get('nodes');
  if ((cluster === null) !== (nodes === null)) {
    throw new OutlayError('invalid_input', 'store URL: "cluster" and "nodes" go together (nodes: every shard server as host:port, comma-separated)');
  }
  if (cluster !== null && nodes !== null) {
    const scheme = url.protocol === 'https:' || url.protocol === 'clickhouses:' ? 'https' : 'http';
    const list = nodes.split(',').map((n) => n.trim()).filter((n) => n !== '');
    if (cluster === '' || list.length === 0) throw new OutlayError('invalid_input', 'store URL: "cluster" and "nodes" must not be empty');
    options.cluster = { name: cluster, nodes: list.map((n) => (/^[a-z]+:\/\//i.test(n) ? n : `${scheme}://${n}`)) };
  }
  const quantiles = url.searchParams.get('quantiles');
  if (quantiles !== null) {
    if (quantiles !== 'exact' && quantiles !== 'tdigest') throw new OutlayError('invalid_input', `store URL: quantiles must be exact or tdigest, got "${quantiles}"`);
    options.quantiles = quantiles;
  }
  const final = url.searchParams.get('final');
  if (final !== null) {
    if (final !== '0' && final !== '1') throw new OutlayError('invalid_input', `store URL: final must be 0 or 1, got "${final}"`);
    options.finalReads = final === '1';
  }
  return options;
}
