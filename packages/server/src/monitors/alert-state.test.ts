import { describe, expect, it } from 'vitest';
import { nextAlertState, type AlertState, type Evaluation } from './alert-state.js';

const monitor = { id: 'm1', name: 'errors', model: 'fraud', metric: 'error_rate' };
const evaluation = (status: Evaluation['status'], at: string): Evaluation => ({ evaluated_at: at, status, window_start: '2026-01-05T00:00:00.000Z', value: 0.3, limit: 0.2, reason: '' });

describe('nextAlertState', () => {
  it('fires once, stays firing without a new event, and resolves once', () => {
    const events: (string | null)[] = [];
    let state: AlertState | undefined;
    for (const [status, at] of [['ok', 't0'], ['breach', 't1'], ['breach', 't2'], ['insufficient_data', 't3'], ['error', 't4'], ['breach', 't5'], ['ok', 't6'], ['ok', 't7']] as const) {
      const next = nextAlertState(state, monitor, evaluation(status, at));
      state = next.state;
      events.push(next.event);
    }
    expect(events).toEqual([null, 'firing', null, null, null, null, 'resolved', null]);
    expect(state).toMatchObject({ status: 'resolved', since: 't1', resolved_at: 't6' });
  });

  it('does not fire on insufficient data', () => {
    const { state, event } = nextAlertState(undefined, monitor, evaluation('insufficient_data', 't0'));
    expect(event).toBeNull();
    expect(state.status).toBe('ok');
  });
});
