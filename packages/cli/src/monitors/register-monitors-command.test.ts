import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '@outlay/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMain } from '../../test-support/run-main.js';
import { parseCondition } from './parse-condition.js';

const adminKey = 'test-admin-key-cli-monitors-0123456789abcdef';
const dir = mkdtempSync(join(tmpdir(), 'outlay-cli-monitors-'));
let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ port: 0, host: '127.0.0.1', dataDir: dir, adminKey, demo: false, decodeThreads: 0, log: () => undefined });
  const day = Date.UTC(2026, 0, 5);
  const rows = Array.from({ length: 200 }, (_, i) => ({ id: `p${i}`, model: 'fraud', timestamp: new Date(day + i * 60_000).toISOString(), prediction: i % 3 === 0 ? 1 : 0, features: {} }));
  await server.store.insertPredictions('demo', rows);
  await server.store.insertLabels('demo', rows.map((r) => ({ id: r.id, label: 0, timestamp: r.timestamp, source: 'ground_truth' as const })));
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const run = (...argv: string[]) => runMain(['monitors', ...argv, '--server', server.url, '--key', adminKey, '--project', 'demo']);

describe('outlay monitors', () => {
  it('creates, lists, evaluates and deletes a monitor against a running server', async () => {
    const created = await run('create', '--name', 'fraud errors', '--model', 'fraud', '--metric', 'error_rate', '--condition', 'static:>:0.2', '--slice', 'model_version:v1', '--min-sample', '1', '--format', 'json');
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const monitor = JSON.parse(created.stdout) as { id: string; condition: unknown; slice: unknown };
    expect(monitor.condition).toEqual({ type: 'static', op: '>', value: 0.2 });

    const file = join(dir, 'monitor.json');
    writeFileSync(file, JSON.stringify({ id: 'errors', name: 'errors', model: 'fraud', metric: 'error_rate', threshold: 0.2 }));
    expect((await run('create', '--file', file)).stdout).toBe('created monitor errors (errors)\n');

    const listed = await run('list', '--format', 'json');
    expect((JSON.parse(listed.stdout) as { monitors: { id: string }[] }).monitors.map((m) => m.id)).toEqual([monitor.id, 'errors']);
    expect((await run('list')).stdout).toMatch(/^errors {2}errors {2}error_rate of fraud per day {2}> 0\.2$/m);

    const evaluated = await run('evaluate', 'errors', '--format', 'json');
    expect(JSON.parse(evaluated.stdout)).toMatchObject({ evaluation: { status: 'breach' }, alert: { status: 'firing' } });
    expect((await run('evaluate', 'errors')).stdout).toMatch(/^errors: breach \(window 2026-01-05T00:00:00.000Z\): error_rate = 0\.335 > 0\.200\nalert: firing\n$/);

    expect((await run('delete', 'errors')).stdout).toBe('deleted monitor errors\n');
    expect(JSON.parse((await run('list', '--format', 'json')).stdout).monitors).toHaveLength(1);
  });

  it('exits 2 with one line on bad input', async () => {
    const unknown = await run('create', '--name', 'x', '--model', 'fraud', '--metric', 'accuracy', '--threshold', '1');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^outlay: invalid monitor: metric: unknown metric "accuracy".*\n$/);
    const missing = await run('delete', 'nope');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('outlay: no monitor "nope" in project "demo"\n');
    expect((await run('create', '--name', 'x', '--model', 'fraud', '--metric', 'error_rate')).stderr).toBe('outlay: give --condition or --threshold\n');
  });
});

describe('parseCondition', () => {
  it('reads the three condition forms and refuses others', () => {
    expect(parseCondition('static:<:5')).toEqual({ type: 'static', op: '<', value: 5 });
    expect(parseCondition('relative:7:0.3:increase')).toEqual({ type: 'relative', baseline_windows: 7, max_relative_change: 0.3, direction: 'increase' });
    expect(parseCondition('control_limits:kalman:14')).toEqual({ type: 'control_limits', smooth: 'kalman', reference_windows: 14 });
    expect(() => parseCondition('static:>=:1')).toThrow(/--condition: expected/);
    expect(() => parseCondition('static:>:x')).toThrow(/threshold must be a number/);
  });
});
