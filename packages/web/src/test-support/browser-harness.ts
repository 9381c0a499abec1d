// What every browser test of the dashboard needs: a fresh build of the page, the real Outlay server as a child
// process (empty, or loaded with the flights demo), calls to its API, and Debian's Chromium driven by
// playwright-core. Runs in vitest's node environment.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const webRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const repoRoot = path.resolve(webRoot, '../..');
const cliEntry = path.join(repoRoot, 'packages/cli/bin/outlay.js');
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumFound = existsSync(chromiumPath);
export const inCi = Boolean(process.env.CI);
/** Browser tests skip on a laptop without Chromium, and fail in CI (see requireChromium). */
export const skipBrowserTests = !chromiumFound && !inCi;

if (skipBrowserTests) {
  console.warn(`Skipping the dashboard browser tests: no Chromium at ${chromiumPath}. Install it (apt-get install -y chromium) or set CHROMIUM_PATH.`);
}

/** Call first in beforeAll: in CI a missing Chromium is a failure, never a skip. */
export function requireChromium(): void {
  if (!chromiumFound) {
    throw new Error(
      `Chromium not found at ${chromiumPath}, and CI is set, so the browser test fails rather than skips. ` +
        'Install it with `apt-get install -y chromium` or point CHROMIUM_PATH at a Chromium binary.',
    );
  }
}

/** Newest modification time of any file under `dir`, in ms. */
function newestMtimeMs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || entry.name.endsWith('.test.ts')) continue;
    newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** The server serves packages/web/dist; rebuild it when the sources are newer, so the test sees this code. */
export async function ensureWebBuilt(): Promise<void> {
  const indexHtml = path.join(webRoot, 'dist/index.html');
  const builtAt = existsSync(indexHtml) ? statSync(indexHtml).mtimeMs : 0;
  const sourcesAt = Math.max(
    newestMtimeMs(path.join(webRoot, 'src')),
    statSync(path.join(webRoot, 'index.html')).mtimeMs,
    statSync(path.join(webRoot, 'vite.config.ts')).mtimeMs,
  );
  if (builtAt >= sourcesAt) return;
  const { build } = await import('vite');
  await build({ configFile: path.join(webRoot, 'vite.config.ts'), logLevel: 'warn' });
}

export interface RunningServer {
  child: ChildProcess;
  baseUrl: string;
  output: () => string;
}

export interface StartServerOptions {
  /** Load this many flights of the demo into project `demo` and resolve once loaded; no demo when absent. */
  demoRows?: number;
}

/** Starts `outlay serve` on a free port; resolves with the URL it prints once listening (and the demo loaded). */
export function startServer(dataDir: string, adminKey: string, options: StartServerOptions = {}): Promise<RunningServer> {
  if (!existsSync(path.join(repoRoot, 'packages/cli/dist'))) {
    throw new Error('packages/cli/dist is missing: run `npm run build` at the repository root first.');
  }
  const demo = options.demoRows === undefined ? ['--no-demo'] : ['--demo-rows', String(options.demoRows)];
  const child = spawn(process.execPath, [cliEntry, 'serve', '--port', '0', '--data', dataDir, ...demo], {
    cwd: repoRoot,
    env: { ...process.env, OUTLAY_ADMIN_KEY: adminKey },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  const waitMs = options.demoRows === undefined ? 30_000 : 120_000;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`outlay serve was not ready within ${waitMs / 1000} s. Output:\n${output}`));
    }, waitMs);
    const onData = () => {
      const match = /listening on (https?:\/\/\S+)/.exec(output);
      if (!match?.[1]) return;
      if (options.demoRows !== undefined && !/demo loaded/.test(output)) {
        if (/demo load failed/.test(output)) {
          clearTimeout(timer);
          child.kill('SIGKILL');
          reject(new Error(`the demo did not load. Output:\n${output}`));
        }
        return;
      }
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      resolve({ child, baseUrl: match[1].replace(/\/$/, ''), output: () => output });
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`outlay serve exited early (code ${code}, signal ${signal}). Output:\n${output}`));
    });
  });
}

export async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const killTimer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(killTimer);
}

/** One API call as `key`; a non-2xx answer throws with the status and body. */
export async function api(baseUrl: string, method: string, urlPath: string, key: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${baseUrl}${urlPath}`, {
    method,
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${urlPath} answered ${response.status}: ${text}`);
  return text === '' ? null : JSON.parse(text);
}

export async function createKey(baseUrl: string, adminKey: string, role: 'read' | 'ingest' | 'admin', project = 'demo'): Promise<string> {
  const created = (await api(baseUrl, 'POST', '/v1/keys', adminKey, { project, role })) as { key?: unknown };
  if (typeof created.key !== 'string') throw new Error(`POST /v1/keys returned no key: ${JSON.stringify(created)}`);
  return created.key;
}

/** Headless Debian Chromium with a fresh profile in `userDataDir`, UTC and en-US so dates and numbers read the same everywhere. */
export async function launchBrowser(userDataDir: string, viewport = { width: 1100, height: 720 }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
    viewport,
    timezoneId: 'UTC',
    locale: 'en-US',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15_000);
  return { context, page };
}

/** Console errors and uncaught exceptions of a page, collected so a test can assert there were none. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

/** Temporary directories made by a test file, removed together in afterAll. */
export function tempDirs(): { make: (prefix: string) => Promise<string>; removeAll: () => Promise<void> } {
  const dirs: string[] = [];
  return {
    make: async (prefix) => {
      const dir = await mkdtemp(path.join(tmpdir(), prefix));
      dirs.push(dir);
      return dir;
    },
    removeAll: async () => {
      await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
    },
  };
}

export async function signIn(page: Page, apiKey: string): Promise<void> {
  await page.getByLabel('API key').fill(apiKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** A real server (with the flights demo unless `demoRows` is 0) and a Chromium page on it, for one test file. */
export interface BrowserSession {
  server: RunningServer;
  baseUrl: string;
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions of the page. */
  errors: string[];
  /** Messages of dialogs the page opened (each dismissed): an `alert` from injected HTML would land here. */
  dialogs: string[];
  close: () => Promise<void>;
}

/**
 * What a browser test file sets up in beforeAll: Chromium checked (an error in CI), the page built, `outlay serve`
 * on a fresh data folder with `adminKey` (and the demo's first `demoRows` flights, default 120,000), and a fresh
 * browser whose errors and dialogs are collected. `close` in afterAll stops both and removes the folders.
 */
export async function openBrowserSession(name: string, adminKey: string, options: { demoRows?: number; viewport?: { width: number; height: number } } = {}): Promise<BrowserSession> {
  requireChromium();
  await ensureWebBuilt();
  const temp = tempDirs();
  const demoRows = options.demoRows ?? 120_000;
  const server = await startServer(await temp.make(`outlay-${name}-data-`), adminKey, demoRows > 0 ? { demoRows } : {});
  const { context, page } = await launchBrowser(await temp.make(`outlay-${name}-chromium-`), options.viewport);
  const errors = collectPageErrors(page);
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return {
    server,
    baseUrl: server.baseUrl,
    context,
    page,
    errors,
    dialogs,
    close: async () => {
      await context.close();
      await stopServer(server.child);
      await temp.removeAll();
    },
  };
}
