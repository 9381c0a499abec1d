import { resolve } from 'node:path';
import { OutlayError, ProjectConfig } from '@outlay/schema';
import { funnelStagePriors } from '@outlay/stats';
import { Option, type Command } from 'commander';
import { computeRcaReport, DEFAULT_MAX_LEAVES, parseRcaMetric, rcaReportText } from '@outlay/analysis';
import { readStructuredFile } from '../read-structured-file.js';
import { splitList } from '../split-list.js';

export interface RcaCommandIo {
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

interface RcaCommandOptions {
  baseline?: string;
  current?: string;
  input?: string;
  dimensions: string;
  metric: string;
  actual?: string;
  expected?: string;
  time?: string;
  at?: string;
  priors?: string;
  config?: string;
  maxSlices: string;
  maxLeaves: string;
  format: 'text' | 'json';
}

/** Parses `dim=weight` and `dim:value=weight` pairs into prior weights per dimension or per value. */
function parsePriors(text: string, dimensions: readonly string[], flag = '--priors'): Record<string, number> {
  const priors: Record<string, number> = {};
  for (const part of splitList(text)) {
    const at = part.lastIndexOf('=');
    const key = part.slice(0, at);
    const w = Number(part.slice(at + 1));
    const dimension = key.includes(':') ? key.slice(0, key.indexOf(':')) : key;
    if (at <= 0 || !dimensions.includes(dimension) || !(w > 0)) {
      throw new OutlayError('invalid_input', `${flag}: expected dimension=weight or dimension:value=weight with a dimension of --dimensions and a positive weight, got "${part}"`);
    }
    priors[key] = w;
  }
  return priors;
}

/**
 * Priors from a project config file (JSON, as `PUT /v1/config` takes): its `priors` for the dimensions searched,
 * and, when a dimension is named like the funnel's stage dimension (`stage`), its funnel stages weighted by how
 * near the output they are (funnelStagePriors).
 */
function configPriors(path: string, dimensions: readonly string[]): Record<string, number> {
  let config: ProjectConfig;
  try {
    config = ProjectConfig.parse(readStructuredFile(path, '--config'));
  } catch (error) {
    if (error instanceof OutlayError) throw error;
    const reason = error instanceof Error && 'issues' in error ? (error as { issues: { path: PropertyKey[]; message: string }[] }).issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`).join('; ') : (error as Error).message;
    throw new OutlayError('invalid_input', `${path} (--config): ${reason.split('\n')[0]}`, { cause: error });
  }
  const priors: Record<string, number> = {};
  for (const [key, weight] of Object.entries(config.priors)) {
    const dimension = key.includes(':') ? key.slice(0, key.indexOf(':')) : key;
    if (dimensions.includes(dimension)) priors[key] = weight;
  }
  if (dimensions.includes('stage') && config.funnel.length > 0) Object.assign(priors, funnelStagePriors(config.funnel.map((s) => s.name)));
  return priors;
}

/**
 * Adds `outlay rca` to the program. Bad input throws OutlayError('invalid_input') (exit 2, one line on stderr).
 * `state` is unused: rca has no failure exit code; kept so every command registers the same way.
 */
export function registerRcaCommand(program: Command, io: RcaCommandIo, _state: { exitCode: number }): Command {
  return program
    .command('rca')
    .description('Explain the change of a metric across dimensions: root causes, ranked explanations, mix vs rate.')
    .option('--baseline <file>', 'baseline period: raw rows or pre-aggregated leaves (.parquet, .csv, .ndjson)')
    .option('--current <file>', 'current period, same columns')
    .option('--input <file>', 'one file of leaves with an actual and an expected column')
    .requiredOption('--dimensions <a,b>', 'dimension columns')
    .option('--metric <metric>', 'count | sum:col | mean:col | rate:num/den (with --baseline/--current)', 'count')
    .option('--actual <column>', 'observed value column (with --input)')
    .option('--expected <column>', 'forecast column (with --input)')
    .option('--time <column>', 'time column of a series of leaves (with --input and --metric; each distinct value is a window)')
    .option('--at <time>', 'the window to explain; expected = each leaf\'s median over the earlier windows')
    .option('--priors <dim=w,dim:value=w,…>', 'prior weight per dimension or per value (default 1 each)')
    .option('--config <file>', "project config (outlay.yaml or JSON): its priors, and its funnel's stages for a `stage` dimension (nearer the output, likelier)")
    .option('--max-slices <n>', 'at most this many root causes', '3')
    .option('--max-leaves <n>', 'refuse inputs with more distinct leaves than this (memory guard)', String(DEFAULT_MAX_LEAVES))
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText('after', `
Method: a ripple-effect search (Squeeze, ISSRE 2019; HotSpot 2018): each slice's leaves are assumed to move in
proportion to the slice; disjoint sets of up to --max-slices slices (1–3 dimensions each) are scored by how
much of the leaves' deviation beyond noise they remove. Rate metrics are searched twice (rate inside slices,
mix of the denominator) and explained counterfactually on the aggregate rate.

Examples:
  outlay rca --baseline jan.parquet --current feb.parquet --dimensions region,device --metric rate:errors/requests
  outlay rca --input case.csv --dimensions a,b,c,d --actual real --expected predict --format json
  outlay rca --input hourly.parquet --time hour --at '2026-11-28 10:00:00' --dimensions region --metric rate:errors/requests`)
    .action(async (opts: RcaCommandOptions) => {
      const dimensions = splitList(opts.dimensions);
      if (dimensions.length === 0) throw new OutlayError('invalid_input', '--dimensions: expected at least one column name');
      if (new Set(dimensions).size !== dimensions.length) throw new OutlayError('invalid_input', `--dimensions: a column is listed twice in "${opts.dimensions}"`);
      const maxSlices = Number(opts.maxSlices);
      if (!(Number.isInteger(maxSlices) && maxSlices >= 1 && maxSlices <= 5)) throw new OutlayError('invalid_input', `--max-slices: expected an integer from 1 to 5, got "${opts.maxSlices}"`);
      const maxLeaves = Number(opts.maxLeaves);
      if (!(Number.isInteger(maxLeaves) && maxLeaves >= 1)) throw new OutlayError('invalid_input', `--max-leaves: expected a positive integer, got "${opts.maxLeaves}"`);
      const priors = { ...(opts.config === undefined ? {} : configPriors(resolve(opts.config), dimensions)), ...(opts.priors === undefined ? {} : parsePriors(opts.priors, dimensions)) };
      const search = { maxSlices, ...(Object.keys(priors).length === 0 ? {} : { priors }) };
      if ((opts.time === undefined) !== (opts.at === undefined)) throw new OutlayError('invalid_input', '--time and --at go together');
      let report;
      if (opts.time !== undefined && opts.at !== undefined) {
        if (opts.input === undefined || opts.baseline !== undefined || opts.current !== undefined) throw new OutlayError('invalid_input', '--time/--at need --input (one file of windows), not --baseline/--current');
        report = await computeRcaReport({ mode: 'time-series', input: resolve(opts.input), time: opts.time, at: opts.at, dimensions, metric: parseRcaMetric(opts.metric), search, maxLeaves });
      } else if (opts.input !== undefined) {
        if (opts.baseline !== undefined || opts.current !== undefined) throw new OutlayError('invalid_input', '--input cannot be combined with --baseline/--current');
        if (opts.actual === undefined || opts.expected === undefined) throw new OutlayError('invalid_input', '--input needs --actual <column> and --expected <column>');
        report = await computeRcaReport({ mode: 'forecast', input: resolve(opts.input), dimensions, actual: opts.actual, expected: opts.expected, search, maxLeaves });
      } else {
        if (opts.baseline === undefined || opts.current === undefined) throw new OutlayError('invalid_input', 'rca needs --baseline and --current, or --input with --actual and --expected');
        report = await computeRcaReport({ mode: 'two-files', baseline: resolve(opts.baseline), current: resolve(opts.current), dimensions, metric: parseRcaMetric(opts.metric), search, maxLeaves });
      }
      io.stdout(opts.format === 'json' ? `${JSON.stringify(report)}\n` : `${rcaReportText(report)}\n`);
    });
}
