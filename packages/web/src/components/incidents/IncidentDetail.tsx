import { useCallback, useState } from 'react';
import type { Access } from '../../api.ts';
import { formatCount, formatShare, formatStatistic, formatTimestamp } from '../../format.ts';
import { failureTypeTitle, fetchIncident, formatSlice, type Diagnosis, type Incident } from '../../incidents-api.ts';
import { useAsync } from '../../use-async.ts';
import { ErrorNotice } from '../ErrorNotice.tsx';
import { ConfirmPanel } from './ConfirmPanel.tsx';
import { ExplanationsTable } from './ExplanationsTable.tsx';
import { ExportPanel } from './ExportPanel.tsx';
import { FailureTypes } from './FailureTypes.tsx';
import { formatRelativeChange } from './incident-format.ts';
import { formatIncidentWindow } from './incident-windows.ts';
import { SampleRows } from './SampleRows.tsx';

interface IncidentDetailProps {
  access: Access;
  id: string;
  isAdmin: boolean;
  onBack: () => void;
}

/** One incident: what was compared, the ranked explanations, the failure type, the rows, export and confirmation. */
export function IncidentDetail({ access, id, isAdmin, onBack }: IncidentDetailProps) {
  const load = useCallback((signal: AbortSignal) => fetchIncident(access, id, signal), [access, id]);
  const loaded = useAsync(load);
  const [updated, setUpdated] = useState<Incident | null>(null);
  const incident = updated ?? loaded.data;

  const back = (
    <button type="button" className="link back-link" onClick={onBack}>
      ← All incidents
    </button>
  );
  if (loaded.error !== undefined) {
    return (
      <>
        {back}
        <ErrorNotice title="Could not load the incident" error={loaded.error}>
          <p>It may belong to another project, or the link may be cut short. Go back to the list and pick one.</p>
        </ErrorNotice>
      </>
    );
  }
  if (!incident) {
    return (
      <>
        {back}
        <p className="muted" aria-busy="true">
          Loading the incident…
        </p>
      </>
    );
  }
  const d = incident.diagnosis;
  return (
    <div className="incident-detail" data-incident={incident.id}>
      {back}
      <section className="card incident-header" aria-labelledby="incident-title">
        <h2 id="incident-title">
          Incident on <span className="model-name">{incident.model}</span>
          {incident.confirmed !== null && <span className="status-pill status-confirmed">Confirmed</span>}
        </h2>
        <p className="muted">
          Opened {formatTimestamp(incident.opened_at)}
          {incident.trigger.kind === 'monitor' ? ` by monitor ${incident.trigger.monitor_id}` : ' by hand'}.
        </p>
        <dl className="stats">
          <div>
            <dt>Reference window</dt>
            <dd className="time">{formatIncidentWindow(incident.reference)}</dd>
          </div>
          <div>
            <dt>Current window</dt>
            <dd className="time">{formatIncidentWindow(incident.current)}</dd>
          </div>
          <div>
            <dt>Labelled rows</dt>
            <dd className="time">
              {formatCount(incident.rows.reference)} → {formatCount(incident.rows.current)}
              {incident.rows.sampled && <span className="muted"> (a deterministic sample)</span>}
            </dd>
          </div>
        </dl>
      </section>
      {d === null ? (
        <div className="notice notice-info" role="note">
          <strong>Not diagnosed.</strong>
          <p>{(incident.reason ?? 'the windows held no labelled rows').replace(/^not diagnosed: /, '')}</p>
          <p>The diagnosis needs labelled predictions in both windows. Labels often arrive later than predictions: once they have, open a new incident on the same windows.</p>
        </div>
      ) : (
        <DiagnosisView diagnosis={d} />
      )}
      {d !== null && (
        <section className="card" aria-labelledby="samples-title">
          <h2 id="samples-title">Failing rows of the current window</h2>
          <SampleRows title="The worst" description="The costliest errors (by the model's cost matrix when it has one, else by log loss or absolute error)." rows={incident.sample_rows.worst} />
          <SampleRows title="A random few" description="A seeded random sample of the failing rows, to see the typical failure rather than the extreme." rows={incident.sample_rows.random} />
        </section>
      )}
      <ExportPanel access={access} incidentId={incident.id} slice={d?.root_causes[0] ?? null} />
      <ConfirmPanel access={access} incident={incident} isAdmin={isAdmin} onConfirmed={setUpdated} />
    </div>
  );
}

function DiagnosisView({ diagnosis: d }: { diagnosis: Diagnosis }) {
  const search = d.root_cause_search;
  const top = d.failure_types[0];
  const p = d.performance;
  return (
    <>
      <section className="card summary" aria-label="Summary of the diagnosis">
        <dl className="stats">
          <div>
            <dt>{p.metric}</dt>
            <dd>
              {formatStatistic(p.reference)} → {formatStatistic(p.current)} <span className="muted change">{formatRelativeChange(p.reference, p.current)}</span>
            </dd>
          </div>
          <div>
            <dt>p-value (worse)</dt>
            <dd>{formatStatistic(p.pValue)}</dd>
          </div>
          <div>
            <dt>Failure type</dt>
            <dd className="top-failure-type">{top ? `${failureTypeTitle(top.type)} (${formatShare(top.likelihood)})` : '—'}</dd>
          </div>
          <div>
            <dt>Root causes explain</dt>
            <dd>{search ? formatShare(search.root_cause_share) : '—'}</dd>
          </div>
        </dl>
      </section>

      <section className="card" aria-labelledby="explanations-title">
        <h2 id="explanations-title">Ranked explanations</h2>
        {search === null ? (
          <p className="muted">The root-cause search did not run: the windows have no dimension to split the change by.</p>
        ) : (
          <>
            <p className="muted">
              {search.change.baseline === search.change.current
                ? 'The error did not change.'
                : `The ${p.metric} went from ${formatStatistic(search.change.baseline)} to ${formatStatistic(search.change.current)} (${search.change.delta >= 0 ? '+' : ''}${formatStatistic(search.change.delta)}).`}{' '}
              Explained share: how much of that change disappears when the slice alone is put back as it was. Posterior: the prior (proximal
              dimensions and confirmed causes weigh more) times how well the slice accounts for the data.
            </p>
            {search.note !== null && (
              <p className="notice notice-info" role="note">
                {search.note}
              </p>
            )}
            <p>
              Root causes:{' '}
              {search.root_causes.length === 0 ? (
                <span className="muted">none cleared the noise floor</span>
              ) : (
                <strong className="slice-text root-causes">{search.root_causes.map((r) => formatSlice(r)).join('; ')}</strong>
              )}
              {search.root_causes.length > 0 && <> — together {formatShare(search.root_cause_share)} of the change.</>}
            </p>
            {search.decomposition.dimension !== null && search.decomposition.mix !== null && search.decomposition.rate !== null && (
              <p className="muted">
                Along <span className="slice-text">{search.decomposition.dimension}</span>: change of mix {formatStatistic(search.decomposition.mix)}, change of
                rate {formatStatistic(search.decomposition.rate)} (Kitagawa)
                {d.mix_share !== null && <>; a change of mix accounts for {formatShare(d.mix_share)} of the change</>}.
              </p>
            )}
            {search.explanations.length === 0 ? <p className="muted">No explanation was found.</p> : <ExplanationsTable explanations={search.explanations} rootCauses={search.root_causes} />}
            <h3>Ruled-out rivals</h3>
            {search.ruled_out.length === 0 ? (
              <p className="muted ruled-out-empty">No rival was ruled out: every candidate above is still consistent with the data.</p>
            ) : (
              <ul className="ruled-out">
                {search.ruled_out.map((r, i) => (
                  <li key={i}>
                    <span className="slice-text">{formatSlice(r.slice)}</span>: {r.reason}
                  </li>
                ))}
              </ul>
            )}
            <p className="muted">Dimensions searched: {search.dimensions.join(', ') || '—'}.</p>
          </>
        )}
      </section>

      <section className="card" aria-labelledby="failure-types-title">
        <h2 id="failure-types-title">Failure type</h2>
        <p className="muted">Which of the six ways models fail the evidence points to, by rules you can read: each type scores the detectors' findings for and against it.</p>
        <FailureTypes verdicts={d.failure_types} />
      </section>

      <section className="card" aria-labelledby="detectors-title">
        <h2 id="detectors-title">Detectors</h2>
        <div className="table-scroll">
          <table className="models-table detector-table">
            <caption className="visually-hidden">Performance, reference against current</caption>
            <thead>
              <tr>
                <th scope="col">Metric</th>
                <th scope="col" className="num">
                  Reference
                </th>
                <th scope="col" className="num">
                  Current
                </th>
                <th scope="col" className="num">
                  Change
                </th>
                <th scope="col" className="num">
                  p-value (worse)
                </th>
              </tr>
            </thead>
            <tbody>
              {p.metrics.map((m) => (
                <tr key={m.metric}>
                  <th scope="row">{m.metric}</th>
                  <td className="num">{formatStatistic(m.reference)}</td>
                  <td className="num">{formatStatistic(m.current)}</td>
                  <td className="num">{formatRelativeChange(m.reference, m.current)}</td>
                  <td className="num">{formatStatistic(m.p_value)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className="muted">
          {formatCount(p.reference_rows)} reference and {formatCount(p.current_rows)} current labelled rows ({d.task}).
        </p>
        <h3>Data quality</h3>
        {d.data_quality.length === 0 ? (
          <p className="muted">No finding: missing, NaN, zero and infinite shares steady, types unchanged, no new categories or out-of-range values.</p>
        ) : (
          <ul className="quality-findings">
            {d.data_quality.map((f, i) => (
              <li key={i}>
                <strong>{f.column ?? 'all columns'}</strong> <span className="badge">{f.finding.replaceAll('_', ' ')}</span> {f.detail}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
