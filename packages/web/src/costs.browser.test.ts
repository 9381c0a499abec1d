// The Costs page and the Overview's money panels in a real browser, against the real server loaded with the
// flights demo (a week of February 2001, a cost ledger, revenue, a cost matrix). Every number on screen is
// checked against the API's own answer.

import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatPerDollar } from './components/overview/money-format.ts';
import { formatShare, formatUsd } from './format.ts';
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
const xssCustomer = '<img src=x onerror=alert(1)>';
const xssProvider = '<script>alert(2)</script>';
const unpricedModel = 'unpriced-v1';

interface Sums {
  effective_cost: number;
  variable_cost: number;
  fixed_cost: number;
  billed_cost: number;
  records: number;
}
interface Group extends Sums {
  name: string;
}
interface Summary {
  totals: Sums;
  by_category: Group[];
  by_model: Group[];
  by_customer: Group[];
  by_provider: Group[];
  periods: (Sums & { period: string; by_model: Group[] })[];
}
interface UnitPeriod {
  period: string;
  variable_cost_per_1k_predictions_usd: number | null;
  variable_cost_per_revenue_usd: number | null;
  variable_cost_pct_of_arr: number | null;
  contribution_margin_usd: number;
  allocation: { models: { model: string; predictions: number }[]; idle: { cost_usd: number } };
}
interface MetricAnswer {
  points: { start: string; labelled: number; value: number | null }[];
}

describe.skipIf(skipBrowserTests)('costs page and money panels against the flights demo', () => {
  const adminKey = randomBytes(24).toString('hex');
  let session: BrowserSession | undefined;
  let dialogs: string[] = [];
  let server: RunningServer | undefined;
  let page: Page;
  let errors: string[];
  let baseUrl: string;
  let readKey: string;

  beforeAll(async () => {
    session = await openBrowserSession('costs', adminKey);
    ({ server, page, errors, dialogs } = session);
    baseUrl = server.baseUrl;
    readKey = await createKey(baseUrl, adminKey, 'read');
    const ingestKey = await createKey(baseUrl, adminKey, 'ingest');
    const projectAdminKey = await createKey(baseUrl, adminKey, 'admin');
    // A ledger row whose customer and provider are HTML and which no taxonomy rule classifies, a model with
    // predictions but no cost matrix and no cost, and one open incident.
    await api(baseUrl, 'POST', '/v1/cost-records', ingestKey, [
      { ChargePeriodStart: '2001-02-01T00:00:00Z', ChargePeriodEnd: '2001-03-01T00:00:00Z', BilledCost: 12.5, ProviderName: xssProvider, ServiceName: 'Mystery', x_customer: xssCustomer },
    ]);
    await api(
      baseUrl,
      'POST',
      '/v1/predictions',
      ingestKey,
      Array.from({ length: 40 }, (_, i) => ({ id: `u-${i}`, model: unpricedModel, timestamp: `2001-02-0${1 + (i % 7)}T12:00:00Z`, features: { x: i }, prediction: i % 2, score: 0.5 })),
    );
    await api(baseUrl, 'POST', '/v1/incidents', projectAdminKey, {
      model: 'flight-delay',
      reference_from: '2001-02-01',
      reference_to: '2001-02-04',
      current_from: '2001-02-05',
      current_to: '2001-02-09',
      max_rows: 2000,
    }).catch((error: unknown) => {
      throw new Error(`could not open the incident the test needs: ${String(error)}`);
    });
    await page.goto(`${baseUrl}/`);
    await signIn(page, readKey);
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
  }, 150_000);

  afterAll(async () => {
    await session?.close();
  }, timeoutMs);

  const get = <T>(path: string) => api(baseUrl, 'GET', path, readKey) as Promise<T>;

  it('splits the ledger by taxonomy with totals equal to /v1/costs/summary', { timeout: timeoutMs }, async () => {
    const summary = await get<Summary>('/v1/costs/summary');
    await page.goto(`${baseUrl}/?page=costs`);
    const ledger = page.getByRole('region', { name: /^Ledger, every month/ });
    const table = ledger.locator('table.ledger-table');
    await table.waitFor({ timeout: 30_000 });
    const total = async (which: string) => (await table.locator(`tfoot [data-total="${which}"]`).innerText()).trim();
    const cost = async (name: string) => (await table.locator('tbody tr').filter({ has: page.getByRole('rowheader', { name, exact: true }) }).locator('td').first().innerText()).trim();

    const splits: [string, string, Group[] | null][] = [
      ['Cost centre', 'category', summary.by_category],
      ['Model', 'model', summary.by_model],
      ['Customer', 'customer', summary.by_customer],
      ['Provider', 'provider', summary.by_provider],
      ['Variable / fixed', 'behaviour', null],
    ];
    for (const [button, split, groups] of splits) {
      await ledger.getByRole('button', { name: button, exact: true }).click();
      await ledger.locator(`table.ledger-table[data-split="${split}"]`).waitFor();
      expect(await total('effective')).toBe(formatUsd(summary.totals.effective_cost));
      expect(await total('variable')).toBe(formatUsd(summary.totals.variable_cost));
      expect(await total('fixed')).toBe(formatUsd(summary.totals.fixed_cost));
      expect(await total('billed')).toBe(formatUsd(summary.totals.billed_cost));
      expect(await total('records')).toBe(String(summary.totals.records));
      if (groups === null) {
        expect(await cost('Variable')).toBe(formatUsd(summary.totals.variable_cost));
        expect(await cost('Fixed')).toBe(formatUsd(summary.totals.fixed_cost));
        continue;
      }
      expect(await table.locator('tbody tr').count()).toBe(groups.length);
      for (const group of groups) {
        const label = split === 'category' ? group.name.split('.').join(' › ') : group.name;
        expect(await cost(label), `${split} ${group.name}`).toBe(formatUsd(group.effective_cost));
      }
    }
    // The demo's ledger: people, operations, training, hardware and serving, variable and fixed.
    expect(summary.by_category.map((g) => g.name)).toEqual(expect.arrayContaining(['variable.compute', 'variable.operations', 'fixed.development.developers']));
    expect(summary.totals.variable_cost).toBeGreaterThan(0);
    expect(summary.totals.fixed_cost).toBeGreaterThan(0);
    expect(new URL(page.url()).searchParams.get('split')).toBe('behaviour');

    // User data made of HTML is text; the unclassified row is flagged.
    await ledger.getByRole('button', { name: 'Customer', exact: true }).click();
    expect(await table.getByRole('rowheader', { name: xssCustomer, exact: true }).count()).toBe(1);
    const warnings = page.getByRole('note', { name: 'Ledger warnings' });
    expect(await warnings.innerText()).toContain('matched no taxonomy rule');
    expect(await warnings.innerText()).toContain(`Model "${unpricedModel}" has 40 predictions but no ledger row names it`);
    expect(await warnings.innerText()).toContain(`model "${unpricedModel}" logged 40 predictions but has no deployment`);
    expect(await page.locator('table.provider-table').getByRole('rowheader', { name: xssProvider, exact: true }).count()).toBe(1);
    expect(await page.locator('body img').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('plots the unit metrics by month and shows cost per revenue dollar and % of ARR', { timeout: timeoutMs }, async () => {
    const unit = await get<{ periods: UnitPeriod[] }>('/v1/costs/unit-metrics');
    const latest = unit.periods.at(-1)!;
    expect(latest.period).toBe('2001-02-01T00:00:00.000Z');
    expect(latest.variable_cost_per_revenue_usd).toBeGreaterThan(0);

    const headline = page.getByRole('region', { name: 'Unit economics, February 2001' });
    await headline.waitFor();
    const stat = async (name: string) => (await headline.locator(`[data-stat="${name}"] dd`).innerText()).trim();
    expect(await stat('per-revenue-dollar')).toBe(formatPerDollar(latest.variable_cost_per_revenue_usd));
    expect(await stat('pct-of-arr')).toBe(formatShare(latest.variable_cost_pct_of_arr! / 100));
    expect(await stat('variable-per-1k')).toBe(formatUsd(latest.variable_cost_per_1k_predictions_usd!));
    expect(await stat('idle-capacity')).toBe(formatUsd(latest.allocation.idle.cost_usd));
    expect(await stat('contribution-margin')).toContain(formatUsd(latest.contribution_margin_usd));

    const section = page.getByRole('region', { name: 'Unit metrics over time' });
    const chart = section.getByRole('img', { name: /Variable cost per 1,000 predictions/ });
    await chart.locator('canvas').waitFor();
    // The month's point is drawn: the canvas holds pixels of the per-1,000 series' colour (#2f6fde).
    const drawn = await chart.locator('canvas').evaluate((canvas: HTMLCanvasElement) => {
      const context2d = canvas.getContext('2d')!;
      const { data } = context2d.getImageData(0, 0, canvas.width, canvas.height);
      let matches = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (Math.abs(data[i]! - 0x2f) < 12 && Math.abs(data[i + 1]! - 0x6f) < 12 && Math.abs(data[i + 2]! - 0xde) < 12 && data[i + 3]! > 200) matches++;
      }
      return matches;
    });
    expect(drawn).toBeGreaterThan(10);
    const row = section.locator('table.unit-table tbody tr[data-period="2001-02-01T00:00:00.000Z"] td');
    expect((await row.allInnerTexts()).map((t) => t.trim())).toEqual(
      expect.arrayContaining([formatUsd(latest.variable_cost_per_1k_predictions_usd!), formatPerDollar(latest.variable_cost_per_revenue_usd), formatShare(latest.variable_cost_pct_of_arr! / 100)]),
    );
    const idle = page.getByRole('region', { name: 'Idle capacity, February 2001' });
    expect(await idle.locator('tr[data-name="flight-delay"] td').nth(3).innerText()).toBe(formatUsd(latest.allocation.idle.cost_usd));
    expect(errors).toEqual([]);
  });

  it("shows each model's cost per 1,000, business cost per 1,000 as the metrics API has it, and open incidents", { timeout: timeoutMs }, async () => {
    const [summary, unit, models] = await Promise.all([
      get<Summary>('/v1/costs/summary'),
      get<{ periods: UnitPeriod[] }>('/v1/costs/unit-metrics'),
      get<{ models: { model: string; last_timestamp: string }[] }>('/v1/models'),
    ]);
    // The latest 7 days of the model's data (2001-02-02 to 2001-02-08) against the 7 before.
    const last = models.models.find((m) => m.model === 'flight-delay')!.last_timestamp;
    expect(last.slice(0, 10)).toBe('2001-02-08');
    const weighted = (answer: MetricAnswer) => {
      const valued = answer.points.filter((p) => p.value !== null && p.labelled > 0);
      return valued.reduce((s, p) => s + p.value! * p.labelled, 0) / valued.reduce((s, p) => s + p.labelled, 0);
    };
    const metric = (from: string, to: string) => get<MetricAnswer>(`/v1/models/flight-delay/metrics?metric=business_cost_per_1k&window=day&from=${from}&to=${to}`);
    const current = weighted(await metric('2001-02-02T00:00:00Z', '2001-02-09T00:00:00Z'));
    const previous = weighted(await metric('2001-01-26T00:00:00Z', '2001-02-02T00:00:00Z'));
    const february = unit.periods.find((p) => p.period === '2001-02-01T00:00:00.000Z')!;
    const modelCost = summary.periods[0]!.by_model.find((g) => g.name === 'flight-delay')!.effective_cost;
    const modelPredictions = february.allocation.models.find((m) => m.model === 'flight-delay')!.predictions;

    await page.getByRole('link', { name: 'Overview' }).click();
    const card = page.getByRole('article', { name: 'flight-delay' });
    const value = (stat: string) => card.locator(`[data-stat="${stat}"] .money-value`);
    await value('business-cost-per-1k').waitFor({ timeout: 30_000 });
    expect((await value('business-cost-per-1k').innerText()).trim()).toBe(formatUsd(current));
    expect((await value('cost-per-1k').innerText()).trim()).toBe(formatUsd((1000 * modelCost) / modelPredictions));
    expect((await value('open-incidents').innerText()).trim()).toBe('1');
    const relative = (current - previous) / previous;
    expect(await card.locator('[data-change="business cost per 1,000"]').innerText()).toBe(
      `Business cost per 1,000 ${relative > 0 ? 'up' : 'down'} ${new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 }).format(Math.abs(relative))} vs the 7 days before`,
    );
    expect(await card.getByRole('img', { name: /Business cost of errors per 1,000 predictions per day/ }).count()).toBe(1);
    expect(await page.locator('[data-stat="contribution-margin"]').first().innerText()).toContain(formatUsd(february.contribution_margin_usd));

    // A model without a cost matrix points at Settings instead of a number.
    const unpriced = page.getByRole('article', { name: unpricedModel });
    await unpriced.locator('[data-stat="business-cost-per-1k"]').getByText('No cost matrix for this model').waitFor();
    expect(await page.locator('body img').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    await unpriced.getByRole('link', { name: 'Settings' }).click();
    await page.waitForURL((url) => url.searchParams.get('page') === 'settings' && url.searchParams.get('model') === unpricedModel);
  });
});
