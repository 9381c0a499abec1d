// `outlay drift` on two seeded Parquet files (default 1,000,000 rows × 20 numeric + 2 categorical columns per
// side), run as the user runs it: the built CLI in a child process, JSON output. The baseline is a plain JS
// script (bench/drift/naive-drift.js) that reads every numeric value of both files into JS arrays, sorts them
// and computes a two-sample KS statistic per column.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureDriftData, SHIFTED, SHIFTED_CATEGORICAL } from '../drift/generate-data.js';
import { measure, median, round, TIME, timingRow } from '../measure-child.js';

export const name = 'drift';

export const budget = [
  { metric: 'wallSeconds', atMost: 3, label: '`outlay drift` wall time, median of runs (s)' },
  { metric: 'peakRssMB', atMost: 1000, label: '`outlay drift` peak RSS, max of runs (MB, 10^6 bytes)' },
];


/** @param {{repoRoot: string, args: string[], log: (line: string) => void}} opts */
export async function run({ repoRoot, args, log }) {
  const { values } = parseArgs({
    args,
    options: {
      rows: { type: 'string', default: '1000000' },
      seed: { type: 'string', default: '0.42' },
      runs: { type: 'string', default: '3' },
      'baseline-runs': { type: 'string', default: '1' },
    },
  });
  const rows = Number(values.rows);
  const seed = Number(values.seed);
  const runs = Number(values.runs);
  const baselineRuns = Number(values['baseline-runs']);
  if (!(Number.isInteger(rows) && rows >= 10)) throw new Error(`--rows: expected an integer ≥ 10, got ${values.rows}`);
  if (!(seed >= -1 && seed <= 1)) throw new Error(`--seed: DuckDB setseed takes a number in [-1, 1], got ${values.seed}`);
  if (!(Number.isInteger(runs) && runs >= 1)) throw new Error(`--runs: expected an integer ≥ 1, got ${values.runs}`);

  const cli = path.join(repoRoot, 'packages/cli/bin/outlay.js');
  if (!existsSync(path.join(repoRoot, 'packages/cli/dist/index.js'))) throw new Error('packages/cli/dist is missing: run `npx tsc -b` first');
  const loadBefore = os.loadavg();
  const data = await ensureDriftData({ rows, seed, log });
  const errors = [];
  const tableRows = [];
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'outlay-bench-drift-time-'));
  try {
    // Start-up: the CLI doing nothing.
    const version = [];
    for (let i = 0; i < runs; i++) version.push(await measure([cli, '--version'], repoRoot, scratch));
    for (const v of version) if (v.code !== 0) errors.push(`outlay --version exited ${v.code}: ${v.stderr.slice(-500)}`);
    tableRows.push(timingRow('`outlay --version` (start-up only)', version));

    const drift = [];
    for (let i = 0; i < runs; i++) {
      log(`drift: outlay drift, run ${i + 1} of ${runs}`);
      drift.push(await measure([cli, 'drift', '--reference', data.reference, '--current', data.current, '--format', 'json'], repoRoot, scratch));
    }
    const report = checkReport(drift, errors);
    tableRows.push(timingRow('`outlay drift --format json` (default --sample-rows 100000)', drift));

    const baseline = [];
    for (let i = 0; i < baselineRuns; i++) {
      log(`drift: naive baseline, run ${i + 1} of ${baselineRuns}`);
      baseline.push(await measure([path.join(repoRoot, 'bench/drift/naive-drift.js'), data.reference, data.current], repoRoot, scratch));
    }
    const naive = baselineRuns > 0 ? checkBaseline(baseline, errors) : null;
    if (baselineRuns > 0) tableRows.push(timingRow('baseline: all numeric values into JS arrays, sort, KS merge (bench/drift/naive-drift.js)', baseline));

    const loadAfter = os.loadavg();
    const wall = drift.map((r) => r.wallMs);
    const metrics = {
      wallSeconds: round(median(wall) / 1000, 2),
      minWallSeconds: round(Math.min(...wall) / 1000, 2),
      peakRssMB: Math.max(...drift.map((r) => r.peakRssBytes ?? NaN)) / 1e6,
      startupMs: Math.round(median(version.map((r) => r.wallMs))),
      ...(baselineRuns > 0 ? { baselineWallSeconds: round(median(baseline.map((r) => r.wallMs)) / 1000, 2), baselinePeakRssMB: Math.max(...baseline.map((r) => r.peakRssBytes ?? NaN)) / 1e6 } : {}),
    };
    metrics.peakRssMB = Math.round(metrics.peakRssMB);
    if (metrics.baselinePeakRssMB !== undefined) metrics.baselinePeakRssMB = Math.round(metrics.baselinePeakRssMB);

    const cores = os.cpus().length;
    // The load after includes this scenario's own children, so only the reading before decides.
    const busy = loadBefore[0];
    const notes = [
      `Data: ${count(rows)} rows per side, 20 numeric columns (normal, uniform, exponential, lognormal, in turn) and 2 categorical ` +
        `(c_region, 5 values; c_plan, 3 values), generated once by DuckDB (\`SELECT setseed(${seed})\`, one thread, \`random()\`) into ${data.dir} ` +
        `(${data.generatedMs === null ? 'reused from the cache' : `generated in ${round(data.generatedMs / 1000, 1)} s`}), never committed. ` +
        `Current = reference recipe with ${SHIFTED.join(', ')} shifted by +0.3 std and c_plan's mix changed (60/30/10 → 35/40/25).`,
      `Each row of the table is a child process (\`process.execPath\`), timed from spawn to exit (Node start-up included); ` +
        `peak RSS is "Maximum resident set size" from ${existsSync(TIME) ? '`/usr/bin/time -v`' : 'VmHWM polled every 20 ms from /proc/PID/status'}. ` +
        `${runs} run(s) of the CLI (wall time budget = median, RSS budget = max), ${baselineRuns} of the baseline.`,
      `What \`outlay drift\` does by default (compute-drift-report.ts): exact SQL over every row for row counts, missing shares (NULL/NaN), ` +
        `finite min/max, out-of-range and out-of-quantile-range counts on the current side, and category counts (categorical columns are ` +
        `compared on exact counts); the raw numeric values for the per-column tests and the PCA reconstruction (multivariate) model come ` +
        `from a seeded sample of about 98,000 rows per side (a row is kept when a hash of its row number falls below a cut; the same rows on every run; ` +
        `\`--sample-rows\`). With > 1,000 reference rows the method is normed Wasserstein for numeric columns and Jensen–Shannon for categorical.`,
      report
        ? `CLI result: drifted columns ${report.drifted.join(', ') || 'none'} (${report.drifted.length} of ${report.total}; expected exactly ` +
          `${[...SHIFTED, ...SHIFTED_CATEGORICAL].join(', ')}); largest score among unshifted columns ${round(report.maxUnshiftedScore, 4)}, ` +
          `smallest among shifted ${round(report.minShiftedScore, 4)}; dataset_drift ${report.datasetDrift}; multivariate ` +
          `${report.multivariate ? `drift ${report.multivariate.drift} (error ${round(report.multivariate.current_error, 3)} vs band ${round(report.multivariate.lower, 3)}–${round(report.multivariate.upper, 3)})` : 'none'}.`
        : 'CLI result: no parsable report (see errors).',
      naive
        ? `Baseline result: KS D of the shifted columns ${naive.shiftedD.map((d) => round(d, 3)).join(', ')}, largest D among the others ` +
          `${round(naive.maxOtherD, 4)}; asymptotic p < 0.05 on ${naive.pDrift.length} columns (${naive.pDrift.join(', ')})` +
          `${naive.pDrift.some((c) => !SHIFTED.includes(c)) ? ' — on every row, KS p-values flag differences too small to matter' : ''}. The baseline does less than the CLI (numeric KS only: no data quality, categories or multivariate ` +
          `model) but on all rows instead of a 100,000-row sample.`
        : 'No baseline run (--baseline-runs 0).',
      `Start-up: \`outlay --version\` takes ${count(metrics.startupMs)} ms median (Node + CLI module loading), included in every drift run.`,
      `Machine load: 1-minute load average ${round(loadBefore[0], 2)} before the scenario, ${round(loadAfter[0], 2)} after (its own runs included), on ${cores} cores` +
        (busy >= cores * 0.5
          ? ` — the machine was shared with other work during this run (load ≥ half the cores), so these wall times are pessimistic.`
          : ' — nothing else of note was running.'),
    ];
    return {
      metrics,
      errors,
      tables: [{ columns: ['command', 'runs', 'wall min s', 'wall median s', 'wall max s', 'peak RSS MB (max)', 'CPU s (median, user+sys)'], rows: tableRows }],
      notes,
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Checks the CLI's JSON: it parses, and the drifted columns are exactly the shifted ones. */
function checkReport(results, errors) {
  let summary = null;
  results.forEach((result, i) => {
    if (result.code !== 0) {
      errors.push(`outlay drift run ${i + 1} exited ${result.code}: ${result.stderr.slice(-1000)}`);
      return;
    }
    let report;
    try {
      report = JSON.parse(result.stdout);
    } catch (error) {
      errors.push(`outlay drift run ${i + 1}: output is not JSON (${error.message}): ${result.stdout.slice(0, 300)}`);
      return;
    }
    const expected = [...SHIFTED, ...SHIFTED_CATEGORICAL].sort();
    const drifted = (report.columns ?? []).filter((c) => c.drift).map((c) => c.column);
    if (JSON.stringify([...drifted].sort()) !== JSON.stringify(expected)) {
      errors.push(`outlay drift run ${i + 1}: drifted columns ${drifted.join(', ') || 'none'}, expected ${expected.join(', ')}`);
    }
    const scores = (names, inside) => (report.columns ?? []).filter((c) => names.includes(c.column) === inside && c.kind === 'numeric').map((c) => c.score);
    summary ??= {
      drifted,
      total: report.columns?.length ?? 0,
      maxUnshiftedScore: Math.max(...scores(SHIFTED, false)),
      minShiftedScore: Math.min(...scores(SHIFTED, true)),
      datasetDrift: report.dataset_drift,
      multivariate: report.multivariate,
    };
  });
  return summary;
}

/** Checks the baseline's JSON and that the shifted columns have the largest KS statistics. */
function checkBaseline(results, errors) {
  let summary = null;
  results.forEach((result, i) => {
    if (result.code !== 0) {
      errors.push(`baseline run ${i + 1} exited ${result.code}: ${result.stderr.slice(-1000)}`);
      return;
    }
    let out;
    try {
      out = JSON.parse(result.stdout);
    } catch (error) {
      errors.push(`baseline run ${i + 1}: output is not JSON (${error.message})`);
      return;
    }
    const shiftedD = out.columns.filter((c) => SHIFTED.includes(c.column)).map((c) => c.ks);
    const maxOtherD = Math.max(...out.columns.filter((c) => !SHIFTED.includes(c.column)).map((c) => c.ks));
    if (!(Math.min(...shiftedD) > maxOtherD)) errors.push(`baseline run ${i + 1}: the shifted columns do not have the largest KS statistics`);
    summary ??= { shiftedD, maxOtherD, pDrift: out.columns.filter((c) => c.drift).map((c) => c.column) };
  });
  return summary;
}

const count = (x) => x.toLocaleString('en-US');
