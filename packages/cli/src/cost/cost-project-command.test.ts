import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runMain } from '../../test-support/run-main.js';

const example = fileURLToPath(new URL('../../../../docs/examples/cost-scenario.json', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'outlay-project-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (argv: string[]) => runMain(['cost', 'project', ...argv]);
function scenarioFile(content: unknown, ext = 'json'): string {
  const file = join(dir, `scenario-${n++}.${ext}`);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

const minimal = {
  scenarios: [
    {
      name: 'minimal',
      volume: { predictions_per_month: 1_000_000, peak_to_mean: 1 },
      serving: { service_ms: 100, p99_ms: 1_000, price_per_hour_usd: 2 },
      costs: [{ name: 'on-call', bucket: 'variable.operations', driver: 'none', monthly_usd: 500 }],
    },
  ],
};

interface Projection {
  scenario: string;
  serving_price: { price_per_hour_usd: number; source: string };
  marginal_rises_then_falls: boolean;
  scales: { scale: { volume: number }; predictions_per_month: number; instances: number; total_usd: number; marginal_per_prediction_usd: number | null; by_bucket: Record<string, number> }[];
}

describe('outlay cost project', () => {
  it('projects the example scenario at 1, 10, 100 and 1000× as one JSON document', async () => {
    const { code, stdout, stderr } = await run(['--scenario', example, '--format', 'json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    const result = JSON.parse(stdout) as { scales: number[]; price_date: string; scenarios: Projection[] };
    expect(result.scales).toEqual([1, 10, 100, 1000]);
    expect(result.price_date).toBe('2026-11-28');
    const [video, own] = result.scenarios;
    // The g5.xlarge price comes from the default catalogue, the colo box from the file's own price book.
    expect(video!.serving_price.price_per_hour_usd).toBe(1.006);
    expect(own!.serving_price).toEqual({ price_per_hour_usd: 0.62, source: 'https://example.com/contract-2026 (your own contract price)' });
    expect(video!.scales.map((s) => s.predictions_per_month)).toEqual([1e6, 1e7, 1e8, 1e9]);
    expect(video!.scales[0]!.marginal_per_prediction_usd).toBeNull();
    expect(video!.marginal_rises_then_falls).toBe(true);
    for (const s of video!.scales) {
      const sum = Object.values(s.by_bucket).reduce((a, b) => a + b, 0);
      expect(sum).toBeCloseTo(s.total_usd, 6);
    }
  });

  it('takes --scales over the file and prints a table by default', async () => {
    const file = scenarioFile(minimal);
    const json = await run(['--scenario', file, '--scales', '1,2', '--format', 'json']);
    expect(json.code).toBe(0);
    const [minimalProjection] = (JSON.parse(json.stdout) as { scenarios: Projection[] }).scenarios;
    // 1e6 predictions / (730 × 3600 s) = 0.38 qps at 100 ms: one instance at $2 × 730 h + $500.
    expect(minimalProjection!.scales[0]!.instances).toBe(1);
    expect(minimalProjection!.scales[0]!.total_usd).toBeCloseTo(2 * 730 + 500, 9);
    const text = await run(['--scenario', file, '--scales', '1,2']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^minimal: 730 hours a month, instances at \$2\/hour \(scenario file\)/);
    expect(text.stdout).toMatch(/marginal per 1k/);
  });

  it('names the file and the field on bad input, exit 2, one line', async () => {
    const bad = scenarioFile({ scenarios: [{ ...minimal.scenarios[0], serving: { service_ms: 'fast', p99_ms: 1_000, price_per_hour_usd: 2 } }] });
    const { code, stdout, stderr } = await run(['--scenario', bad]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(`${bad}: scenarios[0].serving.service_ms: `);
    expect(stderr).toMatch(/expected number/);
  });

  it('refuses a serving price that is missing from the price book instead of pricing it at $0', async () => {
    const file = scenarioFile({
      scenarios: [{ ...minimal.scenarios[0], serving: { service_ms: 100, p99_ms: 1_000, instance: { vendor: 'aws', service: 'AmazonEC2', region: 'us-east-1', instance: 'g9.huge' } } }],
    });
    const { code, stderr } = await run(['--scenario', file]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${file}: scenarios[0].serving.instance: no price for aws AmazonEC2 g9.huge (on_demand) in us-east-1 on `);
  });

  it('reads a YAML scenario like its JSON', async () => {
    const yaml = scenarioFile(JSON.stringify(minimal, null, 2).replace(/^\{|\}$/g, '').replace(/"([a-z_0-9]+)":/g, '$1:'), 'yaml');
    const fromYaml = await run(['--scenario', yaml, '--format', 'json']);
    const fromJson = await run(['--scenario', scenarioFile(minimal), '--format', 'json']);
    expect(fromYaml.stderr).toBe('');
    expect(JSON.parse(fromYaml.stdout).projections).toEqual(JSON.parse(fromJson.stdout).projections);
  });

  it('refuses unreadable files, bad JSON or YAML and bad scales', async () => {
    expect((await run(['--scenario', scenarioFile('scenarios: [unclosed', 'yaml')])).stderr).toMatch(/\.yaml \(--scenario\): not valid YAML/);
    expect((await run(['--scenario', join(dir, 'missing.json')])).stderr).toMatch(/missing\.json \(--scenario\): cannot read the file \(ENOENT\)/);
    expect((await run(['--scenario', scenarioFile('{ nope')])).stderr).toMatch(/not valid JSON/);
    const scales = await run(['--scenario', scenarioFile(minimal), '--scales', '1,zero']);
    expect(scales.code).toBe(2);
    expect(scales.stderr).toMatch(/--scales: expected numbers > 0, got "zero"/);
    const rule = await run(['--scenario', scenarioFile({ scenarios: [{ ...minimal.scenarios[0], costs: [{ name: 'x', bucket: 'variable.operations', driver: 'none' }] }] })]);
    expect(rule.stderr).toMatch(/scenarios\[0\]\.costs\[0\]: expected exactly one of per_unit_usd, step, power, monthly_usd/);
  });
});
