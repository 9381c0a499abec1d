import { useMemo } from 'react';
import type uPlot from 'uplot';
import { chartColours, UPlotChart } from '../../charts/UPlotChart.tsx';
import type { UnitMetricsPeriod } from '../../costs-api.ts';
import { formatShare, formatUsd } from '../../format.ts';
import { formatMonth } from '../overview/model-money.ts';

interface UnitMetricsChartProps {
  periods: UnitMetricsPeriod[];
}

export const perThousandColour = '#2f6fde';
export const arrColour = '#e4572e';
export const marginColour = '#1f9d55';

const halfMonthSeconds = 15 * 86_400;

/** Variable cost per 1,000 predictions (left axis), and % of ARR and contribution margin ratio (right axis), by month. */
export function UnitMetricsChart({ periods }: UnitMetricsChartProps) {
  const data = useMemo<uPlot.AlignedData>(
    () => [
      periods.map((p) => Date.parse(p.period) / 1000),
      periods.map((p) => p.variable_cost_per_1k_predictions_usd),
      periods.map((p) => (p.variable_cost_pct_of_arr === null ? null : p.variable_cost_pct_of_arr / 100)),
      periods.map((p) => p.contribution_margin_ratio),
    ],
    [periods],
  );
  const options = useMemo<Omit<uPlot.Options, 'width' | 'height'>>(() => {
    const { text, grid } = chartColours();
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const usd = (_u: uPlot, v: number | null) => (v === null ? '—' : formatUsd(v));
    const share = (_u: uPlot, v: number | null) => (v === null ? '—' : formatShare(v));
    const points = (colour: string) => ({ show: true, size: 8, stroke: colour, fill: colour });
    const starts = periods.map((p) => Date.parse(p.period) / 1000);
    const first = starts[0] ?? 0;
    const last = starts.at(-1) ?? 0;
    return {
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: {
        // Half a month either side, so a single month is a visible point rather than an empty axis.
        // (uPlot widens a lone time point by 86,400 / ms = 1,000 days, so the range ignores its arguments.)
        x: { time: true, range: () => [first - halfMonthSeconds, last + halfMonthSeconds] },
        usd: { range: (_u, _min, max) => [0, max > 0 ? max * 1.2 : 1] },
        share: { range: (_u, min, max) => [Math.min(0, min * 1.2), Math.max(1, max * 1.1)] },
      },
      axes: [
        { ...axis, values: (_u: uPlot, ticks: number[]) => ticks.map((t) => formatMonth(new Date(t * 1000).toISOString())), splits: () => starts },
        { ...axis, scale: 'usd', label: 'per 1,000 predictions', size: 70, values: (_u: uPlot, ticks: number[]) => ticks.map((t) => formatUsd(t)) },
        { ...axis, scale: 'share', side: 1, label: 'share', size: 60, grid: { show: false }, values: (_u: uPlot, ticks: number[]) => ticks.map((t) => formatShare(t)) },
      ],
      series: [
        { label: 'month' },
        { label: 'variable cost per 1,000 predictions', scale: 'usd', stroke: perThousandColour, width: 2, points: points(perThousandColour), value: usd },
        { label: 'variable cost as % of ARR', scale: 'share', stroke: arrColour, width: 2, points: points(arrColour), value: share },
        { label: 'contribution margin ratio', scale: 'share', stroke: marginColour, width: 2, dash: [6, 4], points: points(marginColour), value: share },
      ],
    };
  }, [periods]);
  return (
    <>
      <p className="legend-line">
        <span className="swatch" style={{ background: perThousandColour }} /> variable cost per 1,000 predictions (left)
        <span className="swatch" style={{ background: arrColour }} /> variable cost as % of ARR (right)
        <span className="swatch swatch-dashed" style={{ borderColor: marginColour }} /> contribution margin, share of revenue (right)
      </p>
      <UPlotChart
        options={options}
        data={data}
        height={260}
        label={`Variable cost per 1,000 predictions, variable cost as a share of ARR and contribution margin ratio, by month, ${periods.length} month(s)`}
      />
    </>
  );
}
