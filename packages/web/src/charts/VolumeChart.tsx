import { useMemo } from 'react';
import type uPlot from 'uplot';
import { formatCount } from '../format.ts';
import type { Volume } from '../volume-api.ts';
import { chartColours, UPlotChart } from './UPlotChart.tsx';

const volumeColour = '#2f6fde';

/** Predictions per hour over the chosen window (hours without predictions drawn as zero). */
export function VolumeChart({ volume, fromIso, toIso }: { volume: Volume; fromIso: string; toIso: string }) {
  const data = useMemo<uPlot.AlignedData>(() => {
    const counts = new Map(volume.hours.map((h) => [Math.floor(Date.parse(h.start) / 1000), h.predictions]));
    const xs: number[] = [];
    const ys: number[] = [];
    for (let t = Math.floor(Date.parse(fromIso) / 1000); t < Date.parse(toIso) / 1000; t += 3600) {
      xs.push(t);
      ys.push(counts.get(t) ?? 0);
    }
    return [xs, ys];
  }, [volume, fromIso, toIso]);
  const options = useMemo<Omit<uPlot.Options, 'width' | 'height'>>(() => {
    const { text, grid } = chartColours();
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    return {
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      // Times are UTC, as everywhere on the dashboard.
      tzDate: (ts: number) => new Date(ts * 1000 + new Date(ts * 1000).getTimezoneOffset() * 60_000),
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
      axes: [axis, { ...axis, label: 'predictions per hour', size: 60, values: (_u: uPlot, ticks: number[]) => ticks.map((t) => formatCount(t)) }],
      series: [{}, { label: 'predictions per hour', stroke: volumeColour, fill: `${volumeColour}22`, width: 1.5, points: { show: false } }],
    };
  }, []);
  return <UPlotChart options={options} data={data} height={160} label="Predictions per hour in the chosen window" />;
}
