import { useMemo } from 'react';
import type uPlot from 'uplot';
import type { ProjectedScale } from '../cost-api.ts';
import { formatScale, formatUsd } from '../format.ts';
import { chartColours, UPlotChart } from './UPlotChart.tsx';

interface ProjectionChartProps {
  scales: ProjectedScale[];
}

const totalColour = '#2f6fde';
const perThousandColour = '#1f9d55';
const marginalColour = '#e4572e';

/** Monthly cost (left axis) and cost per 1,000 predictions, average and marginal (right axis), over 1×–1000× on a log axis. */
export function ProjectionChart({ scales }: ProjectionChartProps) {
  const data = useMemo<uPlot.AlignedData>(
    () => [
      scales.map((s) => s.scale.volume),
      scales.map((s) => s.total_usd),
      scales.map((s) => s.per_prediction_usd * 1000),
      scales.map((s) => (s.marginal_per_prediction_usd === null ? null : s.marginal_per_prediction_usd * 1000)),
    ],
    [scales],
  );
  const options = useMemo<Omit<uPlot.Options, 'width' | 'height'>>(() => {
    const { text, grid } = chartColours();
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const usd = (_u: uPlot, v: number | null) => (v === null ? '—' : formatUsd(v));
    return {
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: false, distr: 3 }, usd: { range: (_u, _min, max) => [0, max * 1.1] }, per1k: { range: (_u, min, max) => [Math.min(0, min), max * 1.1] } },
      axes: [
        { ...axis, label: 'volume (× today)', splits: () => [1, 10, 100, 1000], values: (_u: uPlot, ticks: number[]) => ticks.map((t) => formatScale(t)) },
        { ...axis, scale: 'usd', label: 'cost per month', size: 70, values: (_u: uPlot, ticks: number[]) => ticks.map((t) => formatUsd(t)) },
        { ...axis, scale: 'per1k', side: 1, label: 'per 1,000 predictions', size: 70, grid: { show: false }, values: (_u: uPlot, ticks: number[]) => ticks.map((t) => formatUsd(t)) },
      ],
      series: [
        { label: 'volume', value: (_u: uPlot, v: number | null) => (v === null ? '—' : formatScale(v)) },
        { label: 'cost per month', scale: 'usd', stroke: totalColour, width: 2, value: usd },
        { label: 'cost per 1,000', scale: 'per1k', stroke: perThousandColour, width: 2, value: usd },
        { label: 'marginal per 1,000', scale: 'per1k', stroke: marginalColour, width: 2, dash: [6, 4], value: usd },
      ],
    };
  }, []);
  return (
    <>
      <p className="legend-line">
        <span className="swatch" style={{ background: totalColour }} /> cost per month (left)
        <span className="swatch" style={{ background: perThousandColour }} /> cost per 1,000 predictions (right)
        <span className="swatch swatch-dashed" style={{ borderColor: marginalColour }} /> marginal cost per 1,000 (right)
      </p>
      <UPlotChart options={options} data={data} height={280} label="Projected monthly cost, cost per 1,000 predictions and marginal cost per 1,000 predictions from 1× to 1000× today's volume" />
    </>
  );
}
