import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The server's Prometheus metrics, on a registry of its own so two servers in one process do not collide. */
export function createServerMetrics(pendingRows: () => number) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'outlay_process_' });
  return {
    registry,
    ingestedRows: new Counter({ name: 'outlay_ingested_rows_total', help: 'Rows written, by kind.', labelNames: ['kind'], registers: [registry] }),
    duplicateRows: new Counter({ name: 'outlay_duplicate_rows_total', help: 'Rows skipped because their id was already stored.', labelNames: ['kind'], registers: [registry] }),
    rejectedRows: new Counter({ name: 'outlay_rejected_rows_total', help: 'Rows refused by validation, by kind.', labelNames: ['kind'], registers: [registry] }),
    batchSeconds: new Histogram({
      name: 'outlay_batch_duration_seconds',
      help: 'Time from request to acknowledgement of an ingest batch.',
      labelNames: ['kind'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    requests: new Counter({ name: 'outlay_http_requests_total', help: 'HTTP requests by route and status.', labelNames: ['route', 'status'], registers: [registry] }),
    pending: new Gauge({ name: 'outlay_pending_rows', help: 'Rows waiting to be written.', registers: [registry], collect() { this.set(pendingRows()); } }),
  };
}

export type ServerMetrics = ReturnType<typeof createServerMetrics>;
