import { useCallback, useId, useMemo } from 'react';
import type { Access } from '../api.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { ModelPage } from '../components/ModelPage.tsx';
import { MixRatePanel } from '../components/slices/MixRatePanel.tsx';
import { SliceSparkline } from '../components/slices/SliceSparkline.tsx';
import { TimeRangePicker } from '../components/TimeRangePicker.tsx';
import { formatCount, formatShare, formatTimestamp } from '../format.ts';
import { fetchProjectConfig, metricWindows, type MetricName, type MetricWindow } from '../health-api.ts';
import { formatMetric, formatWindowStart, metricShortTitles, metricTitles, parseMetricWindow } from '../health-series.ts';
import { useQueryParam, writeQueryParams } from '../query-param.ts';
import { fetchModelColumns, fetchSlices, type Slices, type SliceSegment } from '../slices-api.ts';
import { latestShare, latestValue, otherShares, parseSliceMetric, parseTop, segmentLabel, sliceColumns, sliceMetrics, type SliceColumn } from '../slices-series.ts';
import type { DayWindow } from '../time-range.ts';
import { useModelRange } from '../use-model-range.ts';
import { useAsync } from '../use-async.ts';
import './slices-page.css';

interface SlicesPageProps {
  access: Access;
  project: string;
}

const defaultDays = 30;
const metricColour = '#2f6fde';
const shareColour = '#2b8a3e';

/** Each value of a segment or feature: its metric over time beside its share of the traffic, and the mix-vs-rate split of the latest change. */
export function SlicesPage({ access, project }: SlicesPageProps) {
  return (
    <ModelPage
      access={access}
      project={project}
      className="slices-page"
      title="Slices & mix"
      intro="A metric per value of a segment, beside that value's share of the traffic: when a value's share grows while its own metric holds, the overall metric moved because of the mix, not because the model got worse."
      perModel={['by', 'from', 'to']}
    >
      {(model) => <ModelSlices key={`${project}\u0000${model}`} access={access} model={model} />}
    </ModelPage>
  );
}

function ModelSlices({ access, model }: { access: Access; model: string }) {
  const { stats, presets: defaults, range } = useModelRange(access, model, defaultDays);
  const loadColumns = useCallback(
    async (signal: AbortSignal) => {
      const [columns, config] = await Promise.all([fetchModelColumns(access, model, signal), fetchProjectConfig(access, signal).catch(() => null)]);
      return sliceColumns(columns, config?.models.find((m) => m.name === model)?.segments ?? []);
    },
    [access, model],
  );
  const columns = useAsync(loadColumns);

  const failed = stats.error ?? columns.error;
  if (failed !== undefined) {
    return (
      <ErrorNotice title={`Could not load ${model}`} error={failed}>
        <p>Choose one of the project's models in the list above.</p>
      </ErrorNotice>
    );
  }
  if (!stats.data || !columns.data) {
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
        <p>Send predictions with segments (e.g. {'{"segments": {"region": "eu"}}'}); each segment's values are compared here.</p>
      </section>
    );
  }
  if (columns.data.length === 0) {
    return (
      <section className="card">
        <h2>Nothing to slice {model} by</h2>
        <p>
          Its predictions carry no segments or features. Send known sources of variation in each prediction's <code>segments</code> map (e.g. region, channel,
          customer).
        </p>
      </section>
    );
  }
  return (
    <>
      <p className="muted">
        {model}: {formatCount(stats.data.predictions)} predictions from {formatTimestamp(stats.data.first_timestamp)} to {formatTimestamp(stats.data.last_timestamp)}.
      </p>
      <SlicesBody
        access={access}
        model={model}
        columns={columns.data}
        range={range}
        presets={[
          { label: 'Last 7 days of data', window: defaults.week },
          { label: `Last ${defaultDays} days of data`, window: defaults.recent },
          { label: 'All data', window: defaults.all },
        ]}
      />
    </>
  );
}

interface SlicesBodyProps {
  access: Access;
  model: string;
  columns: SliceColumn[];
  range: DayWindow;
  presets: { label: string; window: DayWindow }[];
}

function SlicesBody({ access, model, columns, range, presets }: SlicesBodyProps) {
  const [byParam, setBy] = useQueryParam('by');
  const [metricParam, setMetric] = useQueryParam('metric');
  const [windowParam, setWindow] = useQueryParam('window');
  const [topParam, setTop] = useQueryParam('top');
  const byId = useId();
  const metricId = useId();
  const windowId = useId();
  const topId = useId();
  const by = columns.find((c) => c.name === byParam)?.name ?? columns[0]!.name;
  const metric = parseSliceMetric(metricParam);
  const window = parseMetricWindow(windowParam);
  const top = parseTop(topParam);
  const load = useCallback((signal: AbortSignal) => fetchSlices(access, model, { by, metric, window, range, top }, signal), [access, model, by, metric, window, range, top]);
  const slices = useAsync(load);

  return (
    <>
      <div className="card slices-toolbar">
        <TimeRangePicker label="Time range" value={range} presets={presets} onChange={(w) => writeQueryParams({ from: w.from, to: w.to })} />
        <div className="slices-controls">
          <div className="slices-control">
            <label htmlFor={byId}>Slice by</label>
            <select id={byId} value={by} onChange={(event) => setBy(event.target.value)}>
              {columns.map((c) => (
                <option key={c.name} value={c.name}>
                  {c.name} ({c.source})
                </option>
              ))}
            </select>
          </div>
          <div className="slices-control">
            <label htmlFor={metricId}>Metric</label>
            <select id={metricId} value={metric} onChange={(event) => setMetric(event.target.value)}>
              {sliceMetrics.map((m) => (
                <option key={m} value={m}>
                  {metricShortTitles[m]}
                </option>
              ))}
            </select>
          </div>
          <div className="slices-control">
            <label htmlFor={windowId}>Window</label>
            <select id={windowId} value={window} onChange={(event) => setWindow(event.target.value)}>
              {metricWindows.map((w) => (
                <option key={w} value={w}>
                  {w}
                </option>
              ))}
            </select>
          </div>
          <div className="slices-control">
            <label htmlFor={topId}>Top values</label>
            <select id={topId} value={top} onChange={(event) => setTop(event.target.value)}>
              {[4, 8, 12, 20].map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </div>
        </div>
      </div>
      {slices.error !== undefined && (
        <ErrorNotice title={`Could not slice ${model} by ${by}`} error={slices.error}>
          {/cost/i.test(slices.error instanceof Error ? slices.error.message : '') && <p>Set the model's cost matrix on Settings, or pick another metric.</p>}
        </ErrorNotice>
      )}
      {slices.loading && !slices.data && (
        <p className="muted" aria-busy="true">
          Computing {metricTitles[metric].toLowerCase()} per value of {by}…
        </p>
      )}
      {slices.data && <SliceResults slices={slices.data} busy={slices.loading} />}
    </>
  );
}

/** A shared y range for every value's metric chart: from 0 (or the lowest value) to the highest upper bound. */
function metricRange(segments: readonly SliceSegment[]): [number, number] {
  let lo = 0;
  let hi = 0;
  for (const s of segments) {
    for (const p of s.points) {
      for (const v of [p.value, p.lower, p.upper]) {
        if (v === null) continue;
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
  }
  return [lo, hi > lo ? hi : lo + 1];
}

function SliceResults({ slices, busy }: { slices: Slices; busy: boolean }) {
  const metric = slices.metric;
  const seconds = useMemo(() => (slices.segments[0]?.points ?? []).map((p) => Math.floor(Date.parse(p.start) / 1000)), [slices]);
  const valueRange = useMemo(() => metricRange(slices.segments), [slices]);
  const shareRange = useMemo<[number, number]>(() => {
    const max = Math.max(0, ...slices.segments.flatMap((s) => s.points.map((p) => p.share ?? 0)));
    return [0, max > 0 ? Math.min(1, max * 1.15) : 1];
  }, [slices]);
  const formatValue = useCallback((v: number) => formatMetric(metric, v), [metric]);
  const others = otherShares(slices.segments);
  const latestOther = [...others].reverse().find((s) => s !== null) ?? null;

  if (slices.segments.length === 0) {
    return (
      <section className="card">
        <h2>No values of {slices.by} in this range</h2>
        <p>Pick a longer range, or another column: the predictions in this range carry no value for it.</p>
      </section>
    );
  }
  return (
    <div aria-busy={busy}>
      <section className="card" aria-labelledby="slices-title">
        <h2 id="slices-title">
          {metricTitles[metric]} and share of traffic, per value of <span className="model-name">{slices.by}</span>
        </h2>
        <p className="muted">
          The {slices.segments.length} most frequent values, per {slices.window}. Each metric chart shares one scale, and so does each share chart.
          {latestOther !== null && ` Other values: ${formatShare(latestOther)} of the traffic in the latest window.`}
        </p>
        <div className="slices-grid" role="table" aria-label={`${metricTitles[metric]} and share of traffic per value of ${slices.by}`}>
          <div className="slices-row slices-head" role="row">
            <span role="columnheader">Value</span>
            <span role="columnheader">{metricTitles[metric]}</span>
            <span role="columnheader">Share of traffic</span>
          </div>
          {slices.segments.map((segment) => (
            <SliceRow key={segmentLabel(segment)} segment={segment} metric={metric} window={slices.window} seconds={seconds} valueRange={valueRange} shareRange={shareRange} formatValue={formatValue} />
          ))}
        </div>
        <details className="slices-numbers">
          <summary>Numbers per window</summary>
          <SliceTable slices={slices} />
        </details>
      </section>
      <MixRatePanel mix={slices.mix_vs_rate} metric={metric} by={slices.by} />
    </div>
  );
}

interface SliceRowProps {
  segment: SliceSegment;
  metric: MetricName;
  window: MetricWindow;
  seconds: number[];
  valueRange: [number, number];
  shareRange: [number, number];
  formatValue: (v: number) => string;
}

function SliceRow({ segment, metric, window, seconds, valueRange, shareRange, formatValue }: SliceRowProps) {
  const label = segmentLabel(segment);
  const values = useMemo(() => segment.points.map((p) => p.value), [segment]);
  const band = useMemo(() => ({ lower: segment.points.map((p) => p.lower), upper: segment.points.map((p) => p.upper) }), [segment]);
  const shares = useMemo(() => segment.points.map((p) => p.share), [segment]);
  const share = latestShare(segment.points);
  const value = latestValue(segment.points);
  const gaps = segment.points.filter((p) => p.value === null).length;
  return (
    <div className="slices-row" role="row" data-value={label}>
      <div role="rowheader" className="slices-value">
        <strong className="model-name slice-name">{label}</strong>
        <span className="muted">{formatCount(segment.rows)} predictions</span>
        {share !== null && (
          <span>
            share <span className="slice-latest-share">{formatShare(share.share)}</span> <span className="muted">({formatWindowStart(share.start, window)})</span>
          </span>
        )}
        {value !== null && (
          <span>
            {metricTitles[metric].toLowerCase()} <span className="slice-latest-value">{formatMetric(metric, value.value)}</span>
          </span>
        )}
        {gaps > 0 && <span className="muted">{gaps === 1 ? '1 window' : `${gaps} windows`} with too few rows: gaps</span>}
      </div>
      <div role="cell">
        <SliceSparkline seconds={seconds} window={window} values={values} band={band} colour={metricColour} range={valueRange} format={formatValue} label={`${metricTitles[metric]} of ${label} per ${window}`} />
      </div>
      <div role="cell">
        <SliceSparkline seconds={seconds} window={window} values={shares} colour={shareColour} range={shareRange} format={formatShareTick} label={`Share of traffic of ${label} per ${window}`} />
      </div>
    </div>
  );
}

const formatShareTick = (v: number) => formatShare(v);

function SliceTable({ slices }: { slices: Slices }) {
  const starts = slices.segments[0]?.points.map((p) => p.start) ?? [];
  return (
    <div className="table-scroll">
      <table className="models-table slices-table">
        <caption className="visually-hidden">Metric and share per value and window</caption>
        <thead>
          <tr>
            <th scope="col">Value</th>
            {starts.map((start) => (
              <th key={start} scope="col" className="num">
                {formatWindowStart(start, slices.window)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {slices.segments.map((segment) => (
            <tr key={segmentLabel(segment)} data-value={segmentLabel(segment)}>
              <th scope="row" className="model-name">
                {segmentLabel(segment)}
              </th>
              {segment.points.map((p) => (
                <td key={p.start} className="num" title={p.reason ?? undefined}>
                  {formatMetric(slices.metric, p.value)}
                  <br />
                  <span className="muted">{formatShare(p.share)}</span>
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
