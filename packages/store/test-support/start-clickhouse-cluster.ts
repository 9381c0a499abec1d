import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Starts throwaway clickhouse-server processes on loopback, each with its own directory, ports and config, forming
 * one cluster (`remote_servers`) of one replica per shard. For tests of the sharded layout; `stop()` ends them
 * and deletes their directories.
 */
export interface ClickHouseCluster {
  name: string;
  /** HTTP URL of each server, shard by shard (each shard's replicas together). */
  httpUrls: string[];
  tcpPorts: number[];
  stop(): Promise<void>;
}

export interface ClusterOptions {
  shards?: number;
  /**
   * Servers per shard (default 1). With more, each shard's replicas are written by the Distributed table itself
   * (`internal_replication` false: no ZooKeeper); servers are ordered shard by shard.
   */
  replicas?: number;
  name?: string;
  /** Path of the server binary (default: `clickhouse-server` on PATH). */
  binary?: string;
  startTimeoutMs?: number;
}

/** Whether a clickhouse-server binary can be run here, and if not, why. */
export function clickHouseServerMissing(binary = 'clickhouse-server'): string | null {
  const probe = spawnSync(binary, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  if (probe.error) return `cannot run ${binary}: ${probe.error.message}`;
  // 18.16 prints its version and exits 0; some builds exit non-zero on --version but still run.
  return null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

const xml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A minimal server config that 18.16 and current releases both read (`<yandex>` is still accepted as the root). */
function serverConfig(dir: string, ports: { http: number; tcp: number; interserver: number }, cluster: string, shardTcpPorts: number[][]): string {
  const shards = shardTcpPorts
    .map((replicas) => {
      const internal = replicas.length > 1 ? '<internal_replication>false</internal_replication>' : '';
      return `      <shard>${internal}${replicas.map((port) => `<replica><host>127.0.0.1</host><port>${port}</port></replica>`).join('')}</shard>`;
    })
    .join('\n');
  return `<?xml version="1.0"?>
<yandex>
  <logger>
    <level>warning</level>
    <log>${xml(join(dir, 'server.log'))}</log>
    <errorlog>${xml(join(dir, 'error.log'))}</errorlog>
  </logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>${ports.http}</http_port>
  <tcp_port>${ports.tcp}</tcp_port>
  <interserver_http_port>${ports.interserver}</interserver_http_port>
  <interserver_http_host>127.0.0.1</interserver_http_host>
  <path>${xml(join(dir, 'data'))}/</path>
  <tmp_path>${xml(join(dir, 'tmp'))}/</tmp_path>
  <user_files_path>${xml(join(dir, 'user_files'))}/</user_files_path>
  <format_schema_path>${xml(join(dir, 'format_schemas'))}/</format_schema_path>
  <users_config>users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mark_cache_size>268435456</mark_cache_size>
  <max_concurrent_queries>50</max_concurrent_queries>
  <remote_servers>
    <${cluster}>
${shards}
    </${cluster}>
  </remote_servers>
</yandex>
`;
}

const usersConfig = `<?xml version="1.0"?>
<yandex>
  <profiles>
    <default>
      <max_memory_usage>1000000000</max_memory_usage>
      <max_threads>2</max_threads>
    </default>
  </profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
  </users>
  <quotas>
    <default>
      <interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval>
    </default>
  </quotas>
</yandex>
`;

async function waitForHttp(url: string, child: ChildProcess, dir: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      const response = await fetch(`${url}/?query=SELECT%201`);
      if (response.ok) return;
    } catch {
      // Not listening yet: wait and ask again.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  let log = '';
  try {
    log = readFileSync(join(dir, 'error.log'), 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    log = '(no error log)';
  }
  throw new Error(`clickhouse-server for ${url} did not answer within ${timeoutMs} ms (exit code ${child.exitCode}):\n${log}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Starts `shards` × `replicas` servers (default 2 × 1) as cluster `name` (default `outlay_test`). */
export async function startClickHouseCluster(options: ClusterOptions = {}): Promise<ClickHouseCluster> {
  const replicas = options.replicas ?? 1;
  const count = (options.shards ?? 2) * replicas;
  const name = options.name ?? 'outlay_test';
  const root = mkdtempSync(join(tmpdir(), 'outlay-clickhouse-'));
  const ports: { http: number; tcp: number; interserver: number }[] = [];
  for (let i = 0; i < count; i++) ports.push({ http: await freePort(), tcp: await freePort(), interserver: await freePort() });
  const children: ChildProcess[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(children.map(stopChild));
    rmSync(root, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < count; i++) {
      const dir = join(root, `shard-${i + 1}`);
      for (const sub of ['data', 'tmp', 'user_files', 'format_schemas']) mkdirSync(join(dir, sub), { recursive: true });
      const layout = Array.from({ length: count / replicas }, (_, shard) => ports.slice(shard * replicas, (shard + 1) * replicas).map((p) => p.tcp));
      writeFileSync(join(dir, 'config.xml'), serverConfig(dir, ports[i]!, name, layout));
      writeFileSync(join(dir, 'users.xml'), usersConfig);
      const child = spawn(options.binary ?? 'clickhouse-server', [`--config-file=${join(dir, 'config.xml')}`], { cwd: dir, stdio: 'ignore' });
      child.on('error', () => undefined);
      children.push(child);
    }
    await Promise.all(children.map((child, i) => waitForHttp(`http://127.0.0.1:${ports[i]!.http}`, child, join(root, `shard-${i + 1}`), options.startTimeoutMs ?? 30_000)));
  } catch (error) {
    await stop();
    throw error;
  }
  return { name, httpUrls: ports.map((p) => `http://127.0.0.1:${p.http}`), tcpPorts: ports.map((p) => p.tcp), stop };
}
