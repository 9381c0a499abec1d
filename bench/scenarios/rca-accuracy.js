// Root-cause accuracy: `outlay rca` over a folder of cases in the public benchmarks' format (Squeeze, RiskLoc:
// one CSV per case with the attribute columns, `real` and `predict`, and injection_info.csv listing each case's
// root causes as `a=a1&b=b2;a=a3`), F1 and time per case. Without --dir it writes its own cases with the seeded
// generator of packages/stats (generateRcaCase: 1-3 causes of 1-3 attributes, as the Squeeze authors injected
// them), for a fundamental measure (one file of leaves, --actual real --expected predict) and for a derived one
// (errors/requests in two files, --metric rate:errors/requests, the cause moving the numerator only).
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { f1OfCounts, generateRcaCase, scoreRootCauses } from '@outlay/stats';
import { measure, median, round } from '../measure-child.js';

export const name = 'rca-accuracy';

export const budget = [
  { metric: 'fundamentalF1', atLeast: 0.9, label: 'F1 on generated fundamental cases (Squeeze-style), all cases' },
  { metric: 'derivedF1', atLeast: 0.9, label: 'F1 on generated derived (rate) cases, all cases' },
  { metric: 'secondsPerCase', atMost: 10, label: 'median wall time per case, including CLI start-up (s)' },
];

const parseSet = (text) =>
  text.split(';').filter(Boolean).map((part) => Object.fromEntries(part.split('&').map((kv) => kv.split('=').map((s) => s.trim()))));
const setText = (slices) => slices.map((s) => Object.entries(s).map(([k, v]) => `${k}=${v}`).join('&')).join(';');
const csvLine = (cells) => cells.map((c) => (/[",\n]/.test(String(c)) ? `"${String(c).replaceAll('"', '""')}"` : String(c))).join(',');

/** Writes generated cases in the public format; derived cases get a baseline and a current file each. */
async function writeCases(dir, count, derived) {
  const info = [['timestamp', 'set']];
  for (let i = 0; i < count; i++) {
    const c = generateRcaCase(1000 + i, { dimensions: 4, noise: 0.05 });
    const id = `case-${String(i).padStart(3, '0')}`;
    info.push([id, setText(c.rootCauses)]);
    if (!derived) {
      const rows = [csvLine([...c.dimensions, 'real', 'predict'])];
      c.attributes.forEach((a, j) => rows.push(csvLine([...a, c.actual[j].toFixed(6), c.expected[j].toFixed(6)])));
      await writeFile(path.join(dir, `${id}.csv`), `${rows.join('\n')}\n`);
    } else {
      // Requests are the forecast volume in both periods; errors are 2% of them, and in the current period the
      // generator's actual/expected ratio scales each leaf's errors (so the causes move the error rate).
      const base = [csvLine([...c.dimensions, 'errors', 'requests'])];
      const cur = [csvLine([...c.dimensions, 'errors', 'requests'])];
      c.attributes.forEach((a, j) => {
        const requests = Math.round(c.expected[j] * 100);
        base.push(csvLine([...a, (0.02 * requests).toFixed(4), requests]));
        cur.push(csvLine([...a, ((0.02 * requests * c.actual[j]) / c.expected[j]).toFixed(4), requests]));
      });
      await writeFile(path.join(dir, `${id}.baseline.csv`), `${base.join('\n')}\n`);
      await writeFile(path.join(dir, `${id}.current.csv`), `${cur.join('\n')}\n`);
    }
  }
  await writeFile(path.join(dir, 'injection_info.csv'), `${info.map(csvLine).join('\n')}\n`);
}

async function readTruth(dir) {
  const text = await readFile(path.join(dir, 'injection_info.csv'), 'utf8');
  const [header, ...lines] = text.trim().split('\n');
  const columns = header.split(',');
  const at = columns.indexOf('timestamp');
  const setAt = columns.indexOf('set');
  if (at < 0 || setAt < 0) throw new Error(`${dir}/injection_info.csv: expected columns timestamp and set`);
  return lines.map((line) => {
    const cells = line.match(/("([^"]|"")*"|[^,]*)(,|$)/g).map((c) => c.replace(/,$/, '').replace(/^"|"$/g, '').replaceAll('""', '"'));
    return { id: cells[at], truth: parseSet(cells[setAt]) };
  });
}

async function runCases({ repoRoot, dir, derived, log }) {
  const cli = path.join(repoRoot, 'packages/cli/bin/outlay.js');
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'outlay-bench-rca-acc-time-'));
  const counts = [];
  const seconds = [];
  const errors = [];
  try {
    const cases = await readTruth(dir);
    for (const [k, { id, truth }] of cases.entries()) {
      const file = (suffix) => path.join(dir, `${id}${suffix}`);
      const single = file('.csv');
      let args;
      if (!derived && existsSync(single)) {
        const dimensions = (await readFile(single, 'utf8')).split('\n', 1)[0].split(',').filter((c) => c !== 'real' && c !== 'predict');
        args = [cli, 'rca', '--input', single, '--dimensions', dimensions.join(','), '--actual', 'real', '--expected', 'predict', '--format', 'json'];
      } else {
        const dimensions = (await readFile(file('.baseline.csv'), 'utf8')).split('\n', 1)[0].split(',').filter((c) => c !== 'errors' && c !== 'requests');
        args = [cli, 'rca', '--baseline', file('.baseline.csv'), '--current', file('.current.csv'), '--dimensions', dimensions.join(','), '--metric', 'rate:errors/requests', '--format', 'json'];
      }
      const result = await measure(args, repoRoot, scratch);
      if (result.code !== 0) {
        errors.push(`${id}: outlay rca exited ${result.code}: ${result.stderr.slice(-300)}`);
        continue;
      }
      const found = JSON.parse(result.stdout).root_causes;
      const score = scoreRootCauses(found, truth);
      counts.push(score);
      seconds.push(result.wallMs / 1000);
      if (k % 10 === 9) log(`${name}: ${derived ? 'derived' : 'fundamental'} ${k + 1} of ${cases.length}, F1 so far ${round(f1OfCounts(counts), 3)}`);
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return { counts, seconds, errors };
}

/** @param {{repoRoot: string, args: string[], log: (line: string) => void}} opts */
export async function run({ repoRoot, args, log }) {
  const { values } = parseArgs({ args, options: { cases: { type: 'string', default: '40' }, dir: { type: 'string' } } });
  const cases = Number(values.cases);
  if (!(Number.isInteger(cases) && cases >= 1)) throw new Error(`--cases: expected an integer ≥ 1, got ${values.cases}`);
  if (!existsSync(path.join(repoRoot, 'packages/cli/dist/index.js'))) throw new Error('packages/cli/dist is missing: run `npx tsc -b` first');
  const work = await mkdtemp(path.join(os.tmpdir(), 'outlay-bench-rca-acc-'));
  try {
    const groups = [];
    if (values.dir) {
      const files = await readdir(values.dir);
      const derived = files.some((f) => f.endsWith('.baseline.csv'));
      groups.push({ label: `cases in ${values.dir}`, derived, dir: values.dir, metric: derived ? 'derivedF1' : 'fundamentalF1' });
    } else {
      for (const derived of [false, true]) {
        const dir = path.join(work, derived ? 'derived' : 'fundamental');
        await (await import('node:fs/promises')).mkdir(dir);
        await writeCases(dir, cases, derived);
        groups.push({ label: derived ? 'generated derived (errors/requests, two files)' : 'generated fundamental (real vs predict, one file)', derived, dir, metric: derived ? 'derivedF1' : 'fundamentalF1' });
      }
    }
    const metrics = {};
    const rows = [];
    const errors = [];
    const allSeconds = [];
    for (const group of groups) {
      const { counts, seconds, errors: e } = await runCases({ repoRoot, dir: group.dir, derived: group.derived, log });
      errors.push(...e);
      const f1 = counts.length ? f1OfCounts(counts) : 0;
      metrics[group.metric] = round(f1, 3);
      allSeconds.push(...seconds);
      const exact = counts.filter((c) => c.falsePositives === 0 && c.falseNegatives === 0).length;
      rows.push([group.label, counts.length, round(f1, 3), `${exact} of ${counts.length}`, round(median(seconds), 2), round(Math.max(...seconds), 2)]);
    }
    metrics.secondsPerCase = round(median(allSeconds), 2);
    return {
      metrics,
      errors,
      tables: [{ columns: ['cases', 'n', 'F1', 'exactly right', 'median s/case', 'max s/case'], rows }],
      notes: [
        'F1 counts a root cause as found only when the reported slice equals an injected one exactly (scoreRootCauses in packages/stats), summed over cases as the RiskLoc and Squeeze papers do.',
        'Generated cases: generateRcaCase(seed 1000 + i, 4 dimensions of 5-10 values, 5% relative noise); the published methods reach F1 ≈ 0.9-0.96 on the Squeeze semi-synthetic sets at under a second to ten seconds per case.',
        'Time per case includes the CLI start-up (~0.35 s) and DuckDB reading the CSV.',
        '`node bench/run.js rca-accuracy --dir FOLDER` runs the same on a folder in the public format (case CSVs named after injection_info.csv\'s timestamp column).',
      ],
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
