import { OutlayError } from '@outlay/schema';
import { z } from 'zod';
import type { FeatureDeps } from '../routes.js';
import { readBody } from '../read-body.js';
import type { RouteSpec } from '../routes.js';
import { CostOpportunities, costOpportunities } from './cost-opportunities.js';
import { costEntriesToRecords, projectPriceBook } from './cost-entry-records.js';
import { CostSummary, costSummary } from './cost-summary.js';
import { CostUnitMetrics, costUnitMetrics } from './cost-unit-metrics.js';
import { parseInput } from '../parse-input.js';
import { parseTime } from './read-cost-data.js';

const WindowQuery = z.object({
  from: z.string().optional(),
  to: z.string().optional(),
  period: z.enum(['month', 'day']).default('month'),
});
const UnitMetricsQuery = WindowQuery.extend({
  idle_share: z.enum(['none', 'even', 'proportional']).default('proportional'),
  top_customers: z.coerce.number().int().min(0).max(10_000).default(50),
});
const Share = z.coerce.number().min(0).max(1);
const OpportunitiesQuery = z.object({
  from: z.string().optional(),
  to: z.string().optional(),
  target_utilisation: z.coerce.number().gt(0).max(1).default(0.7),
  duplicate_share: Share.optional(),
  spot_discount: z.coerce.number().min(0).lt(1).optional(),
  retained_months: z.coerce.number().int().min(1).default(12),
  hot_months: z.coerce.number().int().min(0).default(1),
});
const EntriesResult = z.object({
  received: z.number(),
  accepted: z.number(),
  records: z.number(),
  cost_usd: z.number(),
  rejected: z.array(z.object({ index: z.number(), field: z.string(), message: z.string() })),
});

function window(q: { from?: string | undefined; to?: string | undefined }): { from?: number; to?: number } {
  const from = parseTime(q.from, 'from');
  const to = parseTime(q.to, 'to');
  if (from !== undefined && to !== undefined && !(to > from)) throw new OutlayError('invalid_input', `to (${q.to}) must be after from (${q.from})`);
  return { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };
}

/** The cost ledger, unit economics and savings of a project, and manual cost entries. */
export function costLedgerRoutes({ store }: FeatureDeps): RouteSpec[] {
  return [
    {
      method: 'get', path: '/v1/costs/summary', role: 'read', scoped: true, query: WindowQuery, response: CostSummary, errors: [400],
      summary: 'The cost ledger per period: by taxonomy bucket, model, customer and provider',
      description: 'Effective cost (BilledCost where a row has none), billed cost, and the variable and fixed parts (x_variable_share where declared, else 1 for variable.* buckets and 0 for the rest). A row counts in the period its charge starts in; `from`/`to` bound that start.',
      handler: async ({ c, project }) => {
        const q = parseInput(WindowQuery, c.req.query(), 'query', '(query)');
        return costSummary(store, { project, period: q.period, ...window(q) });
      },
    },
    {
      method: 'get', path: '/v1/costs/unit-metrics', role: 'read', scoped: true, query: UnitMetricsQuery, response: CostUnitMetrics, errors: [400],
      summary: 'Unit economics per period: variable cost per prediction, per customer, per revenue dollar, as % of ARR, contribution margin, marginal cost trend',
      description: 'Serving instances (variable.compute ledger rows naming a model) are allocated to customers by compute-seconds (Σ logged latency); idle capacity is its own line, passed to customers as `idle_share` says. ARR is the run rate of the period\'s revenue (× 12 or × 365). `by_customer` lists the `top_customers` with the largest variable cost; there, variable cost no customer is named on (idle capacity when `idle_share=none`, shared operations) follows each customer\'s share of predictions. Ledger and revenue rows count in the period their start falls in: with `period=day`, monthly rows land on the first day of their month.',
      handler: async ({ c, project }) => {
        const q = parseInput(UnitMetricsQuery, c.req.query(), 'query', '(query)');
        return costUnitMetrics(store, { project, period: q.period, ...window(q) }, { idleShare: q.idle_share, topCustomers: q.top_customers });
      },
    },
    {
      method: 'get', path: '/v1/costs/opportunities', role: 'read', scoped: true, query: OpportunitiesQuery, response: CostOpportunities, errors: [400],
      summary: 'Ranked savings: idle capacity, peak-to-mean, spot-eligible training, redundant predictions, retention',
      description: 'Over `from`–`to` (default: the latest calendar month with ledger rows, up to the month of the last prediction). Each opportunity carries the data behind it, its assumptions and its saving in USD over the window.',
      handler: async ({ c, project }) => {
        const q = parseInput(OpportunitiesQuery, c.req.query(), 'query', '(query)');
        if (q.hot_months > q.retained_months) throw new OutlayError('invalid_input', `hot_months (${q.hot_months}) cannot exceed retained_months (${q.retained_months})`);
        return costOpportunities(store, {
          project,
          ...window(q),
          targetUtilisation: q.target_utilisation,
          retainedMonths: q.retained_months,
          hotMonths: q.hot_months,
          ...(q.duplicate_share === undefined ? {} : { duplicateShare: q.duplicate_share }),
          ...(q.spot_discount === undefined ? {} : { spotDiscount: q.spot_discount }),
        });
      },
    },
    {
      method: 'post', path: '/v1/cost-entries', role: 'ingest', scoped: true, response: EntriesResult, errors: [400, 413],
      body: { schema: z.array(z.unknown()), contentTypes: ['application/json'] },
      query: z.object({ partial: z.enum(['true', 'false']).optional() }),
      summary: 'Add manual costs (people, annotation, tools, amortised assets, serving deployments) as monthly cost records',
      description: 'A JSON array of entries: `{kind: "expense", name, category, amount_usd, start_month, end_month?}` per month; `{kind: "asset", name, cost_usd, salvage_usd, life_months, in_service, …}` amortised monthly; `{kind: "deployment", model, instance, replicas, start_month, end_month?, price_per_hour_usd | vendor + service + region}` priced from the price book. One bad entry refuses the batch (400, nothing written) unless ?partial=true.',
      handler: async ({ c, project }) => {
        let body: unknown;
        try {
          body = JSON.parse((await readBody(c.req.raw, 4 * 1024 * 1024)).toString('utf8'));
        } catch (error) {
          if (error instanceof OutlayError) throw error;
          throw new OutlayError('invalid_input', `the body is not valid JSON: ${(error as Error).message}`);
        }
        if (!Array.isArray(body)) throw new OutlayError('invalid_input', 'expected a JSON array of cost entries');
        const { records, problems } = costEntriesToRecords(body, projectPriceBook(await store.getConfig(project)));
        if (problems.length > 0 && c.req.query('partial') !== 'true') {
          const first = problems[0]!;
          throw new OutlayError('invalid_input', `${problems.length} of ${body.length} cost entries are invalid, nothing was written; first: entry ${first.index}, ${first.field}: ${first.message}`, {
            details: { rejected: problems.slice(0, 100) },
          });
        }
        const flat = records.flat();
        if (flat.length > 0) await store.insertCostRecords(project, flat);
        return {
          received: body.length,
          accepted: body.length - problems.length,
          records: flat.length,
          cost_usd: flat.reduce((s, r) => s + (r.EffectiveCost ?? r.BilledCost), 0),
          rejected: problems,
        };
      },
    },
  ];
}
