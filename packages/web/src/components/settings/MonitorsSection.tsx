import { useState } from 'react';
import type { Access } from '../../api.ts';
import { formatStatistic } from '../../format.ts';
import { createMonitor, deleteMonitor, evaluateMonitor, replaceMonitor, setMonitorEnabled, type Alert, type Evaluation, type Monitor } from '../../settings-api.ts';
import { EvaluationLine } from './EvaluationLine.tsx';
import { ErrorNotice } from '../ErrorNotice.tsx';
import { MonitorForm } from './MonitorForm.tsx';

interface MonitorsSectionProps {
  access: Access;
  monitors: readonly Monitor[];
  alerts: readonly Alert[];
  models: readonly string[];
  editable: boolean;
  /** Called after any change or evaluation, so the page reloads monitors and alerts. */
  onChanged: () => void;
}

/** `error_rate > 0.4`, `±20% vs 7 windows`, `EWMA control limits over 28 windows`. */
export function describeCondition(monitor: Monitor): string {
  const c = monitor.condition;
  if (!c) return monitor.threshold === undefined ? 'no condition' : `${monitor.metric} > ${monitor.threshold}`;
  if (c.type === 'static') return `${monitor.metric} ${c.op} ${c.value}`;
  if (c.type === 'relative') {
    const sign = c.direction === 'increase' ? '+' : c.direction === 'decrease' ? '−' : '±';
    return `${monitor.metric} ${sign}${formatStatistic(100 * c.max_relative_change)}% vs the mean of ${c.baseline_windows} windows before`;
  }
  return `${monitor.metric} outside ${c.smooth === 'ewma' ? 'EWMA' : 'Kalman'} control limits (${c.reference_windows} windows of history)`;
}

/** The project's monitors: list, create, edit, enable/disable, delete, evaluate now. */
export function MonitorsSection({ access, monitors, alerts, models, editable, onChanged }: MonitorsSectionProps) {
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [evaluated, setEvaluated] = useState<Record<string, Evaluation>>({});
  const [actionError, setActionError] = useState<{ title: string; error: unknown } | undefined>(undefined);

  const act = async (id: string, title: string, work: () => Promise<void>) => {
    setBusy(id);
    setActionError(undefined);
    try {
      await work();
      onChanged();
    } catch (error) {
      setActionError({ title, error });
    } finally {
      setBusy(null);
    }
  };
  const evaluate = (monitor: Monitor) =>
    act(monitor.id, `Could not evaluate ${monitor.name}`, async () => {
      const result = await evaluateMonitor(access, monitor.id);
      setEvaluated((previous) => ({ ...previous, [monitor.id]: result.evaluation }));
    });

  return (
    <section className="card settings-section" id="monitors" aria-labelledby="settings-monitors-title">
      <h2 id="settings-monitors-title">Monitors and webhooks</h2>
      <p className="muted">
        A monitor judges the window holding its model's latest prediction against its condition, every 60 s. An alert fires once on the first breach,
        resolves once on the first window that is fine again, and opens an incident.
      </p>
      {actionError !== undefined && <ErrorNotice title={actionError.title} error={actionError.error} />}
      {monitors.length === 0 ? (
        <p className="muted">No monitors yet.{editable ? ' Create one below.' : ''}</p>
      ) : (
        <ul className="monitor-list">
          {monitors.map((monitor) => {
            const alert = alerts.find((a) => a.monitor_id === monitor.id);
            const evaluation = evaluated[monitor.id] ?? alert?.last_evaluation;
            const webhooks = [...monitor.webhooks, ...(monitor.webhook !== undefined ? [monitor.webhook] : [])];
            return (
              <li key={monitor.id} className="monitor-item" data-monitor-id={monitor.id} aria-label={`Monitor ${monitor.name}`}>
                <div className="monitor-head">
                  <h3 className="monitor-name">{monitor.name}</h3>
                  <span className={`status-pill ${monitor.enabled ? 'status-ok' : 'status-muted'}`}>{monitor.enabled ? 'enabled' : 'disabled'}</span>
                  {alert?.status === 'firing' && <span className="status-pill status-bad">firing</span>}
                </div>
                <dl className="settings-values compact">
                  <div>
                    <dt>Model</dt>
                    <dd className="model-name">{monitor.model}</dd>
                  </div>
                  <div className="wide">
                    <dt>Condition</dt>
                    <dd>
                      {describeCondition(monitor)} per {monitor.window}
                    </dd>
                  </div>
                  {monitor.slice !== undefined && (
                    <div>
                      <dt>Slice</dt>
                      <dd>
                        {monitor.slice.column} = {String(monitor.slice.value)}
                      </dd>
                    </div>
                  )}
                  <div>
                    <dt>Adjusted for</dt>
                    <dd>{monitor.adjust.length === 0 ? 'nothing' : monitor.adjust.join(', ')}</dd>
                  </div>
                  <div>
                    <dt>Min. sample</dt>
                    <dd>{monitor.min_sample}</dd>
                  </div>
                  <div>
                    <dt>Webhooks</dt>
                    <dd className="wrap">{webhooks.length === 0 ? 'none' : webhooks.join(', ')}</dd>
                  </div>
                  <div className="wide">
                    <dt>Last evaluation</dt>
                    <dd className="last-evaluation">{evaluation === undefined ? <span className="muted">not evaluated yet</span> : <EvaluationLine evaluation={evaluation} />}</dd>
                  </div>
                </dl>
                {evaluation !== undefined && <p className="muted evaluation-reason">{evaluation.reason}</p>}
                {editable && editing !== monitor.id && (
                  <div className="form-actions">
                    <button type="button" className="primary" disabled={busy !== null} onClick={() => void evaluate(monitor)}>
                      {busy === monitor.id ? 'Evaluating…' : 'Evaluate now'}
                    </button>
                    <button type="button" disabled={busy !== null} onClick={() => setEditing(monitor.id)}>
                      Edit
                    </button>
                    <button
                      type="button"
                      disabled={busy !== null}
                      onClick={() => void act(monitor.id, `Could not ${monitor.enabled ? 'disable' : 'enable'} ${monitor.name}`, async () => {
                        await setMonitorEnabled(access, monitor.id, !monitor.enabled);
                      })}
                    >
                      {monitor.enabled ? 'Disable' : 'Enable'}
                    </button>
                    {deleting === monitor.id ? (
                      <>
                        <button
                          type="button"
                          className="danger"
                          disabled={busy !== null}
                          onClick={() => void act(monitor.id, `Could not delete ${monitor.name}`, async () => {
                            await deleteMonitor(access, monitor.id);
                            setDeleting(null);
                          })}
                        >
                          Delete now
                        </button>
                        <button type="button" onClick={() => setDeleting(null)}>
                          Keep it
                        </button>
                      </>
                    ) : (
                      <button type="button" disabled={busy !== null} onClick={() => setDeleting(monitor.id)}>
                        Delete
                      </button>
                    )}
                  </div>
                )}
                {editable && editing === monitor.id && (
                  <MonitorForm
                    initial={monitor}
                    models={models}
                    submitLabel="Save monitor"
                    onCancel={() => setEditing(null)}
                    onSave={async (input) => {
                      await replaceMonitor(access, monitor.id, input);
                      setEditing(null);
                      onChanged();
                    }}
                  />
                )}
              </li>
            );
          })}
        </ul>
      )}
      {editable &&
        (creating ? (
          <div className="new-monitor">
            <h3>New monitor</h3>
            <MonitorForm
              models={models}
              submitLabel="Create monitor"
              onCancel={() => setCreating(false)}
              onSave={async (input) => {
                await createMonitor(access, input);
                setCreating(false);
                onChanged();
              }}
            />
          </div>
        ) : (
          <button type="button" className="add-monitor" onClick={() => setCreating(true)}>
            New monitor
          </button>
        ))}
    </section>
  );
}
