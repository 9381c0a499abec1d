import { formatStatistic, formatTimestamp } from '../../format.ts';
import type { Evaluation } from '../../settings-api.ts';

const evaluationClass: Record<Evaluation['status'], string> = { breach: 'status-bad', ok: 'status-ok', insufficient_data: 'status-warn', error: 'status-bad' };

/** One evaluation as a short line: the status, the value against its limit, the window. */
export function EvaluationLine({ evaluation }: { evaluation: Evaluation }) {
  return (
    <span className="evaluation">
      <span className={`status-pill ${evaluationClass[evaluation.status]}`}>{evaluation.status.replaceAll('_', ' ')}</span>{' '}
      {evaluation.value !== null && (
        <>
          value {formatStatistic(evaluation.value)}
          {evaluation.limit !== null && <> (limit {formatStatistic(evaluation.limit)})</>}{' '}
        </>
      )}
      {evaluation.window_start !== null && <span className="muted">window {formatTimestamp(evaluation.window_start)}</span>}
    </span>
  );
}
