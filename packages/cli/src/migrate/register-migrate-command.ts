import { resolve } from 'node:path';
import { OutlayError } from '@outlay/schema';
import { resolveStore } from '@outlay/server';
import { Option, type Command } from 'commander';

export interface MigrateCommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** Defaults from the environment, read by main.ts (OUTLAY_STORE, OUTLAY_DATA). */
export interface MigrateDefaults {
  store?: string | undefined;
  dataDir: string;
}

interface MigrateOptions {
  store?: string;
  data: string;
  format: 'text' | 'json';
}

/** `outlay migrate`: creates or upgrades the schema of the DuckDB file or the ClickHouse database, then exits. */
export function registerMigrateCommand(program: Command, io: MigrateCommandIo, state: { exitCode: number }, defaults: MigrateDefaults): void {
  program
    .command('migrate')
    .description('Create or upgrade the store schema (DuckDB in --data, or ClickHouse with --store) and exit.')
    .addOption(new Option('--store <url>', 'ClickHouse: clickhouse://host:8123/db[?cluster=NAME&nodes=host:port,…] (default $OUTLAY_STORE)').default(defaults.store).conflicts('data'))
    .option('--data <dir>', 'data directory of outlay.duckdb, when no --store (default $OUTLAY_DATA or .outlay)', defaults.dataDir)
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText('after', `
Prints {store, kind, applied}: applied is the number of migrations run now (0 when the schema was current).
On a cluster, the DDL runs on every server in nodes=… (docs/clickhouse.md). Exit 2 when the store cannot be reached.

Examples:
  outlay migrate --data /var/lib/outlay
  outlay migrate --store clickhouse://127.0.0.1:8123/outlay --format json
  OUTLAY_STORE='clickhouse://10.0.0.1:8123/outlay?cluster=outlay&nodes=10.0.0.1:8123,10.0.0.2:8123' outlay migrate`)
    .action(async (opts: MigrateOptions, command: Command) => {
      // An explicit --data means DuckDB even when OUTLAY_STORE is set (an explicit --store with it is refused above).
      const url = command.getOptionValueSource('data') === 'cli' ? undefined : opts.store;
      const target = resolveStore({ url, dataDir: resolve(opts.data) });
      let store;
      try {
        store = await target.open();
      } catch (error) {
        if (error instanceof OutlayError && error.code === 'invalid_input') throw error;
        const reason = error instanceof Error ? error.message : String(error);
        io.stderr(`outlay: cannot open the ${target.kind} store at ${target.location}: ${reason}${target.kind === 'clickhouse' ? ' (is clickhouse-server running?)' : ''}\n`);
        state.exitCode = 2;
        return;
      }
      let applied: number;
      try {
        applied = await store.migrate();
      } finally {
        await store.close();
      }
      const result = { store: target.location, kind: target.kind, applied };
      io.stdout(opts.format === 'json'
        ? `${JSON.stringify(result)}\n`
        : `${target.location}: ${applied === 0 ? 'schema up to date' : `${applied} migration${applied === 1 ? '' : 's'} applied`}\n`);
    });
}
