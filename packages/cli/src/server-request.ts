import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OutlayError } from '@outlay/schema';
import { Option, type Command } from 'commander';

/** How a command reaches a running server: flags first, then OUTLAY_URL / OUTLAY_ADMIN_KEY / OUTLAY_KEY. */
export interface ServerConnection {
  server?: string;
  key?: string;
  /** With an admin key: the project acted on (X-Outlay-Project). */
  project?: string;
}

/**
 * One request to a running Outlay server. A 4xx answer becomes OutlayError('invalid_input') with the server's
 * message (exit 2), an unreachable server or a 5xx a plain Error (exit 1). Returns the raw Response.
 */
export async function serverRequest(env: NodeJS.ProcessEnv, connection: ServerConnection, method: string, path: string, body?: unknown): Promise<Response> {
  const url = (connection.server ?? env.OUTLAY_URL ?? `http://127.0.0.1:${env.PORT ?? 4100}`).replace(/\/$/, '');
  const keyFile = join(env.OUTLAY_DATA ?? '.outlay', 'admin.key');
  // As `outlay keys` does: beside a local server, its admin key file stands in for --key.
  const key = connection.key ?? env.OUTLAY_ADMIN_KEY ?? env.OUTLAY_KEY ?? (existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : undefined);
  if (!key) throw new OutlayError('invalid_input', `no API key: pass --key, set OUTLAY_ADMIN_KEY or OUTLAY_KEY, or run where ${keyFile} exists`);
  let response: Response;
  try {
    response = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(connection.project ? { 'x-outlay-project': connection.project } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (error) {
    throw new Error(`cannot reach the Outlay server at ${url} (${(error as Error).message}); is \`outlay serve\` running?`, { cause: error });
  }
  if (response.ok) return response;
  const payload = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
  const message = payload?.error?.message ?? `HTTP ${response.status}`;
  if (response.status >= 400 && response.status < 500) throw new OutlayError('invalid_input', message);
  throw new Error(`${response.status}: ${message}`);
}

/** The same, reading a JSON answer. */
export async function serverJson(env: NodeJS.ProcessEnv, connection: ServerConnection, method: string, path: string, body?: unknown): Promise<unknown> {
  return (await serverRequest(env, connection, method, path, body)).json();
}

/** The options every command that talks to a running server takes: --server, --key, --project, --format. */
export function connectionOptions(cmd: Command, keyHelp: string): Command {
  return cmd
    .option('--server <url>', 'Outlay server (default $OUTLAY_URL or http://127.0.0.1:4100)')
    .option('--key <key>', keyHelp)
    .option('--project <name>', 'project, when the key is an admin key')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'));
}
