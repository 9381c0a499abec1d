import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '@outlay/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMain } from '../../test-support/run-main.js';

const adminKey = 'test-admin-key-0123456789abcdef0123456789';
const dir = mkdtempSync(join(tmpdir(), 'outlay-incidents-cli-'));
let server: RunningServer;
const day = (d: number) => Date.UTC(2026, 0, d);

// Two days of a model; on the second its predictions are wrong for every "mobile" row.
beforeAll(async () => {
  server = await startServer({ port: 0, host: '127.0.0.1', dataDir: dir, adminKey, demo: false, decodeThreads: 0, log: () => undefined });
  for (const d of [5, 6]) {
    const rows = Array.from({ length: 1200 }, (_, i) => {
      const device = ['mobile', 'desktop', 'tablet'][i % 3]!;
      const prediction = i % 7 < 2 ? 1 : 0;
      const label = d === 6 && device === 'mobile' ? 1 - prediction : i % 11 === 0 ? 1 - prediction : prediction;
      return { row: { id: `d${d}-${i}`, model: 'churn', timestamp: day(d) + i * 60_000, features: { device, tenure: i % 48 }, prediction }, label };
    });
    await server.store.insertPredictions('acme', rows.map((r) => r.row));
    await server.store.insertLabels('acme', rows.map((r) => ({ id: r.row.id, label: r.label, timestamp: day(d + 1), source: 'ground_truth' as const })));
  }
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const run = (argv: string[]) => runMain(['incidents', ...argv, '--server', server.url, '--key', adminKey, '--project', 'acme'], {});

describe('outlay incidents', () => {
  it('opens, lists, exports and confirms an incident through the server', async () => {
    const opened = await run(['open', '--model', 'churn', '--reference', '2026-01-05..2026-01-06', '--current', '2026-01-06..2026-01-07', '--format', 'json']);
    expect(opened.stderr).toBe('');
    const incident = JSON.parse(opened.stdout) as { id: string; diagnosis: { root_causes: Record<string, string>[] } };
    expect(incident.diagnosis.root_causes).toContainEqual({ device: 'mobile' });

    const list = await run(['list']);
    expect(list.stdout).toMatch(new RegExp(`${incident.id} .* churn .*device=mobile`));

    const output = join(dir, 'mobile.csv');
    const exported = await run(['export', incident.id, '--output', output]);
    expect(exported.stdout).toMatch(/400 rows of \{"device":"mobile"\}/);
    expect(readFileSync(output, 'utf8').trim().split('\n')).toHaveLength(401);

    const confirmed = await run(['confirm', incident.id, '--type', 'interpolation', '--cause', 'device=mobile', '--note', 'app release 4.2']);
    expect(confirmed.code).toBe(0);
    const shown = JSON.parse((await run(['show', incident.id, '--format', 'json'])).stdout) as { confirmed: { cause: Record<string, string> } };
    expect(shown.confirmed.cause).toEqual({ device: 'mobile' });
  }, 60_000);

  it('finds the admin key in the data directory, as outlay keys does', async () => {
    const data = join(dir, 'keyed');
    mkdirSync(data, { recursive: true });
    writeFileSync(join(data, 'admin.key'), `${adminKey}\n`);
    const listed = await runMain(['incidents', 'list', '--server', server.url, '--project', 'acme', '--format', 'json'], { OUTLAY_DATA: data });
    expect(listed.stderr).toBe('');
    expect((JSON.parse(listed.stdout) as { incidents: unknown[] }).incidents.length).toBeGreaterThan(0);
    const none = await runMain(['incidents', 'list', '--server', server.url], { OUTLAY_DATA: join(dir, 'nowhere') });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no API key: pass --key, set OUTLAY_ADMIN_KEY or OUTLAY_KEY, or run where .*admin\.key exists/);
  });

  it('exits 2 with the server\u2019s message on bad input', async () => {
    const bad = await run(['confirm', 'no-such-id', '--type', 'bad_data']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no incident "no-such-id"/);
    const window = await run(['open', '--model', 'churn', '--reference', '2026-01-05', '--current', '2026-01-06..2026-01-07']);
    expect(window.code).toBe(2);
    expect(window.stderr).toMatch(/--reference: expected FROM\.\.TO/);
  });
});
