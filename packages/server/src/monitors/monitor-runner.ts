import { randomBytes } from 'node:crypto';
import type { ProjectConfig } from '@outlay/schema';
import type { Store } from '@outlay/store';
import { alertPayload } from './alert-payload.js';
import { AlertDocument, alertKey, MAX_DELIVERIES, nextAlertState, type AlertState, type Delivery, type Evaluation } from './alert-state.js';
import { evaluateMonitor } from './evaluate-monitor.js';
import { findMonitor, listMonitors, monitorId, monitorProjects, type MonitorWithId } from './monitor-config.js';
import { defaultWebhookOptions, sendWebhook, type WebhookOptions } from './send-webhook.js';
import { withLock } from './with-lock.js';

export interface MonitorRunnerOptions {
  log: (line: string) => void;
  webhook?: Partial<WebhookOptions>;
  now?: () => Date;
  /** Called once when an alert fires (in the background; a failure is logged): the server opens an incident. */
  onFire?: (project: string, monitor: MonitorWithId, evaluation: Evaluation) => Promise<unknown>;
}

export interface MonitorRun {
  monitor_id: string;
  evaluation: Evaluation;
  alert: AlertState;
}

/**
 * Evaluates monitors, keeps their alert state in the store's meta (one JSON document per project, so it
 * survives a restart) and sends each firing and each resolution once to the monitor's webhooks. Deliveries run
 * in the background: a slow or dead webhook delays neither the evaluation nor other monitors; its result
 * (delivered, or failed after bounded retries) is written into the alert's `notifications`.
 */
export class MonitorRunner {
  private readonly inflight = new Set<Promise<void>>();
  private readonly webhook: WebhookOptions;
  private readonly now: () => Date;

  constructor(
    private readonly store: Store,
    private readonly options: MonitorRunnerOptions,
  ) {
    this.webhook = { ...defaultWebhookOptions, ...options.webhook };
    this.now = options.now ?? (() => new Date());
  }

  /** One monitor, on demand (disabled monitors too). */
  async evaluate(project: string, id: string): Promise<MonitorRun> {
    const monitor = await findMonitor(this.store, project, id);
    return this.run(project, monitor, await this.store.getConfig(project));
  }

  /** Every enabled monitor of every project that has some; one failing monitor is logged and the others go on. */
  async evaluateAll(): Promise<{ monitors: number; failed: number }> {
    let monitors = 0;
    let failed = 0;
    for (const project of await monitorProjects(this.store, true)) {
      let config: ProjectConfig | null;
      try {
        config = await this.store.getConfig(project);
      } catch (error) {
        failed++;
        this.options.log(`monitors of ${project}: the project config cannot be read (${message(error)}); retried next tick`);
        continue;
      }
      for (const raw of config?.monitors ?? []) {
        if (!raw.enabled) continue;
        monitors++;
        const monitor = { ...raw, id: monitorId(raw) };
        try {
          const { evaluation } = await this.run(project, monitor, config);
          if (evaluation.status === 'error') failed++;
        } catch (error) {
          failed++;
          this.options.log(`monitor ${project}/${monitor.id}: could not save its alert state (${message(error)}); retried next tick`);
        }
      }
    }
    return { monitors, failed };
  }

  async alerts(project: string): Promise<AlertState[]> {
    const known = new Set((await listMonitors(this.store, project)).map((m) => m.id));
    return Object.values((await this.load(project)).alerts).filter((a) => known.has(a.monitor_id));
  }

  /** Drops a deleted monitor's alert state. */
  async forget(project: string, id: string): Promise<void> {
    await withLock(this.store, alertKey(project), async () => {
      const doc = await this.load(project);
      if (!(id in doc.alerts)) return;
      delete doc.alerts[id];
      await this.store.setMeta(alertKey(project), JSON.stringify(doc));
    });
  }

  /** Resolves when every webhook delivery started so far has finished and its result is saved. */
  async idle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  private async run(project: string, monitor: MonitorWithId, config: ProjectConfig | null): Promise<MonitorRun> {
    const evaluatedAt = this.now().toISOString();
    let evaluation: Evaluation;
    try {
      evaluation = { evaluated_at: evaluatedAt, ...(await evaluateMonitor(this.store, project, monitor, config)) };
    } catch (error) {
      this.options.log(`monitor ${project}/${monitor.id}: evaluation failed, retried next tick: ${message(error)}`);
      evaluation = { evaluated_at: evaluatedAt, status: 'error', window_start: null, value: null, limit: null, reason: message(error) };
    }
    const urls = [...new Set([...monitor.webhooks, ...(monitor.webhook ? [monitor.webhook] : [])])];
    const { state, deliveries, fired } = await withLock(this.store, alertKey(project), async () => {
      const doc = await this.load(project);
      const { state, event } = nextAlertState(doc.alerts[monitor.id], monitor, evaluation);
      const deliveries: Delivery[] = event === null ? [] : urls.map((url) => ({ id: randomBytes(6).toString('hex'), event, url, status: 'pending', attempts: 0, http_status: null, error: null, at: evaluatedAt }));
      state.notifications = [...state.notifications, ...deliveries].slice(-MAX_DELIVERIES);
      doc.alerts[monitor.id] = state;
      await this.store.setMeta(alertKey(project), JSON.stringify(doc));
      return { state, deliveries, fired: event === 'firing' };
    });
    if (fired && this.options.onFire) {
      const task = this.options.onFire(project, monitor, evaluation)
        .then(() => undefined, (error: unknown) => this.options.log(`monitor ${project}/${monitor.id}: opening an incident failed: ${message(error)}`))
        .finally(() => this.inflight.delete(task));
      this.inflight.add(task);
    }
    for (const delivery of deliveries) {
      const task = this.deliver(project, monitor, delivery, evaluation).finally(() => this.inflight.delete(task));
      this.inflight.add(task);
    }
    return { monitor_id: monitor.id, evaluation, alert: state };
  }

  private async deliver(project: string, monitor: MonitorWithId, delivery: Delivery, evaluation: Evaluation): Promise<void> {
    const result = await sendWebhook(delivery.url, alertPayload(project, monitor, delivery.event, evaluation), this.webhook);
    if (!result.delivered) this.options.log(`monitor ${project}/${monitor.id}: ${delivery.event} notification to ${delivery.url} failed after ${result.attempts} attempt(s): ${result.error}`);
    try {
      await withLock(this.store, alertKey(project), async () => {
        const doc = await this.load(project);
        const record = doc.alerts[monitor.id]?.notifications.find((d) => d.id === delivery.id);
        if (!record) return;
        Object.assign(record, { status: result.delivered ? 'delivered' : 'failed', attempts: result.attempts, http_status: result.httpStatus, error: result.error, at: this.now().toISOString() });
        await this.store.setMeta(alertKey(project), JSON.stringify(doc));
      });
    } catch (error) {
      this.options.log(`monitor ${project}/${monitor.id}: the result of a notification to ${delivery.url} could not be saved: ${message(error)}`);
    }
  }

  private async load(project: string): Promise<AlertDocument> {
    const raw = await this.store.getMeta(alertKey(project));
    return raw === null ? { alerts: {} } : AlertDocument.parse(JSON.parse(raw));
  }
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));
