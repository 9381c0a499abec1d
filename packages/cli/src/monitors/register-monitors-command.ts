import { readFileSync } from 'node:fs';
import { OutlayError } from '@outlay/schema';
import { Option, type Command } from 'commander';
import { connectionOptions, serverJson } from '../server-request.js';
import { splitList } from '../split-list.js';
import { parseCondition } from './parse-condition.js';

export interface MonitorsCommandIo {
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

interface Connection {
  server?: string;
  key?: string;
  project?: string;
  format: 'text' | 'json';
}

interface MonitorView {
  id: string;
  name: string;
  model: string;
  metric: string;
  window: string;
  slice?: { column: string; value: unknown };
  condition?: Record<string, unknown>;
  threshold?: number;
  enabled: boolean;
}

/** `outlay monitors list|create|delete|evaluate` against a running server (the monitors API). */
export function registerMonitorsCommand(program: Command, io: MonitorsCommandIo): Command {
  const monitors = program.command('monitors').description('List, create, delete and evaluate monitors on a running server.');
  const connection = (cmd: Command) => connectionOptions(cmd, 'API key: admin to change or evaluate, read to list (default $OUTLAY_ADMIN_KEY, then $OUTLAY_KEY)');
  const request = (opts: Connection, method: string, path: string, body?: unknown): Promise<unknown> => serverJson(io.env, opts, method, path, body);
  const print = (opts: Connection, json: unknown, text: string) => io.stdout(opts.format === 'json' ? `${JSON.stringify(json)}\n` : `${text}\n`);

  connection(monitors.command('list'))
    .description("The project's monitors.")
    .action(async (opts: Connection) => {
      const result = (await request(opts, 'GET', '/v1/monitors')) as { monitors: MonitorView[] };
      const lines = result.monitors.map((m) => `${m.id}  ${m.name}  ${m.metric} of ${m.model}${m.slice ? ` [${m.slice.column}=${String(m.slice.value)}]` : ''} per ${m.window}  ${describeCondition(m)}${m.enabled ? '' : '  (disabled)'}`);
      print(opts, result, lines.length ? lines.join('\n') : 'no monitors');
    });

  connection(monitors.command('create'))
    .description('Create a monitor: a metric of a model, an optional slice, a window and a condition.')
    .option('--file <path>', 'the monitor as JSON (as POST /v1/monitors takes it); the other options are then not used')
    .option('--id <id>', 'id (default: generated)')
    .option('--name <name>', 'name shown in alerts')
    .option('--model <model>', 'model to watch')
    .option('--metric <metric>', 'predictions, label_coverage, error_rate, business_cost_per_1k, mean_score, latency_p95_ms or mae')
    .addOption(new Option('--window <window>', 'window').choices(['hour', 'day', 'week']).default('day'))
    .option('--condition <condition>', 'static:>:0.25 | relative:7:0.3[:increase] | control_limits:ewma|kalman[:28]')
    .option('--threshold <value>', 'short for --condition static:>:VALUE')
    .option('--slice <column:value>', 'watch one segment or feature value, e.g. origin:ORD')
    .option('--adjust <list>', 'seasonality to regress out first: weekday, hour')
    .option('--min-sample <n>', 'fewer rows behind the value: insufficient_data, never an alert', '30')
    .option('--webhook <url...>', 'webhook(s) to notify (Slack-compatible payload)')
    .option('--disabled', 'create it disabled (not evaluated on the schedule)')
    .addHelpText('after', `
Examples:
  outlay monitors create --name "fraud errors" --model fraud --metric error_rate --threshold 0.2 --key $OUTLAY_ADMIN_KEY --project demo
  outlay monitors create --name "delay cost" --model delay --metric business_cost_per_1k --condition control_limits:ewma \\
    --adjust weekday --slice origin:ORD --webhook https://hooks.slack.com/services/T/B/X --project demo --format json`)
    .action(async (opts: Connection & Record<string, string | string[] | boolean | undefined>) => {
      const body = opts.file !== undefined ? readJson(String(opts.file)) : monitorFromOptions(opts);
      const created = (await request(opts, 'POST', '/v1/monitors', body)) as MonitorView;
      print(opts, created, `created monitor ${created.id} (${created.name})`);
    });

  connection(monitors.command('delete'))
    .description('Delete a monitor and its alert state.')
    .argument('<id>', 'monitor id (from `monitors list`)')
    .action(async (id: string, opts: Connection) => {
      const result = await request(opts, 'DELETE', `/v1/monitors/${encodeURIComponent(id)}`);
      print(opts, result, `deleted monitor ${id}`);
    });

  connection(monitors.command('evaluate'))
    .description('Evaluate a monitor now; prints the evaluation and the alert state after it.')
    .argument('<id>', 'monitor id')
    .action(async (id: string, opts: Connection) => {
      const run = (await request(opts, 'POST', `/v1/monitors/${encodeURIComponent(id)}/evaluate`)) as {
        evaluation: { status: string; window_start: string | null; reason: string };
        alert: { status: string };
      };
      print(opts, run, `${id}: ${run.evaluation.status} (window ${run.evaluation.window_start ?? 'n/a'}): ${run.evaluation.reason}\nalert: ${run.alert.status}`);
    });
  return monitors;
}

function monitorFromOptions(opts: Record<string, string | string[] | boolean | undefined>): Record<string, unknown> {
  for (const required of ['name', 'model', 'metric'] as const) {
    if (opts[required] === undefined) throw new OutlayError('invalid_input', `--${required} is required (or give the whole monitor with --file)`);
  }
  if (opts.condition === undefined && opts.threshold === undefined) throw new OutlayError('invalid_input', 'give --condition or --threshold');
  const minSample = Number(opts.minSample);
  if (!(Number.isInteger(minSample) && minSample >= 1)) throw new OutlayError('invalid_input', `--min-sample: expected a positive integer, got "${String(opts.minSample)}"`);
  const slice = opts.slice === undefined ? undefined : String(opts.slice);
  const at = slice?.indexOf(':') ?? -1;
  if (slice !== undefined && at <= 0) throw new OutlayError('invalid_input', `--slice: expected column:value, got "${slice}"`);
  const threshold = opts.threshold === undefined ? undefined : Number(opts.threshold);
  if (threshold !== undefined && !Number.isFinite(threshold)) throw new OutlayError('invalid_input', `--threshold: expected a number, got "${String(opts.threshold)}"`);
  return {
    ...(opts.id !== undefined ? { id: opts.id } : {}),
    name: opts.name,
    model: opts.model,
    metric: opts.metric,
    window: opts.window,
    ...(opts.condition !== undefined ? { condition: parseCondition(String(opts.condition)) } : { threshold }),
    ...(slice !== undefined ? { slice: { column: slice.slice(0, at), value: slice.slice(at + 1) } } : {}),
    ...(opts.adjust !== undefined ? { adjust: splitList(String(opts.adjust)) } : {}),
    min_sample: minSample,
    webhooks: (opts.webhook as string[] | undefined) ?? [],
    enabled: opts.disabled !== true,
  };
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new OutlayError('invalid_input', `${path}: not a readable JSON file (--file): ${(error as Error).message}`, { cause: error });
  }
}

function describeCondition(m: MonitorView): string {
  const c = m.condition;
  if (!c) return m.threshold !== undefined ? `> ${m.threshold}` : 'no condition';
  if (c.type === 'static') return `${String(c.op)} ${String(c.value)}`;
  if (c.type === 'relative') return `${String(c.direction ?? 'both')} change > ${100 * Number(c.max_relative_change)} % vs ${String(c.baseline_windows)} windows`;
  return `outside ${String(c.smooth)} control limits`;
}
