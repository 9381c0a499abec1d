import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer, type ServerOptions } from './start-server.js';

const dir = mkdtempSync(join(tmpdir(), 'outlay-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const options = (dataDir: string, extra: Partial<ServerOptions> = {}): ServerOptions => ({
  port: 0, host: '127.0.0.1', dataDir, demo: false, log: () => undefined, ...extra,
});

describe('startServer', () => {
  it('creates an admin key once, shows it once, and keeps it in admin.key with mode 0600', async () => {
    const lines: string[] = [];
    const data = join(dir, 'keys');
    const first = await startServer(options(data, { log: (l) => lines.push(l) }));
    const file = join(data, 'admin.key');
    const key = readFileSync(file, 'utf8').trim();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(lines.join('\n')).toContain(key);
    const whoami = await fetch(`${first.url}/v1/whoami`, { headers: { authorization: `Bearer ${key}` } });
    expect(await whoami.json()).toMatchObject({ project: '*', role: 'admin' });
    await first.close();
    lines.length = 0;
    const second = await startServer(options(data, { log: (l) => lines.push(l) }));
    expect(lines.join('\n')).not.toContain(key);
    expect((await fetch(`${second.url}/v1/whoami`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
    await second.close();
  });

  it('with OUTLAY_ADMIN_KEY creates no key file', async () => {
    const data = join(dir, 'env');
    const server = await startServer(options(data, { adminKey: 'an-admin-key-from-the-environment-0123' }));
    expect(existsSync(join(data, 'admin.key'))).toBe(false);
    expect((await fetch(`${server.url}/v1/whoami`, { headers: { authorization: 'Bearer an-admin-key-from-the-environment-0123' } })).status).toBe(200);
    await server.close();
  });

  it('loads the demo once, survives a shutdown in the middle of it, and resumes on the next start', async () => {
    const data = join(dir, 'demo');
    const logs: string[] = [];
    const first = await startServer(options(data, { demo: true, demoRows: 30_000, log: (l) => logs.push(l) }));
    await first.close();
    const second = await startServer(options(data, { demo: true, demoRows: 30_000, log: (l) => logs.push(l) }));
    await second.demoLoaded;
    expect((await second.store.modelStats('demo', 'flight-delay'))!.predictions).toBe(30_000);
    await second.close();
    const third = await startServer(options(data, { demo: true, demoRows: 30_000, log: (l) => logs.push(l) }));
    await third.demoLoaded;
    await third.close();
    expect(logs.filter((l) => l.startsWith('demo loaded'))).toHaveLength(1);
  }, 120_000);
});
