import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { Access, ModelSummary } from '../../api.ts';
import { formatTimestamp } from '../../format.ts';
import { openIncident, type Incident } from '../../incidents-api.ts';
import { firstDays, lastDays, overlaps, type DayWindow } from '../../time-range.ts';
import { ErrorNotice } from '../ErrorNotice.tsx';
import { daysBefore, isDayWindow, precedingWindow } from './incident-windows.ts';

interface OpenIncidentFormProps {
  access: Access;
  models: readonly ModelSummary[];
  /** The model to start with (the page's `?model=`). */
  initialModel: string | null;
  onOpened: (incident: Incident) => void;
}

const defaultDays = 7;

interface Preset {
  label: string;
  reference: DayWindow;
  current: DayWindow;
}

/** The form's presets for a model's data; the first is the default: its last 7 days against the 7 before. */
function presetsFor(model: ModelSummary | undefined): Preset[] {
  if (!model || model.first_timestamp === null || model.last_timestamp === null) return [];
  const first = model.first_timestamp;
  const last = model.last_timestamp;
  const lastWeek = lastDays(first, last, defaultDays);
  const lastDay = lastDays(first, last, 1);
  return [
    { label: `Last ${defaultDays} days vs the ${defaultDays} before`, reference: precedingWindow(lastWeek), current: lastWeek },
    { label: `Last day vs the ${defaultDays} before`, reference: daysBefore(lastDay, defaultDays), current: lastDay },
    { label: 'First 3 days vs last 3 days of data', reference: firstDays(first, last, 3), current: lastDays(first, last, 3) },
  ];
}

/**
 * "Open an incident" (admin): a model and two day windows. Opening runs the whole diagnosis on the server
 * (export of both windows, detectors, root-cause search), which takes seconds: the form says so while it runs.
 */
export function OpenIncidentForm({ access, models, initialModel, onOpened }: OpenIncidentFormProps) {
  const ids = { model: useId(), refFrom: useId(), refTo: useId(), curFrom: useId(), curTo: useId() };
  const [model, setModel] = useState(() => (initialModel !== null && models.some((m) => m.model === initialModel) ? initialModel : (models[0]?.model ?? '')));
  const summary = models.find((m) => m.model === model);
  const presets = presetsFor(summary);
  const [reference, setReference] = useState<DayWindow>(() => presets[0]?.reference ?? { from: '', to: '' });
  const [current, setCurrent] = useState<DayWindow>(() => presets[0]?.current ?? { from: '', to: '' });
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [startedAt, setStartedAt] = useState<number | null>(null);
  const [elapsedSeconds, setElapsedSeconds] = useState(0);
  const controller = useRef<AbortController | null>(null);

  useEffect(() => () => controller.current?.abort(), []);
  useEffect(() => {
    if (startedAt === null) return;
    const timer = setInterval(() => setElapsedSeconds(Math.round((Date.now() - startedAt) / 1000)), 1000);
    return () => clearInterval(timer);
  }, [startedAt]);

  const chooseModel = (next: string) => {
    setModel(next);
    const preset = presetsFor(models.find((m) => m.model === next))[0];
    if (preset) {
      setReference(preset.reference);
      setCurrent(preset.current);
    }
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (model === '') {
      setProblem('Choose a model.');
      return;
    }
    if (!isDayWindow(reference) || !isDayWindow(current)) {
      setProblem('Each window needs two dates, the first on or before the second.');
      return;
    }
    setProblem(null);
    setError(undefined);
    setElapsedSeconds(0);
    setStartedAt(Date.now());
    const abort = new AbortController();
    controller.current = abort;
    try {
      const incident = await openIncident(access, model, reference, current, abort.signal);
      if (!abort.signal.aborted) onOpened(incident);
    } catch (failure) {
      if (!abort.signal.aborted) setError(failure);
    } finally {
      if (!abort.signal.aborted) setStartedAt(null);
    }
  };

  const busy = startedAt !== null;
  const firstDay = summary?.first_timestamp ? new Date(summary.first_timestamp).toISOString().slice(0, 10) : null;
  const dateInput = (id: string, label: string, value: string, onChange: (value: string) => void) => (
    <>
      <label htmlFor={id}>{label}</label>
      <input id={id} type="date" value={value} disabled={busy} onChange={(event) => onChange(event.target.value)} />
    </>
  );

  return (
    <form className="card open-incident" aria-labelledby={`${ids.model}-title`} aria-busy={busy} onSubmit={(event) => void submit(event)}>
      <h2 id={`${ids.model}-title`}>Open an incident</h2>
      <p className="muted">
        Compare a current window with a reference window of one model: Outlay runs the detectors on their labelled rows, searches the slices that
        explain the change of error, and names the failure type the evidence points to.
      </p>
      <div className="open-incident-grid">
        <label htmlFor={ids.model}>Model</label>
        <select id={ids.model} value={model} disabled={busy} onChange={(event) => chooseModel(event.target.value)}>
          {models.map((m) => (
            <option key={m.model} value={m.model}>
              {m.model}
            </option>
          ))}
        </select>
        <span className="muted">
          {summary ? `data from ${formatTimestamp(summary.first_timestamp)} to ${formatTimestamp(summary.last_timestamp)}` : ''}
        </span>
        <fieldset className="window-fields">
          <legend>Reference window</legend>
          {dateInput(ids.refFrom, 'Reference from', reference.from, (from) => setReference({ ...reference, from }))}
          {dateInput(ids.refTo, 'Reference to', reference.to, (to) => setReference({ ...reference, to }))}
        </fieldset>
        <fieldset className="window-fields">
          <legend>Current window</legend>
          {dateInput(ids.curFrom, 'Current from', current.from, (from) => setCurrent({ ...current, from }))}
          {dateInput(ids.curTo, 'Current to', current.to, (to) => setCurrent({ ...current, to }))}
        </fieldset>
      </div>
      <p className="muted">UTC dates, both days included.</p>
      <div className="preset-row" role="group" aria-label="Window presets">
        {presets.map((preset) => (
          <button
            key={preset.label}
            type="button"
            className="preset"
            disabled={busy}
            aria-pressed={preset.reference.from === reference.from && preset.reference.to === reference.to && preset.current.from === current.from && preset.current.to === current.to}
            onClick={() => {
              setReference(preset.reference);
              setCurrent(preset.current);
            }}
          >
            {preset.label}
          </button>
        ))}
      </div>
      {firstDay !== null && isDayWindow(reference) && reference.from < firstDay && (
        <p className="muted" role="note">
          The reference window starts before the model's first prediction ({firstDay}): only its days from then on hold rows.
        </p>
      )}
      {isDayWindow(reference) && isDayWindow(current) && overlaps(reference, current) && (
        <p className="notice notice-info" role="note">
          The two windows overlap, so a change between them is diluted. Pick windows apart.
        </p>
      )}
      {problem !== null && (
        <p className="error-text" role="alert">
          {problem}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Diagnosing…' : 'Open incident'}
        </button>
        {busy && (
          <span className="busy-status" role="status" aria-live="polite">
            <span className="spinner" aria-hidden="true" />
            Exporting both windows and running the diagnosis… {elapsedSeconds} s (usually a few seconds, longer for millions of rows)
          </span>
        )}
      </div>
      {error !== undefined && (
        <ErrorNotice title="Could not open the incident" error={error}>
          <p>Check that both windows hold labelled predictions of this model (the presets always do).</p>
        </ErrorNotice>
      )}
    </form>
  );
}
