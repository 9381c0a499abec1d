import { resolve } from 'node:path';
import { OutlayError } from '@outlay/schema';
import { capacityPlan, projectCost, type CapacityPlan, type CostProjection, type ScaleKnobs } from '@outlay/stats';
import { Option, type Command } from 'commander';
import { loadCostScenarioFile } from './cost-scenario-file.js';
import { costProjectionText } from './cost-projection-text.js';
import type { CostCommandsIo } from './cost-commands-io.js';
import { parseFocusCategoryRules } from './focus-category-rules.js';
import { importFocus, type FocusImportResult } from './import-focus.js';
import { readStructuredFile } from '../read-structured-file.js';
import { splitList } from '../split-list.js';
import { registerCostLedgerCommands } from './register-cost-ledger-commands.js';
import { registerCostLeversCommand } from './register-cost-levers-command.js';

export type { CostCommandsIo } from './cost-commands-io.js';

const formatOption = () => new Option('--format <format>', 'output format').choices(['text', 'json']).default('text');

/**
 * Adds `outlay cost capacity`, `outlay cost import` and `outlay cost project` to the program. Bad input throws
 * OutlayError('invalid_input'), which main turns into exit code 2 and one line on stderr.
 */
export function registerCostCommands(program: Command, io: CostCommandsIo): Command {
  const cost = program.command('cost').description('Cost and unit economics: capacity planning, the cost ledger and projections.');

  cost
    .command('capacity')
    .description('Replicas a model endpoint needs for a traffic level at a latency objective (M/M/c, Erlang C).')
    .requiredOption('--qps <n>', 'mean requests per second')
    .requiredOption('--service-ms <ms>', 'mean time one replica takes per request (measured from logged latency, or given)')
    .requiredOption('--p99-ms <ms>', 'objective: the quantile (default p99) of wait plus service must not exceed this')
    .option('--quantile <q>', 'the quantile the objective is about', '0.99')
    .option('--peak-to-mean <r>', 'peak traffic over mean traffic: capacity is bought for the peak', '1')
    .option('--price-per-hour <usd>', 'price of one replica per hour, for cost_per_hour_usd')
    .option('--max-replicas <n>', 'give up above this many replicas', '10000')
    .option('--batch-size <n>', 'serve requests in batches of this many (needs --batch-service-ms)')
    .option('--batch-service-ms <ms>', 'mean time one replica takes for a full batch')
    .addOption(formatOption())
    .addHelpText('after', `
Model: Poisson arrivals, exponential service times, first come first served (M/M/c). p99_latency_ms is the
99th percentile of the time in system (queueing wait plus service), from its closed-form distribution.
An objective below the service time's own quantile (−ln(1 − q) × service-ms) cannot be met by any count.
With --batch-size B: requests are batched in arrival order, a batch is one job of mean --batch-service-ms, and
the latency is an upper bound (time to fill the batch plus its time in system, union bound), so the plan is safe
under the model and may be a replica above the exact answer.

Examples:
  outlay cost capacity --qps 40 --service-ms 100 --p99-ms 500
  outlay cost capacity --qps 40 --service-ms 100 --p99-ms 500 --peak-to-mean 3 --price-per-hour 1.2 --format json`)
    .action((opts: { qps: string; serviceMs: string; p99Ms: string; quantile: string; peakToMean: string; pricePerHour?: string; maxReplicas: string; batchSize?: string; batchServiceMs?: string; format: string }) => {
      if ((opts.batchSize === undefined) !== (opts.batchServiceMs === undefined)) {
        throw new OutlayError('invalid_input', '--batch-size and --batch-service-ms go together: give both or neither');
      }
      const plan = planCapacity({
        qps: numberOption('--qps', opts.qps),
        serviceMs: numberOption('--service-ms', opts.serviceMs),
        p99Ms: numberOption('--p99-ms', opts.p99Ms),
        quantile: numberOption('--quantile', opts.quantile),
        peakToMean: numberOption('--peak-to-mean', opts.peakToMean),
        maxReplicas: numberOption('--max-replicas', opts.maxReplicas),
        ...(opts.pricePerHour === undefined ? {} : { pricePerReplicaHourUsd: numberOption('--price-per-hour', opts.pricePerHour) }),
        ...(opts.batchSize === undefined || opts.batchServiceMs === undefined
          ? {}
          : { batch: { size: numberOption('--batch-size', opts.batchSize), serviceMs: numberOption('--batch-service-ms', opts.batchServiceMs) } }),
      });
      io.stdout(opts.format === 'json' ? `${JSON.stringify(plan)}\n` : `${capacityText(plan)}\n`);
    });

  cost
    .command('import')
    .description('Import cloud billing in FOCUS 1.0 CSV into the cost ledger (all rows or none, unless --partial).')
    .requiredOption('--focus <file>', 'a FOCUS 1.0 CSV export')
    .requiredOption('--project <name>', 'project the costs belong to')
    .option('--data <dir>', 'write to the embedded store in this data directory (default $OUTLAY_DATA or .outlay)')
    .option('--server <url>', 'write through a running server instead (needed while `outlay serve` holds the data directory)')
    .option('--key <key>', 'ingest or admin key for --server (default $OUTLAY_KEY, then $OUTLAY_ADMIN_KEY)')
    .addOption(new Option('--cost <basis>', 'which FOCUS cost is the ledger cost').choices(['effective', 'billed']).default('effective'))
    .option('--currency <code>', "the ledger's currency: rows billed in another are refused", 'USD')
    .option('--partial', 'import the good rows and report the bad ones, instead of importing nothing')
    .option('--ignore-columns <columns>', 'comma-separated non-FOCUS columns to skip rather than refuse', '')
    .option('--rules <file>', 'your FOCUS → taxonomy mapping (JSON or YAML list of {when: {ServiceName: [...]}, category, why}) instead of the default')
    .addOption(formatOption())
    .addHelpText('after', `
Reads real exports leniently (bare NULL, quoted numbers, timestamps without T or Z, read as UTC); refuses
unparsable costs and dates, other currencies, and negative costs that are not credits, adjustments, corrections
or usage reversals, naming the row (1-based, after the header) and the column. Each row gets x_category from
ServiceCategory (Compute, AI and ML, Databases → variable.compute; Networking → variable.bandwidth; Storage,
Developer Tools → fixed.development.training; Management, Identity, Security → variable.operations; Other is left
unclassified). Cost rows have no idempotency key: importing the same file twice stores it twice.

Examples:
  outlay cost import --focus focus.csv --project demo --data .outlay --format json
  outlay cost import --focus focus.csv --project demo --server http://127.0.0.1:4100 --key $OUTLAY_KEY`)
    .action(async (opts: { focus: string; project: string; data?: string; server?: string; key?: string; cost: 'effective' | 'billed'; currency: string; partial?: boolean; ignoreColumns: string; rules?: string; format: string }) => {
      if (opts.data !== undefined && opts.server !== undefined) throw new OutlayError('invalid_input', 'give --data or --server, not both');
      if (!/^[A-Za-z]{3}$/.test(opts.currency)) throw new OutlayError('invalid_input', `--currency: expected a three-letter ISO 4217 code, got "${opts.currency}"`);
      let destination: Parameters<typeof importFocus>[0]['destination'];
      if (opts.server !== undefined) {
        const key = opts.key ?? io.env.OUTLAY_KEY ?? io.env.OUTLAY_ADMIN_KEY;
        if (!key) throw new OutlayError('invalid_input', '--server needs a key: pass --key or set OUTLAY_KEY');
        destination = { kind: 'server', url: opts.server, key };
      } else {
        destination = { kind: 'store', dataDir: resolve(opts.data ?? io.env.OUTLAY_DATA ?? '.outlay') };
      }
      const result = await importFocus({
        ...(opts.rules === undefined ? {} : { rules: parseFocusCategoryRules(readStructuredFile(resolve(opts.rules), '--rules'), opts.rules) }),
        file: opts.focus,
        project: opts.project,
        destination,
        costBasis: opts.cost,
        currency: opts.currency,
        partial: opts.partial === true,
        ignoreColumns: splitList(opts.ignoreColumns),
      });
      io.stdout(opts.format === 'json' ? `${JSON.stringify(result)}\n` : `${importText(result)}\n`);
    });

  cost
    .command('project')
    .description('Monthly cost of a scenario at 1×, 10×, 100×, 1000× volume: per prediction, at the margin, by taxonomy bucket.')
    .requiredOption('--scenario <file>', 'scenario file (JSON or YAML): volume, serving, bandwidth, storage, variety and cost lines')
    .option('--scales <list>', "comma-separated volume multiples (default: the file's scales, else 1,10,100,1000)")
    .addOption(formatOption())
    .addHelpText('after', `
For each scale: predictions = predictions_per_month × sampling_rate × scale; replicas for the peak
(peak_to_mean) by Erlang C at the p99 objective, whole instances of at least min_instances; bandwidth through
its price tiers; storage accumulating retained_months of logged bytes; customers and models growing as
at_base × scale^exponent, and the cost lines that follow them (per unit, in steps, or by a power law).
marginal_per_prediction_usd is (total − previous total) / (predictions − previous predictions).
A serving price comes from price_per_hour_usd or from a price-book key (the default catalogue, then the
file's price_book); a key with no price is an error, never $0. Scenario files are JSON (YAML is not supported:
the yaml package is not installed). See docs/examples/cost-scenario.json.

Examples:
  outlay cost project --scenario docs/examples/cost-scenario.json
  outlay cost project --scenario docs/examples/cost-scenario.json --scales 1,3,10,30,100 --format json`)
    .action((opts: { scenario: string; scales?: string; format: string }) => {
      const loaded = loadCostScenarioFile(opts.scenario, new Date().toISOString().slice(0, 10));
      const scales: (number | ScaleKnobs)[] = opts.scales !== undefined ? parseScales(opts.scales) : (loaded.scales ?? [1, 10, 100, 1000]);
      const scenarios = loaded.scenarios.map((s, i) => {
        let projection: CostProjection;
        try {
          projection = projectCost(s.scenario, scales);
        } catch (error) {
          if (error instanceof RangeError) throw new OutlayError('invalid_input', `${opts.scenario}: scenarios[${i}]: ${error.message}`, { cause: error });
          throw error;
        }
        return { ...projection, serving_price: s.price };
      });
      const result = { file: opts.scenario, price_date: loaded.price_date, scales, scenarios };
      io.stdout(opts.format === 'json' ? `${JSON.stringify(result)}\n` : `${scenarios.map(costProjectionText).join('\n\n')}\n`);
    });

  registerCostLedgerCommands(cost, io);
  registerCostLeversCommand(cost, io);
  return cost;
}

function parseScales(text: string): number[] {
  const parts = splitList(text);
  if (parts.length === 0) throw new OutlayError('invalid_input', '--scales: expected comma-separated numbers > 0, e.g. 1,10,100,1000');
  return parts.map((part) => {
    const value = Number(part);
    if (!(Number.isFinite(value) && value > 0)) throw new OutlayError('invalid_input', `--scales: expected numbers > 0, got "${part}"`);
    return value;
  });
}

function planCapacity(input: Parameters<typeof capacityPlan>[0]): CapacityPlan {
  try {
    return capacityPlan(input);
  } catch (error) {
    // stats throws RangeError for impossible input (stats knows nothing of OutlayError); to the user it is bad input.
    if (error instanceof RangeError) throw new OutlayError('invalid_input', error.message, { cause: error });
    throw error;
  }
}

function numberOption(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new OutlayError('invalid_input', `${flag}: expected a number, got "${text}"`);
  return value;
}

function capacityText(plan: CapacityPlan): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const ms = (x: number) => `${x.toFixed(1)} ms`;
  const usd = (x: number) => `$${x.toFixed(2)}/hour`;
  const q = `p${+(plan.objective.quantile * 100).toFixed(4)}`;
  const lines = [
    `${plan.replicas} replicas for ${plan.design_qps} requests/s at ${plan.service_ms} ms per request` +
      (plan.cost_per_hour_usd === null ? '' : ` (${usd(plan.cost_per_hour_usd)})`),
    `${q} latency ${plan.latency_method === 'upper-bound' ? 'at most ' : ''}${ms(plan.latency_at_quantile_ms)} (objective ${ms(plan.objective.latency_ms)}), utilisation ${pct(plan.utilization)}`,
    `${pct(plan.probability_of_waiting)} of requests wait; mean wait ${ms(plan.mean_wait_ms)}, mean latency ${ms(plan.mean_latency_ms)}`,
  ];
  if (plan.batch) lines.push(`batches of ${plan.batch.size} (${plan.batch.service_ms} ms each) fill in at most ${ms(plan.batch.fill_ms_at_quantile)} at the bound's quantile`);
  if (plan.peak_to_mean > 1) {
    lines.push(
      `peak is ${plan.peak_to_mean}× the mean of ${plan.mean_qps} requests/s: ${plan.replicas_for_mean} replicas would serve the mean; ` +
        `the peak costs ${plan.peak_gap_replicas} more` +
        (plan.peak_gap_cost_per_hour_usd === null ? '' : ` (${usd(plan.peak_gap_cost_per_hour_usd)})`) +
        `, and utilisation at the mean is ${pct(plan.utilization_at_mean)}`,
    );
  }
  return lines.join('\n');
}

function importText(result: FocusImportResult): string {
  const money = (x: number) => `${x.toFixed(2)} ${result.currency}`;
  const table = (title: string, groups: Record<string, { billed_cost: number; effective_cost: number }>) => [
    `${title}:`,
    ...Object.entries(groups).map(([name, s]) => `  ${name.padEnd(28)} billed ${money(s.billed_cost).padStart(14)}   effective ${money(s.effective_cost).padStart(14)}`),
  ];
  const lines = [
    `${result.file}: ${result.imported} of ${result.rows} rows imported into project ${result.project} (${result.destination})` +
      (result.rejected > 0 ? `, ${result.rejected} rejected` : ''),
    `cost (${result.cost_basis}): ${money(result.cost)}; billed ${money(result.totals.billed_cost)}, effective ${money(result.totals.effective_cost)}`,
    ...table('by provider', result.by_provider),
    ...table('by charge category', result.by_charge_category),
    ...table('by category', result.by_category),
    ...result.errors.slice(0, 10).map((e) => `rejected: ${e.message}`),
  ];
  if (result.ignored_columns.length > 0) lines.push(`ignored columns: ${result.ignored_columns.join(', ')}`);
  return lines.join('\n');
}
