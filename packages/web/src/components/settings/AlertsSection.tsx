import { formatTimestamp } from '../../format.ts';
import type { Alert } from '../../settings-api.ts';
import { EvaluationLine } from './EvaluationLine.tsx';

const alertClass: Record<Alert['status'], string> = { firing: 'status-bad', resolved: 'status-ok', ok: 'status-muted' };
const deliveryClass: Record<string, string> = { delivered: 'status-ok', failed: 'status-bad', pending: 'status-warn' };

/** Every evaluated monitor's alert: firing, resolved or ok, its last evaluation, and each webhook delivery. */
export function AlertsSection({ alerts, refreshing, onRefresh }: { alerts: readonly Alert[]; refreshing: boolean; onRefresh: () => void }) {
  return (
    <section className="card settings-section" id="alerts" aria-labelledby="settings-alerts-title">
      <div className="section-head">
        <h2 id="settings-alerts-title">Alerts</h2>
        <button type="button" onClick={onRefresh} disabled={refreshing}>
          {refreshing ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      {alerts.length === 0 ? (
        <p className="muted">No alerts yet: a monitor's alert appears after its first evaluation (every 60 s, or "Evaluate now" above).</p>
      ) : (
        <div className="table-scroll">
          <table className="models-table alerts-table">
            <caption className="visually-hidden">Alerts of the project's monitors</caption>
            <thead>
              <tr>
                <th scope="col">Monitor</th>
                <th scope="col">Status</th>
                <th scope="col">Last evaluation</th>
                <th scope="col">Notifications</th>
              </tr>
            </thead>
            <tbody>
              {alerts.map((alert) => (
                <tr key={alert.monitor_id} data-monitor-id={alert.monitor_id}>
                  <th scope="row" className="wrap">
                    {alert.monitor_name}
                    <span className="muted alert-sub">
                      {alert.model} · {alert.metric}
                    </span>
                  </th>
                  <td>
                    <span className={`status-pill ${alertClass[alert.status]}`}>{alert.status}</span>
                    {alert.since !== null && <span className="muted alert-sub">since {formatTimestamp(alert.since)}</span>}
                    {alert.resolved_at !== null && <span className="muted alert-sub">resolved {formatTimestamp(alert.resolved_at)}</span>}
                  </td>
                  <td className="wrap">
                    <EvaluationLine evaluation={alert.last_evaluation} />
                    <span className="muted alert-sub">evaluated {formatTimestamp(alert.last_evaluation.evaluated_at)}</span>
                  </td>
                  <td className="wrap">
                    {alert.notifications.length === 0 ? (
                      <span className="muted">none sent</span>
                    ) : (
                      <ul className="deliveries">
                        {alert.notifications.map((n, i) => (
                          <li key={n.id ?? i}>
                            {n.event} → <span className="delivery-url">{n.url}</span>: <span className={`status-pill ${deliveryClass[n.status] ?? 'status-muted'}`}>{n.status}</span>{' '}
                            <span className="muted">
                              {n.attempts} attempt{n.attempts === 1 ? '' : 's'}
                              {n.http_status !== null && `, HTTP ${n.http_status}`}
                              {n.error !== null && `, ${n.error}`}, {formatTimestamp(n.at)}
                            </span>
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
