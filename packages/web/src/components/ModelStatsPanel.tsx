import { useCallback } from 'react';
import { fetchModelStats, type Access } from '../api.ts';
import { formatCount, formatLabelledShare, formatTimestamp } from '../format.ts';
import { usePolling } from '../use-polling.ts';
import { ErrorNotice } from './ErrorNotice.tsx';
import { refreshIntervalMs } from '../refresh-interval.ts';

interface ModelStatsPanelProps {
  access: Access;
  model: string;
  onClose: () => void;
}

export function ModelStatsPanel({ access, model, onClose }: ModelStatsPanelProps) {
  const loadStats = useCallback((signal: AbortSignal) => fetchModelStats(access, model, signal), [access, model]);
  const stats = usePolling(loadStats, refreshIntervalMs);

  return (
    <section className="card stats-panel" aria-labelledby="stats-title">
      <div className="stats-header">
        <h2 id="stats-title">
          <span className="muted">Model</span> <span className="model-name">{model}</span>
        </h2>
        <button type="button" onClick={onClose} aria-label="Close the model panel">
          Close
        </button>
      </div>
      {stats.loading && (
        <p className="muted" aria-busy="true">
          Loading statistics…
        </p>
      )}
      {stats.error !== undefined && <ErrorNotice title="Could not load this model's statistics" error={stats.error} />}
      {stats.data && (
        <dl className="stats">
          <div>
            <dt>Predictions</dt>
            <dd>{formatCount(stats.data.predictions)}</dd>
          </div>
          <div>
            <dt>Labels</dt>
            <dd>{formatCount(stats.data.labels)}</dd>
          </div>
          <div>
            <dt>Labelled share</dt>
            <dd>{formatLabelledShare(stats.data.labels, stats.data.predictions)}</dd>
          </div>
          <div>
            <dt>First prediction</dt>
            <dd className="time">{formatTimestamp(stats.data.first_timestamp)}</dd>
          </div>
          <div>
            <dt>Last prediction</dt>
            <dd className="time">{formatTimestamp(stats.data.last_timestamp)}</dd>
          </div>
        </dl>
      )}
    </section>
  );
}
