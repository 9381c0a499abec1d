import type { MetricWindow } from '../../health-api.ts';
import { formatWindowStart, type Gap } from '../../health-series.ts';

const shown = 4;

/** Windows drawn as gaps, each with the server's reason: a gap is missing data, never a zero. */
export function GapList({ gaps, window }: { gaps: readonly Gap[]; window: MetricWindow }) {
  if (gaps.length === 0) return null;
  return (
    <div className="health-gaps" role="note">
      <strong>
        {gaps.length === 1 ? '1 window has' : `${gaps.length} windows have`} no value and {gaps.length === 1 ? 'is' : 'are'} drawn as a gap, not as zero:
      </strong>
      <ul>
        {gaps.slice(0, shown).map((gap) => (
          <li key={gap.start}>
            {formatWindowStart(gap.start, window)}: {gap.reason === 'insufficient_data' ? 'insufficient data' : gap.reason}
            {gap.detail !== null && ` (${gap.detail})`}
          </li>
        ))}
        {gaps.length > shown && <li>… and {gaps.length - shown} more, listed in the numbers below.</li>}
      </ul>
    </div>
  );
}
