// Runs the benchmark scenarios in bench/scenarios/ and records them in bench/RESULTS.md.
//
//   npm run bench                          all scenarios
//   node bench/run.js ingest --seconds 10  the named scenarios; flags after the names go to each scenario
//
// A scenario module exports `name`, `budget` ([{metric, atLeast | atMost, label}]) and
// `run({repoRoot, args, log})` → `{metrics, errors, tables: [{columns, rows}], notes}`. A budget miss prints
// FAIL but exits 0 (the numbers are the product); a scenario that errors exits 1.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.dirname(benchDir);
const resultsPath = path.join(benchDir, 'RESULTS.md');

async function loadScenarios() {
  const files = (await readdir(path.join(benchDir, 'scenarios'))).filter((file) => file.endsWith('.js')).sort();
  const scenarios = [];
  for (const file of files) {
    const scenario = await import(pathToFileURL(path.join(benchDir, 'scenarios', file)).href);
    if (typeof scenario.name !== 'string' || !Array.isArray(scenario.budget) || typeof scenario.run !== 'function') {
      throw new Error(`bench/scenarios/${file}: expected exports name, budget and run`);
    }
    scenarios.push(scenario);
  }
  return scenarios;
}

function splitArgs(argv) {
  const firstFlag = argv.findIndex((arg) => arg.startsWith('-'));
  const cut = firstFlag === -1 ? argv.length : firstFlag;
  return { names: argv.slice(0, cut), scenarioArgs: argv.slice(cut) };
}

function checkBudget(budget, metrics) {
  return budget.map((line) => {
    const value = metrics?.[line.metric];
    const limit = line.atLeast ?? line.atMost;
    const pass = typeof value === 'number' && (line.atLeast !== undefined ? value >= line.atLeast : value <= line.atMost);
    return { label: line.label, target: `${line.atLeast !== undefined ? '≥' : '≤'} ${format(limit)}`, value, pass };
  });
}

function format(value) {
  if (typeof value !== 'number') return String(value ?? 'n/a');
  return Number.isInteger(value) ? value.toLocaleString('en-US') : value.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

function machine() {
  const cpus = os.cpus();
  return (
    `${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), ` +
    `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB memory, Node ${process.version}, ${os.platform()} ${os.release()} ${os.arch()}`
  );
}

function markdownTable(columns, rows) {
  const line = (cells) => `| ${cells.map((cell) => format(cell)).join(' | ')} |`;
  return [line(columns), `|${columns.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n');
}

function renderSection(scenario, result, verdicts, command, startedAt) {
  const parts = [
    `<!-- scenario:${scenario.name} -->`,
    `## ${scenario.name}`,
    '',
    `- date: ${startedAt.toISOString()}`,
    `- command: \`${command}\``,
    `- machine: ${machine()}`,
    '',
  ];
  for (const table of result.tables ?? []) parts.push(markdownTable(table.columns, table.rows), '');
  parts.push(markdownTable(['budget', 'target', 'measured', 'verdict'], verdicts.map((v) => [v.label, v.target, v.value, v.pass ? 'PASS' : 'FAIL'])), '');
  for (const note of result.notes ?? []) parts.push(`- ${note}`);
  for (const error of result.errors ?? []) parts.push(`- **error:** ${error}`);
  parts.push(`<!-- /scenario:${scenario.name} -->`);
  return parts.join('\n');
}

/** Replaces this scenario's section and keeps every other one, so scenarios can be rerun one at a time. */
async function updateResults(name, section) {
  let text;
  try {
    text = await readFile(resultsPath, 'utf8');
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
    text = '# Benchmark results\n\nWritten by `npm run bench` (bench/run.js). Each scenario\'s section is replaced when it runs again.\n';
  }
  const pattern = new RegExp(`<!-- scenario:${name} -->[\\s\\S]*?<!-- /scenario:${name} -->`);
  text = pattern.test(text) ? text.replace(pattern, () => section) : `${text.trimEnd()}\n\n${section}\n`;
  await writeFile(resultsPath, text);
}

const { names, scenarioArgs } = splitArgs(process.argv.slice(2));
const scenarios = await loadScenarios();
const unknown = names.filter((name) => !scenarios.some((scenario) => scenario.name === name));
if (unknown.length > 0) {
  process.stderr.write(`bench: no scenario ${unknown.join(', ')}; known: ${scenarios.map((s) => s.name).join(', ')}\n`);
  process.exit(2);
}
const selected = names.length === 0 ? scenarios : scenarios.filter((scenario) => names.includes(scenario.name));
const viaNpm = process.env.npm_lifecycle_event === 'bench';
const command = [viaNpm ? 'npm run bench' : 'node bench/run.js', ...(viaNpm && process.argv.length > 2 ? ['--'] : []), ...process.argv.slice(2)].join(' ');
const log = (line) => process.stderr.write(`${line}\n`);

let failed = false;
let wroteResults = false;
for (const scenario of selected) {
  const startedAt = new Date();
  let result;
  try {
    result = await scenario.run({ repoRoot, args: scenarioArgs, log });
  } catch (error) {
    // Nothing measured: keep the previous section rather than overwrite numbers with nothing.
    failed = true;
    process.stderr.write(`bench: ${scenario.name} failed: ${error.stack ?? error.message}\n`);
    continue;
  }
  const verdicts = checkBudget(scenario.budget, result.metrics);
  await updateResults(scenario.name, renderSection(scenario, result, verdicts, command, startedAt));
  wroteResults = true;
  for (const table of result.tables ?? []) process.stdout.write(`\n${markdownTable(table.columns, table.rows)}\n`);
  for (const verdict of verdicts) {
    process.stdout.write(`${verdict.pass ? 'PASS' : 'FAIL'} ${scenario.name}: ${verdict.label} ${format(verdict.value)} (budget ${verdict.target})\n`);
  }
  for (const error of result.errors ?? []) process.stdout.write(`ERROR ${scenario.name}: ${error}\n`);
  if ((result.errors ?? []).length > 0) failed = true;
}
if (wroteResults) process.stdout.write(`\nresults: ${path.relative(process.cwd(), resultsPath)}\n`);
process.exitCode = failed ? 1 : 0;
