import { resolve } from 'node:path';
import { OutlayError } from '@outlay/schema';
import { Option, type Command } from 'commander';
import { computeDiagnosis, DEFAULT_SAMPLE_ROWS, diagnosisText } from '@outlay/analysis';
import { splitList } from '../split-list.js';

export interface DiagnoseCommandIo {
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

interface DiagnoseCommandOptions {
  reference: string;
  current: string;
  target: string;
  prediction: string;
  score?: string;
  id?: string;
  exclude?: string;
  dimensions?: string;
  alpha: string;
  sampleRows: string;
  format: 'text' | 'json';
  failOnFailure?: boolean;
}

/**
 * Adds `outlay diagnose` to the program. Bad input throws OutlayError('invalid_input') (exit 2); with
 * --fail-on-failure a most likely type other than `none` sets state.exitCode to 1.
 */
export function registerDiagnoseCommand(program: Command, io: DiagnoseCommandIo, state: { exitCode: number }): Command {
  return program
    .command('diagnose')
    .description('Why did the model get worse? Runs every detector on a labelled reference and current file and names the failure type.')
    .requiredOption('--reference <file>', 'labelled reference data (.parquet, .csv, .ndjson), e.g. the training or a healthy period')
    .requiredOption('--current <file>', 'labelled current data, same columns')
    .requiredOption('--target <column>', 'label column')
    .requiredOption('--prediction <column>', 'prediction column (class or number)')
    .option('--score <column>', 'probability of the positive class (binary 0/1 targets): adds calibration and ROC AUC')
    .option('--id <column>', 'id column: kept out of the features and dimensions; repeated or shared ids are findings')
    .option('--exclude <a,b>', 'columns that are not model inputs (timestamps, latencies): left out of the detectors and dimensions')
    .option('--dimensions <a,b>', 'slice the error by these features (default: up to 6 features; numbers binned at reference deciles)')
    .option('--alpha <p>', 'a degradation needs a one-sided p-value below this', '0.01')
    .option('--sample-rows <n>', 'sample-based drift tests see at most this many rows per side', String(DEFAULT_SAMPLE_ROWS))
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--fail-on-failure', 'exit with code 1 when the most likely failure type is not none')
    .addHelpText('after', `
Failure types (DESIGN.md): bad_data, wrong_y, missing_features, limited_representation, extrapolation,
interpolation, or none. Each gets a likelihood with the evidence for and against it. The rules are in
packages/stats/src/diagnose/classify-failure.ts and docs/diagnose.md.

Examples:
  outlay diagnose --reference january.parquet --current june.parquet --target delayed --prediction predicted --score score
  outlay diagnose --reference ref.csv --current cur.csv --target y --prediction p --dimensions region,device --format json`)
    .action(async (opts: DiagnoseCommandOptions) => {
      const alpha = Number(opts.alpha);
      if (!(alpha > 0 && alpha < 1)) throw new OutlayError('invalid_input', `--alpha: expected a probability in (0, 1), got "${opts.alpha}"`);
      const sampleRows = Number(opts.sampleRows);
      if (!(Number.isInteger(sampleRows) && sampleRows >= 10)) throw new OutlayError('invalid_input', `--sample-rows: expected an integer ≥ 10, got "${opts.sampleRows}"`);
      const diagnosis = await computeDiagnosis({
        reference: resolve(opts.reference),
        current: resolve(opts.current),
        target: opts.target,
        prediction: opts.prediction,
        ...(opts.score === undefined ? {} : { score: opts.score }),
        ...(opts.id === undefined ? {} : { id: opts.id }),
        ...(opts.exclude === undefined ? {} : { exclude: splitList(opts.exclude) }),
        ...(opts.dimensions === undefined ? {} : { dimensions: splitList(opts.dimensions) }),
        alpha,
        sampleRows,
      });
      io.stdout(opts.format === 'json' ? `${JSON.stringify(diagnosis)}\n` : `${diagnosisText(diagnosis)}\n`);
      if (opts.failOnFailure && diagnosis.failure_types[0]!.type !== 'none') state.exitCode = 1;
    });
}
