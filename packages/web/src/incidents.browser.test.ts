// The Incidents and Settings pages end to end: the real server with the flights demo, the built dashboard, and
// Chromium driven by clicks. Every number on screen is checked against the API's own answer.

import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
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
const model = 'flight-delay';
const html = '<img src=x onerror=alert(1)>';
const percent = new Intl.NumberFormat('en-US', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });

interface IncidentBody {
  id: string;
  diagnosis: {
    failure_types: { type: string; likelihood: number }[];
    root_causes: Record<string, string>[];
    root_cause_search: { explanations: { rank: number; slice: Record<string, string>; explained_share: number }[] };
  };
  sample_rows: { worst: { id: string }[] };
  confirmed: { type: string | null; cause: Record<string, string> | null; note: string | null } | null;
}

const sliceText = (slice: Record<string, string>) =>
  Object.entries(slice)
    .map(([k, v]) => `${k} = ${v}`)
    .join(', ');

describe.skipIf(skipBrowserTests)('incidents and settings pages against the demo', () => {
  const adminKey = randomBytes(24).toString('hex');
  let session: BrowserSession | undefined;
  let dialogs: string[] = [];
  let server: RunningServer | undefined;
  let page: Page;
  let baseUrl: string;
  let readKey: string;
  let errors: string[];
  let confirmedId = '';
  let hook: Server | undefined;
  let hookUrl = '';
  const hookBodies: { outlay?: { event?: string } }[] = [];
  const monitorName = 'Traffic below 10,000 a day';

  /** The global admin key names the project in the query. */
  const adminApi = (method: string, path: string, body?: unknown) => api(baseUrl, method, `${path}${path.includes('?') ? '&' : '?'}project=demo`, adminKey, body);

  beforeAll(async () => {
    session = await openBrowserSession('incidents', adminKey, { viewport: { width: 1100, height: 900 } });
    ({ server, page, errors, dialogs } = session);
    baseUrl = server.baseUrl;
    readKey = await createKey(baseUrl, adminKey, 'read');
    // A webhook receiver, as Slack would be: it records what the monitor sends.
    hook = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        hookBodies.push(JSON.parse(body) as { outlay?: { event?: string } });
        response.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => hook!.listen(0, '127.0.0.1', resolve));
    hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
  }, 150_000);

  afterAll(async () => {
    await new Promise((resolve) => (hook ? hook.close(resolve) : resolve(undefined)));
    await session?.close();
  }, timeoutMs);

  beforeEach(({ onTestFailed }) => {
    onTestFailed(() => {
      console.error(`Page errors: ${JSON.stringify(errors)}\nServer output:\n${server?.output() ?? ''}`);
    });
  });

  it(
    'opens an incident by clicks, shows its ranked explanations and failure type, exports the slice and confirms the cause',
    async () => {
      const models = (await adminApi('GET', '/v1/models')) as { models: { model: string; first_timestamp: string; last_timestamp: string }[] };
      const stats = models.models.find((m) => m.model === model)!;
      const firstDay = stats.first_timestamp.slice(0, 10);
      const lastDay = stats.last_timestamp.slice(0, 10);
      const addDays = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

      await page.goto(baseUrl);
      await signIn(page, adminKey);
      await page.getByRole('link', { name: 'Incidents' }).click();
      await page.getByRole('heading', { name: 'Open an incident' }).waitFor();
      await expect.poll(() => page.locator('.incident-list-card').innerText()).toContain('No incidents yet');

      // First 3 days vs last 3 days of the data, by the preset; the date fields say which days.
      await page.getByRole('button', { name: 'First 3 days vs last 3 days of data' }).click();
      expect(await page.getByLabel('Reference from').inputValue()).toBe(firstDay);
      expect(await page.getByLabel('Reference to').inputValue()).toBe(addDays(firstDay, 2));
      expect(await page.getByLabel('Current from').inputValue()).toBe(addDays(lastDay, -2));
      expect(await page.getByLabel('Current to').inputValue()).toBe(lastDay);

      await page.getByRole('button', { name: 'Open incident' }).click();
      // The diagnosis takes seconds: the form says it is working.
      await page.getByRole('button', { name: 'Diagnosing…' }).waitFor({ timeout: 5_000 });
      await page.locator('.explanations-table').waitFor({ timeout: 30_000 });
      const id = new URL(page.url()).searchParams.get('incident');
      expect(id).toBeTruthy();
      confirmedId = id!;
      const incident = (await adminApi('GET', `/v1/incidents/${id}`)) as IncidentBody;

      // Ranked explanations, as the API ranks them, with their explained share.
      const explanations = incident.diagnosis.root_cause_search.explanations;
      expect(explanations.length).toBeGreaterThan(0);
      const rows = page.locator('.explanations-table tbody tr');
      expect(await rows.count()).toBe(explanations.length);
      for (const [i, explanation] of explanations.slice(0, 3).entries()) {
        const row = rows.nth(i);
        expect(await row.locator('.slice-text').innerText()).toBe(sliceText(explanation.slice));
        expect(await row.locator('.explained-share').innerText()).toBe(percent.format(explanation.explained_share));
      }
      await page.getByRole('heading', { name: 'Ruled-out rivals' }).waitFor();

      // The failure type the evidence points to, with its likelihood and evidence.
      const top = incident.diagnosis.failure_types[0]!;
      const verdict = page.locator(`.verdict-top[data-failure-type="${top.type}"]`);
      expect(await verdict.locator('.likelihood strong').innerText()).toBe(percent.format(top.likelihood));
      expect(await verdict.locator('.verdict-evidence li').count()).toBeGreaterThan(0);

      // The worst failing row, as text.
      expect(await page.locator('.sample-table').first().locator('tbody tr').first().locator('td').first().innerText()).toBe(incident.sample_rows.worst[0]!.id);

      // Export the slice as CSV: the file the browser saves has the API's header and X-Outlay-Rows rows.
      const downloading = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Download CSV' }).click();
      const download = await downloading;
      const csv = await readFile((await download.path())!, 'utf8');
      const fromApi = await fetch(`${baseUrl}/v1/incidents/${id}/export?window=current&format=csv&slice=true`, {
        headers: { Authorization: `Bearer ${adminKey}`, 'X-Outlay-Project': 'demo' },
      });
      expect(fromApi.ok).toBe(true);
      const apiRows = Number(fromApi.headers.get('x-outlay-rows'));
      const apiHeader = (await fromApi.text()).split('\n')[0];
      const lines = csv.split('\n').filter((line) => line !== '');
      expect(apiRows).toBeGreaterThan(0);
      expect(lines[0]).toBe(apiHeader);
      expect(lines[0]).toContain('prediction');
      expect(lines.length - 1).toBe(apiRows);
      expect(JSON.parse(fromApi.headers.get('x-outlay-slice')!)).toEqual(incident.diagnosis.root_causes[0]);
      expect(download.suggestedFilename()).toBe(`incident-${id}-current.csv`);
      expect(await page.locator('.export-result').innerText()).toContain(`${apiRows.toLocaleString('en-US')} rows of ${sliceText(incident.diagnosis.root_causes[0]!)}`);

      // Confirm the cause: the first explanation and the top failure type (the defaults), with a note that is text.
      await page.getByLabel('Note').fill(html);
      await page.getByRole('button', { name: 'Confirm the cause' }).click();
      const confirmed = page.getByRole('status', { name: 'Confirmed cause' });
      await confirmed.waitFor();
      expect(await confirmed.locator('.note-text').innerText()).toBe(html);
      const after = (await adminApi('GET', `/v1/incidents/${id}`)) as IncidentBody;
      expect(after.confirmed).toMatchObject({ type: top.type, cause: explanations[0]!.slice, note: html });

      // Back in the list, the incident is confirmed.
      await page.getByRole('button', { name: '← All incidents' }).click();
      const listRow = page.locator(`.incident-list tr[data-incident="${id}"]`);
      await listRow.waitFor();
      expect(await listRow.innerText()).toContain('Confirmed');
      expect(await listRow.innerText()).toContain(sliceText(incident.diagnosis.root_causes[0]!));
      expect(await page.locator('img[src="x"]').count()).toBe(0);
      expect(errors).toEqual([]);
      expect(dialogs).toEqual([]);
    },
    timeoutMs,
  );

  it(
    'creates a key, edits the cost matrix, shows a refused prior next to its field, and creates, evaluates, edits, disables and deletes monitors',
    async () => {
      await page.getByRole('link', { name: 'Settings' }).click();
      await page.getByRole('heading', { name: 'API keys' }).waitFor();

      // A read key: its secret is shown once, with a copy button, and it is listed (its name as text).
      const keyForm = page.getByRole('form', { name: 'Create a key' });
      await keyForm.getByLabel('Name').fill(html);
      await keyForm.getByLabel('Role').selectOption('read');
      await keyForm.getByRole('button', { name: 'Create key' }).click();
      const newKey = page.getByRole('status', { name: 'New key' });
      await newKey.waitFor();
      const secret = await newKey.locator('.new-key-secret').innerText();
      expect(secret).toMatch(/^olk_[a-f0-9]{12}_/);
      await newKey.getByRole('button', { name: 'Copy' }).waitFor();
      expect(await api(baseUrl, 'GET', '/v1/whoami', secret)).toMatchObject({ project: 'demo', role: 'read' });
      const keys = (await adminApi('GET', '/v1/keys')) as { keys: { id: string; name: string | null }[] };
      const created = keys.keys.find((k) => k.name === html)!;
      const keyRow = page.locator(`.keys-table tr[data-key-id="${created.id}"]`);
      await keyRow.waitFor();
      expect(await keyRow.locator('th').innerText()).toBe(html);

      // The cost matrix: change false_positive and the config says so.
      const costForm = page.getByRole('form', { name: `Settings of ${model}` });
      await costForm.getByLabel('False positive cost (USD)').fill('55');
      await costForm.getByRole('button', { name: `Save ${model}` }).click();
      await costForm.getByText('Saved.').waitFor();
      const config = (await adminApi('GET', '/v1/config')) as { models: { name: string; cost: Record<string, number> }[] };
      expect(config.models.find((m) => m.name === model)!.cost).toMatchObject({ false_positive: 55, false_negative: 150 });

      // A negative prior: the server refuses it (400), and its message sits next to the field it names.
      const priors = page.getByRole('form', { name: 'Priors' });
      await priors.getByLabel('Weight of origin').fill('-1');
      await priors.getByRole('button', { name: 'Save priors' }).click();
      const fieldError = priors.locator('.settings-row').filter({ has: page.getByLabel('Weight of origin') }).locator('.field-error');
      await fieldError.waitFor();
      expect(await fieldError.innerText()).toMatch(/>=\s*0/);
      expect(errors.length).toBe(1);
      expect(errors[0]).toContain('400');
      errors.length = 0;
      await priors.getByLabel('Weight of origin').fill('2');
      await priors.getByRole('button', { name: 'Save priors' }).click();
      await priors.getByText('Saved.').waitFor();
      expect(((await adminApi('GET', '/v1/config')) as { priors: Record<string, number> }).priors).toMatchObject({ origin: 2 });

      // A monitor with a webhook: create it, evaluate it now (the last day's traffic is below 10,000, a breach), and
      // see the alert fire and its webhook delivered; then edit it, disable it, and delete the demo's monitor.
      await page.getByRole('button', { name: 'New monitor' }).click();
      const monitorForm = page.getByRole('form', { name: 'New monitor' });
      await monitorForm.getByLabel('Monitor name').fill(monitorName);
      await monitorForm.getByLabel('Metric').selectOption('predictions');
      await monitorForm.getByLabel('Breaches when the value is').selectOption('<');
      await monitorForm.getByLabel('Threshold').fill('10000');
      await monitorForm.getByLabel('Webhooks').fill(hookUrl);
      await monitorForm.getByRole('button', { name: 'Create monitor' }).click();
      const item = page.getByRole('listitem', { name: `Monitor ${monitorName}` });
      await item.waitFor();
      const monitors = (await adminApi('GET', '/v1/monitors')) as { monitors: { id: string; name: string; condition: unknown; webhooks: string[]; enabled: boolean }[] };
      const monitor = monitors.monitors.find((m) => m.name === monitorName)!;
      expect(monitor).toMatchObject({ condition: { type: 'static', op: '<', value: 10_000 }, webhooks: [hookUrl], enabled: true });
      expect(await item.locator('.last-evaluation').innerText()).toBe('not evaluated yet');
      await item.getByRole('button', { name: 'Evaluate now' }).click();
      await expect.poll(() => item.locator('.last-evaluation').innerText()).not.toBe('not evaluated yet');
      const alerts = (await adminApi('GET', '/v1/alerts')) as { alerts: { monitor_id: string; status: string; last_evaluation: { status: string; reason: string; value: number } }[] };
      const alert = alerts.alerts.find((a) => a.monitor_id === monitor.id)!;
      expect(alert.last_evaluation.status).toBe('breach');
      expect(alert.status).toBe('firing');
      expect(await item.locator('.last-evaluation .status-pill').innerText()).toBe('breach');
      expect(await item.locator('.last-evaluation').innerText()).toContain(`value ${alert.last_evaluation.value}`);
      expect(await item.locator('.evaluation-reason').innerText()).toBe(alert.last_evaluation.reason);
      const alertRow = page.locator(`.alerts-table tr[data-monitor-id="${monitor.id}"]`);
      await alertRow.waitFor();
      expect(await alertRow.locator('td').first().innerText()).toContain('firing');
      // The page looks again while the delivery is pending, until the webhook has answered.
      await expect.poll(() => alertRow.locator('.deliveries').innerText(), { timeout: 15_000 }).toContain('delivered');
      expect(await alertRow.locator('.deliveries').innerText()).toContain('HTTP 200');
      expect(hookBodies.map((b) => b.outlay?.event)).toEqual(['firing']);

      await item.getByRole('button', { name: 'Edit' }).click();
      const editForm = page.getByRole('form', { name: `Edit monitor ${monitorName}` });
      await editForm.getByLabel('Threshold').fill('5000');
      await editForm.getByRole('button', { name: 'Save monitor' }).click();
      await editForm.waitFor({ state: 'detached' });
      await item.getByRole('button', { name: 'Disable' }).click();
      await item.getByText('disabled', { exact: true }).waitFor();
      const edited = ((await adminApi('GET', `/v1/monitors/${monitor.id}`)) as { condition: unknown; enabled: boolean });
      expect(edited).toMatchObject({ condition: { type: 'static', op: '<', value: 5000 }, enabled: false });

      const demoMonitor = page.getByRole('listitem', { name: 'Monitor Business cost per 1,000 flights, weekday-adjusted' });
      await demoMonitor.getByRole('button', { name: 'Delete' }).click();
      await demoMonitor.getByRole('button', { name: 'Delete now' }).click();
      await demoMonitor.waitFor({ state: 'detached' });
      const left = (await adminApi('GET', '/v1/monitors')) as { monitors: { id: string }[] };
      expect(left.monitors.map((m) => m.id)).toEqual([monitor.id]);
      expect(await page.locator('img[src="x"]').count()).toBe(0);
      expect(errors).toEqual([]);
      expect(dialogs).toEqual([]);
    },
    timeoutMs,
  );

  it(
    'shows a read key the settings and incidents without edit controls',
    async () => {
      await page.getByRole('button', { name: 'Sign out' }).click();
      await signIn(page, readKey);
      await page.getByRole('link', { name: 'Settings' }).click();
      await page.getByText('Sign in with an admin key to change settings.').waitFor();
      const fp = page.locator('dd[data-field="false_positive"]');
      await fp.waitFor();
      expect(await fp.innerText()).toBe('$55.00');
      expect(await page.locator('dd[data-field="false_negative"]').innerText()).toBe('$150');
      expect(await page.locator('dd[data-prior="origin"]').innerText()).toBe('2');
      await page.getByRole('listitem', { name: `Monitor ${monitorName}` }).waitFor();
      expect(await page.locator('.settings-page').locator('input, select, textarea').count()).toBe(0);
      // The one button left only reloads the alerts.
      expect(await page.locator('.settings-page button').allInnerTexts()).toEqual(['Refresh']);

      await page.getByRole('link', { name: 'Incidents' }).click();
      await page.getByText('Sign in with an admin key to open incidents').waitFor();
      expect(await page.getByRole('heading', { name: 'Open an incident' }).count()).toBe(0);
      // The monitor that fired opened an incident by itself (in the background, so it may take a moment).
      await expect.poll(async () => (await page.reload(), await page.locator('.incident-list').innerText()), { timeout: 20_000, interval: 1000 }).toContain('by monitor');
      await page.locator(`.incident-list tr[data-incident="${confirmedId}"]`).getByRole('button').click();
      await page.locator('.explanations-table').waitFor();
      expect(await page.getByRole('button', { name: 'Confirm the cause' }).count()).toBe(0);
      expect(await page.getByRole('status', { name: 'Confirmed cause' }).count()).toBe(1);
      expect(errors).toEqual([]);
    },
    timeoutMs,
  );
});
