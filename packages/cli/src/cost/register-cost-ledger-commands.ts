import { resolve } from 'node:path';
import { OutlayError } from '@outlay/schema';
import { Option, type Command } from 'commander';
import { callCostApi, expectOk } from './call-cost-api.js';
import type { CostDestination } from './import-focus.js';
import { loadCostEntries } from './load-cost-entries.js';

/** What the commands print to and read the environment from (the shape of register-cost-commands' io). */
export interface CostLedgerCommandsIo {
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const formatOption = () => new Option('--format <format>', 'output format').choices(['text', 'json']).default('text');

interface DestinationOptions {
  project: string;
  data?: string;
  server?: string;
  key?: string;
  format: string;
}

function withDestination(command: Command, keyRole: string): Command {
  return command
    .requiredOption('--project <name>', 'the project')
    .option('--data <dir>', 'the embedded store in this data directory (default $OUTLAY_DATA or .outlay)')
    .option('--server <url>', 'a running server instead (needed while `outlay serve` holds the data directory)')
    .option('--key <key>', `${keyRole} key for --server (default $OUTLAY_KEY, then $OUTLAY_ADMIN_KEY)`)
    .addOption(formatOption());
}

function destinationOf(opts: DestinationOptions, env: NodeJS.ProcessEnv): CostDestination {
  if (opts.data !== undefined && opts.server !== undefined) throw new OutlayError('invalid_input', 'give --data or --server, not both');
  if (opts.server !== undefined) {
    const key = opts.key ?? env.OUTLAY_KEY ?? env.OUTLAY_ADMIN_KEY;
    if (!key) throw new OutlayError('invalid_input', '--server needs a key: pass --key or set OUTLAY_KEY');
    return { kind: 'server', url: opts.server, key };
  }
  return { kind: 'store', dataDir: resolve(opts.data ?? env.OUTLAY_DATA ?? '.outlay') };
}

const query = (params: Record<string, string | undefined>): string => {
  const search = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined));
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
};

interface EntriesResult {
  received: number;
  accepted: number;
  records: number;
  cost_usd: number;
  rejected: { index: number; field: string; message: string }[];
}

/**
 * Adds `outlay cost add`, `outlay cost unit-metrics` and `outlay cost opportunities`: the manual ledger, unit
 * economics and ranked savings, through the server's cost routes (in-process over `--data`, or over HTTP).
 */
export function registerCostLedgerCommands(cost: Command, io: CostLedgerCommandsIo): void {
  withDestination(cost.command('add'), 'ingest or admin')
    .description('Add manual costs (people, annotation, tools, amortised assets, serving deployments) to the ledger, all or nothing unless --partial.')
    .requiredOption('--file <file>', 'entries as CSV (a column per field) or JSON (an array of entries)')
    .option('--partial', 'add the good entries and report the bad ones, instead of adding nothing')
    .addHelpText('after', `
Entry kinds (fields; * required):
  expense     kind*, name*, category*, amount_usd* (per month), start_month* (YYYY-MM), end_month, vendor,
              model, customer, variable_share
  asset       kind*, name*, cost_usd*, life_months* (≥ 1), in_service* (YYYY-MM-DD), salvage_usd, method
              (straight-line | declining-balance), service_per_month_usd, breakage_per_month_usd, category
              (default fixed.hardware), model, customer, variable_share — amortised into monthly records
  deployment  kind*, model*, instance*, replicas*, start_month*, end_month, price_per_hour_usd, or vendor,
              service, region, purchase_option to price it from the price book (a missing price is an error)
Categories: variable.compute, variable.bandwidth, variable.operations, fixed.hardware,
fixed.development.training, fixed.development.developers.

Examples:
  outlay cost add --file costs.csv --project demo --data .outlay --format json
  outlay cost add --file costs.json --project demo --server http://127.0.0.1:4100 --key $OUTLAY_KEY --partial`)
    .action(async (opts: DestinationOptions & { file: string; partial?: boolean }) => {
      const destination = destinationOf(opts, io.env);
      const entries = await loadCostEntries(opts.file);
      const response = await callCostApi(destination, opts.project, { method: 'POST', path: `/v1/cost-entries${opts.partial ? '?partial=true' : ''}`, body: entries });
      const refused = response.body as { error?: { message?: string; details?: { rejected?: EntriesResult['rejected'] } } } | null;
      const first = refused?.error?.details?.rejected?.[0];
      if (response.status === 400 && first) {
        const count = refused!.error!.details!.rejected!.length;
        throw new OutlayError('invalid_input', `${opts.file}: row ${first.index + 1}, column ${first.field}: ${first.message}${count > 1 ? ` (${count} rows have problems)` : ''}; nothing was added (--partial adds the other rows)`);
      }
      const result = expectOk<EntriesResult>(response, opts.file);
      const out = {
        file: opts.file,
        project: opts.project,
        destination: destination.kind === 'server' ? destination.url : destination.dataDir,
        rows: result.received,
        added: result.accepted,
        records: result.records,
        cost_usd: result.cost_usd,
        rejected: result.rejected.map((p) => ({ row: p.index + 1, column: p.field, message: p.message })),
      };
      io.stdout(opts.format === 'json'
        ? `${JSON.stringify(out)}\n`
        : `${[`${opts.file}: ${out.added} of ${out.rows} entries added to project ${opts.project} as ${out.records} monthly cost records ($${out.cost_usd.toFixed(2)})`,
            ...out.rejected.slice(0, 10).map((p) => `rejected: row ${p.row}, column ${p.column}: ${p.message}`)].join('\n')}\n`);
    });

  withDestination(cost.command('unit-metrics'), 'read')
    .description('Unit economics per period: variable cost per prediction, per customer, per revenue dollar, as % of ARR, contribution margin, marginal cost trend.')
    .option('--from <time>', 'first period start, ISO 8601 (default: all)')
    .option('--to <time>', 'end, exclusive (default: all)')
    .addOption(new Option('--period <period>', 'period').choices(['month', 'day']).default('month'))
    .addOption(new Option('--idle-share <how>', 'how idle serving capacity reaches customers').choices(['proportional', 'even', 'none']).default('proportional'))
    .option('--top-customers <n>', 'customers listed per period, largest variable cost first', '50')
    .addHelpText('after', `
Serving cost is the ledger's variable.compute rows that name a model (e.g. deployments from \`outlay cost add\`):
it is allocated to customers by compute-seconds (Σ logged latency), idle capacity its own line. ARR is the run
rate of the period's revenue. marginal_cost_trend.volume_elasticity b: variable cost ∝ predictions^b (b < 1:
cost per prediction falls as volume grows).

Examples:
  outlay cost unit-metrics --project demo --data .outlay --format json
  outlay cost unit-metrics --project demo --server http://127.0.0.1:4100 --key $OUTLAY_KEY --period day --from 2001-03-01`)
    .action(async (opts: DestinationOptions & { from?: string; to?: string; period: string; idleShare: string; topCustomers: string }) => {
      const path = `/v1/costs/unit-metrics${query({ from: opts.from, to: opts.to, period: opts.period, idle_share: opts.idleShare, top_customers: opts.topCustomers })}`;
      const result = expectOk<UnitMetricsBody>(await callCostApi(destinationOf(opts, io.env), opts.project, { method: 'GET', path }), 'unit metrics');
      io.stdout(opts.format === 'json' ? `${JSON.stringify(result)}\n` : `${unitMetricsText(result)}\n`);
    });

  withDestination(cost.command('opportunities'), 'read')
    .description('Ranked savings from the stored usage and ledger: idle capacity, peak-to-mean, spot-eligible training, redundant predictions, retention.')
    .option('--from <time>', 'window start, ISO 8601 (default: the latest month with ledger rows, up to that of the last prediction)')
    .option('--to <time>', 'window end, exclusive')
    .option('--target-utilisation <u>', 'busy share a replica may run at', '0.7')
    .option('--duplicate-share <s>', 'share of predictions repeating a near-identical previous input (e.g. consecutive video frames)')
    .option('--spot-discount <d>', 'spot discount for training (default: from the price catalogue)')
    .option('--retained-months <n>', 'months of stored data kept', '12')
    .option('--hot-months <n>', 'months that must stay in the hot tier', '1')
    .addHelpText('after', `
Examples:
  outlay cost opportunities --project demo --data .outlay --format json
  outlay cost opportunities --project demo --server http://127.0.0.1:4100 --key $OUTLAY_KEY --duplicate-share 0.08`)
    .action(async (opts: DestinationOptions & { from?: string; to?: string; targetUtilisation: string; duplicateShare?: string; spotDiscount?: string; retainedMonths: string; hotMonths: string }) => {
      const path = `/v1/costs/opportunities${query({
        from: opts.from,
        to: opts.to,
        target_utilisation: opts.targetUtilisation,
        duplicate_share: opts.duplicateShare,
        spot_discount: opts.spotDiscount,
        retained_months: opts.retainedMonths,
        hot_months: opts.hotMonths,
      })}`;
      const result = expectOk<OpportunitiesBody>(await callCostApi(destinationOf(opts, io.env), opts.project, { method: 'GET', path }), 'opportunities');
      io.stdout(opts.format === 'json' ? `${JSON.stringify(result)}\n` : `${opportunitiesText(result)}\n`);
    });
}

interface UnitMetricsBody {
  project: string;
  periods: {
    period: string;
    predictions: number;
    customers: number;
    revenue_usd: number;
    variable_cost_usd: number;
    fixed_cost_usd: number;
    variable_cost_per_1k_predictions_usd: number | null;
    variable_cost_per_revenue_usd: number | null;
    variable_cost_pct_of_arr: number | null;
    contribution_margin_usd: number;
    contribution_margin_ratio: number | null;
    allocation: { idle: { cost_usd: number }; warnings: string[] };
  }[];
  marginal_cost_trend: { volume_elasticity: number | null; unit_cost_with_volume: string | null };
}

interface OpportunitiesBody {
  project: string;
  from: string;
  to: string;
  total_saving_usd: number;
  opportunities: { rank: number; title: string; saving_usd: number; cost_usd: number }[];
  notes: string[];
}

const usd = (x: number) => `$${x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const maybe = (x: number | null, f: (x: number) => string) => (x === null ? '–' : f(x));

function unitMetricsText(r: UnitMetricsBody): string {
  const lines = r.periods.map((p) =>
    `${p.period.slice(0, 10)}  ${p.predictions} predictions, ${p.customers} customers; variable ${usd(p.variable_cost_usd)} ` +
    `(${maybe(p.variable_cost_per_1k_predictions_usd, usd)} per 1k, ${maybe(p.variable_cost_per_revenue_usd, (x) => x.toFixed(3))} per revenue $, ` +
    `${maybe(p.variable_cost_pct_of_arr, (x) => `${x.toFixed(1)}%`)} of ARR), fixed ${usd(p.fixed_cost_usd)}, idle serving ${usd(p.allocation.idle.cost_usd)}; ` +
    `revenue ${usd(p.revenue_usd)}, contribution margin ${usd(p.contribution_margin_usd)}${maybe(p.contribution_margin_ratio, (x) => ` (${(x * 100).toFixed(1)}%)`)}`,
  );
  const t = r.marginal_cost_trend;
  lines.push(t.volume_elasticity === null
    ? 'marginal cost trend: too few periods with volume and cost'
    : `marginal cost trend: variable cost ∝ volume^${t.volume_elasticity.toFixed(2)}: cost per prediction ${t.unit_cost_with_volume} as volume grows`);
  for (const w of new Set(r.periods.flatMap((p) => p.allocation.warnings))) lines.push(`warning: ${w}`);
  return lines.join('\n');
}

function opportunitiesText(r: OpportunitiesBody): string {
  const lines = [`${r.project}, ${r.from.slice(0, 10)} to ${r.to.slice(0, 10)}: ${r.opportunities.length} opportunities, ${usd(r.total_saving_usd)} in all`];
  for (const o of r.opportunities) lines.push(`${o.rank}. save ${usd(o.saving_usd)} of ${usd(o.cost_usd)}: ${o.title}`);
  for (const n of r.notes) lines.push(`note: ${n}`);
  return lines.join('\n');
}
