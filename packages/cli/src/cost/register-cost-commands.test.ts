import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { openDuckDbStore } from '@outlay/store';
import { afterAll, describe, expect, it } from 'vitest';
import { createKey, spawnOutlay } from '../../test-support/spawn-outlay.js';
import type { FocusImportResult } from './import-focus.js';
import { runMain } from '../../test-support/run-main.js';

// DESIGN.md: the real FOCUS 1.0 sample sits in ../shared/data beside the repository.
const sample = fileURLToPath(new URL('../../../../../shared/data/focus/focus-1.0-sample.csv', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'outlay-cost-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `outlay cost …` through the real CLI entry (main.ts's exit-code rules). */
const run = (argv: string[], env: NodeJS.ProcessEnv = {}) => runMain(['cost', ...argv], env);

/** The reference: DuckDB SQL over the raw file, independent of the TypeScript parser. */
async function fileSums(file: string, groupBy: string): Promise<Record<string, { billed_cost: number; effective_cost: number }>> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const reader = await connection.runAndReadAll(
    `SELECT ${groupBy}, sum(TRY_CAST(BilledCost AS DOUBLE)), sum(TRY_CAST(EffectiveCost AS DOUBLE))
     FROM read_csv('${file}', header = true, all_varchar = true) GROUP BY ALL`,
  );
  const out = Object.fromEntries(reader.getRows().map(([k, b, e]) => [String(k), { billed_cost: Number(b), effective_cost: Number(e) }]));
  connection.closeSync();
  instance.closeSync();
  return out;
}

function expectSums(actual: Record<string, { billed_cost: number; effective_cost: number }>, expected: typeof actual): void {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  for (const [name, sums] of Object.entries(expected)) {
    expect(actual[name]!.billed_cost).toBeCloseTo(sums.billed_cost, 10);
    expect(actual[name]!.effective_cost).toBeCloseTo(sums.effective_cost, 10);
  }
}

const header = 'BilledCost,EffectiveCost,BillingCurrency,ChargeCategory,ChargeClass,ChargePeriodStart,ChargePeriodEnd,ConsumedQuantity,ProviderName,ServiceCategory,ServiceName';
const goodRow = '1.50,1.25,USD,Usage,NULL,2024-09-18 22:00:00,2024-09-18 23:00:00,3,AWS,Compute,Amazon Elastic Compute Cloud';
function focusFile(...rows: string[]): string {
  const file = join(dir, `focus-${n++}.csv`);
  writeFileSync(file, `${[header, ...rows].join('\n')}\n`);
  return file;
}
const dataDir = () => join(dir, `data-${n++}`);

async function storedTotals(data: string, project: string) {
  const store = await openDuckDbStore(join(data, 'outlay.duckdb'));
  await store.migrate();
  try {
    return await store.costTotals(project);
  } finally {
    await store.close();
  }
}

describe('outlay cost capacity', () => {
  it('prints the plan as one JSON document', async () => {
    const { code, stdout } = await run(['capacity', '--qps', '40', '--service-ms', '100', '--p99-ms', '500', '--price-per-hour', '1.5', '--format', 'json']);
    expect(code).toBe(0);
    const plan = JSON.parse(stdout) as Record<string, unknown>;
    // Golden from packages/stats/golden/cost/erlang-golden.py: 6 replicas, p99 0.48540131078236026 s.
    expect(plan.replicas).toBe(6);
    expect(plan.utilization).toBeCloseTo(4 / 6, 12);
    expect(plan.p99_latency_ms as number).toBeCloseTo(485.4013107823603, 6);
    expect(plan.cost_per_hour_usd).toBe(9);
    expect(stdout.trim().split('\n')).toHaveLength(1);
  });

  it('shows the cost of provisioning for the peak', async () => {
    const { code, stdout } = await run(['capacity', '--qps', '40', '--service-ms', '100', '--p99-ms', '500', '--peak-to-mean', '3', '--price-per-hour', '2', '--format', 'json']);
    expect(code).toBe(0);
    const plan = JSON.parse(stdout) as { replicas: number; replicas_for_mean: number; peak_gap_cost_per_hour_usd: number; design_qps: number };
    expect(plan.design_qps).toBe(120);
    expect(plan.replicas_for_mean).toBe(6);
    expect(plan.peak_gap_cost_per_hour_usd).toBe((plan.replicas - 6) * 2);
  });

  it('summarises the plan in text', async () => {
    const { code, stdout } = await run(['capacity', '--qps', '40', '--service-ms', '100', '--p99-ms', '500']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^6 replicas for 40 requests\/s at 100 ms per request\np99 latency 485\.4 ms \(objective 500\.0 ms\), utilisation 66\.7%/);
  });

  it('refuses an objective no replica count meets, with the reason, exit 2', async () => {
    const { code, stdout, stderr } = await run(['capacity', '--qps', '40', '--service-ms', '100', '--p99-ms', '400', '--format', 'json']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/no replica count meets a p99 latency of 400 ms.*service alone has a p99 of 460\.5 ms/);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('plans batched serving from --batch-size and --batch-service-ms', async () => {
    const { code, stdout } = await run(['capacity', '--qps', '400', '--service-ms', '20', '--p99-ms', '600', '--batch-size', '8', '--batch-service-ms', '100', '--format', 'json']);
    expect(code).toBe(0);
    // Golden from erlang-golden.py (batched case 1): 7 replicas, bound 596.97 ms.
    expect(JSON.parse(stdout)).toMatchObject({ replicas: 7, latency_method: 'upper-bound', batch: { size: 8, service_ms: 100 } });
    const half = await run(['capacity', '--qps', '400', '--service-ms', '20', '--p99-ms', '600', '--batch-size', '8']);
    expect(half.code).toBe(2);
    expect(half.stderr).toMatch(/--batch-size and --batch-service-ms go together/);
  });

  it('refuses a value that is not a number, naming the flag', async () => {
    const { code, stderr } = await run(['capacity', '--qps', 'forty', '--service-ms', '100', '--p99-ms', '500']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--qps: expected a number, got "forty"/);
  });
});

describe('outlay cost import', () => {
  it('imports the FOCUS sample with totals per provider and charge category equal to the file’s column sums', async () => {
    const data = dataDir();
    const { code, stdout, stderr } = await run(['import', '--focus', sample, '--data', data, '--project', 'acme', '--format', 'json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as FocusImportResult;
    expect(result).toMatchObject({ rows: 1000, imported: 1000, rejected: 0, cost_basis: 'effective', currency: 'USD', ignored_columns: ['Id'] });
    const total = (await fileSums(sample, "'all'")).all!;
    expect(result.totals.billed_cost).toBeCloseTo(total.billed_cost, 10);
    expect(result.totals.effective_cost).toBeCloseTo(total.effective_cost, 10);
    expect(result.cost).toBe(result.totals.effective_cost);
    expectSums(result.by_provider, await fileSums(sample, 'ProviderName'));
    expectSums(result.by_charge_category, await fileSums(sample, 'ChargeCategory'));
    // Measured once on the sample: AWS billed 18.0066386184, Microsoft 1.97651418586, Oracle 0.53707392473.
    expect(result.by_provider.AWS!.billed_cost).toBeCloseTo(18.0066386184, 9);
    expect(Object.keys(result.by_category).sort()).toEqual(['fixed.development.training', 'unclassified', 'variable.bandwidth', 'variable.compute', 'variable.operations']);

    const stored = await storedTotals(data, 'acme');
    expect(stored.rows).toBe(1000);
    expect(stored.billed_cost).toBeCloseTo(total.billed_cost, 10);
    expect(stored.effective_cost).toBeCloseTo(total.effective_cost, 10);
  });

  it('maps FOCUS rows to the taxonomy with the rules file a project gives', async () => {
    const rules = join(dir, 'rules.yaml');
    writeFileSync(rules, ['- when: {ProviderName: [AWS]}', '  category: variable.compute', '  why: all of AWS serves the model', '- when: {}', '  category: fixed.hardware', ''].join('\n'));
    const { code, stdout, stderr } = await run(['import', '--focus', sample, '--data', dataDir(), '--project', 'acme', '--rules', rules, '--format', 'json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as FocusImportResult;
    expect(Object.keys(result.by_category).sort()).toEqual(['fixed.hardware', 'variable.compute']);
    expect(result.by_category['variable.compute']!.billed_cost).toBeCloseTo(18.0066386184, 9);
    writeFileSync(rules, '- when: {Region: [x]}\n  category: variable.compute\n');
    const bad = await run(['import', '--focus', sample, '--data', dataDir(), '--project', 'acme', '--rules', rules]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/rules\.yaml \(--rules\): \[0\]\.when: /);
  });

  it('reports the billed cost when asked', async () => {
    const { code, stdout } = await run(['import', '--focus', sample, '--data', dataDir(), '--project', 'acme', '--cost', 'billed', '--format', 'json']);
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as FocusImportResult;
    expect(result.cost_basis).toBe('billed');
    expect(result.cost).toBe(result.totals.billed_cost);
  });

  it('is not idempotent: cost rows have no id, so a second import stores the rows again', async () => {
    const data = dataDir();
    const file = focusFile(goodRow);
    expect((await run(['import', '--focus', file, '--data', data, '--project', 'p'])).code).toBe(0);
    expect((await run(['import', '--focus', file, '--data', data, '--project', 'p'])).code).toBe(0);
    expect(await storedTotals(data, 'p')).toEqual({ rows: 2, billed_cost: 3, effective_cost: 2.5 });
  });

  it.each([
    ['an unparsable cost', '1.5O,1.25,USD,Usage,NULL,2024-09-18 22:00:00,2024-09-18 23:00:00,3,AWS,Compute,EC2', /row 2, column BilledCost: expected a decimal number, got "1\.5O"/],
    ['an unparsable date', '1.50,1.25,USD,Usage,NULL,2024-09-31 22:00:00,2024-09-18 23:00:00,3,AWS,Compute,EC2', /row 2, column ChargePeriodStart: expected a date-time/],
    ['a negative cost that is not a credit', '-1.50,-1.25,USD,Usage,NULL,2024-09-18 22:00:00,2024-09-18 23:00:00,3,AWS,Compute,EC2', /row 2, column BilledCost: negative cost -1\.50 in a Usage row/],
    ['another currency', '1.50,1.25,EUR,Usage,NULL,2024-09-18 22:00:00,2024-09-18 23:00:00,3,AWS,Compute,EC2', /row 2, column BillingCurrency: billed in EUR, but the ledger is in USD/],
    ['a missing cost', 'NULL,1.25,USD,Usage,NULL,2024-09-18 22:00:00,2024-09-18 23:00:00,3,AWS,Compute,EC2', /row 2, column BilledCost: expected a decimal number, got nothing/],
  ])('refuses %s, naming the row and column, and writes nothing', async (_what, badRow, message) => {
    const data = dataDir();
    const file = focusFile(goodRow, badRow, goodRow);
    const { code, stdout, stderr } = await run(['import', '--focus', file, '--data', data, '--project', 'p', '--format', 'json']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr).toContain(file);
    expect(stderr).toMatch(/nothing was imported/);
    expect((await storedTotals(data, 'p')).rows).toBe(0);
  });

  it('accepts credits, corrections and usage reversals with negative costs', async () => {
    const file = focusFile(
      '-2.00,-2.00,USD,Credit,NULL,2024-09-18 22:00:00,2024-09-18 23:00:00,NULL,AWS,Compute,EC2',
      '-1.00,-1.00,USD,Usage,Correction,2024-09-18 22:00:00,2024-09-18 23:00:00,1,AWS,Compute,EC2',
      '-0.50,-0.50,USD,Usage,NULL,2024-09-18 22:00:00,2024-09-18 23:00:00,-0.1,Microsoft,Storage,Storage Accounts',
    );
    const { code, stdout } = await run(['import', '--focus', file, '--data', dataDir(), '--project', 'p', '--format', 'json']);
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as FocusImportResult).totals).toEqual({ billed_cost: -3.5, effective_cost: -3.5 });
  });

  it('imports the good rows with --partial and reports the others', async () => {
    const data = dataDir();
    const file = focusFile(goodRow, '1.50,abc,USD,Usage,NULL,2024-09-18 22:00:00,2024-09-18 23:00:00,3,AWS,Compute,EC2', goodRow);
    const { code, stdout } = await run(['import', '--focus', file, '--data', data, '--project', 'p', '--partial', '--format', 'json']);
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as FocusImportResult;
    expect(result).toMatchObject({ rows: 3, imported: 2, rejected: 1, totals: { billed_cost: 3, effective_cost: 2.5 } });
    expect(result.errors[0]).toMatchObject({ row: 2, column: 'EffectiveCost' });
    expect((await storedTotals(data, 'p')).rows).toBe(2);
  });

  it('refuses unknown columns unless told to ignore them', async () => {
    const file = join(dir, `unknown-${n++}.csv`);
    writeFileSync(file, `${header},Colour\n${goodRow},red\n`);
    const refused = await run(['import', '--focus', file, '--data', dataDir(), '--project', 'p']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/unknown column "Colour": expected FOCUS 1\.0 columns or custom ones prefixed x_ \(pass --ignore-columns Colour/);
    const ignored = await run(['import', '--focus', file, '--data', dataDir(), '--project', 'p', '--ignore-columns', 'Colour', '--format', 'json']);
    expect(ignored.code).toBe(0);
    expect((JSON.parse(ignored.stdout) as FocusImportResult).ignored_columns).toEqual(['Colour']);
  });

  it('refuses a file without the FOCUS cost columns, and a missing file', async () => {
    const file = join(dir, `plain-${n++}.csv`);
    writeFileSync(file, 'a,b\n1,2\n');
    const plain = await run(['import', '--focus', file, '--data', dataDir(), '--project', 'p']);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toMatch(/missing FOCUS columns BilledCost, ChargePeriodStart, ChargePeriodEnd/);
    const missing = await run(['import', '--focus', join(dir, 'nope.csv'), '--data', dataDir(), '--project', 'p']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.csv: no such file/);
  });

  it('goes through the server with --server, and names it when the server holds the data directory', async () => {
    const data = dataDir();
    const server = await spawnOutlay(data);
    try {
      const locked = await run(['import', '--focus', sample, '--data', data, '--project', 'acme']);
      expect(locked.code).toBe(2);
      expect(locked.stderr).toMatch(/a server is running on .*: use --server/);

      const key = await createKey(server, 'acme', 'ingest');
      const { code, stdout, stderr } = await run(['import', '--focus', sample, '--server', server.url, '--key', key, '--project', 'acme', '--format', 'json']);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      const result = JSON.parse(stdout) as FocusImportResult;
      expect(result.imported).toBe(1000);
      expectSums(result.by_provider, await fileSums(sample, 'ProviderName'));
    } finally {
      await server.stop();
    }
    const stored = await storedTotals(data, 'acme');
    const total = (await fileSums(sample, "'all'")).all!;
    expect(stored.rows).toBe(1000);
    expect(stored.billed_cost).toBeCloseTo(total.billed_cost, 10);
  });
});
