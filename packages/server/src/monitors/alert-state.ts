import { z } from 'zod';

export const Delivery = z.object({
  id: z.string(),
  event: z.enum(['firing', 'resolved']),
  url: z.string(),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().int(),
  http_status: z.number().int().nullable(),
  error: z.string().nullable(),
  at: z.string(),
});
export type Delivery = z.infer<typeof Delivery>;

export const Evaluation = z.object({
  evaluated_at: z.string(),
  status: z.enum(['breach', 'ok', 'insufficient_data', 'error']),
  window_start: z.string().nullable(),
  value: z.number().nullable(),
  limit: z.number().nullable(),
  reason: z.string(),
});
export type Evaluation = z.infer<typeof Evaluation>;

/** The alert of one monitor: firing from the first breaching evaluation until one finds the window fine again. */
export const AlertState = z.object({
  monitor_id: z.string(),
  monitor_name: z.string(),
  model: z.string(),
  metric: z.string(),
  status: z.enum(['ok', 'firing', 'resolved']),
  /** When the current (or last) firing began, and the window that breached then. */
  since: z.string().nullable(),
  window_start: z.string().nullable(),
  resolved_at: z.string().nullable(),
  last_evaluation: Evaluation,
  /** Latest webhook deliveries, newest last (at most 20). */
  notifications: z.array(Delivery),
});
export type AlertState = z.infer<typeof AlertState>;

export const AlertDocument = z.object({ alerts: z.record(z.string(), AlertState) });
export type AlertDocument = z.infer<typeof AlertDocument>;

export const alertKey = (project: string): string => `monitor_alerts:${project}`;

export const MAX_DELIVERIES = 20;

/**
 * The next state of a monitor's alert after an evaluation, and the event to notify (at most one): a breach
 * fires once and stays firing without a new event; an `ok` evaluation of a firing alert resolves it once.
 * `insufficient_data` and `error` change nothing but the last evaluation: too few rows neither fire nor
 * resolve an alert.
 */
export function nextAlertState(
  previous: AlertState | undefined,
  monitor: { id: string; name: string; model: string; metric: string },
  evaluation: Evaluation,
): { state: AlertState; event: 'firing' | 'resolved' | null } {
  const base: AlertState = previous ?? {
    monitor_id: monitor.id,
    monitor_name: monitor.name,
    model: monitor.model,
    metric: monitor.metric,
    status: 'ok',
    since: null,
    window_start: null,
    resolved_at: null,
    last_evaluation: evaluation,
    notifications: [],
  };
  const state: AlertState = { ...base, monitor_name: monitor.name, model: monitor.model, metric: monitor.metric, last_evaluation: evaluation };
  if (evaluation.status === 'breach' && state.status !== 'firing') {
    return { state: { ...state, status: 'firing', since: evaluation.evaluated_at, window_start: evaluation.window_start, resolved_at: null }, event: 'firing' };
  }
  if (evaluation.status === 'ok' && state.status === 'firing') {
    return { state: { ...state, status: 'resolved', resolved_at: evaluation.evaluated_at }, event: 'resolved' };
  }
  return { state, event: null };
}
