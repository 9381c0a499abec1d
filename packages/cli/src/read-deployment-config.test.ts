import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clickHouseTestUrl, clickHouseUnavailable, dropDatabases, freshDatabaseName } from '../../store/test-support/clickhouse-test-server.js';
import { readDeploymentConfig } from './read-deployment-config.js';
import { runMain } from '../test-support/run-main.js';
import { spawnOutlay, stopAllOutlays } from '../test-support/spawn-outlay.js';

const dir = mkdtempSync(join(tmpdir(), 'outlay-config-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const databases: string[] = [];
afterAll(async () => {
  await stopAllOutlays();
  if (databases.length > 0 && !(await clickHouseUnavailable())) await dropDatabases(clickHouseTestUrl, databases);
  rmSync(dir, { recursive: true, force: true });
});

describe('outlay.yaml', () => {
  it('reads the store from the named file or from ./outlay.yaml, and nothing when neither exists', () => {
    const named = file('deploy.yaml', 'store: clickhouse://db.internal:8123/outlay\nmodels: []\n');
    expect(readDeploymentConfig(named, join(dir, 'outlay.yaml'))).toMatchObject({ store: 'clickhouse://db.internal:8123/outlay' });
    expect(readDeploymentConfig(undefined, join(dir, 'outlay.yaml'))).toEqual({});
    const fallback = file('outlay.yaml', 'store: clickhouse://fallback:8123/x\n');
    expect(readDeploymentConfig(undefined, fallback).store).toBe('clickhouse://fallback:8123/x');
  });

  it('refuses a file that is not YAML or a store that is not text, naming the file', async () => {
    expect(() => readDeploymentConfig(file('broken.yaml', 'store: [unclosed\n'), 'none')).toThrow(/broken\.yaml \(--config\): /);
    expect(() => readDeploymentConfig(file('number.yaml', 'store: 42\n'), 'none')).toThrow(/number\.yaml \(--config\): store: /);
    const result = await runMain(['serve', '--config', join(dir, 'missing.yaml'), '--no-demo', '--port', '0', '--data', join(dir, 'data')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/missing\.yaml \(--config\): ENOENT/);
  });

  it('serves on the ClickHouse store its outlay.yaml names', async () => {
    const unavailable = await clickHouseUnavailable();
    if (unavailable && process.env.CI === 'true') throw new Error(`${unavailable}: required in CI`);
    if (unavailable) return;
    const database = freshDatabaseName('outlay_config');
    databases.push(database);
    const config = file('cluster.yaml', `store: ${clickHouseTestUrl.replace(/^http:/, 'clickhouse:')}/${database}\n`);
    const server = await spawnOutlay(join(dir, 'serve'), ['--no-demo', '--config', config]);
    expect(server.output()).toMatch(new RegExp(`store: clickhouse .*${database}`));
    await server.stop();
  }, 60_000);
});
