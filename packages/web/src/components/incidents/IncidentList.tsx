import { formatShare, formatTimestamp } from '../../format.ts';
import { failureTypeTitle, formatSlice, type IncidentSummary } from '../../incidents-api.ts';
import { formatIncidentWindow } from './incident-windows.ts';

interface IncidentListProps {
  incidents: readonly IncidentSummary[];
  onOpen: (id: string) => void;
}

/** The project's incidents, newest first: one row each, opened by a click. */
export function IncidentList({ incidents, onOpen }: IncidentListProps) {
  return (
    <div className="table-scroll">
      <table className="models-table incident-list">
        <caption className="visually-hidden">Incidents, newest first; select one to see its diagnosis</caption>
        <thead>
          <tr>
            <th scope="col">Opened</th>
            <th scope="col">Model</th>
            <th scope="col">Current window</th>
            <th scope="col">Top cause</th>
            <th scope="col">Failure type</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {incidents.map((incident) => (
            <tr key={incident.id} data-incident={incident.id} onClick={() => onOpen(incident.id)}>
              <th scope="row">
                <button
                  type="button"
                  className="link"
                  onClick={(event) => {
                    event.stopPropagation();
                    onOpen(incident.id);
                  }}
                >
                  {formatTimestamp(incident.opened_at)}
                </button>
                <span className="muted incident-trigger">{incident.trigger.kind === 'monitor' ? `by monitor ${incident.trigger.monitor_id}` : 'opened by hand'}</span>
              </th>
              <td className="model-name">{incident.model}</td>
              <td>{formatIncidentWindow(incident.current)}</td>
              <td className="wrap">{incident.root_causes.length === 0 ? <span className="muted">none found</span> : formatSlice(incident.root_causes[0])}</td>
              <td>
                {incident.failure_type === null ? (
                  <span className="muted">not diagnosed</span>
                ) : (
                  <>
                    {failureTypeTitle(incident.failure_type)} <span className="muted">{formatShare(incident.likelihood)}</span>
                  </>
                )}
              </td>
              <td>
                {incident.confirmed === null ? (
                  <span className="status-pill status-open">Open</span>
                ) : (
                  <span className="status-pill status-confirmed" title={`Confirmed ${formatTimestamp(incident.confirmed.at)}`}>
                    Confirmed
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
