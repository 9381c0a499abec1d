import type { MetricName, MetricSeries } from '../../health-api.ts';
import { formatMetric, formatWindowStart, hasField } from '../../health-series.ts';
import { formatCount } from '../../format.ts';

/** Every window of a series as numbers, the chart's accessible twin; gaps say why they have no value. */
export function MetricTable({ series, caption }: { series: MetricSeries; caption: string }) {
  const metric: MetricName = series.metric;
  const points = series.points;
  const f = (v: number | null) => formatMetric(metric, v);
  const showBand = hasField(points, 'lower');
  const showSmoothed = hasField(points, 'smoothed');
  const showAdjusted = hasField(points, 'adjusted');
  const showEstimate = hasField(points, 'estimated');
  const showResidual = hasField(points, 'residual');
  const showFactors = points.some((p) => p.factors !== null);
  return (
    <div className="table-scroll">
      <table className="models-table health-table" data-metric={metric}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Window (UTC)</th>
            <th scope="col" className="num">
              Predictions
            </th>
            <th scope="col" className="num">
              Labelled
            </th>
            <th scope="col" className="num">
              Value
            </th>
            {showBand && (
              <th scope="col" className="num">
                95% band
              </th>
            )}
            {showSmoothed && (
              <>
                <th scope="col" className="num">
                  Smoothed
                </th>
                <th scope="col" className="num">
                  Control limits
                </th>
              </>
            )}
            {showAdjusted && (
              <th scope="col" className="num">
                Adjusted
              </th>
            )}
            {showResidual && (
              <th scope="col" className="num">
                Residual
              </th>
            )}
            {showFactors && <th scope="col">Known factors</th>}
            {showEstimate && (
              <th scope="col" className="num">
                Label-free estimate
              </th>
            )}
            <th scope="col">Note</th>
          </tr>
        </thead>
        <tbody>
          {points.map((p) => (
            <tr key={p.start} data-start={p.start} className={p.alert ? 'health-alert-row' : undefined}>
              <th scope="row">{formatWindowStart(p.start, series.window)}</th>
              <td className="num">{formatCount(p.n)}</td>
              <td className="num">{formatCount(p.labelled)}</td>
              <td className="num" data-field="value">
                {f(p.value)}
              </td>
              {showBand && <td className="num">{p.lower === null || p.upper === null ? '—' : `${f(p.lower)} – ${f(p.upper)}`}</td>}
              {showSmoothed && (
                <>
                  <td className="num" data-field="smoothed">
                    {f(p.smoothed)}
                  </td>
                  <td className="num">{p.control_lower === null || p.control_upper === null ? '—' : `${f(p.control_lower)} – ${f(p.control_upper)}`}</td>
                </>
              )}
              {showAdjusted && (
                <td className="num" data-field="adjusted">
                  {f(p.adjusted)}
                </td>
              )}
              {showResidual && <td className="num">{f(p.residual)}</td>}
              {showFactors && (
                <td>
                  {p.factors === null
                    ? '—'
                    : Object.entries(p.factors)
                        .map(([name, v]) => `${name} ${v === null ? '—' : String(Number(v.toPrecision(3)))}`)
                        .join(', ')}
                </td>
              )}
              {showEstimate && (
                <td className="num">
                  {f(p.estimated)}
                  {p.estimated_lower !== null && p.estimated_upper !== null && (
                    <span className="muted">
                      {' '}
                      ({f(p.estimated_lower)} – {f(p.estimated_upper)})
                    </span>
                  )}
                </td>
              )}
              <td className="health-note">
                {p.alert && <strong className="verdict-drift">Alert. </strong>}
                {p.value === null ? `No value: ${p.detail ?? p.reason ?? 'no data'}` : p.sampled ? 'Sampled rows' : ''}
                {p.estimated === null && p.estimate_reason !== null && ` No estimate: ${p.estimate_reason}`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
