// End-to-end test of the dashboard: the real Outlay server as a child process, the built page, and Chromium
// driven by playwright-core. Runs in vitest's node environment.

import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  api,
  createKey,
  ensureWebBuilt,
  launchBrowser,
  requireChromium,
  signIn,
  skipBrowserTests,
  startServer,
  stopServer,
  tempDirs as makeTempDirs,
  type RunningServer,
} from './test-support/browser-harness.ts';

const timeoutMs = 60_000;
const xssModel = '<img src=x onerror=alert(1)>';

/** Visible text of the whole page, to assert that data is, or is not, on screen. */
function pageText(page: Page): Promise<string> {
  return page.locator('body').innerText();
}

async function rowCells(page: Page, model: string): Promise<string[]> {
  const row = page.locator('tbody tr').filter({ has: page.getByRole('button', { name: model, exact: true }) });
  await row.waitFor();
  return (await row.locator('th, td').allInnerTexts()).map((cell) => cell.trim());
}

describe.skipIf(skipBrowserTests)('dashboard in a real browser against the real server', () => {
  const adminKey = randomBytes(24).toString('hex');
  const temp = makeTempDirs();
  const dialogs: string[] = [];
  let server: RunningServer | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  let baseUrl: string;
  let screenshotDir: string;
  let readKey: string;
  let ingestKey: string;

  beforeAll(async () => {
    requireChromium();
    await ensureWebBuilt();
    server = await startServer(await temp.make('outlay-web-data-'), adminKey);
    baseUrl = server.baseUrl;
    readKey = await createKey(baseUrl, adminKey, 'read');
    ingestKey = await createKey(baseUrl, adminKey, 'ingest');

    screenshotDir = await mkdtemp(path.join(tmpdir(), 'outlay-web-screenshots-'));
    ({ context, page } = await launchBrowser(await temp.make('outlay-web-chromium-')));
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
  }, timeoutMs);

  afterAll(async () => {
    await context?.close();
    if (server) await stopServer(server.child);
    await temp.removeAll();
  }, timeoutMs);

  beforeEach(({ task, onTestFailed }) => {
    onTestFailed(async () => {
      if (!page) return;
      const file = path.join(screenshotDir, `failed-${task.name.replace(/\W+/g, '-')}.png`);
      await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
      console.error(`Screenshot of the failure: ${file}\nServer output:\n${server?.output() ?? ''}`);
    });
  });

  it('shows only the sign-in form to a visitor without a key', { timeout: timeoutMs }, async () => {
    await page.goto(`${baseUrl}/`);
    await page.getByRole('form', { name: 'Sign in' }).waitFor();
    expect(await page.title()).toBe('Outlay');
    expect(await page.getByRole('table').count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Overview' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
  });

  it('says a wrong key was not accepted and stays on the sign-in form', { timeout: timeoutMs }, async () => {
    await signIn(page, 'not-a-real-key');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(/that key was not accepted/i);
    expect(await page.getByRole('heading', { name: 'Overview' }).count()).toBe(0);
  });

  it('refuses an ingest key, which may send data but not read it', { timeout: timeoutMs }, async () => {
    await signIn(page, ingestKey);
    const alert = page.getByRole('alert');
    await alert.getByText(/ingest|not accepted/i).waitFor();
    expect(await page.getByRole('heading', { name: 'Overview' }).count()).toBe(0);
  });

  it('teaches how to send predictions while the project has none', { timeout: timeoutMs }, async () => {
    await signIn(page, readKey);
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.getByRole('heading', { name: 'No predictions yet' }).waitFor();
    const text = await pageText(page);
    expect(text).toContain(`curl -X POST ${baseUrl}/v1/predictions`);
    expect(text).toContain('Authorization: Bearer $OUTLAY_KEY');
    expect(text).toContain(`npx outlay ingest predictions.parquet --model fraud-v2 --server ${baseUrl}`);
    expect(text).toContain('npx outlay keys create --project demo --role ingest');
    expect(await page.getByRole('table').count()).toBe(0);
  });

  it('lists new models with their counts on the next refresh, without a reload', { timeout: timeoutMs }, async () => {
    const at = (minute: number) => `2026-01-01T00:0${minute}:00Z`;
    await api(baseUrl, 'POST', '/v1/predictions', ingestKey, [
      { id: 'p1', model: 'fraud-v2', timestamp: at(0), features: { amount: 12.5 }, prediction: 1, score: 0.8 },
      { id: 'p2', model: 'fraud-v2', timestamp: at(1), features: { amount: 99 }, prediction: 0, score: 0.1 },
      { id: 'p3', model: 'fraud-v2', timestamp: at(2), features: { amount: 7 }, prediction: 0, score: 0.3 },
      { id: 'p4', model: 'churn-v1', timestamp: at(3), features: { tenure: 4 }, prediction: 1, score: 0.6 },
      { id: 'p5', model: xssModel, timestamp: at(4), features: { amount: 1 }, prediction: 0, score: 0.2 },
    ]);
    await api(baseUrl, 'POST', '/v1/labels', ingestKey, [
      { id: 'p1', label: 1, timestamp: '2026-01-02T00:00:00Z', source: 'ground_truth' },
    ]);

    // The page polls every 10 s; allow one full interval and some slack.
    await page.getByRole('table').waitFor({ timeout: 20_000 });
    expect(await rowCells(page, 'fraud-v2')).toEqual([
      'fraud-v2',
      '3',
      '33.3%',
      '2026-01-01 00:00:00 UTC',
      '2026-01-01 00:02:00 UTC',
    ]);
    expect(await rowCells(page, 'churn-v1')).toEqual([
      'churn-v1',
      '1',
      '0.0%',
      '2026-01-01 00:03:00 UTC',
      '2026-01-01 00:03:00 UTC',
    ]);
    expect(await page.locator('tbody tr').count()).toBe(3);
  });

  it('shows a model name made of HTML as literal text', { timeout: timeoutMs }, async () => {
    expect(await page.locator('img').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(await pageText(page)).toContain(xssModel);
    expect((await rowCells(page, xssModel))[0]).toBe(xssModel);
  });

  it('selects a model from its row, puts it in the URL and shows its stats', { timeout: timeoutMs }, async () => {
    await page.locator('tbody tr').filter({ hasText: 'fraud-v2' }).locator('td').first().click();
    await page.waitForURL((url) => url.searchParams.get('model') === 'fraud-v2');
    const panel = page.getByRole('region', { name: /fraud-v2/ });
    await panel.getByText('Labelled share').waitFor();
    expect(await panel.locator('dd').allInnerTexts()).toEqual([
      '3',
      '1',
      '33.3%',
      '2026-01-01 00:00:00 UTC',
      '2026-01-01 00:02:00 UTC',
    ]);
    const screenshot = path.join(screenshotDir, 'overview-fraud-v2.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    console.log(`Dashboard screenshot: ${screenshot}`);
  });

  it('selects the HTML-named model too, encoding it in the URL', { timeout: timeoutMs }, async () => {
    await page.getByRole('button', { name: xssModel, exact: true }).click();
    await page.waitForURL((url) => url.searchParams.get('model') === xssModel);
    const panel = page.getByRole('region', { name: /Model/ });
    await panel.getByText('Labelled share').waitFor();
    expect(await panel.locator('.model-name').innerText()).toBe(xssModel);
    expect(await panel.locator('dd').first().innerText()).toBe('1');
    expect(await page.locator('img').count()).toBe(0);
  });

  it('opens a shared link on the same model, keeping the session in this tab', { timeout: timeoutMs }, async () => {
    await page.goto(`${baseUrl}/?model=churn-v1`);
    const panel = page.getByRole('region', { name: /churn-v1/ });
    await panel.getByText('Labelled share').waitFor();
    expect(await panel.locator('dd').first().innerText()).toBe('1');
    expect(await page.locator('tbody tr.selected').innerText()).toContain('churn-v1');
  });

  it("shows the server's error message for a model it does not know", { timeout: timeoutMs }, async () => {
    await page.goto(`${baseUrl}/?model=no-such-model`);
    const alert = page.getByRole('region', { name: /no-such-model/ }).getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toContain('no-such-model');
    expect(await alert.innerText()).toContain('not_found');
  });

  it('lets the server-wide admin key pick the project it looks at', { timeout: timeoutMs }, async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, adminKey);
    const picker = page.getByRole('form', { name: 'Project' });
    await picker.waitFor();
    expect(await picker.getByLabel('Project').inputValue()).toBe('demo');
    expect((await rowCells(page, 'fraud-v2'))[1]).toBe('3');

    await picker.getByLabel('Project').fill('elsewhere');
    await picker.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL((url) => url.searchParams.get('project') === 'elsewhere' && !url.searchParams.has('model'));
    await page.getByRole('heading', { name: 'No predictions yet' }).waitFor();
  });

  describe('pages beyond the overview', () => {
    const consoleErrors: string[] = [];
    const onConsole = (message: { type: () => string; text: () => string }) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    };
    const onPageError = (error: Error) => consoleErrors.push(error.message);

    beforeAll(async () => {
      // Two weeks of a model whose `amount` shifts from ~50 to ~80 in the second week while `tenure` stays put;
      // `channel` gains a new category made of HTML in the second week.
      let seed = 42;
      const random = () => {
        seed = (seed + 0x6d2b79f5) | 0;
        let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      };
      const normal = (mean: number, sd: number) => mean + sd * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
      const rows = [];
      for (let day = 0; day < 14; day++) {
        for (let i = 0; i < 60; i++) {
          const shifted = day >= 7;
          rows.push({
            id: `shift-${day}-${i}`,
            model: 'shift-v1',
            timestamp: new Date(Date.UTC(2026, 2, 1 + day, Math.floor(i / 3))).toISOString(),
            features: {
              amount: Math.round(normal(shifted ? 80 : 50, 5) * 100) / 100,
              tenure: Math.round(normal(24, 6) * 100) / 100,
              channel: shifted && i % 10 === 0 ? xssModel : i % 2 === 0 ? 'web' : 'app',
            },
            prediction: random() < 0.3 ? 1 : 0,
            score: Math.round(random() * 1000) / 1000,
          });
        }
      }
      await api(baseUrl, 'POST', '/v1/predictions', ingestKey, rows);
      page.on('console', onConsole);
      page.on('pageerror', onPageError);
    }, timeoutMs);

    afterAll(() => {
      page.off('console', onConsole);
      page.off('pageerror', onPageError);
    });

    it('flags the shifted column on the drift page and plots both windows', { timeout: timeoutMs }, async () => {
      consoleErrors.length = 0;
      await page.goto(`${baseUrl}/?page=drift&model=shift-v1`);
      if (await page.getByRole('form', { name: 'Sign in' }).isVisible().catch(() => false)) await signIn(page, readKey);
      await page.getByRole('heading', { name: 'Drift', exact: true }).waitFor();
      const table = page.locator('table.drift-table');
      await table.waitFor({ timeout: 30_000 });
      const verdict = async (column: string) => (await table.locator(`tr[data-column="${column}"] td`).nth(3).innerText()).trim();
      expect(await verdict('amount')).toBe('Drift');
      expect(await verdict('tenure')).toBe('No drift');
      // The windows default to the first and the last 7 days of the data.
      expect(await page.getByRole('form', { name: 'Reference window' }).getByLabel('from').inputValue()).toBe('2026-03-01');
      expect(await page.getByRole('form', { name: 'Current window' }).getByLabel('to').inputValue()).toBe('2026-03-14');
      // The drifted feature is plotted first, on a canvas, with both windows' row counts.
      await page.getByRole('heading', { name: /Distribution of amount/ }).waitFor();
      await page.locator('.chart canvas').first().waitFor();
      expect(await page.getByRole('img', { name: /Distribution of amount/ }).count()).toBe(1);
      expect(await page.locator('.legend-line').innerText()).toContain('420 rows');
      // A category made of HTML is listed as text.
      expect(await table.locator('tr[data-column="channel"] .new-categories').innerText()).toBe(xssModel);
      await page.getByRole('heading', { name: 'Multivariate drift' }).waitFor();
      expect(await page.locator('img').count()).toBe(0);
      expect(dialogs).toEqual([]);
      expect(consoleErrors).toEqual([]);
    });

    it('plots a categorical column as shares per value when its row is chosen', { timeout: timeoutMs }, async () => {
      await page.locator('table.drift-table').getByRole('button', { name: 'channel', exact: true }).click();
      await page.waitForURL((url) => url.searchParams.get('column') === 'channel');
      const bars = page.getByRole('table', { name: /Share of each value of channel/ });
      await bars.waitFor();
      const newRow = bars.locator('tbody tr').filter({ hasText: 'new' });
      expect(await newRow.locator('th').innerText()).toContain(xssModel);
      expect(consoleErrors).toEqual([]);
    });

    it('keeps a chosen time range in the URL and across pages', { timeout: timeoutMs }, async () => {
      const current = page.getByRole('form', { name: 'Current window' });
      await current.getByLabel('from').fill('2026-03-12');
      await current.getByLabel('to').fill('2026-03-13');
      await current.getByRole('button', { name: 'Apply' }).click();
      await page.waitForURL((url) => url.searchParams.get('from') === '2026-03-12' && url.searchParams.get('to') === '2026-03-13');
      await page.getByRole('link', { name: 'Scale & scenarios' }).click();
      await page.getByRole('heading', { name: 'Scale & scenarios' }).waitFor();
      await page.getByRole('link', { name: 'Drift' }).click();
      await page.locator('table.drift-table').waitFor({ timeout: 30_000 });
      expect(await page.getByRole('form', { name: 'Current window' }).getByLabel('from').inputValue()).toBe('2026-03-12');
      expect(new URL(page.url()).searchParams.get('model')).toBe('shift-v1');
      expect(await page.locator('.legend-line').innerText()).toContain('current 2026-03-12 to 2026-03-13 (120 rows)');
      expect(consoleErrors).toEqual([]);
    });

    it('projects cost from 1× to 1000× and prices each lever', { timeout: timeoutMs }, async () => {
      await page.goto(`${baseUrl}/?page=scale`);
      const projection = page.getByRole('region', { name: /Projection of video-analytics/ });
      await projection.waitFor({ timeout: 30_000 });
      await projection.locator('.chart canvas').first().waitFor();
      const rows = await projection.locator('table.projection-table tbody tr th').allInnerTexts();
      expect(rows).toEqual(['1×', '10×', '100×', '1,000×']);
      expect(await projection.locator('table.projection-table tbody tr').first().locator('td').nth(0).innerText()).toBe('1,000,000');
      // At the scenario's own rate the sampling lever saves nothing; at half the rate it saves money.
      const sampling = page.locator('.saving[data-lever="sampling_rate"]');
      expect(await sampling.innerText()).toMatch(/^Saves \$0\.00 a month/);
      await page.goto(`${baseUrl}/?page=scale&sampling=0.5`);
      await page.locator('.saving[data-lever="sampling_rate"]').filter({ hasNotText: '$0.00 a month' }).waitFor();
      expect(await page.locator('.saving[data-lever="sampling_rate"]').innerText()).toMatch(/^Saves \$[1-9][\d,]* a month/);
      expect(await page.locator('.saving[data-lever="commitment_level"]').innerText()).toMatch(/^Saves \$/);
      const capacity = page.getByRole('region', { name: 'Capacity for a target' });
      await capacity.getByText('Replicas', { exact: true }).waitFor();
      expect(await capacity.locator('dd').first().innerText()).toBe('6');
      expect(consoleErrors).toEqual([]);
    });

    it('names the scenario field the server refused', { timeout: timeoutMs }, async () => {
      await page.locator('summary', { hasText: 'Edit the scenario' }).click();
      const editor = page.getByLabel('Scenario JSON');
      const text = await editor.inputValue();
      await editor.fill(text.replace('"predictions_per_month": 1000000', '"predictions_per_month": -5'));
      const alert = page.getByRole('alert').filter({ hasText: 'Could not project this scenario' });
      await alert.waitFor();
      expect(await alert.innerText()).toContain('scenarios[0].volume.predictions_per_month');
      await page.getByRole('button', { name: 'Reset to the example' }).click();
      await page.getByRole('region', { name: /Projection of video-analytics/ }).waitFor();
    });

    it("sizes the scenario from a model's measured traffic in the shared time range", { timeout: timeoutMs }, async () => {
      consoleErrors.length = 0; // the test before provoked a 400 on purpose
      await page.goto(`${baseUrl}/?page=scale&model=shift-v1&from=2026-03-08&to=2026-03-14`);
      const traffic = page.getByRole('region', { name: /from a model's traffic/ });
      await traffic.locator('.chart canvas').first().waitFor({ timeout: 30_000 });
      // 60 predictions a day, 3 an hour for 20 hours: 420 in 168 hours is 2.5 an hour, 1,825 a month, peak 1.2×.
      expect(await traffic.locator('.traffic-summary').innerText()).toContain('420 predictions: 1,825 a month at this rate, busiest hour 1.20× the mean');
      await traffic.getByRole('button', { name: "Use as today's volume" }).click();
      const firstRow = page.locator('table.projection-table tbody tr').first();
      await firstRow.locator('td').filter({ hasText: /^1,825$/ }).waitFor();
      // The same range is the drift page's current window.
      await page.getByRole('link', { name: 'Drift' }).click();
      await page.locator('table.drift-table').waitFor({ timeout: 30_000 });
      expect(await page.getByRole('form', { name: 'Current window' }).getByLabel('from').inputValue()).toBe('2026-03-08');
      expect(consoleErrors).toEqual([]);
    });
  });

  it('signs out, forgets the key and hides the data', { timeout: timeoutMs }, async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('form', { name: 'Sign in' }).waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    expect(await page.getByRole('table').count()).toBe(0);
    expect(await pageText(page)).not.toContain('fraud-v2');
  });
});
