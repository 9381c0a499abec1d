import type { FunnelReport } from '../../health-api.ts';
import { formatCount, formatShare } from '../../format.ts';
import type { AsyncState } from '../../use-async.ts';
import { ErrorNotice } from '../ErrorNotice.tsx';

/** The system's stages in order, each with its pass rate in the latest window, under the end-to-end rate they multiply into. */
export function FunnelPanel({ funnel, stages }: { funnel: AsyncState<FunnelReport>; stages: readonly string[] }) {
  return (
    <section className="card health-funnel" aria-labelledby="health-funnel-title">
      <h2 id="health-funnel-title">
        System funnel <span className="badge">stages</span>
      </h2>
      <p className="muted">
        The stages of the project config ({stages.join(' → ')}), in order. The end-to-end rate is the product of the stage pass rates; the latest change is
        split between them.
      </p>
      {funnel.error !== undefined && (
        <ErrorNotice title="Could not load the funnel" error={funnel.error}>
          <p>Each prediction reports its stage outcomes in its `stage` map (e.g. {'{"stage": {"detect": true}}'}).</p>
        </ErrorNotice>
      )}
      {funnel.loading && !funnel.data && (
        <p className="muted" aria-busy="true">
          Counting stage outcomes…
        </p>
      )}
      {funnel.data && <FunnelBody report={funnel.data} />}
    </section>
  );
}

function FunnelBody({ report }: { report: FunnelReport }) {
  const latest = report.windows.at(-1);
  if (latest === undefined) return <p className="muted">No stage outcomes in this range.</p>;
  const change = report.latest_change;
  return (
    <>
      <dl className="stats">
        <div>
          <dt>End-to-end rate, latest window</dt>
          <dd>{formatShare(latest.end_to_end)}</dd>
        </div>
        {change !== null && (
          <div>
            <dt>Before (earlier windows)</dt>
            <dd>{formatShare(change.before)}</dd>
          </div>
        )}
      </dl>
      <ol className="health-funnel-stages">
        {latest.stages.map((stage) => {
          const moved = change?.stages.find((s) => s.stage === stage.stage);
          return (
            <li key={stage.stage} className="health-funnel-stage">
              <strong className="model-name">{stage.stage}</strong>
              <span className="health-funnel-rate">{formatShare(stage.pass_rate)}</span>
              <span className="muted">
                {stage.lower !== null && stage.upper !== null ? `95% ${formatShare(stage.lower)} – ${formatShare(stage.upper)}; ` : ''}
                {formatCount(stage.output)} of {formatCount(stage.input)} passed
              </span>
              {moved?.share_of_change !== null && moved?.share_of_change !== undefined && (
                <span className="muted">{formatShare(moved.share_of_change)} of the latest change</span>
              )}
            </li>
          );
        })}
      </ol>
      {change?.residual_share !== null && change?.residual_share !== undefined && (
        <p className="muted">{formatShare(change.residual_share)} of the change comes from rows entering or leaving between stages.</p>
      )}
    </>
  );
}
