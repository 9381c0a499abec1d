import type { MetricName } from '../../health-api.ts';
import { formatMetric, formatMetricChange } from '../../health-series.ts';
import { formatShare } from '../../format.ts';
import type { MixVsRate } from '../../slices-api.ts';
import { barPercent, mixScale } from '../../slices-series.ts';

export const mixColour = '#7048e8';
export const rateColour = '#d9480f';

/** A signed bar on a track centred at zero: left for a fall, right for a rise. */
function SignedBar({ value, scale, colour, text }: { value: number | null; scale: number; colour: string; text: string }) {
  const width = barPercent(value, scale) / 2;
  const negative = value !== null && value < 0;
  return (
    <div className="mix-track">
      <span className="mix-zero" />
      {value !== null && <span className="mix-bar" style={{ background: colour, width: `${width}%`, [negative ? 'right' : 'left']: '50%' }} />}
      <span className="mix-bar-text">{text}</span>
    </div>
  );
}

/** The latest change of the metric split into mix (values' shares moved) and rate (values' own metric moved), per value. */
export function MixRatePanel({ mix, metric, by }: { mix: MixVsRate | null; metric: MetricName; by: string }) {
  return (
    <section className="card slices-mix" aria-labelledby="mix-title">
      <h2 id="mix-title">Mix vs rate: the latest change</h2>
      <p className="muted">
        Did the metric move because the traffic moved between values of <span className="model-name">{by}</span> (mix), or because the values themselves got
        better or worse (rate)? The two parts add up to the change.
      </p>
      {mix === null ? (
        <p className="notice notice-info" role="note">
          No mix-vs-rate decomposition from this server: its /slices answer has no <code>mix_vs_rate</code>. The shares and metrics per value above still tell
          a change of mix (a value's share moves, its metric holds) from a change of performance.
        </p>
      ) : (
        <MixBody mix={mix} metric={metric} />
      )}
    </section>
  );
}

function MixBody({ mix, metric }: { mix: MixVsRate; metric: MetricName }) {
  const f = (v: number | null) => formatMetric(metric, v);
  const signed = (v: number | null) => formatMetricChange(metric, v);
  if (mix.by_value.length === 0 || (mix.change === null && mix.reason !== null)) {
    return (
      <p className="notice notice-info" role="note">
        Not computed{mix.reason !== null ? `: ${mix.reason}` : '.'}
      </p>
    );
  }
  const scale = Math.max(mixScale(mix.by_value), Math.abs(mix.mix ?? 0), Math.abs(mix.rate ?? 0));
  return (
    <>
      <dl className="stats">
        <div>
          <dt>Before{mix.baseline !== null ? ` (${mix.baseline})` : ''}</dt>
          <dd>{f(mix.before)}</dd>
        </div>
        <div>
          <dt>Latest{mix.current !== null ? ` (${mix.current})` : ''}</dt>
          <dd>{f(mix.after)}</dd>
        </div>
        <div>
          <dt>Change</dt>
          <dd data-testid="mix-change">{signed(mix.change)}</dd>
        </div>
        <div>
          <dt>Mix part</dt>
          <dd data-testid="mix-total">{signed(mix.mix)}</dd>
        </div>
        <div>
          <dt>Rate part</dt>
          <dd data-testid="rate-total">{signed(mix.rate)}</dd>
        </div>
      </dl>
      {mix.reason !== null && <p className="muted">{mix.reason}</p>}
      <p className="legend-line">
        <span className="swatch" style={{ background: mixColour }} /> mix part (share moved)
        <span className="swatch" style={{ background: rateColour }} /> rate part (the value's own metric moved)
      </p>
      <div className="table-scroll">
        <table className="models-table mix-table">
          <caption className="visually-hidden">Mix and rate parts of the latest change, per value</caption>
          <thead>
            <tr>
              <th scope="col">Value</th>
              <th scope="col" className="num">
                Share before → latest
              </th>
              <th scope="col" className="num">
                Metric before → latest
              </th>
              <th scope="col">Mix part</th>
              <th scope="col">Rate part</th>
            </tr>
          </thead>
          <tbody>
            {mix.by_value.map((part) => (
              <tr key={part.value} data-value={part.value}>
                <th scope="row" className="model-name">
                  {part.value}
                </th>
                <td className="num">
                  {formatShare(part.share_before)} → {formatShare(part.share_after)}
                </td>
                <td className="num">
                  {f(part.rate_before)} → {f(part.rate_after)}
                </td>
                <td>
                  <SignedBar value={part.mix_part} scale={scale} colour={mixColour} text={signed(part.mix_part)} />
                </td>
                <td>
                  <SignedBar value={part.rate_part} scale={scale} colour={rateColour} text={signed(part.rate_part)} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
