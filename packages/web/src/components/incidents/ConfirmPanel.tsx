import { useId, useState, type FormEvent } from 'react';
import type { Access } from '../../api.ts';
import { formatShare, formatTimestamp } from '../../format.ts';
import { confirmIncident, failureTypes, failureTypeTitle, formatSlice, type FailureVerdict, type Incident } from '../../incidents-api.ts';
import { ErrorNotice } from '../ErrorNotice.tsx';

interface ConfirmPanelProps {
  access: Access;
  incident: Incident;
  isAdmin: boolean;
  onConfirmed: (incident: Incident) => void;
}

const none = '';

/**
 * The confirmed cause: an explanation's slice and/or a failure type, and a note. A confirmed slice raises the
 * prior of its dimensions in later incidents.
 */
export function ConfirmPanel({ access, incident, isAdmin, onConfirmed }: ConfirmPanelProps) {
  const ids = { title: useId(), cause: useId(), type: useId(), note: useId() };
  const explanations = incident.diagnosis?.root_cause_search?.explanations ?? [];
  // Without a diagnosis there are no scored types, but a person who found the cause can still name its type.
  const verdicts: FailureVerdict[] = incident.diagnosis?.failure_types ?? failureTypes.map((type) => ({ type, likelihood: Number.NaN, evidence: [], contradicting: [] }));
  const [editing, setEditing] = useState(false);
  const [cause, setCause] = useState(explanations.length > 0 ? '0' : none);
  const [type, setType] = useState<string>(incident.diagnosis?.failure_types[0]?.type ?? none);
  const [note, setNote] = useState(incident.confirmed?.note ?? '');
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const confirmed = incident.confirmed;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const slice = cause === none ? null : (explanations[Number(cause)]?.slice ?? null);
    const verdict = verdicts.find((v) => v.type === type) ?? null;
    if (slice === null && verdict === null) {
      setProblem('Pick the explanation, the failure type, or both.');
      return;
    }
    setProblem(null);
    setError(undefined);
    setPending(true);
    try {
      const updated = await confirmIncident(access, incident.id, { type: verdict?.type ?? null, cause: slice, note: note.trim() === '' ? null : note.trim() });
      setEditing(false);
      onConfirmed(updated);
    } catch (failure) {
      setError(failure);
    } finally {
      setPending(false);
    }
  };

  return (
    <section className="card confirm-panel" aria-labelledby={ids.title}>
      <h2 id={ids.title}>Confirm the cause</h2>
      {confirmed !== null && (
        <div className="confirmed-box" role="status" aria-label="Confirmed cause">
          <p>
            <span className="status-pill status-confirmed">Confirmed</span> {formatTimestamp(confirmed.at)}
          </p>
          <dl className="confirmed-list">
            <div>
              <dt>Cause</dt>
              <dd className="slice-text">{confirmed.cause === null ? '—' : formatSlice(confirmed.cause)}</dd>
            </div>
            <div>
              <dt>Failure type</dt>
              <dd>{confirmed.type === null ? '—' : failureTypeTitle(confirmed.type)}</dd>
            </div>
            <div>
              <dt>Note</dt>
              <dd className="note-text">{confirmed.note ?? '—'}</dd>
            </div>
          </dl>
        </div>
      )}
      {!isAdmin && confirmed === null && <p className="muted">Not confirmed yet. Sign in with an admin key to confirm the cause.</p>}
      {isAdmin && confirmed !== null && !editing && (
        <button type="button" onClick={() => setEditing(true)}>
          Change the confirmation
        </button>
      )}
      {isAdmin && (confirmed === null || editing) && (
        <form className="confirm-form" onSubmit={(event) => void submit(event)}>
          <p className="muted">What did you find? A confirmed slice weighs its dimensions up in the next incidents' priors.</p>
          <label htmlFor={ids.cause}>Cause (explanation)</label>
          <select id={ids.cause} value={cause} onChange={(event) => setCause(event.target.value)} disabled={pending}>
            <option value={none}>— none —</option>
            {explanations.map((e, i) => (
              <option key={e.rank} value={String(i)}>
                #{e.rank} {formatSlice(e.slice)} (explains {formatShare(e.explained_share)})
              </option>
            ))}
          </select>
          <label htmlFor={ids.type}>Failure type</label>
          <select id={ids.type} value={type} onChange={(event) => setType(event.target.value)} disabled={pending}>
            <option value={none}>— none —</option>
            {verdicts.map((v) => (
              <option key={v.type} value={v.type}>
                {failureTypeTitle(v.type)}
                {Number.isNaN(v.likelihood) ? '' : ` (${formatShare(v.likelihood)})`}
              </option>
            ))}
          </select>
          <label htmlFor={ids.note}>Note</label>
          <textarea id={ids.note} rows={3} value={note} maxLength={10_000} onChange={(event) => setNote(event.target.value)} disabled={pending} placeholder="What you checked, the fix, a ticket link…" />
          {problem !== null && (
            <p className="error-text" role="alert">
              {problem}
            </p>
          )}
          <div className="form-actions">
            <button type="submit" className="primary" disabled={pending}>
              {pending ? 'Saving…' : 'Confirm the cause'}
            </button>
            {editing && (
              <button type="button" onClick={() => setEditing(false)} disabled={pending}>
                Cancel
              </button>
            )}
          </div>
          {error !== undefined && <ErrorNotice title="Could not confirm the cause" error={error} />}
        </form>
      )}
    </section>
  );
}
