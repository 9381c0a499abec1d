import type { MonitorWithId } from './monitor-config.js';
import type { Evaluation } from './alert-state.js';

/**
 * What a webhook receives: Slack's incoming-webhook shape (`text`, `blocks`) so a Slack URL works as it is,
 * plus `outlay` with the monitor and the evaluation for programs.
 */
export function alertPayload(project: string, monitor: MonitorWithId, event: 'firing' | 'resolved', evaluation: Evaluation) {
  const slice = monitor.slice ? ` [${monitor.slice.column}=${String(monitor.slice.value)}]` : '';
  const head = event === 'firing' ? `:red_circle: FIRING: ${monitor.name}` : `:large_green_circle: RESOLVED: ${monitor.name}`;
  const text = `${head} (${monitor.metric} of ${monitor.model}${slice}, ${monitor.window} window starting ${evaluation.window_start ?? 'n/a'}): ${evaluation.reason}`;
  return {
    text,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
    outlay: {
      event,
      project,
      monitor: { id: monitor.id, name: monitor.name, model: monitor.model, metric: monitor.metric, window: monitor.window, slice: monitor.slice ?? null },
      evaluation,
    },
  };
}
