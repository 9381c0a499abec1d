import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDuckDbStore } from '@outlay/store';
import { afterAll, describe, expect, it } from 'vitest';
import { runMain } from '../../test-support/run-main.js';

const dir = mkdtempSync(join(tmpdir(), 'outlay-cost-ledger-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (argv: string[]) => runMain(['cost', ...argv], {});
const dataDir = () => join(dir, `data-${n++}`);
function file(name: string, text: string): string {
  const path = join(dir, `${n++}-${name}`);
  writeFileSync(path, text);
  return path;
}

const header = 'kind,name,category,amount_usd,start_month,end_month,customer,variable_share,cost_usd,salvage_usd,life_months,in_service,model,instance,replicas,price_per_hour_usd';
const rows = [
  'expense,labelling,variable.operations,600,2026-02,2026-03,c2,0.5,,,,,,,,',
  'expense,engineers,fixed.development.developers,10000,2026-02,,,,,,,,,,,',
  'asset,GPU server,,,,,,,12600,600,24,2026-02-10,,,,',
  'deployment,,,,2026-02,,,,,,,,fraud,box,3,0.5',
];

async function storedTotals(data: string, project: string) {
  const store = await openDuckDbStore(join(data, 'outlay.duckdb'));
  await store.migrate();
  try {
    return await store.costTotals(project);
  } finally {
    await store.close();
  }
}

describe('outlay cost add', () => {
  it('turns a CSV of expenses, an asset and a deployment into monthly cost records', async () => {
    const data = dataDir();
    const { code, stdout, stderr } = await run(['add', '--file', file('costs.csv', `${header}\n${rows.join('\n')}\n`), '--project', 'acme', '--data', data, '--format', 'json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    // 2 labelling months + 1 + 24 amortisation months + 3 replicas.
    expect(result).toMatchObject({ rows: 4, added: 4, records: 30, rejected: [] });
    // 1,200 + 10,000 + 24 × 500 + 3 × 672 h × $0.50.
    expect(result.cost_usd).toBeCloseTo(1200 + 10_000 + 12_000 + 1008, 6);
    expect((await storedTotals(data, 'acme')).rows).toBe(30);
  });

  it.each([
    ['a life of zero', 'asset,GPU server,,,,,,,12600,600,0,2026-02-10,,,,', /row 2, column life_months: expected a life of at least 1 month/],
    ['an end before the start', 'expense,labelling,variable.operations,600,2026-02,2025-03,,,,,,,,,,', /row 2, column end_month: 2025-03 is before start_month 2026-02/],
    ['a bad number', 'expense,labelling,variable.operations,6OO,2026-02,,,,,,,,,,,', /row 2, column amount_usd: expected a number, got "6OO"/],
    ['an unknown category', 'expense,labelling,variable.people,600,2026-02,,,,,,,,,,,', /row 2, column category: /],
    ['a deployment without a price', 'deployment,,,,2026-02,,,,,,,,fraud,box,1,', /row 2, column price_per_hour_usd: give a price/],
  ])('refuses %s, naming the file, row and column, and adds nothing', async (_what, bad, message) => {
    const data = dataDir();
    const path = file('bad.csv', `${header}\n${rows[0]}\n${bad}\n`);
    const { code, stdout, stderr } = await run(['add', '--file', path, '--project', 'acme', '--data', data]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr).toContain(path);
    expect((await storedTotals(data, 'acme')).rows).toBe(0);
  });

  it('adds the good entries with --partial and reports the others; reads JSON too', async () => {
    const data = dataDir();
    const path = file('costs.json', JSON.stringify([
      { kind: 'expense', name: 'tools', category: 'variable.operations', amount_usd: 99, start_month: '2026-01' },
      { kind: 'asset', name: 'camera', cost_usd: 100, life_months: 0, in_service: '2026-01-01' },
    ]));
    const { code, stdout } = await run(['add', '--file', path, '--project', 'acme', '--data', data, '--partial', '--format', 'json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ rows: 2, added: 1, records: 1, cost_usd: 99, rejected: [{ row: 2, column: 'life_months' }] });
  });

  it('reads the same entries from YAML', async () => {
    const data = dataDir();
    const path = file('costs.yaml', ['- kind: expense', '  name: tools', '  category: variable.operations', '  amount_usd: 99', "  start_month: '2026-01'", ''].join('\n'));
    const { code, stdout } = await run(['add', '--file', path, '--project', 'acme', '--data', data, '--format', 'json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ rows: 1, added: 1, records: 1, cost_usd: 99 });
  });

  it('refuses an unknown column', async () => {
    const { code, stderr } = await run(['add', '--file', file('odd.csv', 'kind,name,colour\nexpense,x,red\n'), '--project', 'acme', '--data', dataDir()]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown column "colour"/);
  });
});

describe('outlay cost unit-metrics and opportunities', () => {
  it('prints unit economics and ranked savings as one JSON document each', async () => {
    const data = dataDir();
    const store = await openDuckDbStore(join(data, 'outlay.duckdb'));
    await store.migrate();
    const feb = Date.UTC(2026, 1, 1);
    await store.insertPredictions('acme', Array.from({ length: 400 }, (_, i) => ({
      id: `p${i}`, model: 'fraud', timestamp: feb + i * 3_600_000, features: {}, prediction: 0, latency_ms: 100, customer: i < 100 ? 'c1' : 'c2',
    })));
    await store.insertRevenue('acme', [{ period_start: feb, period_end: Date.UTC(2026, 2, 1), customer: 'c1', amount: 4000, currency: 'USD' }]);
    await store.close();
    expect((await run(['add', '--file', file('costs.csv', `${header}\n${rows.join('\n')}\n`), '--project', 'acme', '--data', data])).code).toBe(0);

    const metrics = await run(['unit-metrics', '--project', 'acme', '--data', data, '--from', '2026-02-01', '--to', '2026-03-01', '--format', 'json']);
    expect(metrics.stderr).toBe('');
    expect(metrics.stdout.trim().split('\n')).toHaveLength(1);
    const [p] = JSON.parse(metrics.stdout).periods;
    // Variable: 3 replicas × 672 h × $0.50 = 1,008 serving + 300 of the labelling.
    expect(p.variable_cost_usd).toBeCloseTo(1308, 9);
    expect(p.variable_cost_per_prediction_usd).toBeCloseTo(1308 / 400, 9);
    expect(p.variable_cost_per_revenue_usd).toBeCloseTo(1308 / 4000, 9);

    const found = await run(['opportunities', '--project', 'acme', '--data', data, '--format', 'json']);
    expect(found.code).toBe(0);
    const o = JSON.parse(found.stdout);
    expect(o.opportunities[0]).toMatchObject({ rank: 1, kind: 'idle_capacity', model: 'fraud' });
    expect(o.opportunities[0].saving_usd).toBeCloseTo(672, 9);

    const text = await run(['opportunities', '--project', 'acme', '--data', data]);
    expect(text.stdout).toMatch(/1\. save \$672\.00 of \$1,008\.00: fraud: 2 of 3 replicas are idle/);
    expect((await run(['unit-metrics', '--project', 'acme', '--data', data, '--period', 'week'])).code).toBe(2);
  });
});
