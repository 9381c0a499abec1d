import { ApiError } from '../../api.ts';
import type { MetricSeries } from '../../health-api.ts';
import { formatMetric, formatWindowStart, gaps, latestWithValue } from '../../health-series.ts';
import type { AsyncState } from '../../use-async.ts';
import { ErrorNotice } from '../ErrorNotice.tsx';
import { GapList } from './GapList.tsx';
import { MetricChart, MetricLegend, presentLayers, type Layer } from './MetricChart.tsx';
import { MetricTable } from './MetricTable.tsx';
import { SeriesNotes } from './SeriesNotes.tsx';

export type CostLayout = 'overlay' | 'split';

interface BusinessCostPanelProps {
  model: string;
  series: AsyncState<MetricSeries>;
  layout: CostLayout;
  onLayout: (layout: CostLayout) => void;
  settingsHref: string;
  onSettings: () => void;
}

const overlayLayers: Layer[] = ['band', 'value', 'control', 'smoothed', 'adjusted', 'estimated', 'alerts'];

/** The output metric: business cost of errors per 1,000 predictions, raw with its band, smoothed with control limits, adjusted. */
export function BusinessCostPanel({ model, series, layout, onLayout, settingsHref, onSettings }: BusinessCostPanelProps) {
  const title = 'Business cost of errors per 1,000 predictions';
  return (
    <section className="card health-output" aria-labelledby="health-cost-title">
      <div className="health-panel-head">
        <h2 id="health-cost-title">
          {title} <span className="badge">output</span>
        </h2>
        <div className="health-layout" role="group" aria-label="Chart layout">
          <button type="button" className="preset" aria-pressed={layout === 'overlay'} onClick={() => onLayout('overlay')}>
            Overlaid
          </button>
          <button type="button" className="preset" aria-pressed={layout === 'split'} onClick={() => onLayout('split')}>
            Side by side
          </button>
        </div>
      </div>
      <p className="muted">
        What the model's false negatives and false positives cost per 1,000 predictions, from the cost matrix of the project config. The metrics below
        are its inputs.
      </p>
      {series.error !== undefined && <CostError model={model} error={series.error} settingsHref={settingsHref} onSettings={onSettings} />}
      {series.loading && !series.data && (
        <p className="muted" aria-busy="true">
          Computing the business cost per window…
        </p>
      )}
      {series.data && <CostBody series={series.data} layout={layout} busy={series.loading} />}
    </section>
  );
}

function CostError({ model, error, settingsHref, onSettings }: { model: string; error: unknown; settingsHref: string; onSettings: () => void }) {
  const costMatrix = error instanceof ApiError && error.status === 400 && /cost/i.test(error.message);
  return (
    <ErrorNotice title={costMatrix ? `The cost matrix of ${model} is incomplete` : 'Could not compute the business cost'} error={error}>
      {costMatrix && (
        <p>
          Set the missing cost in the project config's <code>models[].cost</code> (false_negative and false_positive for a classifier) on{' '}
          <a
            href={settingsHref}
            onClick={(event) => {
              if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
              event.preventDefault();
              onSettings();
            }}
          >
            Settings
          </a>
          .
        </p>
      )}
    </ErrorNotice>
  );
}

function CostBody({ series, layout, busy }: { series: MetricSeries; layout: CostLayout; busy: boolean }) {
  const points = series.points;
  const adjusted = series.adjustment?.applied === true;
  const layers = presentLayers(points, adjusted ? overlayLayers : overlayLayers.filter((l) => l !== 'adjusted'));
  const latest = latestWithValue(points);
  const alerts = points.filter((p) => p.alert).length;
  const label = (what: string) => `${what} of the business cost per 1,000 predictions per ${series.window}, ${series.from.slice(0, 10)} to ${series.to.slice(0, 10)} (UTC)`;
  return (
    <div aria-busy={busy}>
      {latest === null ? (
        <p className="notice notice-info" role="note">
          No window in this range has enough labelled predictions for a value (at least {series.min_sample}). Pick a longer range or a longer window, or send
          labels for these predictions.
        </p>
      ) : (
        <dl className="stats health-latest">
          <div>
            <dt>Latest ({formatWindowStart(latest.start, series.window)})</dt>
            <dd data-testid="cost-latest">{formatMetric('business_cost_per_1k', latest.value)}</dd>
          </div>
          {latest.smoothed !== null && (
            <div>
              <dt>Smoothed</dt>
              <dd>{formatMetric('business_cost_per_1k', latest.smoothed)}</dd>
            </div>
          )}
          {latest.control_lower !== null && latest.control_upper !== null && (
            <div>
              <dt>Control limits</dt>
              <dd>
                {formatMetric('business_cost_per_1k', latest.control_lower)} – {formatMetric('business_cost_per_1k', latest.control_upper)}
              </dd>
            </div>
          )}
          {adjusted && latest.adjusted !== null && (
            <div>
              <dt>Adjusted</dt>
              <dd>{formatMetric('business_cost_per_1k', latest.adjusted)}</dd>
            </div>
          )}
          <div>
            <dt>Alerts in range</dt>
            <dd className={alerts > 0 ? 'verdict-drift' : 'verdict-ok'}>{alerts === 0 ? 'None' : alerts}</dd>
          </div>
        </dl>
      )}
      {layout === 'overlay' ? (
        <>
          <MetricLegend layers={layers} />
          <MetricChart metric="business_cost_per_1k" window={series.window} points={points} layers={layers} height={300} label={label('Raw, smoothed and adjusted values')} />
        </>
      ) : (
        <div className="health-split">
          <SplitChart title="Raw, with its 95% band" series={series} layers={presentLayers(points, ['band', 'value', 'estimated'])} label={label('Raw values')} />
          <SplitChart title="Smoothed, with control limits" series={series} layers={presentLayers(points, ['control', 'smoothed', 'alerts'])} label={label('Smoothed values')} />
          {adjusted ? (
            <SplitChart title="Adjusted for seasonality and known factors" series={series} layers={presentLayers(points, ['adjusted'])} label={label('Adjusted values')} />
          ) : (
            <div>
              <h3>Adjusted</h3>
              <p className="muted">{series.adjustment === null ? 'No adjustment chosen.' : `Not adjusted: ${series.adjustment.reason}`}</p>
            </div>
          )}
        </div>
      )}
      <GapList gaps={gaps(points)} window={series.window} />
      <SeriesNotes series={series} />
      <details className="health-numbers">
        <summary>Numbers per window</summary>
        <MetricTable series={series} caption="Business cost of errors per 1,000 predictions, per window" />
      </details>
    </div>
  );
}

function SplitChart({ title, series, layers, label }: { title: string; series: MetricSeries; layers: Layer[]; label: string }) {
  return (
    <div>
      <h3>{title}</h3>
      <MetricLegend layers={layers} />
      <MetricChart metric="business_cost_per_1k" window={series.window} points={series.points} layers={layers} height={200} label={label} />
    </div>
  );
}
