import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { OutlayError } from '@outlay/schema';
import { Option, type Command } from 'commander';
import { connectionOptions, serverJson, serverRequest, type ServerConnection } from '../server-request.js';

export interface IncidentsCommandIo {
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

type Options = ServerConnection & { format: 'text' | 'json' };

interface IncidentSummary {
  id: string;
  model: string;
  opened_at: string;
  failure_type: string | null;
  likelihood: number | null;
  root_causes: Record<string, string>[];
  confirmed: { type: string | null } | null;
}

const slice = (s: Record<string, string>) => Object.entries(s).map(([k, v]) => `${k}=${v}`).join(' & ');

/** `outlay incidents open|list|show|confirm|export` against a running server (the incidents API). */
export function registerIncidentsCommand(program: Command, io: IncidentsCommandIo): Command {
  const incidents = program.command('incidents').description('Open, list, show, confirm and export incidents on a running server.');
  const connection = (cmd: Command) => connectionOptions(cmd, 'API key: admin to open or confirm, read to list, show and export (default $OUTLAY_ADMIN_KEY, then $OUTLAY_KEY)');
  const print = (opts: Options, value: unknown, text: () => string) => io.stdout(opts.format === 'json' ? `${JSON.stringify(value)}\n` : `${text()}\n`);

  connection(incidents.command('open'))
    .description('Diagnose a model between a reference and a current window and record the incident')
    .requiredOption('--model <name>', 'model')
    .requiredOption('--reference <from..to>', 'reference window, ISO dates or times: 2026-01-01..2026-01-08')
    .requiredOption('--current <from..to>', 'current window')
    .action(async (opts: Options & { model: string; reference: string; current: string }) => {
      const [referenceFrom, referenceTo] = windowOf(opts.reference, '--reference');
      const [currentFrom, currentTo] = windowOf(opts.current, '--current');
      const incident = (await serverJson(io.env, opts, 'POST', '/v1/incidents', {
        model: opts.model,
        reference_from: referenceFrom,
        reference_to: referenceTo,
        current_from: currentFrom,
        current_to: currentTo,
      })) as { id: string; diagnosis: { failure_types: { type: string; likelihood: number }[]; root_causes: Record<string, string>[] } | null; reason: string | null };
      print(opts, incident, () => {
        if (!incident.diagnosis) return `incident ${incident.id}: ${incident.reason}`;
        const [top] = incident.diagnosis.failure_types;
        return `incident ${incident.id}: ${top!.type} (${(100 * top!.likelihood).toFixed(0)}%)${incident.diagnosis.root_causes.length ? `; root causes: ${incident.diagnosis.root_causes.map(slice).join(', ')}` : ''}`;
      });
    });

  connection(incidents.command('list'))
    .description("The project's incidents, newest first")
    .action(async (opts: Options) => {
      const { incidents: list } = (await serverJson(io.env, opts, 'GET', '/v1/incidents')) as { incidents: IncidentSummary[] };
      print(opts, { incidents: list }, () =>
        list.length === 0
          ? 'no incidents'
          : list
            .map((i) => `${i.id}  ${i.opened_at}  ${i.model}  ${i.failure_type ?? 'not diagnosed'}${i.root_causes.length ? `  ${i.root_causes.map(slice).join(', ')}` : ''}${i.confirmed ? '  (confirmed)' : ''}`)
            .join('\n'),
      );
    });

  connection(incidents.command('show'))
    .description('One incident in full')
    .argument('<id>')
    .action(async (id: string, opts: Options) => {
      const incident = await serverJson(io.env, opts, 'GET', `/v1/incidents/${encodeURIComponent(id)}`);
      print(opts, incident, () => JSON.stringify(incident, null, 2));
    });

  connection(incidents.command('confirm'))
    .description('Record the confirmed cause; it raises the prior of its dimensions in later incidents')
    .argument('<id>')
    .option('--type <failure-type>', 'bad_data, wrong_y, missing_features, limited_representation, extrapolation, interpolation or none')
    .option('--cause <dim=value,…>', 'the slice that was at fault, e.g. origin=ORD')
    .option('--note <text>', 'what was found')
    .action(async (id: string, opts: Options & { type?: string; cause?: string; note?: string }) => {
      const cause = opts.cause === undefined ? undefined : causeOf(opts.cause);
      const incident = await serverJson(io.env, opts, 'POST', `/v1/incidents/${encodeURIComponent(id)}/confirm`, {
        ...(opts.type === undefined ? {} : { type: opts.type }),
        ...(cause === undefined ? {} : { cause }),
        ...(opts.note === undefined ? {} : { note: opts.note }),
      });
      print(opts, incident, () => `incident ${id}: confirmed`);
    });

  connection(incidents.command('export'))
    .description("Download a window of an incident (the first root cause's slice unless --whole) to reproduce or re-score it")
    .argument('<id>')
    .requiredOption('--output <file>', 'where to write it (.parquet or .csv decides the format)')
    .addOption(new Option('--window <which>', 'which window').choices(['current', 'reference']).default('current'))
    .option('--whole', 'the whole window, not only the root cause slice')
    .action(async (id: string, opts: Options & { output: string; window: string; whole?: boolean }) => {
      const format = opts.output.endsWith('.csv') ? 'csv' : 'parquet';
      const response = await serverRequest(io.env, opts, 'GET', `/v1/incidents/${encodeURIComponent(id)}/export?window=${opts.window}&format=${format}&slice=${opts.whole ? 'false' : 'true'}`);
      const path = resolve(opts.output);
      writeFileSync(path, Buffer.from(await response.arrayBuffer()));
      const result = { path, rows: Number(response.headers.get('x-outlay-rows')), slice: response.headers.get('x-outlay-slice') };
      print(opts, result, () => `${path}: ${result.rows} rows${result.slice && result.slice !== 'none' ? ` of ${result.slice}` : ''}`);
    });
  return incidents;
}

function windowOf(text: string, flag: string): [string, string] {
  const [from, to, ...rest] = text.split('..');
  if (!from || !to || rest.length > 0) throw new OutlayError('invalid_input', `${flag}: expected FROM..TO (ISO dates or times), got "${text}"`);
  return [from, to];
}

function causeOf(text: string): Record<string, string> {
  const cause: Record<string, string> = {};
  for (const part of text.split(',')) {
    const at = part.indexOf('=');
    if (at <= 0) throw new OutlayError('invalid_input', `--cause: expected dim=value,…; got "${part}"`);
    cause[part.slice(0, at).trim()] = part.slice(at + 1).trim();
  }
  return cause;
}
