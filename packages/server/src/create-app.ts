import { existsSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { serveStatic } from '@hono/node-server/serve-static';
import {
  CostRecord,
  IngestResult,
  KeyCreated,
  KeyCreateRequest,
  KeyInfo,
  Label,
  ModelList,
  ModelStats,
  OutlayError,
  Prediction,
  ProjectConfig,
  RevenueRecord,
  limits,
  type ErrorBody,
} from '@outlay/schema';
import type { Store, StoredKey } from '@outlay/store';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { allows, type ApiKeys, type Principal } from './api-keys.js';
import { computeWindowDrift, DEFAULT_WINDOW_SAMPLE_ROWS } from './compute-window-drift.js';
import { openApiDocument } from './openapi.js';
import { parseInput } from './parse-input.js';
import type { Decoded, IngestKind } from './decode-body.js';
import { DecodePool } from './decode-pool.js';
import { featureRoutes } from './feature-routes.js';
import { readBody } from './read-body.js';
import type { RouteContext, RouteSpec } from './routes.js';
import { createServerMetrics, type ServerMetrics } from './server-metrics.js';

export interface AppOptions {
  store: Store;
  keys: ApiKeys;
  /** Folder of the built dashboard (packages/web/dist); served at `/` when present. */
  webRoot?: string;
  version?: string;
  metrics?: ServerMetrics;
  log?: (line: string) => void;
  /** Ingest requests read and validated at once before new ones get 429 (default 32). */
  maxInflightBatches?: number;
  /** Where ingest bodies are decoded (default: inline, on the main thread). */
  decoder?: DecodePool;
}

const ingestBodyTypes = ['application/json', 'application/x-ndjson'];
const Partial = z.object({
  partial: z.enum(['true', 'false']).optional().describe('true: write the valid rows and return the rejected ones (200) instead of rejecting the batch (400)'),
});
const PredictionQuery = Partial.extend({
  model: z.string().optional().describe('Model for rows that do not name one'),
});

const Instant = z.union([z.string().datetime({ offset: true }), z.string().regex(/^\d{4}-\d{2}-\d{2}$/), z.coerce.number().int()]);
const DriftQuery = z.strictObject({
  reference_from: Instant.describe('Start of the reference window (ISO 8601 or epoch ms), inclusive'),
  reference_to: Instant.describe('End of the reference window, exclusive'),
  current_from: Instant.describe('Start of the current window, inclusive'),
  current_to: Instant.describe('End of the current window, exclusive'),
  columns: z.string().optional().describe('Comma-separated feature names (default: every feature)'),
  method: z.string().optional().describe('Force one registry method on the columns it applies to'),
  threshold: z.coerce.number().refine(Number.isFinite, 'expected a finite number').optional(),
  correction: z.enum(['none', 'bonferroni', 'bh']).default('none'),
  sample_rows: z.coerce.number().int().min(10).max(1_000_000).default(DEFAULT_WINDOW_SAMPLE_ROWS),
  project: z.string().optional(),
});

const toKeyInfo = ({ hash: _hash, ...key }: StoredKey): KeyInfo => key;

/** The Outlay HTTP API and dashboard as a Hono app (tests call `app.request()` without a socket). */
export function createApp(options: AppOptions): { app: Hono; routes: RouteSpec[]; metrics: ServerMetrics } {
  const { store, keys } = options;
  const metrics = options.metrics ?? createServerMetrics(() => store.pendingRows());
  const log = options.log ?? (() => undefined);
  const maxInflight = options.maxInflightBatches ?? 32;
  const decoder = options.decoder ?? new DecodePool(0);
  let inflight = 0;

  async function ingest(
    kind: IngestKind,
    { c }: RouteContext,
    write: (decoded: Decoded) => Promise<{ accepted: number; duplicates: number }>,
  ): Promise<IngestResult> {
    // Bodies being read and decoded hold memory before the store's queue sees them: bound them too.
    if (inflight >= maxInflight) {
      throw new OutlayError('busy', `${inflight} batches are already being processed; retry shortly`);
    }
    inflight++;
    try {
      const started = performance.now();
      const decoded = await decoder.decode({
        kind,
        body: await readBody(c.req.raw),
        contentType: c.req.header('content-type') ?? null,
        contentEncoding: c.req.header('content-encoding') ?? null,
        model: c.req.query('model'),
      });
      const { received, rejected } = decoded;
      metrics.rejectedRows.inc({ kind }, rejected.length);
      if (rejected.length > 0 && c.req.query('partial') !== 'true') {
        const first = rejected[0]!;
        throw new OutlayError(
          'invalid_input',
          `${rejected.length} of ${received} rows are invalid, nothing was written; first: row ${first.index}${first.id ? ` (id ${first.id})` : ''}: ${first.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
          { details: { rejected: rejected.slice(0, 100), rejected_count: rejected.length } },
        );
      }
      const result = received > rejected.length ? await write(decoded) : { accepted: 0, duplicates: 0 };
      metrics.ingestedRows.inc({ kind }, result.accepted);
      metrics.duplicateRows.inc({ kind }, result.duplicates);
      metrics.batchSeconds.observe({ kind }, (performance.now() - started) / 1000);
      return { received, accepted: result.accepted, duplicates: result.duplicates, rejected };
    } finally {
      inflight--;
    }
  }

  const routes: RouteSpec[] = [
    {
      method: 'get', path: '/healthz', summary: 'Liveness: the server is up and its store open', role: null, scoped: false,
      response: z.object({ status: z.literal('ok'), store: z.string() }),
      handler: async () => ({ status: 'ok', store: store.kind }),
    },
    {
      method: 'get', path: '/openapi.json', summary: 'This document', role: 'any', scoped: false,
      handler: async () => openApiDocument(routes, options.version ?? '0.0.0'),
    },
    {
      method: 'get', path: '/metrics', summary: 'Prometheus metrics (ingested, rejected and duplicate rows, batch latency)', role: 'read', scoped: false,
      handler: async ({ c }) => c.text(await metrics.registry.metrics(), 200, { 'Content-Type': metrics.registry.contentType }),
    },
    {
      method: 'get', path: '/v1/whoami', summary: 'The project and role of the presented key', role: 'any', scoped: false,
      response: z.object({ project: z.string(), role: z.string(), key_id: z.string() }),
      handler: async ({ principal }) => ({ project: principal.project, role: principal.role, key_id: principal.keyId }),
    },
    {
      method: 'post', path: '/v1/predictions', role: 'ingest', scoped: true,
      summary: 'Log predictions (JSON array or NDJSON, gzip accepted)',
      description: `Idempotent by id: a retried batch is counted as duplicates, never stored twice. One invalid row rejects the whole batch with 400 and writes nothing, unless ?partial=true. Limits: ${limits.maxBodyBytes} bytes per body (413), ${limits.maxRowsPerBatch} rows per batch (413), ${limits.maxFeaturesPerRow} features per row, ${limits.maxStringLength} characters per string value. Unknown fields are refused. NaN and Infinity are refused. When writes fall behind: 429 with Retry-After. A 200 means the batch is committed to disk.`,
      body: { schema: z.array(Prediction), contentTypes: ingestBodyTypes }, query: PredictionQuery, response: IngestResult, errors: [400, 413, 415, 429],
      handler: (ctx) => ingest('prediction', ctx, (decoded) => store.insertPredictionColumns(ctx.project, decoded.columns!)),
    },
    {
      method: 'post', path: '/v1/labels', role: 'ingest', scoped: true,
      summary: 'Log labels (ground truth or annotations), joined to predictions by id; a later label corrects an earlier one',
      body: { schema: z.array(Label), contentTypes: ingestBodyTypes }, query: Partial, response: IngestResult, errors: [400, 413, 415, 429],
      handler: (ctx) => ingest('label', ctx, (decoded) => store.insertLabels(ctx.project, decoded.rows as Label[])),
    },
    {
      method: 'post', path: '/v1/cost-records', role: 'ingest', scoped: true,
      summary: 'Add cost records (FOCUS columns plus x_category, x_model, x_customer, x_variable_share)',
      body: { schema: z.array(CostRecord), contentTypes: ingestBodyTypes }, query: Partial, response: IngestResult, errors: [400, 413, 429],
      handler: (ctx) => ingest('cost_record', ctx, async (decoded) => ({ ...(await store.insertCostRecords(ctx.project, decoded.rows as CostRecord[])), duplicates: 0 })),
    },
    {
      method: 'post', path: '/v1/revenue', role: 'ingest', scoped: true,
      summary: 'Add revenue per customer and period',
      body: { schema: z.array(RevenueRecord), contentTypes: ingestBodyTypes }, query: Partial, response: IngestResult, errors: [400, 413, 429],
      handler: (ctx) => ingest('revenue', ctx, async (decoded) => ({ ...(await store.insertRevenue(ctx.project, decoded.rows as RevenueRecord[])), duplicates: 0 })),
    },
    {
      method: 'get', path: '/v1/models', summary: "The project's models with their counts", role: 'read', scoped: true, response: ModelList,
      handler: async ({ project }) => ({ models: await store.listModels(project) }),
    },
    {
      method: 'get', path: '/v1/models/:model/stats', summary: 'What landed for a model: predictions, labels, first and last timestamp',
      role: 'read', scoped: true, response: ModelStats, errors: [404],
      handler: async ({ c, project }) => {
        const model = c.req.param('model')!;
        const stats = await store.modelStats(project, model);
        if (!stats) throw new OutlayError('not_found', `no model "${model}" in project "${project}"`);
        return stats;
      },
    },
    {
      method: 'get', path: '/v1/models/:model/columns', summary: 'Features, segments, stages and scores a model has carried, with their types',
      role: 'read', scoped: true, errors: [404],
      response: z.object({ columns: z.array(z.object({ source: z.string(), name: z.string(), type: z.string() })) }),
      handler: async ({ c, project }) => ({ columns: await store.modelColumns(project, c.req.param('model')!) }),
    },
    {
      method: 'get', path: '/v1/models/:model/drift', summary: 'Drift between two stored windows of a model: per column, dataset, multivariate',
      description: 'The stored-data twin of `outlay drift`: each column (features, prediction, score, interval width, label) tested with the method Evidently would choose (or `method`), the dataset verdict (half the columns), and PCA reconstruction error. Counts and ranges are exact; sample-based tests read a deterministic sample of at most `sample_rows` rows per window.',
      role: 'read', scoped: true, query: DriftQuery, errors: [400, 404],
      handler: async ({ c, project }) => {
        const q = parseInput(DriftQuery, c.req.query(), 'query', '(body)');
        return computeWindowDrift(store, {
          project,
          model: c.req.param('model')!,
          reference: { from: q.reference_from, to: q.reference_to },
          current: { from: q.current_from, to: q.current_to },
          ...(q.columns === undefined ? {} : { columns: q.columns.split(',').map((s) => s.trim()).filter((s) => s !== '') }),
          ...(q.method === undefined ? {} : { method: q.method }),
          ...(q.threshold === undefined ? {} : { threshold: q.threshold }),
          correction: q.correction === 'bh' ? 'benjamini-hochberg' : q.correction,
          sampleRows: q.sample_rows,
        });
      },
    },
    {
      method: 'get', path: '/v1/config', summary: 'The project config (models, cost matrix, funnel, priors, monitors, price book)',
      role: 'read', scoped: true, response: ProjectConfig,
      handler: async ({ project }) => (await store.getConfig(project)) ?? ProjectConfig.parse({}),
    },
    {
      method: 'put', path: '/v1/config', summary: 'Replace the project config', role: 'admin', scoped: true,
      body: { schema: ProjectConfig, contentTypes: ['application/json'] }, response: ProjectConfig, errors: [400],
      handler: async ({ c, project }) => {
        const config = parseInput(ProjectConfig, await jsonBody(c), 'config', '(body)');
        await store.putConfig(project, config);
        return config;
      },
    },
    {
      method: 'post', path: '/v1/keys', summary: 'Create an API key; the key is in this response only', role: 'admin', scoped: false,
      body: { schema: KeyCreateRequest, contentTypes: ['application/json'] }, response: KeyCreated, errors: [400],
      handler: async ({ c, principal }) => {
        const request = parseInput(KeyCreateRequest, await jsonBody(c), 'key request', '(body)');
        mayAdminister(principal, request.project);
        const { key, stored } = await keys.create(request.project, request.role, request.name ?? null);
        return { ...toKeyInfo(stored), key };
      },
    },
    {
      method: 'get', path: '/v1/keys', summary: 'List API keys (never their secrets)', role: 'admin', scoped: false,
      query: z.object({ project: z.string().optional() }), response: z.object({ keys: z.array(KeyInfo) }),
      handler: async ({ c, principal }) => {
        const project = principal.project === '*' ? c.req.query('project') : principal.project;
        return { keys: (await store.listKeys(project)).map(toKeyInfo) };
      },
    },
    {
      method: 'delete', path: '/v1/keys/:id', summary: 'Revoke an API key', role: 'admin', scoped: false,
      response: z.object({ revoked: z.boolean() }), errors: [404],
      handler: async ({ c, principal }) => {
        const key = await store.findKey(c.req.param('id')!);
        if (!key) throw new OutlayError('not_found', `no key with id "${c.req.param('id')}"`);
        mayAdminister(principal, key.project);
        return { revoked: await store.revokeKey(key.id) };
      },
    },
    ...featureRoutes({ store, log }),
  ];

  const app = new Hono();
  app.onError((error, c) => errorResponse(c, error, log));
  app.use('*', async (c, next) => {
    await next();
    metrics.requests.inc({ route: c.req.routePath, status: String(c.res.status) });
  });
  for (const route of routes) {
    app.on(route.method.toUpperCase(), route.path, async (c) => {
      const principal: Principal = route.role === null
        ? { keyId: 'none', project: '*', role: 'read' }
        : await keys.verify(bearer(c.req.header('authorization')));
      if (route.role !== null && route.role !== 'any' && !allows(principal, route.role)) {
        throw new OutlayError('forbidden', `this route needs a key with role "${route.role}" (or admin); yours is "${principal.role}"`);
      }
      const project = route.scoped ? resolveProject(principal, c) : principal.project;
      const result = await route.handler({ c, principal, project });
      return result instanceof Response ? result : c.json(result as object);
    });
  }
  if (options.webRoot && existsSync(options.webRoot)) {
    app.use('/*', serveStatic({ root: options.webRoot }));
  } else {
    app.get('/', (c) => c.text('Outlay is running. The dashboard is not built: run `npm run build`.\n'));
  }
  app.notFound((c) => c.json({ error: { code: 'not_found', message: `no route ${c.req.method} ${c.req.path}` } } satisfies ErrorBody, 404));
  return { app, routes, metrics };
}

function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/** The project a request acts on: the key's own, or for a global admin key the one it names. */
function resolveProject(principal: Principal, c: Context): string {
  const named = c.req.header('x-outlay-project') ?? c.req.query('project');
  if (principal.project === '*') {
    if (!named) throw new OutlayError('invalid_input', 'an admin key must name the project: send the header "X-Outlay-Project: <project>"');
    return named;
  }
  if (named && named !== principal.project) {
    throw new OutlayError('forbidden', `this key belongs to project "${principal.project}", not "${named}"`);
  }
  return principal.project;
}

function mayAdminister(principal: Principal, project: string): void {
  if (principal.project !== '*' && principal.project !== project) {
    throw new OutlayError('forbidden', `this admin key manages project "${principal.project}" only`);
  }
}

async function jsonBody(c: Context): Promise<unknown> {
  const raw = await readBody(c.req.raw, 1024 * 1024);
  const body = c.req.header('content-encoding')?.toLowerCase() === 'gzip' ? gunzipSync(raw, { maxOutputLength: 1024 * 1024 }) : raw;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new OutlayError('invalid_input', `the body is not valid JSON: ${(error as Error).message}`);
  }
}

/** The one place errors become HTTP responses. */
function errorResponse(c: Context, error: unknown, log: (line: string) => void): Response {
  if (error instanceof OutlayError) {
    const body: ErrorBody = { error: { code: error.code, message: error.message, details: error.details } };
    if (error.code === 'busy') c.header('Retry-After', '1');
    return c.json(body, error.status as 400);
  }
  log(`internal error on ${c.req.method} ${c.req.path}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return c.json({ error: { code: 'internal', message: 'internal error; the server log has the details' } } satisfies ErrorBody, 500);
}
