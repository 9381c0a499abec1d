import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OutlayClient, OutlayClientError } from '@outlay/client';
import { OutlayError, Role } from '@outlay/schema';
import { startServer } from '@outlay/server';
import { Command, CommanderError, Option } from 'commander';
import { registerCostCommands } from './cost/register-cost-commands.js';
import { registerDiagnoseCommand } from './diagnose/register-diagnose-command.js';
import { registerIncidentsCommand } from './incidents/register-incidents-command.js';
import { registerDriftCommand } from './drift/register-drift-command.js';
import { registerHealthCommand } from './health/register-health-command.js';
import { registerMonitorsCommand } from './monitors/register-monitors-command.js';
import { registerMigrateCommand } from './migrate/register-migrate-command.js';
import { registerRcaCommand } from './rca/register-rca-command.js';
import { ingestFile } from './ingest-file.js';
import { readDeploymentConfig } from './read-deployment-config.js';
import { splitList } from './split-list.js';

const here = dirname(fileURLToPath(import.meta.url));
const version = (JSON.parse(readFileSync(join(here, '..', 'package.json'), 'utf8')) as { version: string }).version;
const defaultWebRoot = resolve(here, '..', '..', 'web', 'dist');

interface Io {
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** Thrown for bad input the user can fix: exit code 2 with a one-line message. */
class UsageError extends Error {}

function print(io: Io, format: string, json: unknown, text: string): void {
  io.stdout(format === 'json' ? `${JSON.stringify(json)}\n` : `${text}\n`);
}

function serverUrl(io: Io, given?: string): string {
  return given ?? io.env.OUTLAY_URL ?? `http://127.0.0.1:${io.env.PORT ?? 4100}`;
}

function adminKey(io: Io, given: string | undefined, dataDir: string): string {
  if (given) return given;
  if (io.env.OUTLAY_ADMIN_KEY) return io.env.OUTLAY_ADMIN_KEY;
  const file = join(dataDir, 'admin.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  throw new UsageError(`no admin key: pass --key, set OUTLAY_ADMIN_KEY, or run from where ${file} exists`);
}

function ingestKey(io: Io, given: string | undefined): string {
  const key = given ?? io.env.OUTLAY_KEY;
  if (!key) throw new UsageError('no API key: pass --key or set OUTLAY_KEY (create one with `outlay keys create --project P --role ingest`)');
  return key;
}

const formatOption = () => new Option('--format <format>', 'output format').choices(['text', 'json']).default('text');

function buildProgram(io: Io, state: { exitCode: number }): Command {
  const program = new Command('outlay')
    .description('Outlay: what your ML costs, how well it does in money, and why it got worse.')
    .version(version)
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', `
Start here:
  npm start                                             # or: outlay serve
  outlay keys create --project demo --role ingest       # a key for your model service
  outlay ingest predictions.parquet --model fraud-v2 --key $OUTLAY_KEY

Every command has --help with examples; --format json prints one JSON document on stdout.
Exit codes: 0 success, 1 failure, 2 bad input (one line on stderr).`);

  program
    .command('serve')
    .description('Run the API and dashboard on the embedded DuckDB store or ClickHouse (loads the flights demo on first start).')
    .option('--port <port>', 'port to listen on (0 picks a free one)', io.env.PORT ?? '4100')
    .option('--host <host>', 'address to bind (0.0.0.0 for all interfaces)', io.env.HOST ?? '127.0.0.1')
    .option('--data <dir>', 'data directory: outlay.duckdb and admin.key', io.env.OUTLAY_DATA ?? '.outlay')
    .option('--store <url>', 'ClickHouse instead of DuckDB: clickhouse://host:8123/db[?cluster=NAME&nodes=host:port,…] (default $OUTLAY_STORE, then `store:` in the config file)', io.env.OUTLAY_STORE || undefined)
    .option('--config <file>', 'outlay.yaml with deployment settings (`store:`); default ./outlay.yaml when it exists')
    .option('--no-demo', 'do not load the demo data on first start')
    .option('--demo-rows <n>', 'load only the first N demo predictions (default: all of February to June)')
    .option('--ingest-threads <n>', 'worker threads that parse and validate ingest bodies (0: on the main thread)', '1')
    .option('--monitor-interval <seconds>', 'how often monitors are evaluated (0: never on this server, e.g. all but one server of a cluster)', '60')
    .addHelpText('after', `
Environment:
  OUTLAY_ADMIN_KEY   admin key for deployments (otherwise one is created on first start and written to DIR/admin.key)
  OUTLAY_STORE       default for --store, e.g. clickhouse://127.0.0.1:8123/outlay (docs/clickhouse.md)
  PORT, HOST         defaults for --port and --host

Examples:
  outlay serve                          # http://127.0.0.1:4100, data in ./.outlay
  outlay serve --port 8080 --data /var/lib/outlay --no-demo
  outlay serve --store clickhouse://127.0.0.1:8123/outlay --no-demo
  outlay serve --config deploy/outlay.yaml     # store: clickhouse://… in the file`)
    .action(async (opts: { port: string; host: string; data: string; store?: string; config?: string; demo: boolean; demoRows?: string; ingestThreads: string; monitorInterval: string }) => {
      const store = opts.store ?? readDeploymentConfig(opts.config === undefined ? undefined : resolve(opts.config), resolve('outlay.yaml')).store;
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port: expected 0-65535, got "${opts.port}"`);
      const demoRows = opts.demoRows === undefined ? undefined : Number(opts.demoRows);
      if (demoRows !== undefined && !(Number.isInteger(demoRows) && demoRows > 0)) throw new UsageError(`--demo-rows: expected a positive integer, got "${opts.demoRows}"`);
      const decodeThreads = Number(opts.ingestThreads);
      if (!(Number.isInteger(decodeThreads) && decodeThreads >= 0 && decodeThreads <= 64)) throw new UsageError(`--ingest-threads: expected 0-64, got "${opts.ingestThreads}"`);
      const monitorSeconds = Number(opts.monitorInterval);
      if (!(monitorSeconds === 0 || (Number.isFinite(monitorSeconds) && monitorSeconds >= 1))) throw new UsageError(`--monitor-interval: expected 0 or a number of seconds ≥ 1, got "${opts.monitorInterval}"`);
      const server = await startServer({
        monitorIntervalMs: monitorSeconds * 1000,
        decodeThreads,
        port,
        host: opts.host,
        dataDir: resolve(opts.data),
        ...(store ? { store } : {}),
        adminKey: io.env.OUTLAY_ADMIN_KEY || undefined,
        webRoot: defaultWebRoot,
        demo: opts.demo,
        demoRows,
        version,
        log: (line) => io.stdout(`${line}\n`),
      });
      await new Promise<void>((done) => {
        // Ctrl-C reaches npm and the server alike, so a second signal often follows the first: let the first
        // finish (it checkpoints the store, so the next start need not replay the WAL) unless asked three times.
        let signals = 0;
        const stop = (signal: NodeJS.Signals) => {
          signals++;
          if (signals === 1) {
            io.stdout('shutting down (finishing writes, checkpointing the store)…\n');
            void server.close().then(done);
          } else if (signals >= 3) {
            io.stderr(`${signal} again: exiting now; acknowledged writes are safe in the write-ahead log\n`);
            process.exit(130);
          }
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });

  const keys = program.command('keys').description('Create, list and revoke API keys (through the running server).');
  const connection = (cmd: Command) =>
    cmd
      .option('--server <url>', 'Outlay server (default $OUTLAY_URL or http://127.0.0.1:4100)')
      .option('--key <key>', 'admin key (default $OUTLAY_ADMIN_KEY, or DIR/admin.key)')
      .option('--data <dir>', 'data directory holding admin.key', '.outlay')
      .addOption(formatOption());
  connection(keys.command('create'))
    .description('Create a key for a project; it is printed once and stored only as a hash.')
    .requiredOption('--project <name>', 'project the key belongs to')
    .addOption(new Option('--role <role>', 'what the key may do').choices(Role.options).makeOptionMandatory())
    .option('--name <name>', 'a note to recognise the key by')
    .addHelpText('after', `
Examples:
  outlay keys create --project demo --role ingest     # for your model service
  outlay keys create --project demo --role read       # for the dashboard`)
    .action(async (opts: { project: string; role: string; name?: string; server?: string; key?: string; data: string; format: string }) => {
      const body = { project: opts.project, role: opts.role, ...(opts.name ? { name: opts.name } : {}) };
      const created = (await adminRequest(io, opts, 'POST', '/v1/keys', body)) as { key: string; id: string; project: string; role: string };
      print(io, opts.format, created, `${created.key}\n(key ${created.id}, project ${created.project}, role ${created.role}; shown once, keep it safe)`);
    });
  connection(keys.command('list'))
    .description('List keys (ids, roles, prefixes; never secrets).')
    .option('--project <name>', 'only this project')
    .addHelpText('after', `
Examples:
  outlay keys list                      # every project's keys (with the server's admin key)
  outlay keys list --project demo --format json`)
    .action(async (opts: { project?: string; server?: string; key?: string; data: string; format: string }) => {
      const { keys: list } = (await adminRequest(io, opts, 'GET', `/v1/keys${opts.project ? `?project=${encodeURIComponent(opts.project)}` : ''}`)) as {
        keys: { id: string; project: string; role: string; name: string | null; created_at: string; revoked_at: string | null }[];
      };
      const lines = list.map((k) => `${k.id}  ${k.project.padEnd(16)} ${k.role.padEnd(7)} ${k.revoked_at ? `revoked ${k.revoked_at}` : 'active'}  ${k.name ?? ''}`);
      print(io, opts.format, { keys: list }, lines.length ? lines.join('\n') : 'no keys');
    });
  connection(keys.command('revoke'))
    .description('Revoke a key by id; requests with it fail from now on.')
    .argument('<id>', 'the key id (from `keys list`)')
    .addHelpText('after', `
Example:
  outlay keys revoke 4c60af804d04`)
    .action(async (id: string, opts: { server?: string; key?: string; data: string; format: string }) => {
      const result = await adminRequest(io, opts, 'DELETE', `/v1/keys/${encodeURIComponent(id)}`);
      print(io, opts.format, result, `revoked ${id}`);
    });

  program
    .command('ingest')
    .description('Send predictions from a file (Parquet, CSV or NDJSON) to a running server, streaming it.')
    .argument('<file>', 'a .parquet, .csv, .tsv, .ndjson or .jsonl file')
    .option('--model <name>', 'model for rows that do not name one')
    .option('--key <key>', 'ingest key (default $OUTLAY_KEY)')
    .option('--server <url>', 'Outlay server (default $OUTLAY_URL or http://127.0.0.1:4100)')
    .option('--project <name>', 'project, when the key is an admin key')
    .option('--id-column <name>', 'column holding the prediction id (without one, ids are FILE:ROW, so a rerun resumes)', 'id')
    .option('--timestamp-column <name>', 'column holding the prediction time', 'timestamp')
    .option('--segments <columns>', 'comma-separated columns to send as segments rather than features', '')
    .option('--exclude <columns>', 'comma-separated columns to leave out', '')
    .option('--batch-size <n>', 'rows per request', '1000')
    .option('--concurrency <n>', 'requests in flight', '4')
    .addOption(formatOption())
    .addHelpText('after', `
Columns: id, timestamp, prediction, score, model_version, latency_ms and customer map to the prediction's fields;
a label column is sent to /v1/labels too (with label_timestamp if present); every other column is a feature.
NDJSON rows already in the API's shape (with a "features" object) are sent as they are.
Ids make ingestion idempotent: rerunning after an interruption sends everything again and stores nothing twice.

Examples:
  outlay ingest predictions.parquet --model fraud-v2 --key $OUTLAY_KEY
  outlay ingest scored.csv --model churn --segments region,plan --id-column request_id --format json`)
    .action(async (file: string, opts: Record<string, string>) => {
      const positive = (name: string) => {
        const n = Number(opts[name]);
        if (!(Number.isInteger(n) && n > 0)) throw new UsageError(`--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: expected a positive integer, got "${opts[name]}"`);
        return n;
      };
      const list = (text: string | undefined) => new Set(splitList(text ?? ''));
      const client = new OutlayClient({
        url: serverUrl(io, opts.server),
        key: ingestKey(io, opts.key),
        ...(opts.project ? { project: opts.project } : {}),
        flushOnExit: false,
      });
      const result = await ingestFile(client, file, {
        model: opts.model,
        idColumn: opts.idColumn!,
        timestampColumn: opts.timestampColumn!,
        segments: list(opts.segments),
        exclude: list(opts.exclude),
        idPrefix: `${basename(file)}:`,
        batchSize: positive('batchSize'),
        concurrency: positive('concurrency'),
        progress: opts.format !== 'json' && process.stderr.isTTY === true,
      });
      print(io, opts.format!, result,
        `${file}: ${result.rows} rows, ${result.accepted} stored, ${result.duplicates} already there, ${result.rejected} rejected` +
          (result.labels ? `; labels: ${result.labels.accepted} stored, ${result.labels.duplicates} already there` : '') +
          ` (${result.seconds.toFixed(1)} s)`);
      if (result.rejected > 0) state.exitCode = 2;
    });

  registerCostCommands(program, io);
  registerDriftCommand(program, io, state);
  registerRcaCommand(program, io, state);
  registerDiagnoseCommand(program, io, state);
  registerIncidentsCommand(program, io);
  registerHealthCommand(program, io, state);
  registerMonitorsCommand(program, io);
  registerMigrateCommand(program, io, state, { store: io.env.OUTLAY_STORE || undefined, dataDir: io.env.OUTLAY_DATA ?? '.outlay' });
  return program;
}

async function adminRequest(io: Io, opts: { server?: string; key?: string; data: string }, method: string, path: string, body?: unknown): Promise<unknown> {
  const url = serverUrl(io, opts.server);
  const key = adminKey(io, opts.key, opts.data);
  let response: Response;
  try {
    response = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  } catch (error) {
    throw new Error(`cannot reach the Outlay server at ${url} (${(error as Error).message}); is \`outlay serve\` running?`);
  }
  const payload = (await response.json().catch(() => null)) as { error?: { message: string } } | null;
  if (!response.ok) {
    const message = payload?.error?.message ?? `HTTP ${response.status}`;
    if (response.status === 400 || response.status === 404) throw new UsageError(message);
    throw new Error(`${response.status}: ${message}`);
  }
  return payload;
}

/**
 * Runs the CLI and resolves to the exit code: 0 success, 1 failure (or a detected problem with --fail-on-…),
 * 2 bad input (one line on stderr naming what was wrong).
 */
export async function main(argv: string[], io: Io = { env: process.env, stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) }): Promise<number> {
  const state = { exitCode: 0 };
  const program = buildProgram(io, state);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
      return 2;
    }
    if (error instanceof UsageError || (error instanceof OutlayError && error.code === 'invalid_input')) {
      io.stderr(`outlay: ${error.message}\n`);
      return 2;
    }
    if (error instanceof OutlayClientError && (error.status === 400 || error.status === 401 || error.status === 403)) {
      io.stderr(`outlay: ${error.message}\n`);
      return 2;
    }
    io.stderr(`outlay: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  return state.exitCode;
}
