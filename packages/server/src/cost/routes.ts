import { CostScenarioFile, OutlayError } from '@outlay/schema';
import { capacityPlan, projectCost, type CostProjection, type ScaleKnobs } from '@outlay/stats';
import type { Context } from 'hono';
import { z } from 'zod';
import type { FeatureDeps } from '../routes.js';
import type { RouteSpec } from '../routes.js';
import { costLevers, CostLeversInput } from './cost-levers.js';
import { resolveCostScenarios } from '@outlay/analysis';

/** `outlay cost project`'s scenario JSON, plus the levers to price against each scenario. */
export const CostProjectRequest = CostScenarioFile.extend({
  levers: CostLeversInput.optional(),
});
export type CostProjectRequest = z.infer<typeof CostProjectRequest>;

const finiteNumber = (what: string) => z.coerce.number().refine(Number.isFinite, `expected a finite number (${what})`);

export const CostCapacityQuery = z.strictObject({
  qps: finiteNumber('mean requests per second'),
  service_ms: finiteNumber('mean service time of one request on one replica, ms'),
  p99_ms: finiteNumber('objective on the quantile of wait plus service, ms'),
  quantile: finiteNumber('the quantile of the objective').default(0.99),
  peak_to_mean: finiteNumber('peak traffic over mean traffic').default(1),
  price_per_hour_usd: finiteNumber('price of one replica per hour').optional(),
  max_replicas: z.coerce.number().int().min(1).max(10_000_000).default(10_000),
  project: z.string().optional(),
});
export type CostCapacityQuery = z.infer<typeof CostCapacityQuery>;

const defaultScales = [1, 10, 100, 1000];
const maxBodyBytes = 256 * 1024;

/** `POST /v1/cost/project` and `GET /v1/cost/capacity`: the cost CLI's projection and capacity plan over HTTP. */
export function costRoutes(_deps: FeatureDeps): RouteSpec[] {
  return [
    {
      method: 'post', path: '/v1/cost/project', role: 'read', scoped: true,
      summary: 'Monthly cost of scenarios at 1×–1000× volume, per prediction, at the margin, with the levers priced',
      description: 'Takes the scenario JSON of `outlay cost project` (docs/examples/cost-scenario.json) and answers as its `--format json`, each scenario with `levers`: the monthly saving of each lever given (sampling_rate, precision, spot, commitment) at scale 1. Computes only; stores nothing.',
      body: { schema: CostProjectRequest, contentTypes: ['application/json'] }, errors: [400],
      handler: async ({ c }) => {
        const request = parse(CostProjectRequest, await jsonBody(c), 'body');
        const resolved = resolveCostScenarios(request, new Date().toISOString().slice(0, 10));
        const scales: (number | ScaleKnobs)[] = resolved.scales ?? defaultScales;
        const scenarios = resolved.scenarios.map((s, i) =>
          rangeChecked(`scenarios[${i}]`, () => {
            const projection: CostProjection = projectCost(s.scenario, scales);
            return { ...projection, serving_price: s.price, levers: request.levers === undefined ? [] : costLevers(s.scenario, request.levers) };
          }),
        );
        return { price_date: resolved.price_date, scales, scenarios };
      },
    },
    {
      method: 'get', path: '/v1/cost/capacity', role: 'read', scoped: true,
      summary: 'Replicas for a traffic level at a latency objective (M/M/c, Erlang C), as `outlay cost capacity`',
      description: 'p99_latency_ms is the 99th percentile of the time in system (wait plus service). An objective no replica count meets is a 400 that says why, never a number.',
      query: CostCapacityQuery, errors: [400],
      handler: async ({ c }) => {
        const q = parse(CostCapacityQuery, c.req.query(), 'query');
        return rangeChecked('query', () =>
          capacityPlan({
            qps: q.qps,
            serviceMs: q.service_ms,
            p99Ms: q.p99_ms,
            quantile: q.quantile,
            peakToMean: q.peak_to_mean,
            maxReplicas: q.max_replicas,
            ...(q.price_per_hour_usd === undefined ? {} : { pricePerReplicaHourUsd: q.price_per_hour_usd }),
          }),
        );
      },
    },
  ];
}

/** stats throws RangeError on impossible input (an objective no count meets): to the caller it is bad input. */
function rangeChecked<T>(where: string, compute: () => T): T {
  try {
    return compute();
  } catch (error) {
    if (error instanceof RangeError) throw new OutlayError('invalid_input', `${where}: ${error.message}`, { cause: error });
    throw error;
  }
}

function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
    throw new OutlayError('invalid_input', `invalid ${what}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { details: { errors: issues } });
  }
  return result.data;
}

/** ['scenarios', 0, 'serving'] → 'scenarios[0].serving'. */
function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}

async function jsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (Buffer.byteLength(text) > maxBodyBytes) throw new OutlayError('payload_too_large', `the body is over ${maxBodyBytes} bytes`);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new OutlayError('invalid_input', `the body is not valid JSON: ${(error as Error).message}`);
  }
}

