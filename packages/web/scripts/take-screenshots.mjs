// Screenshots of each dashboard page for the README, against a real server loaded with the flights demo.
// Build first (`npm run build`), then: node packages/web/scripts/take-screenshots.mjs [--demo-rows N]
// Writes docs/screenshots/<page>.png for every page at 1000 px wide (opening one incident first, so that the
// Incidents page has one to show) and fails if one is over 250 KB or a page logs a console error.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const outDir = path.join(repoRoot, 'docs/screenshots');
const demoRowsAt = process.argv.indexOf('--demo-rows');
const demoRows = demoRowsAt > 0 ? process.argv[demoRowsAt + 1] : '300000';
const maxBytes = 250 * 1024;
const adminKey = randomBytes(24).toString('hex');
const dataDir = mkdtempSync(path.join(tmpdir(), 'outlay-screenshots-'));

const server = spawn(process.execPath, [path.join(repoRoot, 'packages/cli/bin/outlay.js'), 'serve', '--port', '0', '--data', dataDir, '--demo-rows', demoRows], {
  cwd: repoRoot,
  env: { ...process.env, OUTLAY_ADMIN_KEY: adminKey },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let output = '';
server.stdout.on('data', (chunk) => (output += chunk));
server.stderr.on('data', (chunk) => (output += chunk));

try {
  const baseUrl = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not load the demo within 180 s:\n${output}`)), 180_000);
    const check = () => {
      const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
      if (url && /demo loaded/.test(output)) {
        clearTimeout(timer);
        resolve(url.replace(/\/$/, ''));
      }
    };
    server.stdout.on('data', check);
    server.once('exit', (code) => reject(new Error(`the server exited (${code}):\n${output}`)));
  });

  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  const page = await browser.newPage({ viewport: { width: 1000, height: 900 }, colorScheme: 'light', timezoneId: 'UTC', locale: 'en-US' });
  const errors = [];
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${baseUrl}/`);
  await page.getByLabel('API key').fill(adminKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Overview' }).waitFor();

  // An incident on the demo: its first week against its third (same weekdays), as `outlay incidents open` would.
  const opened = await fetch(`${baseUrl}/v1/incidents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json', 'x-outlay-project': 'demo' },
    body: JSON.stringify({ model: 'flight-delay', reference_from: '2001-02-01T00:00:00Z', reference_to: '2001-02-08T00:00:00Z', current_from: '2001-02-11T00:00:00Z', current_to: '2001-02-18T00:00:00Z' }),
  });
  if (!opened.ok) throw new Error(`POST /v1/incidents answered ${opened.status}: ${await opened.text()}`);
  const incident = (await opened.json()).id;

  const canvas = (selector, timeout = 60_000) => () => page.locator(`${selector} .chart canvas`).first().waitFor({ timeout });
  const shots = [
    { name: 'overview', url: '/?model=flight-delay', ready: () => page.locator('article.money-card [data-stat="business-cost-per-1k"] .money-value').first().waitFor({ timeout: 60_000 }), until: 'article.money-card' },
    { name: 'health', url: '/?page=health&model=flight-delay&from=2001-02-01&to=2001-02-18&smooth=ewma&adjust=weekday', ready: () => page.locator('.health-output canvas').first().waitFor({ timeout: 120_000 }), until: '.health-output' },
    { name: 'slices', url: '/?page=slices&model=flight-delay&by=origin&top=4&from=2001-02-01&to=2001-02-18', ready: () => page.locator('.slices-mix .mix-table').waitFor({ timeout: 120_000 }), until: '.slices-mix' },
    { name: 'drift', url: '/?page=drift&model=flight-delay&column=hour', ready: () => page.locator('.chart canvas').first().waitFor({ timeout: 120_000 }), until: '[aria-labelledby="distribution-title"]' },
    { name: 'scale', url: '/?page=scale&sampling=0.5&spot=0.5&precision=int8', ready: () => page.locator('.chart canvas').first().waitFor({ timeout: 60_000 }), until: '[aria-labelledby="levers-title"]' },
    { name: 'costs', url: '/?page=costs', ready: canvas('section[aria-labelledby="unit-metrics-title"]'), until: 'section[aria-labelledby="unit-metrics-title"]' },
    { name: 'incidents', url: `/?page=incidents&incident=${encodeURIComponent(incident)}`, ready: () => page.locator('.explanations-table').waitFor({ timeout: 60_000 }), until: '.explanations-table' },
    { name: 'settings', url: '/?page=settings', ready: () => page.locator('.monitor-item').first().waitFor({ timeout: 60_000 }), until: '.monitor-item' },
  ];
  for (const shot of shots) {
    await page.goto(`${baseUrl}${shot.url}`);
    await shot.ready();
    await page.waitForTimeout(500);
    const file = path.join(outDir, `${shot.name}.png`);
    // Down to the bottom of the page's main part, to keep each image under the budget.
    // The overview keeps the header (who is signed in); the other pages start at the page navigation.
    const box = await page.locator(shot.until).boundingBox();
    const top = shot.name === 'overview' ? 0 : Math.floor(((await page.locator('.page-nav').boundingBox())?.y ?? 0) - 8);
    const height = Math.ceil((box?.y ?? 0) + (box?.height ?? 900) + 16) - top;
    await page.screenshot({ path: file, fullPage: true, clip: { x: 0, y: top, width: 1000, height } });
    const bytes = statSync(file).size;
    console.log(`${file}: ${Math.round(bytes / 1024)} KB`);
    if (bytes > maxBytes) throw new Error(`${file} is ${bytes} bytes, over the ${maxBytes} budget`);
  }
  await browser.close();
  if (errors.length > 0) throw new Error(`console errors while taking screenshots:\n${errors.join('\n')}`);
} finally {
  server.kill('SIGTERM');
  await new Promise((resolve) => server.once('exit', resolve));
  rmSync(dataDir, { recursive: true, force: true });
}
