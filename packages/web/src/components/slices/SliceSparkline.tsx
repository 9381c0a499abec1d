import { useMemo } from 'react';
import type uPlot from 'uplot';
import { chartColours, UPlotChart } from '../../charts/UPlotChart.tsx';
import type { MetricWindow } from '../../health-api.ts';
import { ChartBoundary } from '../health/ChartBoundary.tsx';
import { xAxis } from '../health/MetricChart.tsx';

interface SliceSparklineProps {
  seconds: number[];
  window: MetricWindow;
  values: (number | null)[];
  /** A band around the values (the metric's 95% interval), drawn when given. */
  band?: { lower: (number | null)[]; upper: (number | null)[] };
  colour: string;
  /** Shared by every value's chart, so the small multiples compare by eye. */
  range: [number, number];
  format: (value: number) => string;
  label: string;
}

/** A small chart of one value's series on a shared scale; missing windows are gaps. */
export function SliceSparkline(props: SliceSparklineProps) {
  return (
    <ChartBoundary>
      <Sparkline {...props} />
    </ChartBoundary>
  );
}

function Sparkline({ seconds, window, values, band, colour, range, format, label }: SliceSparklineProps) {
  const hasBand = band !== undefined;
  const data = useMemo<uPlot.AlignedData>(
    () => (band ? [seconds, band.upper, band.lower, values] : [seconds, values]) as uPlot.AlignedData,
    [seconds, values, band],
  );
  const [lo, hi] = range;
  const options = useMemo<Omit<uPlot.Options, 'width' | 'height'>>(() => {
    const { text, grid } = chartColours();
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { show: false }, font: '10px system-ui, sans-serif' };
    const edge: uPlot.Series = { stroke: colour, width: 0, points: { show: false } };
    return {
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      tzDate: (ts: number) => new Date(ts * 1000 + new Date(ts * 1000).getTimezoneOffset() * 60_000),
      scales: { x: { time: true }, y: { range: () => [lo, hi] } },
      axes: [
        xAxis({ ...axis, size: 24 }, window),
        { ...axis, size: 52, splits: () => [lo, (lo + hi) / 2, hi], values: (_u: uPlot, ticks: number[]) => ticks.map((t) => format(t)) },
      ],
      series: hasBand
        ? [{}, edge, edge, { stroke: colour, width: 1.5, points: { show: true, size: 4, fill: colour } }]
        : [{}, { stroke: colour, width: 1.5, fill: `${colour}22`, points: { show: true, size: 4, fill: colour } }],
      bands: hasBand ? [{ series: [1, 2], fill: `${colour}26` }] : [],
    };
  }, [colour, lo, hi, format, hasBand, window]);
  return <UPlotChart options={options} data={data} height={110} label={label} />;
}
