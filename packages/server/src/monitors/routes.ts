import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { Monitor, OutlayError } from '@outlay/schema';
import type { Context } from 'hono';
import { z } from 'zod';
import type { FeatureDeps } from '../routes.js';
import { MetricName } from '../metrics/metric-name.js';
import { modelCost } from '../metrics/model-task.js';
import { parseInput } from '../parse-input.js';
import { readBody } from '../read-body.js';
import type { RouteSpec } from '../routes.js';
import { AlertState, Evaluation } from './alert-state.js';
import { monitorCondition } from './check-condition.js';
import { findMonitor, listMonitors, updateMonitors, type MonitorWithId } from './monitor-config.js';
import { incidentOnFire } from '../incidents/incident-on-fire.js';
import { MonitorRunner } from './monitor-runner.js';

const MonitorView = Monitor.extend({ id: z.string() });
const json = ['application/json'];

/** Monitor CRUD, on-demand evaluation and alert state. */
export function monitorRoutes({ store, log }: FeatureDeps): RouteSpec[] {
  // A monitor that fires when evaluated on demand opens an incident, as it does on the schedule.
  const runner = new MonitorRunner(store, { log, onFire: incidentOnFire(store, log) });

  const validated = async (project: string, body: unknown, id: string): Promise<MonitorWithId> => {
    const monitor = parseInput(Monitor, body, 'monitor');
    if (!MetricName.safeParse(monitor.metric).success) {
      throw new OutlayError('invalid_input', `invalid monitor: metric: unknown metric "${monitor.metric}"; expected one of ${MetricName.options.join(', ')}`, { details: { field: 'metric' } });
    }
    if (!monitorCondition(monitor)) throw new OutlayError('invalid_input', 'invalid monitor: condition: a monitor needs a condition (static, relative or control_limits) or a threshold', { details: { field: 'condition' } });
    if (monitor.metric === 'business_cost_per_1k') modelCost(await store.getConfig(project), monitor.model);
    return { ...monitor, id };
  };

  return [
    {
      method: 'get', path: '/v1/monitors', summary: "The project's monitors", role: 'read', scoped: true,
      response: z.object({ monitors: z.array(MonitorView) }),
      handler: async ({ project }) => ({ monitors: await listMonitors(store, project) }),
    },
    {
      method: 'post', path: '/v1/monitors', summary: 'Create a monitor (kept in the project config); the id is generated unless given',
      description: 'A monitor is a metric of a model (as GET /v1/models/:model/metrics computes it), an optional slice, a window, a condition (`static` {op, value}, `relative` {baseline_windows, max_relative_change, direction}, `control_limits` {smooth: ewma|kalman, reference_windows}), `adjust` (weekday, hour, known, a numeric column, COLUMN=VALUE), `min_sample`, `webhooks` and `enabled`.',
      role: 'admin', scoped: true, body: { schema: Monitor, contentTypes: json }, response: MonitorView, errors: [400, 409],
      handler: async ({ c, project }) => {
        const body = await jsonBody(c);
        const given = (body as { id?: unknown } | null)?.id;
        const monitor = await validated(project, body, typeof given === 'string' ? given : randomBytes(6).toString('hex'));
        return updateMonitors(store, project, (monitors) => {
          if (monitors.some((m) => m.id === monitor.id)) throw new OutlayError('conflict', `a monitor with id "${monitor.id}" exists; PUT /v1/monitors/${monitor.id} replaces it`);
          return { monitors: [...monitors, monitor], result: monitor };
        });
      },
    },
    {
      method: 'get', path: '/v1/monitors/:id', summary: 'One monitor', role: 'read', scoped: true, response: MonitorView, errors: [404],
      handler: async ({ c, project }) => findMonitor(store, project, c.req.param('id')!),
    },
    {
      method: 'put', path: '/v1/monitors/:id', summary: 'Replace a monitor (its alert state is kept)', role: 'admin', scoped: true,
      body: { schema: Monitor, contentTypes: json }, response: MonitorView, errors: [400, 404],
      handler: async ({ c, project }) => {
        const id = c.req.param('id')!;
        const body = await jsonBody(c);
        const given = (body as { id?: unknown } | null)?.id;
        if (given !== undefined && given !== id) throw new OutlayError('invalid_input', `invalid monitor: id: the body says "${String(given)}" but the path "${id}"`);
        const monitor = await validated(project, body, id);
        return updateMonitors(store, project, (monitors) => {
          const at = monitors.findIndex((m) => m.id === id);
          if (at < 0) throw new OutlayError('not_found', `no monitor "${id}" in project "${project}"`);
          return { monitors: monitors.map((m, i) => (i === at ? monitor : m)), result: monitor };
        });
      },
    },
    {
      method: 'delete', path: '/v1/monitors/:id', summary: 'Delete a monitor and its alert state', role: 'admin', scoped: true,
      response: z.object({ deleted: z.boolean() }), errors: [404],
      handler: async ({ c, project }) => {
        const id = c.req.param('id')!;
        await updateMonitors(store, project, (monitors) => {
          if (!monitors.some((m) => m.id === id)) throw new OutlayError('not_found', `no monitor "${id}" in project "${project}"`);
          return { monitors: monitors.filter((m) => m.id !== id), result: undefined };
        });
        await runner.forget(project, id);
        return { deleted: true };
      },
    },
    {
      method: 'post', path: '/v1/monitors/:id/evaluate', summary: 'Evaluate a monitor now: its latest window, the alert state after it',
      description: 'Webhook deliveries an alert change triggers run in the background (their result appears in GET /v1/alerts). An evaluation that cannot run (no data, a config error) has status `error` and leaves the alert as it was.',
      role: 'admin', scoped: true, response: z.object({ monitor_id: z.string(), evaluation: Evaluation, alert: AlertState }), errors: [404],
      handler: async ({ c, project }) => runner.evaluate(project, c.req.param('id')!),
    },
    {
      method: 'get', path: '/v1/alerts', summary: 'Alert state of every evaluated monitor: ok, firing or resolved, the last evaluation and webhook deliveries',
      role: 'read', scoped: true, query: z.object({ status: z.enum(['ok', 'firing', 'resolved']).optional(), project: z.string().optional() }),
      response: z.object({ alerts: z.array(AlertState) }), errors: [400],
      handler: async ({ c, project }) => {
        const status = c.req.query('status');
        if (status !== undefined && !['ok', 'firing', 'resolved'].includes(status)) throw new OutlayError('invalid_input', `status: expected ok, firing or resolved, got "${status}"`);
        const alerts = await runner.alerts(project);
        return { alerts: status === undefined ? alerts : alerts.filter((a) => a.status === status) };
      },
    },
  ];
}

async function jsonBody(c: Context): Promise<unknown> {
  const raw = await readBody(c.req.raw, 256 * 1024);
  const body = c.req.header('content-encoding')?.toLowerCase() === 'gzip' ? gunzipSync(raw, { maxOutputLength: 256 * 1024 }) : raw;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new OutlayError('invalid_input', `the body is not valid JSON: ${(error as Error).message}`);
  }
}
