import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

interface UPlotChartProps {
  /** Everything but the size, which follows the container's width. Rebuilt when this object changes. */
  options: Omit<uPlot.Options, 'width' | 'height'>;
  data: uPlot.AlignedData;
  height: number;
  /** What the chart shows, for screen readers (the numbers are also in a table beside each chart). */
  label: string;
}

/** Theme colours read from the page's CSS, so axes stay readable in dark mode. */
export function chartColours(): { text: string; grid: string } {
  const style = getComputedStyle(document.documentElement);
  return { text: style.getPropertyValue('--muted').trim() || '#5b6470', grid: style.getPropertyValue('--border').trim() || '#dde1e6' };
}

/** A uPlot canvas chart (chosen over ECharts by measurement: docs/dashboard.md) sized to its container. */
export function UPlotChart({ options, data, height, label }: UPlotChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const latestData = useRef(data);
  latestData.current = data;

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const chart = new uPlot({ ...options, width: Math.max(element.clientWidth, 200), height }, latestData.current, element);
    plot.current = chart;
    const observer = new ResizeObserver(() => chart.setSize({ width: Math.max(element.clientWidth, 200), height }));
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.destroy();
      plot.current = null;
    };
  }, [options, height]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  return <div className="chart" ref={container} role="img" aria-label={label} style={{ minHeight: height }} />;
}
