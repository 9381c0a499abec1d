import type { Store } from '@outlay/store';
import { incidentsOf, monitorWindows } from './incidents.js';

/**
 * What a monitor runner calls when an alert fires: opens an incident on the breached window against the seven
 * windows before it, and logs its id and the failure type found.
 */
export function incidentOnFire(store: Store, log: (line: string) => void) {
  return async (project: string, monitor: { id: string; model: string; window: 'hour' | 'day' | 'week' }, evaluation: { window_start: string | null }): Promise<void> => {
    if (evaluation.window_start === null) return;
    const incident = await incidentsOf(store).open({
      project,
      model: monitor.model,
      ...monitorWindows(evaluation.window_start, monitor.window),
      trigger: { kind: 'monitor', monitor_id: monitor.id, detail: evaluation },
    });
    log(`monitor ${project}/${monitor.id} fired: incident ${incident.id}${incident.diagnosis ? ` (${incident.diagnosis.failure_types[0]!.type})` : ''}`);
  };
}
