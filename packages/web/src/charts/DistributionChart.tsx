import { useMemo } from 'react';
import uPlot from 'uplot';
import type { Histogram } from '../drift-api.ts';
import { formatShare, formatStatistic } from '../format.ts';
import { chartColours, UPlotChart } from './UPlotChart.tsx';

export const referenceColour = '#7b8aa3';
export const currentColour = '#e4572e';

interface DistributionChartProps {
  column: string;
  reference: Histogram;
  current: Histogram;
}

/** Reference vs current distribution of one column: step areas on shared buckets, or bars per category. */
export function DistributionChart({ column, reference, current }: DistributionChartProps) {
  if (reference.kind === 'numeric' && current.kind === 'numeric') return <NumericDistribution column={column} reference={reference} current={current} />;
  if (reference.kind === 'categorical' && current.kind === 'categorical') return <CategoricalDistribution column={column} reference={reference} current={current} />;
  return <p className="muted">The two windows hold different kinds of values for {column}; no shared plot.</p>;
}

type Numeric = Extract<Histogram, { kind: 'numeric' }>;
type Categorical = Extract<Histogram, { kind: 'categorical' }>;

/** Share of the window's non-missing values in each bucket; the last value repeats so the step closes. */
function bucketShares(h: Numeric): number[] {
  const present = h.counts.reduce((a, b) => a + b, 0) + h.below + h.above;
  const shares = h.counts.map((c) => (present === 0 ? 0 : c / present));
  return [...shares, shares.at(-1) ?? 0];
}

function NumericDistribution({ column, reference, current }: { column: string; reference: Numeric; current: Numeric }) {
  const data = useMemo<uPlot.AlignedData>(() => [reference.edges, bucketShares(reference), bucketShares(current)], [reference, current]);
  const options = useMemo<Omit<uPlot.Options, 'width' | 'height'>>(() => {
    const { text, grid } = chartColours();
    const stepped = uPlot.paths.stepped!({ align: 1 });
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    return {
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: false } },
      axes: [
        { ...axis, label: column, values: (_u: uPlot, ticks: number[]) => ticks.map((t) => formatStatistic(t)) },
        { ...axis, label: 'share of rows', size: 64, values: (_u: uPlot, ticks: number[]) => ticks.map((t) => formatShare(t)) },
      ],
      series: [
        { label: column, value: (_u: uPlot, v: number | null) => (v === null ? '—' : formatStatistic(v)) },
        { label: 'reference', stroke: referenceColour, fill: `${referenceColour}55`, paths: stepped, width: 1.5, points: { show: false }, value: (_u: uPlot, v: number | null) => formatShare(v) },
        { label: 'current', stroke: currentColour, fill: `${currentColour}40`, paths: stepped, width: 1.5, points: { show: false }, value: (_u: uPlot, v: number | null) => formatShare(v) },
      ],
    };
  }, [column]);
  return <UPlotChart options={options} data={data} height={240} label={`Distribution of ${column} in the reference and current windows`} />;
}

function CategoricalDistribution({ column, reference, current }: { column: string; reference: Categorical; current: Categorical }) {
  const rows = useMemo(() => {
    const refPresent = reference.total - reference.missing;
    const curPresent = current.total - current.missing;
    const ref = new Map(reference.values.map((v) => [v.value, v.count]));
    const cur = new Map(current.values.map((v) => [v.value, v.count]));
    const names = [...new Set([...ref.keys(), ...cur.keys()])];
    const share = (count: number | undefined, present: number) => (present === 0 ? 0 : (count ?? 0) / present);
    return names
      .map((name) => ({ name, reference: share(ref.get(name), refPresent), current: share(cur.get(name), curPresent), isNew: !ref.has(name) }))
      .sort((a, b) => Math.max(b.reference, b.current) - Math.max(a.reference, a.current))
      .slice(0, 15);
  }, [reference, current]);
  return (
    <table className="category-bars" aria-label={`Share of each value of ${column} in the reference and current windows`}>
      <thead>
        <tr>
          <th scope="col">{column}</th>
          <th scope="col">reference</th>
          <th scope="col">current</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.name}>
            <th scope="row">
              {row.name}
              {row.isNew && <span className="badge badge-warn">new</span>}
            </th>
            <td>
              <span className="bar" style={{ width: `${row.reference * 100}%`, background: referenceColour }} />
              <span className="bar-value">{formatShare(row.reference)}</span>
            </td>
            <td>
              <span className="bar" style={{ width: `${row.current * 100}%`, background: currentColour }} />
              <span className="bar-value">{formatShare(row.current)}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
