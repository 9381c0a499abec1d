import { useId, useState } from 'react';
import type { Access } from '../../api.ts';
import { formatCount } from '../../format.ts';
import { downloadExport, formatSlice, type DownloadedExport, type ExportRequest, type Slice } from '../../incidents-api.ts';
import { ErrorNotice } from '../ErrorNotice.tsx';

interface ExportPanelProps {
  access: Access;
  incidentId: string;
  /** The first root cause, which a slice export narrows to; null when the search found none. */
  slice: Slice | null;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Download a window of the incident (by default the rows of its first root cause) to reproduce or re-score it. */
export function ExportPanel({ access, incidentId, slice }: ExportPanelProps) {
  const name = useId();
  const [windowName, setWindowName] = useState<ExportRequest['window']>('current');
  const [onlySlice, setOnlySlice] = useState(slice !== null);
  const [pending, setPending] = useState<ExportRequest['format'] | null>(null);
  const [result, setResult] = useState<(DownloadedExport & { requestedSlice: boolean }) | null>(null);
  const [error, setError] = useState<unknown>(undefined);

  const download = async (format: ExportRequest['format']) => {
    setPending(format);
    setError(undefined);
    setResult(null);
    try {
      const downloaded = await downloadExport(access, incidentId, { window: windowName, format, slice: onlySlice });
      setResult({ ...downloaded, requestedSlice: onlySlice });
    } catch (failure) {
      setError(failure);
    } finally {
      setPending(null);
    }
  };

  return (
    <section className="card export-panel" aria-labelledby={`${name}-title`}>
      <h2 id={`${name}-title`}>Export the rows</h2>
      <p className="muted">The window's rows (features, prediction, score, label) as a file, to replay the degradation or re-score it with a new model.</p>
      <div className="export-options">
        <fieldset>
          <legend>Window</legend>
          <label>
            <input type="radio" name={`${name}-window`} checked={windowName === 'current'} onChange={() => setWindowName('current')} /> current
          </label>
          <label>
            <input type="radio" name={`${name}-window`} checked={windowName === 'reference'} onChange={() => setWindowName('reference')} /> reference
          </label>
        </fieldset>
        <fieldset>
          <legend>Rows</legend>
          <label>
            <input type="radio" name={`${name}-rows`} checked={onlySlice} disabled={slice === null} onChange={() => setOnlySlice(true)} /> the slice{' '}
            <span className="slice-text">{slice === null ? '(none found)' : formatSlice(slice)}</span>
          </label>
          <label>
            <input type="radio" name={`${name}-rows`} checked={!onlySlice} onChange={() => setOnlySlice(false)} /> the whole window
          </label>
        </fieldset>
      </div>
      <div className="form-actions">
        <button type="button" className="primary" disabled={pending !== null} onClick={() => void download('csv')}>
          {pending === 'csv' ? 'Preparing CSV…' : 'Download CSV'}
        </button>
        <button type="button" disabled={pending !== null} onClick={() => void download('parquet')}>
          {pending === 'parquet' ? 'Preparing Parquet…' : 'Download Parquet'}
        </button>
        {pending !== null && (
          <span className="busy-status" role="status">
            <span className="spinner" aria-hidden="true" />
            Reading the window from the store…
          </span>
        )}
      </div>
      {result !== null && (
        <p className="export-result" role="status">
          Downloaded <strong>{result.fileName}</strong>: {result.rows === null ? 'rows not counted' : `${formatCount(result.rows)} rows`}
          {result.slice !== null ? ` of ${formatSlice(result.slice)}` : ' (the whole window)'}, {formatBytes(result.bytes)}.
          {result.requestedSlice && result.slice === null && ' The slice could not be applied as a filter (a value such as "below range" or "(missing)"), so the file holds the whole window.'}
        </p>
      )}
      {error !== undefined && <ErrorNotice title="Could not export the rows" error={error} />}
    </section>
  );
}
