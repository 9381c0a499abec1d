import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { OutlayError } from '@outlay/schema';
import { driftMethods, type PValueCorrection } from '@outlay/stats';
import { Option, type Command } from 'commander';
import { computeDriftPlots, computeDriftReport, DEFAULT_SAMPLE_ROWS, driftReportHtml, driftReportText, intervalWidth, parseChunking } from '@outlay/analysis';
import { splitList } from '../split-list.js';

export interface DriftCommandIo {
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

interface DriftCommandOptions {
  reference: string;
  current: string;
  target?: string;
  prediction?: string;
  score?: string;
  scores?: string;
  interval?: string;
  id?: string;
  chunk?: string;
  time?: string;
  columns?: string;
  exclude?: string;
  method?: string;
  threshold?: string;
  correction: 'none' | 'bonferroni' | 'bh';
  sampleRows: string;
  format: 'text' | 'json' | 'html';
  output?: string;
  failOnDrift?: boolean;
}

const corrections: Record<DriftCommandOptions['correction'], PValueCorrection> = { none: 'none', bonferroni: 'bonferroni', bh: 'benjamini-hochberg' };

const list = (text: string | undefined): string[] | undefined => (text === undefined ? undefined : splitList(text));

/**
 * Adds `outlay drift` to the program. Bad input throws OutlayError('invalid_input') (exit 2, one line on
 * stderr); with --fail-on-drift a dataset drift sets state.exitCode to 1.
 */
export function registerDriftCommand(program: Command, io: DriftCommandIo, state: { exitCode: number }): Command {
  return program
    .command('drift')
    .description('Compare a current data file with a reference: per-column drift, data quality, and multivariate drift.')
    .requiredOption('--reference <file>', 'reference data (.parquet, .csv, .ndjson)')
    .requiredOption('--current <file>', 'current data, same columns')
    .option('--target <column>', 'target (label) column, compared like the features')
    .option('--prediction <column>', 'prediction column')
    .option('--score <column>', 'score or probability column')
    .option('--scores <a,b,c>', "a multiclass model's class-probability columns: entropy and margin are tested for a change of confidence")
    .option('--interval <low,high>', "a regressor's prediction-interval columns: their width is compared as interval_width")
    .option('--id <column>', 'id column: repeated ids and ids on both sides become data-quality findings (not compared for drift)')
    .option('--chunk <how>', 'also judge the current data chunk by chunk: size:N rows, count:K parts, or period:hour|day|week|month')
    .option('--time <column>', 'timestamp column for --chunk period:…')
    .option('--columns <a,b>', 'compare only these columns (plus target, prediction and score)')
    .option('--exclude <a,b>', 'leave these columns out')
    .addOption(new Option('--method <name>', 'force one drift method on every column it applies to').choices(driftMethods.map((m) => m.name)))
    .option('--threshold <x>', "threshold in the method's own direction (p-value or distance)")
    .addOption(new Option('--correction <how>', 'adjust p-values across columns').choices(['none', 'bonferroni', 'bh']).default('none'))
    .option('--sample-rows <n>', 'raw values and the multivariate model use at most this many rows per side (a seeded sample, the same rows on every run)', String(DEFAULT_SAMPLE_ROWS))
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'html']).default('text'))
    .option('--output <file>', 'with --format html: the report file (default drift-report.html in the current directory)')
    .option('--fail-on-drift', 'exit with code 1 when the dataset drifts')
    .addHelpText('after', `
Method choice per column (Evidently's defaults): up to 1,000 reference rows, KS for numeric columns with more
than 5 values, chi-square for 3+ categories, Z-test for 2; above, normed Wasserstein (numeric) and
Jensen-Shannon (categorical). The dataset drifts when at least half the columns drift. Multivariate drift: PCA
reconstruction error (NannyML), thresholds mean ± 3 std over 10 reference chunks (with --chunk, over the
reference cut the same way). Data quality: missing, NaN, Infinity and zero shares, constant columns, text in
numeric columns, values outside the reference range, new categories, and with --id repeated or shared ids.

Examples:
  outlay drift --reference jan.parquet --current jun.parquet
  outlay drift --reference ref.csv --current cur.csv --target y --method psi --format json --fail-on-drift
  outlay drift --reference jan.parquet --current jun.parquet --format html --output drift.html
  outlay drift --reference jan.parquet --current feb-jun.parquet --chunk period:week --time date`)
    .action(async (opts: DriftCommandOptions) => {
      const threshold = opts.threshold === undefined ? undefined : Number(opts.threshold);
      if (threshold !== undefined && !Number.isFinite(threshold)) throw new OutlayError('invalid_input', `--threshold: expected a number, got "${opts.threshold}"`);
      const sampleRows = Number(opts.sampleRows);
      if (!(Number.isInteger(sampleRows) && sampleRows >= 10)) throw new OutlayError('invalid_input', `--sample-rows: expected an integer ≥ 10, got "${opts.sampleRows}"`);
      if (opts.time !== undefined && opts.chunk === undefined) throw new OutlayError('invalid_input', '--time: only with --chunk period:…');
      if (opts.output !== undefined && opts.format !== 'html') throw new OutlayError('invalid_input', `--output: only with --format html (the ${opts.format} report goes to stdout)`);
      const columns = list(opts.columns);
      const interval = list(opts.interval);
      const scores = list(opts.scores);
      if (scores !== undefined && scores.length < 2) throw new OutlayError('invalid_input', `--scores: expected two or more class-probability columns, got "${opts.scores}"`);
      if (interval !== undefined && interval.length !== 2) throw new OutlayError('invalid_input', `--interval: expected two columns, low,high; got "${opts.interval}"`);
      const exclude = list(opts.exclude);
      const report = await computeDriftReport({
        reference: resolve(opts.reference),
        current: resolve(opts.current),
        ...(opts.target === undefined ? {} : { target: opts.target }),
        ...(opts.prediction === undefined ? {} : { prediction: opts.prediction }),
        ...(opts.score === undefined ? {} : { score: opts.score }),
        ...(interval === undefined ? {} : { interval: [interval[0]!, interval[1]!] as const }),
        ...(scores === undefined ? {} : { scores }),
        ...(opts.id === undefined ? {} : { id: opts.id }),
        ...(opts.chunk === undefined ? {} : { chunk: parseChunking(opts.chunk, opts.time) }),
        ...(columns === undefined ? {} : { columns }),
        ...(exclude === undefined ? {} : { exclude }),
        ...(opts.method === undefined ? {} : { method: opts.method }),
        ...(threshold === undefined ? {} : { threshold }),
        correction: corrections[opts.correction],
        sampleRows,
      });
      if (opts.format === 'html') {
        const output = resolve(opts.output ?? 'drift-report.html');
        const plots = await computeDriftPlots(resolve(opts.reference), resolve(opts.current), report.columns, interval ? [intervalWidth([interval[0]!, interval[1]!])] : []);
        const html = driftReportHtml({ report, plots, reference: opts.reference, current: opts.current });
        try {
          writeFileSync(output, html);
        } catch (error) {
          throw new OutlayError('invalid_input', `--output: cannot write ${output}: ${(error as Error).message}`, { cause: error });
        }
        io.stdout(`${output}\n`);
      } else {
        io.stdout(opts.format === 'json' ? `${JSON.stringify(report)}\n` : `${driftReportText(report)}\n`);
      }
      if (opts.failOnDrift && report.dataset_drift) state.exitCode = 1;
    });
}
