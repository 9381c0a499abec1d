import { ClickHouseLogLevel, createClient } from '@clickhouse/client';

/** The server the ClickHouse tests use: `OUTLAY_TEST_CLICKHOUSE_URL`, default the local HTTP port. */
export const clickHouseTestUrl = (process.env.OUTLAY_TEST_CLICKHOUSE_URL ?? 'http://127.0.0.1:8123').replace(/\/+$/, '');

/** Why the test server cannot be used, or null when it answers a ping. */
export async function clickHouseUnavailable(url = clickHouseTestUrl): Promise<string | null> {
  const client = createClient({ url, request_timeout: 5_000, log: { level: ClickHouseLogLevel.OFF } });
  try {
    const ping = await client.ping();
    return ping.success ? null : `ClickHouse at ${url} did not answer a ping: ${String(ping.error)}`;
  } finally {
    await client.close();
  }
}

/** A database name no other test run uses, so runs and cases never see each other's rows. */
export function freshDatabaseName(prefix = 'outlay_test'): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}

/** Drops the test databases made on a server (by exact name). */
export async function dropDatabases(url: string, names: string[]): Promise<void> {
  if (names.length === 0) return;
  const client = createClient({ url, request_timeout: 30_000 });
  try {
    for (const name of names) await client.command({ query: `DROP DATABASE IF EXISTS ${name}` });
  } finally {
    await client.close();
  }
}
