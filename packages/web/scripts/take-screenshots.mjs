// Screenshots of each dashboard page for the README, against a real server loaded with the flights demo.
// Build first (`npm run build`), then: node packages/web/scripts/take-screenshots.mjs [--demo-rows N]
// Writes docs/screenshots/{overview,drift,scale}.png at 1000 px wide and fails if one is over 200 KB.

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
const maxBytes = 200 * 1024;
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

  const shots = [
    { name: 'overview', url: '/?model=flight-delay', ready: () => page.getByText('Labelled share').waitFor(), until: '.stats-panel' },
    { name: 'drift', url: '/?page=drift&model=flight-delay&column=hour', ready: () => page.locator('.chart canvas').first().waitFor({ timeout: 120_000 }), until: '[aria-labelledby="distribution-title"]' },
    { name: 'scale', url: '/?page=scale&sampling=0.5&spot=0.5&precision=int8', ready: () => page.locator('.chart canvas').first().waitFor({ timeout: 60_000 }), until: '[aria-labelledby="levers-title"]' },
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
