import { OutlayError } from '@outlay/schema';
import { z } from 'zod';
import { parseInput, parseInstant } from '../parse-input.js';
import type { FeatureDeps, RouteSpec } from '../routes.js';
import { computeFunnel } from './compute-funnel.js';

const FunnelQuery = z.strictObject({
  window: z.enum(['hour', 'day', 'week']).default('day'),
  from: z.string().optional().describe('Start, ISO 8601 or epoch ms (inclusive)'),
  to: z.string().optional().describe('End (exclusive)'),
  stages: z.string().optional().describe("Comma-separated stages, in funnel order (default: the config's funnel, else every stage the model carries)"),
  project: z.string().optional(),
});

/** `GET /v1/models/:model/funnel`: stage inputs, outputs and pass rates per window, and which stage moved. */
export function funnelRoutes({ store }: FeatureDeps): RouteSpec[] {
  return [
    {
      method: 'get', path: '/v1/models/:model/funnel', role: 'read', scoped: true, query: FunnelQuery, errors: [400, 404],
      summary: "A model's funnel per window: each stage's input, output and pass rate, and the latest window's change split between stages",
      handler: async ({ c, project }) => {
        const q = parseInput(FunnelQuery, c.req.query(), 'query');
        const model = c.req.param('model')!;
        if ((await store.modelStats(project, model)) === null) throw new OutlayError('not_found', `no model "${model}" in project "${project}"`);
        const from = q.from === undefined ? undefined : parseInstant(q.from, 'from');
        const to = q.to === undefined ? undefined : parseInstant(q.to, 'to');
        return computeFunnel(store, {
          project,
          model,
          window: q.window,
          ...(from === undefined ? {} : { from }),
          ...(to === undefined ? {} : { to }),
          ...(q.stages === undefined ? {} : { stages: q.stages.split(',').map((s) => s.trim()).filter(Boolean) }),
        });
      },
    },
  ];
}
