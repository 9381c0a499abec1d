// The Model health and Slices & mix pages in Chromium against the real server loaded with the flights demo:
// the charts draw data, the numbers on screen are the API's numbers for the same query, the controls live in
// the URL, and segment values are rendered as text.

import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatShare } from './format.ts';
import { formatMetric, formatMetricChange } from './health-series.ts';
import {
  api,
  createKey,
  openBrowserSession,
  signIn,
  skipBrowserTests,
  type BrowserSession,
  type RunningServer,
} from './test-support/browser-harness.ts';

const timeoutMs = 60_000;
const range = { from: '2001-02-01', to: '2001-02-08' };
const apiRange = 'from=2001-02-01T00:00:00.000Z&to=2001-02-09T00:00:00.000Z';
/** The machine is shared: answers that recompute a series may take seconds. */
const slow = { timeout: 30_000 };
const xssValue = '<img src=x onerror="window.__xss=1">';

interface ApiPoint {
  start: string;
  value: number | null;
  smoothed: number | null;
  adjusted: number | null;
}

/** Pixels of the chart's canvas in a colour (within a tolerance): how much of a series is drawn. */
function countPixels(page: Page, selector: string, rgb: [number, number, number]): Promise<number> {
  return page.evaluate(
    ([sel, [r, g, b]]) => {
      const canvas = document.querySelector<HTMLCanvasElement>(sel);
      const context = canvas?.getContext('2d');
      if (!canvas || !context) return -1;
      const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
      let count = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (Math.abs(data[i]! - r) < 24 && Math.abs(data[i + 1]! - g) < 24 && Math.abs(data[i + 2]! - b) < 24 && data[i + 3]! > 200) count += 1;
      }
      return count;
    },
    [selector, rgb] as const,
  );
}

/** The table of a panel opened, its rows as { start → cell texts by data-field }. */
async function tableValues(page: Page, panel: string): Promise<Map<string, { value: string; smoothed: string; adjusted: string }>> {
  const details = page.locator(`${panel} details.health-numbers`).first();
  if ((await details.getAttribute('open')) === null) await details.locator('summary').click();
  const rows = details.locator('tbody tr');
  await rows.first().waitFor();
  const result = new Map<string, { value: string; smoothed: string; adjusted: string }>();
  const optional = async (cell: ReturnType<Page['locator']>) => ((await cell.count()) > 0 ? (await cell.innerText()).trim() : '—');
  for (const row of await rows.all()) {
    const start = (await row.getAttribute('data-start'))!;
    const value = (await row.locator('[data-field=value]').innerText()).trim();
    result.set(start, { value, smoothed: await optional(row.locator('[data-field=smoothed]')), adjusted: await optional(row.locator('[data-field=adjusted]')) });
  }
  return result;
}

describe.skipIf(skipBrowserTests)('Model health and Slices & mix pages on the flights demo', () => {
  const adminKey = randomBytes(24).toString('hex');
  let session: BrowserSession | undefined;
  let dialogs: string[] = [];
  let server: RunningServer | undefined;
  let page: Page;
  let errors: string[];
  let baseUrl: string;
  let readKey: string;

  beforeAll(async () => {
    session = await openBrowserSession('health', adminKey);
    ({ server, page, errors, dialogs } = session);
    baseUrl = server.baseUrl;
    readKey = await createKey(baseUrl, adminKey, 'read');
    // A second model whose segment values are HTML: they must reach the screen as text.
    const ingestKey = await createKey(baseUrl, adminKey, 'ingest');
    const rows = Array.from({ length: 60 }, (_, i) => ({
      id: `xss-${i}`,
      model: 'xss-model',
      timestamp: `2001-02-0${1 + (i % 3)}T12:00:00Z`,
      features: { x: i },
      prediction: i % 2,
      score: 0.5,
      segments: { region: i % 3 === 0 ? xssValue : i % 3 === 1 ? '<b>bold</b>' : 'plain' },
    }));
    await api(baseUrl, 'POST', '/v1/predictions', ingestKey, rows);
    await page.goto(`${baseUrl}/`);
    await signIn(page, readKey);
    await page.getByRole('navigation', { name: 'Pages' }).waitFor();
  }, 120_000);

  afterAll(async () => {
    await session?.close();
  }, timeoutMs);

  it(
    'draws the business cost per 1,000 predictions with the numbers of the metrics API',
    async () => {
      await page.goto(`${baseUrl}/?page=health&model=flight-delay&window=day&smooth=ewma&adjust=weekday&from=${range.from}&to=${range.to}`);
      const canvas = '.health-output canvas';
      await page.locator(canvas).first().waitFor();
      const query = `/v1/models/flight-delay/metrics?metric=business_cost_per_1k&window=day&${apiRange}&smooth=ewma&adjust=weekday`;
      const expected = (await api(baseUrl, 'GET', query, readKey)) as { points: ApiPoint[]; smoothing: { method: string } };
      const withValue = expected.points.filter((p) => p.value !== null);
      expect(withValue.length).toBe(8);

      const latest = withValue.at(-1)!;
      await expect.poll(() => page.getByTestId('cost-latest').innerText(), slow).toBe(formatMetric('business_cost_per_1k', latest.value));
      // The raw series (blue) and the smoothed one (orange) are drawn on the canvas.
      await expect.poll(() => countPixels(page, canvas, [0x2f, 0x6f, 0xde]), slow).toBeGreaterThan(150);
      expect(await countPixels(page, canvas, [0xd9, 0x48, 0x0f])).toBeGreaterThan(150);

      const shown = await tableValues(page, '.health-output');
      expect(shown.size).toBe(expected.points.length);
      for (const point of expected.points) {
        expect(shown.get(point.start)).toMatchObject({ value: formatMetric('business_cost_per_1k', point.value), smoothed: formatMetric('business_cost_per_1k', point.smoothed) });
      }
      const text = await page.locator('.health-page').innerText();
      expect(text).toContain('Smoothing (EWMA on the raw series)');
      // The inputs under the output: error rate, label coverage, predictions, latency.
      for (const metric of ['error_rate', 'label_coverage', 'predictions', 'latency_p95_ms']) {
        await page.locator(`.health-input[data-metric=${metric}] canvas`).first().waitFor();
      }
      const coverage = (await api(baseUrl, 'GET', `/v1/models/flight-delay/metrics?metric=label_coverage&window=day&${apiRange}`, readKey)) as { points: ApiPoint[] };
      const lastCoverage = coverage.points.filter((p) => p.value !== null).at(-1)!;
      expect(await page.getByTestId('label_coverage-latest').innerText()).toBe(formatMetric('label_coverage', lastCoverage.value));
      expect(errors).toEqual([]);
    },
    timeoutMs,
  );

  it(
    'switches the smoothing to a Kalman filter through the URL and redraws the chart',
    async () => {
      const canvas = '.health-output canvas';
      const before = await page.locator(canvas).first().evaluate((c: HTMLCanvasElement) => c.toDataURL());
      await page.getByLabel('Smoothing').selectOption('kalman');
      await expect.poll(() => new URL(page.url()).searchParams.get('smooth'), slow).toBe('kalman');
      await expect.poll(() => page.locator('.health-page').innerText(), slow).toContain('Smoothing (Kalman filter on the raw series)');
      const expected = (await api(baseUrl, 'GET', `/v1/models/flight-delay/metrics?metric=business_cost_per_1k&window=day&${apiRange}&smooth=kalman&adjust=weekday`, readKey)) as {
        points: ApiPoint[];
      };
      const shown = await tableValues(page, '.health-output');
      for (const point of expected.points) expect(shown.get(point.start)?.smoothed).toBe(formatMetric('business_cost_per_1k', point.smoothed));
      await expect.poll(() => page.locator(canvas).first().evaluate((c: HTMLCanvasElement) => c.toDataURL()), slow).not.toBe(before);
      // The URL is the state: a reload keeps the Kalman filter.
      await page.reload();
      await expect.poll(() => page.getByLabel('Smoothing').inputValue(), slow).toBe('kalman');
      expect(errors).toEqual([]);
    },
    timeoutMs,
  );

  it(
    'regresses out the known factor of the project config when it is ticked',
    async () => {
      // The demo's config declares the share of flights from Chicago O'Hare as a known factor.
      await page.getByRole('checkbox', { name: 'origin=ORD' }).check();
      await expect.poll(() => new URL(page.url()).searchParams.get('adjust'), slow).toBe('weekday,origin=ORD');
      await expect.poll(() => page.locator('.health-output .health-notes').innerText(), slow).toContain('Adjustment (weekday, origin=ORD)');
      const expected = (await api(baseUrl, 'GET', `/v1/models/flight-delay/metrics?metric=business_cost_per_1k&window=day&${apiRange}&smooth=kalman&adjust=weekday%2Corigin%3DORD`, readKey)) as {
        adjustment: { applied: boolean; reason: string };
        points: ApiPoint[];
      };
      const notes = await page.locator('.health-output .health-notes').innerText();
      expect(notes).toContain(expected.adjustment.reason);
      if (expected.adjustment.applied) {
        const shown = await tableValues(page, '.health-output');
        for (const point of expected.points) expect(shown.get(point.start)?.adjusted).toBe(formatMetric('business_cost_per_1k', point.adjusted));
      }
      expect(errors).toEqual([]);
    },
    timeoutMs,
  );

  it(
    'shows the top airports of origin with the shares of the slices API',
    async () => {
      await page.goto(`${baseUrl}/?page=slices&model=flight-delay&by=origin&window=day&from=${range.from}&to=${range.to}`);
      await page.locator('.slices-row[data-value] canvas').first().waitFor();
      const expected = (await api(baseUrl, 'GET', `/v1/models/flight-delay/slices?by=origin&metric=error_rate&window=day&${apiRange}&top=8`, readKey)) as {
        segments: { value: string; points: { share: number | null; value: number | null }[] }[];
        mix_vs_rate?: { mix: number | null; rate: number | null; change: number | null; segments?: { value: string }[]; by_value?: { value: string }[] };
      };
      expect(expected.segments.map((s) => s.value).slice(0, 3)).toEqual(['ORD', 'DFW', 'ATL']);
      const rows = page.locator('.slices-row[data-value]');
      await expect.poll(() => rows.count(), slow).toBe(expected.segments.length);
      for (const [i, segment] of expected.segments.entries()) {
        const row = rows.nth(i);
        expect(await row.locator('.slice-name').innerText()).toBe(segment.value);
        const latest = segment.points.filter((p) => p.share !== null).at(-1)!;
        expect(await row.locator('.slice-latest-share').innerText()).toBe(formatShare(latest.share));
        const latestValue = segment.points.filter((p) => p.value !== null).at(-1)!;
        expect(await row.locator('.slice-latest-value').innerText()).toBe(formatMetric('error_rate', latestValue.value));
      }
      // The mix-vs-rate split of the latest change: the totals and one bar row per value, as the API has them.
      const mix = expected.mix_vs_rate;
      if (mix) {
        await expect.poll(() => page.getByTestId('mix-total').innerText(), slow).toBe(formatMetricChange('error_rate', mix.mix));
        expect(await page.getByTestId('rate-total').innerText()).toBe(formatMetricChange('error_rate', mix.rate));
        expect(await page.getByTestId('mix-change').innerText()).toBe(formatMetricChange('error_rate', mix.change));
        const parts = (mix.segments ?? mix.by_value ?? []).map((p) => String(p.value));
        expect(await page.locator('.mix-table tbody th').allInnerTexts()).toEqual(parts);
        expect(await page.locator('.mix-table .mix-bar').count()).toBeGreaterThan(0);
      } else {
        expect(await page.locator('.slices-mix').innerText()).toContain('No mix-vs-rate decomposition from this server');
      }
      expect(errors).toEqual([]);
    },
    timeoutMs,
  );

  it(
    'names the missing cost of the cost matrix and points at Settings',
    async () => {
      const before = errors.length;
      await page.goto(`${baseUrl}/?page=health&model=xss-model&from=${range.from}&to=${range.to}`);
      const notice = page.locator('.health-output .notice-error');
      await notice.waitFor();
      const refused = await api(baseUrl, 'GET', `/v1/models/xss-model/metrics?metric=business_cost_per_1k&window=day&${apiRange}`, readKey).then(
        () => null,
        (error: Error) => error.message,
      );
      const message = (JSON.parse(refused!.slice(refused!.indexOf('{'))) as { error: { message: string } }).error.message;
      expect(await notice.innerText()).toContain(message);
      expect(await notice.innerText()).toContain('The cost matrix of xss-model is incomplete');
      // The predictions still show, and windows without labels are gaps with their reason, not zeros.
      await page.locator('.health-input[data-metric=predictions] canvas').first().waitFor();
      expect(await page.locator('.health-input[data-metric=error_rate]').innerText()).toContain('No window in this range has a value.');
      await notice.getByRole('link', { name: 'Settings' }).click();
      await expect.poll(() => new URL(page.url()).searchParams.get('page'), slow).toBe('settings');
      // The only console errors are the browser's own lines for the 400 answers the page explains.
      expect(errors.slice(before).filter((e) => !e.includes('status of 400'))).toEqual([]);
      errors.length = before;
    },
    timeoutMs,
  );

  it(
    'renders segment values that look like HTML as text',
    async () => {
      await page.goto(`${baseUrl}/?page=slices&model=xss-model&by=region&metric=label_coverage&from=${range.from}&to=${range.to}`);
      await page.locator('.slices-row[data-value] canvas').first().waitFor();
      const names = await page.locator('.slices-row[data-value] .slice-name').allInnerTexts();
      expect(names.sort()).toEqual(['<b>bold</b>', 'plain', xssValue].sort());
      expect(await page.locator('.slices-page img').count()).toBe(0);
      expect(await page.locator('.slices-page b').count()).toBe(0);
      expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
      expect(dialogs).toEqual([]);
      expect(errors).toEqual([]);
    },
    timeoutMs,
  );
});
