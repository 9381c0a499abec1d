import { useMemo } from 'react';
import type uPlot from 'uplot';
import { chartColours, UPlotChart } from '../../charts/UPlotChart.tsx';
import { ChartBoundary } from './ChartBoundary.tsx';
import type { MetricName, MetricPoint, MetricWindow } from '../../health-api.ts';
import { alertColumn, column, dayAxis, formatMetric, hasField, windowSeconds, type PointField } from '../../health-series.ts';

/** The lines a metric chart can draw; each is left out when no window has a number for it. */
export type Layer = 'value' | 'band' | 'smoothed' | 'control' | 'adjusted' | 'estimated' | 'alerts';

export const layerColours: Record<Layer, string> = {
  value: '#2f6fde',
  band: '#2f6fde',
  smoothed: '#d9480f',
  control: '#d9480f',
  adjusted: '#2b8a3e',
  estimated: '#7048e8',
  alerts: '#c92a2a',
};

export const layerNames: Record<Layer, string> = {
  value: 'raw',
  band: '95% band of the raw value',
  smoothed: 'smoothed',
  control: 'control limits',
  adjusted: 'adjusted',
  estimated: 'label-free estimate (with band)',
  alerts: 'alert',
};

const layerFields: Record<Layer, PointField[]> = {
  value: ['value'],
  band: ['upper', 'lower'],
  smoothed: ['smoothed'],
  control: ['control_upper', 'control_lower'],
  adjusted: ['adjusted'],
  estimated: ['estimated', 'estimated_upper', 'estimated_lower'],
  alerts: [],
};

/** The layers of a joined key (the key keeps the memos stable while the array is rebuilt on each render). */
function layerList(key: string): Layer[] {
  return key === '' ? [] : (key.split(',') as Layer[]);
}

/** The layers of `wanted` that have data in `points`, in drawing order. */
export function presentLayers(points: readonly MetricPoint[], wanted: readonly Layer[]): Layer[] {
  return wanted.filter((layer) => (layer === 'alerts' ? points.some((p) => p.alert) : hasField(points, layerFields[layer][0]!)));
}

interface MetricChartProps {
  metric: MetricName;
  window: MetricWindow;
  points: readonly MetricPoint[];
  layers: readonly Layer[];
  height: number;
  label: string;
}

/** A metric per window on a UTC time axis: raw with its band, smoothed with control limits, adjusted, estimate. Missing windows are gaps. */
export function MetricChart(props: MetricChartProps) {
  return (
    <ChartBoundary>
      <MetricCanvas {...props} />
    </ChartBoundary>
  );
}

function MetricCanvas({ metric, window, points, layers, height, label }: MetricChartProps) {
  const layerKey = layers.join(',');
  const data = useMemo<uPlot.AlignedData>(() => {
    const columns: (number | null)[][] = [];
    for (const layer of layerList(layerKey)) {
      if (layer === 'alerts') columns.push(alertColumn(points));
      else for (const field of layerFields[layer]) columns.push(column(points, field));
    }
    return [windowSeconds(points), ...columns] as uPlot.AlignedData;
  }, [points, layerKey]);

  const options = useMemo<Omit<uPlot.Options, 'width' | 'height'>>(() => {
    const { text, grid } = chartColours();
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const value = (_u: uPlot, v: number | null) => formatMetric(metric, v);
    const series: uPlot.Series[] = [{}];
    const bands: uPlot.Band[] = [];
    const edge = (name: string, colour: string, dash?: number[]): uPlot.Series => ({ label: name, stroke: colour, width: dash ? 1 : 0, dash, points: { show: false }, value });
    for (const layer of layerList(layerKey)) {
      const colour = layerColours[layer];
      switch (layer) {
        case 'value':
          series.push({ label: 'raw', stroke: colour, width: 1.5, points: { show: true, size: 5, fill: colour }, value });
          break;
        case 'band':
          series.push(edge('upper', colour), edge('lower', colour));
          bands.push({ series: [series.length - 2, series.length - 1], fill: `${colour}26` });
          break;
        case 'smoothed':
          series.push({ label: 'smoothed', stroke: colour, width: 2.5, points: { show: false }, value });
          break;
        case 'control':
          series.push(edge('control upper', colour, [5, 4]), edge('control lower', colour, [5, 4]));
          break;
        case 'adjusted':
          series.push({ label: 'adjusted', stroke: colour, width: 2, points: { show: true, size: 4, fill: colour }, value });
          break;
        case 'estimated':
          series.push({ label: 'estimated', stroke: colour, width: 2, dash: [2, 3], points: { show: true, size: 4, fill: colour }, value });
          series.push(edge('estimate upper', colour), edge('estimate lower', colour));
          bands.push({ series: [series.length - 2, series.length - 1], fill: `${colour}1f` });
          break;
        case 'alerts':
          series.push({ label: 'alert', stroke: colour, width: 0, points: { show: true, size: 9, width: 2, stroke: colour, fill: '#0000' }, value });
          break;
      }
    }
    return {
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      // Times are UTC, as everywhere on the dashboard.
      tzDate: (ts: number) => new Date(ts * 1000 + new Date(ts * 1000).getTimezoneOffset() * 60_000),
      scales: {
        x: { time: true },
        y: { range: (_u, min, max) => (min === max ? [Math.min(0, min), Math.max(1, max * 1.1)] : [Math.min(0, min), max + (max - Math.min(0, min)) * 0.08]) },
      },
      axes: [xAxis(axis, window), { ...axis, size: 72, values: (_u: uPlot, ticks: number[]) => ticks.map((t) => formatMetric(metric, t)) }],
      series,
      bands,
    };
  }, [metric, window, layerKey]);

  return <UPlotChart options={options} data={data} height={height} label={label} />;
}

/** The x axis: a tick per day or week start for day and week windows, uPlot's own ticks for hours. */
export function xAxis(base: uPlot.Axis, window: MetricWindow): uPlot.Axis {
  const days = dayAxis(window);
  if (days === null) return base;
  return { ...base, incrs: days.incrs, values: (_u: uPlot, ticks: number[]) => ticks.map((t) => days.format(t)) };
}

/** The legend of a MetricChart: a swatch per drawn layer, as text. */
export function MetricLegend({ layers, names }: { layers: readonly Layer[]; names?: Partial<Record<Layer, string>> }) {
  return (
    <p className="legend-line">
      {layers.map((layer) => (
        <span key={layer} className="health-legend-item">
          <span
            className={layer === 'control' || layer === 'estimated' ? 'swatch swatch-dashed' : layer === 'band' ? 'swatch health-swatch-band' : 'swatch'}
            style={layer === 'control' || layer === 'estimated' ? { borderColor: layerColours[layer] } : { background: layer === 'band' ? `${layerColours[layer]}40` : layerColours[layer] }}
          />{' '}
          {names?.[layer] ?? layerNames[layer]}
        </span>
      ))}
    </p>
  );
}
