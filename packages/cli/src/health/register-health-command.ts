import { resolve } from 'node:path';
import { OutlayError } from '@outlay/schema';
import { Option, type Command } from 'commander';
import { computeHealthReport, type HealthCost, type HealthReport, healthReportText, type HealthSmoothing, type HealthWindow } from '@outlay/analysis';
import { splitList } from '../split-list.js';

export interface HealthCommandIo {
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

interface HealthCommandOptions {
  input: string;
  time: string;
  target: string;
  prediction: string;
  score?: string;
  window: HealthWindow;
  task?: 'binary' | 'regression';
  costFn?: string;
  costFp?: string;
  valueTp: string;
  valueTn: string;
  costUnder?: string;
  costOver?: string;
  smoothing: HealthSmoothing;
  referenceWindows?: string;
  lambda: string;
  limitWidth: string;
  segments?: string;
  knownFactors?: string;
  failOnAlert?: boolean;
  reference?: string;
  minLabelCoverage: string;
  labelSource?: string;
  format: 'text' | 'json';
}

function finite(flag: string, text: string | undefined, fallback?: number): number {
  if (text === undefined) {
    if (fallback !== undefined) return fallback;
    throw new OutlayError('invalid_input', `${flag}: required for this task`);
  }
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new OutlayError('invalid_input', `${flag}: expected a number, got "${text}"`);
  return value;
}

function columnList(flag: string, text: string | undefined): string[] {
  if (text === undefined) return [];
  const list = splitList(text);
  if (list.length === 0) throw new OutlayError('invalid_input', `${flag}: expected at least one column name`);
  if (new Set(list).size !== list.length) throw new OutlayError('invalid_input', `${flag}: a column is listed twice in "${text}"`);
  return list;
}

/** The latest annotated batch is worse: within strata when --segments allowed the adjusted test, else pooled. */
function annotatedBatchWorse(report: HealthReport): boolean {
  const a = report.annotation;
  if (a === undefined) return false;
  const adjusted = a.latest_batch_worse_adjusted;
  return adjusted !== undefined && !adjusted.insufficient_data ? adjusted.worse : a.latest_batch_worse.worse;
}

/**
 * Adds `outlay health` to the program. Bad input throws OutlayError('invalid_input') (exit 2, one line on
 * stderr); with --fail-on-alert any alert, or a worse latest annotated batch, sets state.exitCode to 1.
 */
export function registerHealthCommand(program: Command, io: HealthCommandIo, state: { exitCode: number }): Command {
  return program
    .command('health')
    .description('Model health in money: business cost per window, adjusted for seasonality and known factors, smoothed, with alerts and mix vs rate.')
    .requiredOption('--input <file>', 'predictions with labels (.parquet, .csv, .ndjson)')
    .requiredOption('--time <column>', 'timestamp column')
    .requiredOption('--target <column>', 'label column (empty: not yet labelled)')
    .requiredOption('--prediction <column>', 'prediction column (0/1 for binary)')
    .option('--score <column>', 'score column; its mean per window is reported, and windows with few labels get a CBPE estimate of the cost')
    .addOption(new Option('--window <size>', 'window size').choices(['hour', 'day', 'week']).default('day'))
    .addOption(new Option('--task <task>', 'binary or regression (default: regression when --cost-under/--cost-over are given)').choices(['binary', 'regression']))
    .option('--cost-fn <usd>', 'cost of a false negative (binary)')
    .option('--cost-fp <usd>', 'cost of a false positive (binary)')
    .option('--value-tp <usd>', 'value of a true positive (binary)', '0')
    .option('--value-tn <usd>', 'value of a true negative (binary)', '0')
    .option('--cost-under <usd>', 'cost per unit of under-prediction (regression)')
    .option('--cost-over <usd>', 'cost per unit of over-prediction (regression)')
    .addOption(new Option('--smoothing <method>', 'EWMA chart or local-level Kalman filter').choices(['ewma', 'kalman']).default('ewma'))
    .option('--reference-windows <k>', 'the first k windows with labels set the target and σ (default: the first half)')
    .option('--lambda <λ>', 'EWMA weight in (0, 1]', '0.2')
    .option('--limit-width <L>', 'EWMA limits in standard deviations', '3')
    .option('--segments <a,b>', 'dimensions for the mix vs rate split of the cost change')
    .option('--known-factors <f1,f2>', 'numeric columns to regress out (averaged per window)')
    .option('--reference <file>', 'labelled predictions (--target, --score) that calibrate the CBPE estimates (default: the labelled rows of the earlier windows)')
    .option('--min-label-coverage <share>', 'windows with a smaller share of labelled rows get a CBPE estimate (with --score)', '0.5')
    .option('--label-source <column>', 'column with each label\'s source; rows whose source is "annotation" form one batch per window, and the latest batch is tested against the earlier ones')
    .option('--fail-on-alert', 'exit with code 1 when any window alerts, or the latest annotated batch is worse (within --segments strata when given)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText('after', `
Method: per window (GROUP BY time_bucket in DuckDB) the confusion counts and the cost of the labelled rows;
the cost per 1,000 labelled predictions is regressed on hour of day / day of week (levels seen at least twice)
and the known factors by weighted least squares when there are at least two windows per coefficient; the
adjusted series is smoothed (EWMA chart with limits from the reference windows, or a Kalman filter fitted by
maximum likelihood with a 99.73 % band that alerts when it excludes the reference level). Mix vs rate compares
the first half of the windows with the last half (Kitagawa).
Labels arrive late: with --score, a window whose label coverage is below --min-label-coverage gets
estimated_business_cost_per_1k with a 95 % band (CBPE: expected TP/FP/FN/TN from the score calibrated by
isotonic regression on the labelled rows of the earlier windows or of --reference; band from the
Poisson-binomial spread of the realised cost), and every labelled window checks the estimate against its labels.
Annotated samples: with --label-source, the latest annotated batch is tested against the earlier ones pooled
(one-sided: error rate by z-test or Fisher's exact test for small batches; mean cost by a permutation test),
and with --segments also within strata (Cochran–Mantel–Haenszel), so that more hard cases is not "worse".

Examples:
  outlay health --input preds.parquet --time ts --target y --prediction p --cost-fn 10 --cost-fp 1
  outlay health --input demand.csv --time day --target sold --prediction forecast --cost-under 5 --cost-over 1 --window week --format json
  outlay health --input preds.parquet --time ts --target y --prediction p --cost-fn 500 --cost-fp 50 --segments origin --smoothing kalman --fail-on-alert
  outlay health --input preds.parquet --time ts --target y --prediction p --score s --cost-fn 500 --cost-fp 50 --label-source source --format json`)
    .action(async (opts: HealthCommandOptions) => {
      const task = opts.task ?? (opts.costUnder !== undefined || opts.costOver !== undefined ? 'regression' : 'binary');
      let cost: HealthCost;
      if (task === 'binary') {
        if (opts.costUnder !== undefined || opts.costOver !== undefined) throw new OutlayError('invalid_input', '--cost-under/--cost-over are for --task regression; a binary task takes --cost-fn and --cost-fp');
        cost = {
          task,
          matrix: {
            falseNegativeUsd: finite('--cost-fn', opts.costFn),
            falsePositiveUsd: finite('--cost-fp', opts.costFp),
            truePositiveValueUsd: finite('--value-tp', opts.valueTp),
            trueNegativeValueUsd: finite('--value-tn', opts.valueTn),
          },
        };
      } else {
        if (opts.costFn !== undefined || opts.costFp !== undefined) throw new OutlayError('invalid_input', '--cost-fn/--cost-fp are for --task binary; a regression task takes --cost-under and --cost-over');
        cost = { task, rates: { underPredictionUsdPerUnit: finite('--cost-under', opts.costUnder), overPredictionUsdPerUnit: finite('--cost-over', opts.costOver) } };
      }
      let referenceWindows: number | undefined;
      if (opts.referenceWindows !== undefined) {
        referenceWindows = Number(opts.referenceWindows);
        if (!(Number.isInteger(referenceWindows) && referenceWindows >= 2)) throw new OutlayError('invalid_input', `--reference-windows: expected an integer ≥ 2, got "${opts.referenceWindows}"`);
      }
      const lambda = finite('--lambda', opts.lambda);
      if (!(lambda > 0 && lambda <= 1)) throw new OutlayError('invalid_input', `--lambda: expected a number in (0, 1], got "${opts.lambda}"`);
      const minLabelCoverage = finite('--min-label-coverage', opts.minLabelCoverage);
      if (!(minLabelCoverage >= 0 && minLabelCoverage <= 1)) throw new OutlayError('invalid_input', `--min-label-coverage: expected a share in [0, 1], got "${opts.minLabelCoverage}"`);
      if (opts.reference !== undefined && opts.score === undefined) throw new OutlayError('invalid_input', '--reference: calibrates the CBPE estimates and needs --score');
      const limitWidth = finite('--limit-width', opts.limitWidth);
      if (!(limitWidth > 0)) throw new OutlayError('invalid_input', `--limit-width: expected a positive number, got "${opts.limitWidth}"`);
      const report = await computeHealthReport({
        input: resolve(opts.input),
        time: opts.time,
        target: opts.target,
        prediction: opts.prediction,
        ...(opts.score === undefined ? {} : { score: opts.score }),
        window: opts.window,
        cost,
        smoothing: opts.smoothing,
        ...(referenceWindows === undefined ? {} : { referenceWindows }),
        segments: columnList('--segments', opts.segments),
        knownFactors: columnList('--known-factors', opts.knownFactors),
        lambda,
        limitWidth,
        minLabelCoverage,
        ...(opts.reference === undefined ? {} : { reference: resolve(opts.reference) }),
        ...(opts.labelSource === undefined ? {} : { labelSource: opts.labelSource }),
      });
      io.stdout(opts.format === 'json' ? `${JSON.stringify(report)}\n` : `${healthReportText(report)}\n`);
      if (opts.failOnAlert && (report.alerts.length > 0 || annotatedBatchWorse(report))) state.exitCode = 1;
    });
}
