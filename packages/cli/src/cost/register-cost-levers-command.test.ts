import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runMain } from '../../test-support/run-main.js';

const example = fileURLToPath(new URL('../../../../docs/examples/levers.json', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'outlay-levers-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (argv: string[]) => runMain(['cost', 'levers', ...argv]);
function leversFile(content: unknown, ext = 'json'): string {
  const file = join(dir, `levers-${n++}.${ext}`);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

interface Result {
  lever: string;
  saving_usd: number;
  per: string;
  assumptions: string[];
  details: Record<string, unknown>;
}

const logRetention = {
  lever: 'log_retention',
  bytes_per_prediction: 2_000,
  predictions_per_day: 5_000_000,
  tiers: [
    { name: 'hot', days: 30, price_per_gb_month_usd: 0.023 },
    { name: 'archive', days: 335, price_per_gb_month_usd: 0.002 },
  ],
};

describe('outlay cost levers', () => {
  it('prices every lever of the example file as one JSON document', async () => {
    const { code, stdout, stderr } = await run(['--file', example, '--format', 'json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    const { levers } = JSON.parse(stdout) as { levers: Result[] };
    expect(levers.map((l) => l.lever)).toEqual([
      'distillation',
      'serverless_vs_provisioned',
      'log_retention',
      'compression',
      'peak_throttling',
      'tiered_pricing',
      'rent_vs_buy',
      'spot_training',
      'commitment_level',
      'sampling_rate',
      'quantisation',
    ]);
    // The hand-worked numbers of the stats tests, through the file's snake_case inputs.
    const saving = (name: string) => levers.find((l) => l.lever === name)!.saving_usd;
    expect(saving('distillation')).toBeCloseTo(1_168, 6);
    expect(saving('serverless_vs_provisioned')).toBeCloseTo(90.812, 6);
    expect(saving('log_retention')).toBeCloseTo(70.35, 6);
    expect(saving('compression')).toBeCloseTo(137.5, 6);
    expect(saving('peak_throttling')).toBeCloseTo(182.5, 6);
    expect(saving('tiered_pricing')).toBeCloseTo(-25, 6);
    for (const l of levers) {
      expect(Number.isFinite(l.saving_usd)).toBe(true);
      expect(l.assumptions.length).toBeGreaterThan(0);
    }
  });

  it('reads YAML and prints text by default', async () => {
    const file = leversFile(
      ['levers:', '  - lever: log_retention', '    bytes_per_prediction: 2000', '    predictions_per_day: 5000000', '    tiers:', '      - {name: hot, days: 30, price_per_gb_month_usd: 0.023}', '      - {name: archive, days: 335, price_per_gb_month_usd: 0.002}'].join('\n'),
      'yaml',
    );
    const { code, stdout } = await run(['--file', file]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^log_retention: saves \$70\.35 per month\n {2}- /);
  });

  it('names the file, the lever and the field on bad input, exit 2, one line', async () => {
    const bad = leversFile({ levers: [logRetention, logRetention, { ...logRetention, bytes_per_prediction: 'big' }] });
    const { code, stdout, stderr } = await run(['--file', bad]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(`${bad}: levers[2].bytes_per_prediction: `);
  });

  it('refuses to disable logs, naming the lever', async () => {
    const file = leversFile({ levers: [{ ...logRetention, tiers: [{ name: 'hot', days: 0, price_per_gb_month_usd: 0.023 }] }] });
    const { code, stderr } = await run(['--file', file, '--format', 'json']);
    expect(code).toBe(2);
    expect(stderr).toContain(`${file}: levers[0] (log_retention): `);
    expect(stderr).toMatch(/never disable logs/);
  });

  it('refuses an unknown lever', async () => {
    const file = leversFile({ levers: [{ lever: 'magic' }] });
    const { code, stderr } = await run(['--file', file]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${file}: levers[0].lever: `);
  });
});
