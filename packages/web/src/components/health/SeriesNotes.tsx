import type { MetricSeries } from '../../health-api.ts';
import { formatStatistic } from '../../format.ts';
import { formatMetric } from '../../health-series.ts';

const methodNames = { ewma: 'EWMA', kalman: 'Kalman filter' } as const;

/** How the series was adjusted, smoothed and estimated, in the server's words, and what it could not do. */
export function SeriesNotes({ series, showEstimate = true }: { series: MetricSeries; showEstimate?: boolean }) {
  const { adjustment, smoothing, estimate } = series;
  return (
    <ul className="health-notes">
      {adjustment !== null && (
        <li>
          <strong>Adjustment ({adjustment.asked.join(', ')}):</strong> {adjustment.applied ? adjustment.reason : `not applied: ${adjustment.reason}`}
          {adjustment.applied &&
            adjustment.factors.some((f) => f.coefficient !== null) &&
            ` Known factors: ${adjustment.factors
              .filter((f) => f.coefficient !== null)
              .map((f) => `${f.name} ${formatStatistic(f.coefficient)} per unit`)
              .join(', ')}.`}
        </li>
      )}
      {series.factorsRefused !== null && (
        <li>
          <strong>Known factors not used:</strong> {series.factorsRefused}. The series is adjusted without them.
        </li>
      )}
      {smoothing !== null && (
        <li>
          <strong>Smoothing ({methodNames[smoothing.method]} on the {smoothing.series} series):</strong>{' '}
          {smoothing.status === 'ok'
            ? `target ${formatMetric(series.metric, smoothing.target)} from the first ${smoothing.reference_windows} windows with a value; a point outside the control limits is an alert.`
            : `no control limits: ${smoothing.reason ?? 'not enough windows'}.`}
        </li>
      )}
      {showEstimate && estimate.status === 'sent' && (
        <li>
          <strong>Label-free estimate{estimate.method !== null ? ` (${estimate.method.toUpperCase()})` : ''}:</strong>{' '}
          {estimate.reason ?? 'drawn where windows lack labels, from the calibrated scores.'}
        </li>
      )}
      {showEstimate && estimate.status === 'pending' && (
        <li aria-busy="true">
          <strong>Label-free estimate:</strong> computing…
        </li>
      )}
      {showEstimate && estimate.status === 'unsupported' && (
        <li>
          <strong>Label-free estimate:</strong> no label-free estimate from this server ({estimate.reason}).
        </li>
      )}
      {series.notes
        .filter((note) => !note.startsWith('smoothing:'))
        .map((note) => (
          <li key={note} className="muted">
            {note}
          </li>
        ))}
    </ul>
  );
}
