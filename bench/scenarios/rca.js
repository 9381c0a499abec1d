// `outlay rca` on two seeded Parquet files (default 1,000,000 rows per side, 6 string dimensions d0…d5 of 10
// values each, errors/requests), run as the user runs it: the built CLI in a child process, JSON output, once
// with --metric count and once with --metric rate:errors/requests. The current file has one injected
// 2-dimension slice (d0=v3 AND d1=v7) with a much higher error rate; the rate run must name it in root_causes.
// The baseline is a plain JS script (bench/rca/naive-rca.js) that reads every row of both files into JS, groups
// per leaf and ranks single-dimension values by the change of their rate (Adtributor-like, one pass).
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BASE_RATE, DIMENSIONS, ensureRcaData, SLICE, SLICE_RATE, VALUES } from '../rca/generate-data.js';
import { measure, median, round, TIME, timingRow } from '../measure-child.js';

export const name = 'rca';

export const budget = [
  { metric: 'wallSeconds', atMost: 5, label: '`outlay rca --metric rate:errors/requests` wall time, median of runs (s)' },
];

const sliceText = Object.entries(SLICE).map(([d, v]) => `${d}=${v}`).join(' AND ');

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
  if (!(Number.isInteger(rows) && rows >= 1000)) throw new Error(`--rows: expected an integer ≥ 1000, got ${values.rows}`);
  if (!(seed >= -1 && seed <= 1)) throw new Error(`--seed: DuckDB setseed takes a number in [-1, 1], got ${values.seed}`);
  if (!(Number.isInteger(runs) && runs >= 1)) throw new Error(`--runs: expected an integer ≥ 1, got ${values.runs}`);
  if (!(Number.isInteger(baselineRuns) && baselineRuns >= 0)) throw new Error(`--baseline-runs: expected an integer ≥ 0, got ${values['baseline-runs']}`);

  const cli = path.join(repoRoot, 'packages/cli/bin/outlay.js');
  if (!existsSync(path.join(repoRoot, 'packages/cli/dist/index.js'))) throw new Error('packages/cli/dist is missing: run `npx tsc -b` first');
  const loadBefore = os.loadavg();
  const data = await ensureRcaData({ rows, seed, log });
  const errors = [];
  const tableRows = [];
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'outlay-bench-rca-time-'));
  const rcaArgs = (metric) => [cli, 'rca', '--baseline', data.baseline, '--current', data.current, '--dimensions', DIMENSIONS.join(','), '--metric', metric, '--format', 'json'];
  try {
    // Start-up: the CLI doing nothing.
    const version = [];
    for (let i = 0; i < runs; i++) version.push(await measure([cli, '--version'], repoRoot, scratch));
    for (const v of version) if (v.code !== 0) errors.push(`outlay --version exited ${v.code}: ${v.stderr.slice(-500)}`);
    tableRows.push(timingRow('`outlay --version` (start-up only)', version));

    const count = [];
    for (let i = 0; i < runs; i++) {
      log(`rca: outlay rca --metric count, run ${i + 1} of ${runs}`);
      count.push(await measure(rcaArgs('count'), repoRoot, scratch));
    }
    const countReport = checkReport('count', count, errors, false);
    tableRows.push(timingRow('`outlay rca --metric count --format json`', count));

    const rate = [];
    for (let i = 0; i < runs; i++) {
      log(`rca: outlay rca --metric rate:errors/requests, run ${i + 1} of ${runs}`);
      rate.push(await measure(rcaArgs('rate:errors/requests'), repoRoot, scratch));
    }
    const rateReport = checkReport('rate:errors/requests', rate, errors, true);
    tableRows.push(timingRow('`outlay rca --metric rate:errors/requests --format json`', rate));

    const baseline = [];
    for (let i = 0; i < baselineRuns; i++) {
      log(`rca: naive baseline, run ${i + 1} of ${baselineRuns}`);
      baseline.push(await measure([path.join(repoRoot, 'bench/rca/naive-rca.js'), data.baseline, data.current, DIMENSIONS.join(','), 'errors', 'requests'], repoRoot, scratch));
    }
    const naive = baselineRuns > 0 ? checkBaseline(baseline, errors) : null;
    if (baselineRuns > 0) tableRows.push(timingRow('baseline: all rows into JS, group per leaf, rank single-dimension values by rate change (bench/rca/naive-rca.js)', baseline));

    const loadAfter = os.loadavg();
    const rateWall = rate.map((r) => r.wallMs);
    const countWall = count.map((r) => r.wallMs);
    const metrics = {
      wallSeconds: round(median(rateWall) / 1000, 2),
      minWallSeconds: round(Math.min(...rateWall) / 1000, 2),
      peakRssMB: Math.round(Math.max(...rate.map((r) => r.peakRssBytes ?? NaN)) / 1e6),
      countWallSeconds: round(median(countWall) / 1000, 2),
      countMinWallSeconds: round(Math.min(...countWall) / 1000, 2),
      countPeakRssMB: Math.round(Math.max(...count.map((r) => r.peakRssBytes ?? NaN)) / 1e6),
      startupMs: Math.round(median(version.map((r) => r.wallMs))),
      ...(baselineRuns > 0
        ? {
            baselineWallSeconds: round(median(baseline.map((r) => r.wallMs)) / 1000, 2),
            baselinePeakRssMB: Math.round(Math.max(...baseline.map((r) => r.peakRssBytes ?? NaN)) / 1e6),
          }
        : {}),
    };

    const cores = os.cpus().length;
    // The load after includes this scenario's own children, so only the reading before decides.
    const busy = loadBefore[0];
    const notes = [
      `Data: ${fmt(rows)} rows per side; dimensions ${DIMENSIONS.join(', ')} (strings v0…v${VALUES - 1}, uniform and independent), ` +
        `requests = 1 and errors ~ Bernoulli(${BASE_RATE}) per row; in the current file rows with ${sliceText} (about ${fmt(Math.round(rows / VALUES ** 2))} rows, 1 %) ` +
        `have errors ~ Bernoulli(${SLICE_RATE}) instead. Generated once by DuckDB (\`SELECT setseed(${seed})\`, one thread, \`random()\`) into ${data.dir} ` +
        `(${data.generatedMs === null ? 'reused from the cache' : `generated in ${round(data.generatedMs / 1000, 1)} s`}), never committed. ` +
        `With 10^6 possible leaves and 10^6 rows, each side has about 632,000 distinct leaves` +
        (countReport ? `; leaves reported by the CLI (union of both sides): ${fmt(countReport.leaves)}.` : '.'),
      `Each row of the table is a child process (\`process.execPath\`), timed from spawn to exit (Node start-up included); ` +
        `peak RSS is "Maximum resident set size" from ${existsSync(TIME) ? '`/usr/bin/time -v`' : 'VmHWM polled every 20 ms from /proc/PID/status'}. ` +
        `${runs} run(s) of each CLI metric (budget = median wall of the rate runs), ${baselineRuns} of the baseline.`,
      rateReport
        ? `CLI result (rate): ${rateReport.change} root_causes ${rateReport.rootCauses}, root_cause_share ${round(rateReport.share, 3)}; ` +
          `Kitagawa split mix ${round(rateReport.mix, 6)} / rate ${round(rateReport.rate, 6)} along ${rateReport.dimension}.`
        : 'CLI result (rate): no parsable report (see errors).',
      countReport
        ? `CLI result (count): ${countReport.change} root_causes ${countReport.rootCauses}${countReport.note ? `, note: ${countReport.note}` : ''} — no count change was injected ` +
          '(both files have the same row count and dimension mix), so this run measures the search cost on noise only, and any root causes it lists are noise (false positives).'
        : 'CLI result (count): no parsable report (see errors).',
      naive
        ? `Baseline result: ${fmt(naive.leaves)} leaves in one JS Map; top single-dimension values by |rate change|: ` +
          `${naive.top.slice(0, 4).map((t) => `${t.dimension}=${t.value} (${round(t.baseline_rate, 4)} → ${round(t.current_rate, 4)}, EP ${round(t.explanatory_power, 2)})`).join(', ')}. ` +
          `It points at d0=v3 and d1=v7 separately but cannot say that only their intersection moved; the CLI does (multi-dimension slices, ripple-effect search).`
        : 'No baseline run (--baseline-runs 0).',
      `Start-up: \`outlay --version\` takes ${fmt(metrics.startupMs)} ms median (Node + CLI module loading), included in every rca run.`,
      `Machine load: 1-minute load average ${round(loadBefore[0], 2)} before the scenario, ${round(loadAfter[0], 2)} after (its own runs included), on ${cores} cores` +
        (busy >= cores * 0.5
          ? ' — the machine was shared with other work during this run (load ≥ half the cores), so these wall times are pessimistic.'
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

const inSlice = (slice) => Object.keys(slice).length === Object.keys(SLICE).length && Object.entries(SLICE).every(([d, v]) => slice[d] === v);
const describeSlice = (slice) => Object.entries(slice).map(([d, v]) => `${d}=${v}`).join(' AND ');

/** Checks the CLI's JSON: it parses; for the rate metric, the injected slice is among root_causes. */
function checkReport(metric, results, errors, expectSlice) {
  let summary = null;
  results.forEach((result, i) => {
    const what = `outlay rca --metric ${metric} run ${i + 1}`;
    if (result.code !== 0) {
      errors.push(`${what} exited ${result.code}: ${result.stderr.slice(-1000)}`);
      return;
    }
    let report;
    try {
      report = JSON.parse(result.stdout);
    } catch (error) {
      errors.push(`${what}: output is not JSON (${error.message}): ${result.stdout.slice(0, 300)}`);
      return;
    }
    const causes = Array.isArray(report.root_causes) ? report.root_causes : [];
    if (expectSlice && !causes.some(inSlice)) {
      errors.push(`${what}: root_causes ${JSON.stringify(causes)} do not include the injected slice ${sliceText}`);
    }
    summary ??= {
      leaves: report.leaves,
      change: report.change ? `aggregate ${round(report.change.baseline, 5)} → ${round(report.change.current, 5)};` : '',
      rootCauses: causes.length ? causes.map(describeSlice).map((s) => `[${s}]`).join(', ') : 'none',
      share: report.root_cause_share,
      mix: report.decomposition?.mix,
      rate: report.decomposition?.rate,
      dimension: report.decomposition?.dimension,
      note: report.note,
    };
  });
  return summary;
}

/** Checks the baseline's JSON and that the two values of the injected slice lead its ranking. */
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
    const topTwo = out.top.slice(0, 2).map((t) => `${t.dimension}=${t.value}`).sort();
    const expected = Object.entries(SLICE).map(([d, v]) => `${d}=${v}`).sort();
    if (JSON.stringify(topTwo) !== JSON.stringify(expected)) errors.push(`baseline run ${i + 1}: top values ${topTwo.join(', ')}, expected ${expected.join(', ')}`);
    summary ??= out;
  });
  return summary;
}

const fmt = (x) => (typeof x === 'number' ? x.toLocaleString('en-US') : String(x));
