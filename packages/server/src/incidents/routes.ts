import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OutlayError } from '@outlay/schema';
import { FAILURE_TYPES, type FailureType } from '@outlay/stats';
import { z } from 'zod';
import { parseInput } from '../parse-input.js';
import type { FeatureDeps, RouteSpec } from '../routes.js';
import { incidentsOf, type Incidents } from './incidents.js';

const Instant = z.union([z.string().datetime({ offset: true }), z.string().regex(/^\d{4}-\d{2}-\d{2}$/)]);
const OpenIncident = z.strictObject({
  model: z.string().min(1),
  reference_from: Instant,
  reference_to: Instant,
  current_from: Instant,
  current_to: Instant,
  max_rows: z.number().int().min(100).max(2_000_000).optional(),
});
const ConfirmIncident = z.strictObject({
  type: z.enum(FAILURE_TYPES as [FailureType, ...FailureType[]]).nullable().optional(),
  cause: z.record(z.string(), z.string()).nullable().optional(),
  note: z.string().max(10_000).nullable().optional(),
});
const ExportQuery = z.object({
  window: z.enum(['current', 'reference']).default('current'),
  format: z.enum(['parquet', 'csv']).default('parquet'),
  slice: z.enum(['true', 'false']).default('true'),
  project: z.string().optional(),
});

async function json(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    throw new OutlayError('invalid_input', 'the body is not JSON');
  }
}

/**
 * Incidents: open one on two windows of a model (the diagnosis and root-cause search run on the stored rows),
 * list and read them, confirm the cause (it raises that cause's prior next time), and download a window — by
 * default narrowed to the first root cause — as Parquet or CSV to reproduce or re-score it.
 */
export function incidentRoutes({ store }: FeatureDeps, incidents: Incidents = incidentsOf(store)): RouteSpec[] {
  return [
    {
      method: 'post', path: '/v1/incidents', summary: 'Open an incident on two windows of a model: diagnosis, root causes, failing rows',
      role: 'admin', scoped: true, errors: [400, 404],
      handler: async ({ c, project }) => {
        const body = parseInput(OpenIncident, await json(c.req.raw), 'incident', '(body)');
        if ((await store.modelStats(project, body.model)) === null) throw new OutlayError('not_found', `no model "${body.model}" in project "${project}"`);
        return incidents.open({
          project,
          model: body.model,
          reference: { from: body.reference_from, to: body.reference_to },
          current: { from: body.current_from, to: body.current_to },
          ...(body.max_rows === undefined ? {} : { maxRows: body.max_rows }),
        });
      },
    },
    {
      method: 'get', path: '/v1/incidents', summary: "The project's incidents, newest first", role: 'read', scoped: true,
      handler: async ({ project }) => ({
        incidents: (await incidents.list(project)).map((i) => ({
          id: i.id,
          model: i.model,
          opened_at: i.opened_at,
          trigger: i.trigger,
          reference: i.reference,
          current: i.current,
          // Open until someone confirms the cause.
          status: i.confirmed === null ? 'open' : 'confirmed',
          reason: i.reason,
          failure_type: i.diagnosis?.failure_types[0]?.type ?? null,
          likelihood: i.diagnosis?.failure_types[0]?.likelihood ?? null,
          root_causes: i.diagnosis?.root_causes ?? [],
          confirmed: i.confirmed,
        })),
      }),
    },
    {
      method: 'get', path: '/v1/incidents/:id', summary: 'One incident in full', role: 'read', scoped: true, errors: [404],
      handler: async ({ c, project }) => {
        const incident = await incidents.get(project, c.req.param('id')!);
        if (!incident) throw new OutlayError('not_found', `no incident "${c.req.param('id')}" in project "${project}"`);
        return incident;
      },
    },
    {
      method: 'post', path: '/v1/incidents/:id/confirm', summary: 'Record the confirmed cause (failure type and/or slice); it feeds the priors',
      role: 'admin', scoped: true, errors: [400, 404],
      handler: async ({ c, project }) => incidents.confirm(project, c.req.param('id')!, parseInput(ConfirmIncident, await json(c.req.raw), 'confirmation', '(body)')),
    },
    {
      method: 'get', path: '/v1/incidents/:id/export', summary: "Download a window of the incident (the first root cause's slice by default) as Parquet or CSV",
      role: 'read', scoped: true, query: ExportQuery, errors: [400, 404],
      handler: async ({ c, project }) => {
        const q = parseInput(ExportQuery, c.req.query(), 'query', '(body)');
        const incident = await incidents.get(project, c.req.param('id')!);
        if (!incident) throw new OutlayError('not_found', `no incident "${c.req.param('id')}" in project "${project}"`);
        const dir = mkdtempSync(join(tmpdir(), 'outlay-download-'));
        try {
          const path = join(dir, `incident.${q.format}`);
          const { rows, slice } = await incidents.export(incident, { window: q.window, format: q.format, slice: q.slice === 'true', path });
          const body = readFileSync(path);
          return new Response(body, {
            headers: {
              'content-type': q.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.apache.parquet',
              'content-disposition': `attachment; filename="incident-${incident.id}-${q.window}.${q.format}"`,
              'x-outlay-rows': String(rows),
              'x-outlay-slice': slice ? JSON.stringify(slice) : 'none',
            },
          });
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    },
  ];
}
