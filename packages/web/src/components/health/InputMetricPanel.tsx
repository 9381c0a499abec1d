import type { ReactNode } from 'react';
import type { MetricName, MetricSeries } from '../../health-api.ts';
import { formatMetric, formatWindowStart, gaps, latestWithValue, metricTitles } from '../../health-series.ts';
import type { AsyncState } from '../../use-async.ts';
import { ErrorNotice } from '../ErrorNotice.tsx';
import { GapList } from './GapList.tsx';
import { MetricChart, MetricLegend, presentLayers, type Layer } from './MetricChart.tsx';
import { MetricTable } from './MetricTable.tsx';
import { SeriesNotes } from './SeriesNotes.tsx';

interface InputMetricPanelProps {
  metric: MetricName;
  description: string;
  series: AsyncState<MetricSeries>;
  /** What else the panel says under its chart (the label-free estimate beside label coverage). */
  children?: ReactNode;
}

const inputLayers: Layer[] = ['band', 'value', 'control', 'smoothed', 'adjusted', 'estimated', 'alerts'];

/** One input of the business cost: its latest value, the series with band and smoothing, and its numbers. */
export function InputMetricPanel({ metric, description, series, children }: InputMetricPanelProps) {
  const title = metricTitles[metric];
  const id = `health-${metric}-title`;
  const data = series.data;
  const latest = data ? latestWithValue(data.points) : null;
  const layers = data ? presentLayers(data.points, data.adjustment?.applied ? inputLayers : inputLayers.filter((l) => l !== 'adjusted')) : [];
  return (
    <section className="card health-input" aria-labelledby={id} data-metric={metric}>
      <h3 id={id}>
        {title} <span className="badge">input</span>
      </h3>
      <p className="muted">{description}</p>
      {series.error !== undefined && <ErrorNotice title={`Could not load the ${title.toLowerCase()}`} error={series.error} />}
      {series.loading && !data && (
        <p className="muted" aria-busy="true">
          Loading…
        </p>
      )}
      {data && (
        <div aria-busy={series.loading}>
          <p className="health-input-latest">
            {latest === null ? (
              <span className="muted">No window in this range has a value.</span>
            ) : (
              <>
                <strong data-testid={`${metric}-latest`}>{formatMetric(metric, latest.value)}</strong>{' '}
                <span className="muted">in the latest window ({formatWindowStart(latest.start, data.window)})</span>
              </>
            )}
          </p>
          {layers.length > 0 && <MetricLegend layers={layers} />}
          {layers.length > 0 && <MetricChart metric={metric} window={data.window} points={data.points} layers={layers} height={170} label={`${title} per ${data.window}, ${data.from.slice(0, 10)} to ${data.to.slice(0, 10)} (UTC)`} />}
          {children}
          <GapList gaps={gaps(data.points)} window={data.window} />
          <details className="health-numbers">
            <summary>Numbers and notes</summary>
            <SeriesNotes series={data} showEstimate={false} />
            <MetricTable series={data} caption={`${title} per window`} />
          </details>
        </div>
      )}
    </section>
  );
}
