import { useCallback, useMemo } from 'react';
import type { Access } from '../api.ts';
import { BusinessCostPanel, type CostLayout } from '../components/health/BusinessCostPanel.tsx';
import { FunnelPanel } from '../components/health/FunnelPanel.tsx';
import { HealthControls } from '../components/health/HealthControls.tsx';
import { InputMetricPanel } from '../components/health/InputMetricPanel.tsx';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { ModelPage } from '../components/ModelPage.tsx';
import { TimeRangePicker } from '../components/TimeRangePicker.tsx';
import { formatCount, formatShare, formatTimestamp } from '../format.ts';
import { fetchFunnel, fetchMetricSeries, fetchProjectConfig, type MetricName, type MetricSeries, type MetricWindow, type ProjectConfigSummary } from '../health-api.ts';
import { adjustParam, formatMetric, latestWithValue, overallCoverage, parseAdjust, parseMetricWindow, parseSmoothing, withEstimate } from '../health-series.ts';
import { useQueryParam, writeQueryParams } from '../query-param.ts';
import type { DayWindow } from '../time-range.ts';
import { useModelRange } from '../use-model-range.ts';
import { useAsync, type AsyncState } from '../use-async.ts';
import './health-page.css';

interface HealthPageProps {
  access: Access;
  project: string;
}

const defaultDays = 30;

/** Model health in money: the business cost of errors (raw, smoothed, adjusted) above its input metrics and the system's funnel. */
export function HealthPage({ access, project }: HealthPageProps) {
  return (
    <ModelPage
      access={access}
      project={project}
      className="health-page"
      title="Model health"
      intro="How well the model does, in money: the business cost of its errors per window, smoothed and adjusted for seasonality and known factors, above the metrics it is made of."
      perModel={['from', 'to']}
    >
      {(model) => <ModelHealth key={`${project}\u0000${model}`} access={access} model={model} />}
    </ModelPage>
  );
}

function ModelHealth({ access, model }: { access: Access; model: string }) {
  const { stats, presets: defaults, range } = useModelRange(access, model, defaultDays);
  const loadConfig = useCallback((signal: AbortSignal) => fetchProjectConfig(access, signal), [access]);
  const config = useAsync(loadConfig);

  if (stats.error !== undefined) {
    return (
      <ErrorNotice title={`Could not load the statistics of ${model}`} error={stats.error}>
        <p>Choose one of the project's models in the list above.</p>
      </ErrorNotice>
    );
  }
  if (stats.loading || !stats.data) {
    return (
      <p className="muted" aria-busy="true">
        Loading {model}…
      </p>
    );
  }
  if (defaults === null || range === null) {
    return (
      <section className="card">
        <h2>No predictions for {model} yet</h2>
        <p>Send predictions for this model, then labels for them: its health is computed per window from both.</p>
      </section>
    );
  }
  return (
    <>
      <p className="muted">
        {model}: {formatCount(stats.data.predictions)} predictions, {formatCount(stats.data.labels)} with a label, from {formatTimestamp(stats.data.first_timestamp)} to{' '}
        {formatTimestamp(stats.data.last_timestamp)}.
      </p>
      <HealthBody
        access={access}
        model={model}
        range={range}
        presets={[
          { label: 'Last 7 days of data', window: defaults.week },
          { label: `Last ${defaultDays} days of data`, window: defaults.recent },
          { label: 'All data', window: defaults.all },
        ]}
        config={config}
      />
    </>
  );
}

interface HealthBodyProps {
  access: Access;
  model: string;
  range: DayWindow;
  presets: { label: string; window: DayWindow }[];
  config: AsyncState<ProjectConfigSummary>;
}

function useMetricSeries(access: Access, model: string, metric: MetricName, window: MetricWindow, range: DayWindow, smooth: ReturnType<typeof parseSmoothing>, adjustKey: string, estimate: boolean): AsyncState<MetricSeries> {
  const load = useCallback(
    (signal: AbortSignal) => fetchMetricSeries(access, model, { metric, window, range, smooth, adjust: adjustKey === '' ? [] : adjustKey.split(','), estimate }, signal),
    [access, model, metric, window, range, smooth, adjustKey, estimate],
  );
  return useAsync(load);
}

function estimated(series: AsyncState<MetricSeries>, estimate: AsyncState<MetricSeries>): AsyncState<MetricSeries> {
  return series.data ? { ...series, data: withEstimate(series.data, estimate) } : series;
}

function HealthBody({ access, model, range, presets, config }: HealthBodyProps) {
  const [windowParam, setWindowParam] = useQueryParam('window');
  const [smoothParam, setSmoothParam] = useQueryParam('smooth');
  const [adjustText, setAdjustText] = useQueryParam('adjust');
  const [layoutParam, setLayoutParam] = useQueryParam('layout');
  const window = parseMetricWindow(windowParam);
  const smooth = parseSmoothing(smoothParam);
  const adjust = useMemo(() => parseAdjust(adjustText), [adjustText]);
  const adjustKey = adjust.join(',');
  const layout: CostLayout = layoutParam === 'split' ? 'split' : 'overlay';
  const modelConfig = config.data?.models.find((m) => m.name === model);
  const knownFactors = modelConfig?.known_factors ?? [];
  const funnelStages = config.data?.funnel.map((s) => s.name) ?? [];

  // The label-free estimate is the slow part and depends on neither smoothing nor adjustment: asked apart.
  const costSeries = useMetricSeries(access, model, 'business_cost_per_1k', window, range, smooth, adjustKey, false);
  const costEstimate = useMetricSeries(access, model, 'business_cost_per_1k', window, range, null, '', true);
  const cost = useMemo(() => estimated(costSeries, costEstimate), [costSeries, costEstimate]);
  const errorSeries = useMetricSeries(access, model, 'error_rate', window, range, smooth, adjustKey, false);
  const errorEstimate = useMetricSeries(access, model, 'error_rate', window, range, null, '', true);
  const errorRate = useMemo(() => estimated(errorSeries, errorEstimate), [errorSeries, errorEstimate]);
  const coverage = useMetricSeries(access, model, 'label_coverage', window, range, smooth, adjustKey, false);
  const volume = useMetricSeries(access, model, 'predictions', window, range, smooth, adjustKey, false);
  const latency = useMetricSeries(access, model, 'latency_p95_ms', window, range, smooth, adjustKey, false);
  const loadFunnel = useCallback((signal: AbortSignal) => fetchFunnel(access, model, window, range, signal), [access, model, window, range]);
  const funnel = useAsync(funnelStages.length > 0 ? loadFunnel : null);

  const settingsUrl = new URL(globalThis.location.href);
  settingsUrl.searchParams.set('page', 'settings');

  return (
    <>
      <div className="card health-toolbar">
        <TimeRangePicker label="Time range" value={range} presets={presets} onChange={(w) => writeQueryParams({ from: w.from, to: w.to })} />
        <HealthControls
          window={window}
          smooth={smooth}
          adjust={adjust}
          knownFactors={knownFactors}
          onWindow={(w) => setWindowParam(w)}
          onSmooth={(s) => setSmoothParam(s ?? 'none')}
          onAdjust={(a) => setAdjustText(adjustParam(a))}
        />
        {config.error !== undefined && <ErrorNotice title="Could not read the project config (known factors and funnel)" error={config.error} />}
      </div>
      <BusinessCostPanel
        model={model}
        series={cost}
        layout={layout}
        onLayout={(next) => setLayoutParam(next === 'overlay' ? null : next)}
        settingsHref={`${settingsUrl.pathname}${settingsUrl.search}`}
        onSettings={() => writeQueryParams({ page: 'settings' })}
      />
      <div className="health-feeds" aria-hidden="true">
        ▲ made of
      </div>
      {funnelStages.length > 0 ? (
        <FunnelPanel funnel={funnel} stages={funnelStages} />
      ) : (
        config.data && (
          <p className="muted health-no-funnel">
            No funnel: the project config declares no <code>funnel</code> stages. Declare the stages of your system on Settings to see each stage's pass rate here.
          </p>
        )
      )}
      <div className="health-inputs">
        <InputMetricPanel metric="error_rate" description="Share of labelled predictions that were wrong; each false negative and false positive is priced by the cost matrix." series={errorRate} />
        <InputMetricPanel metric="label_coverage" description="Share of predictions with a label. Where labels are missing, the cost is estimated from the scores." series={coverage}>
          <EstimateSummary series={cost.data ?? errorRate.data} coverage={coverage.data} />
        </InputMetricPanel>
        <InputMetricPanel metric="predictions" description="Predictions per window: the volume the cost per 1,000 is spread over." series={volume} />
        <InputMetricPanel metric="latency_p95_ms" description="95th percentile of latency_ms per window, for predictions that report it." series={latency} />
      </div>
    </>
  );
}

/** Beside label coverage: the label-free estimate (of the cost, else of the error rate) where labels are missing, or why there is none. */
function EstimateSummary({ series, coverage }: { series: MetricSeries | undefined; coverage: MetricSeries | undefined }) {
  if (!series) return null;
  const metric = series.metric;
  const what = metric === 'business_cost_per_1k' ? 'the cost' : 'the error rate';
  const share = coverage ? overallCoverage(coverage.points) : null;
  const estimate = series.estimate;
  const latestEstimate = [...series.points].reverse().find((p) => p.estimated !== null);
  const latest = latestWithValue(series.points);
  return (
    <p className="health-estimate" role="note">
      {share !== null && <>{formatShare(share)} of the predictions in range have a label. </>}
      {estimate.status === 'pending' && <>Computing the label-free estimate…</>}
      {estimate.status === 'unsupported' && <>No label-free estimate from this server ({estimate.reason}).</>}
      {estimate.status === 'sent' && latestEstimate === undefined && (
        <>
          No label-free estimate of {what} for these windows{estimate.reason !== null ? `: ${estimate.reason}` : '.'}
        </>
      )}
      {estimate.status === 'sent' && latestEstimate !== undefined && (
        <>
          Label-free estimate of {what} ({estimate.method?.toUpperCase() ?? 'estimate'}), latest: {formatMetric(metric, latestEstimate.estimated)}
          {latestEstimate.estimated_lower !== null && latestEstimate.estimated_upper !== null && (
            <>
              {' '}
              ({formatMetric(metric, latestEstimate.estimated_lower)} – {formatMetric(metric, latestEstimate.estimated_upper)})
            </>
          )}
          {latest !== null && <> against {formatMetric(metric, latest.value)} from labels</>}; drawn in purple on the cost and error-rate charts.
        </>
      )}
    </p>
  );
}
