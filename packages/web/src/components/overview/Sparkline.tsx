interface SparklineProps {
  /** One value per day, oldest first; null leaves a gap. */
  values: readonly (number | null)[];
  /** Values from this index on are the latest window, drawn strong; earlier ones are faint. */
  highlightFrom: number;
  label: string;
}

const width = 120;
const height = 28;
const pad = 3;

/** A small SVG line of daily values, for a glance at the trend beside a number (the number itself is the text). */
export function Sparkline({ values, highlightFrom, label }: SparklineProps) {
  const present = values.filter((v): v is number => v !== null);
  if (present.length === 0) return null;
  const min = Math.min(...present);
  const span = Math.max(...present) - min || 1;
  const x = (i: number) => pad + (values.length <= 1 ? (width - 2 * pad) / 2 : (i * (width - 2 * pad)) / (values.length - 1));
  const y = (v: number) => height - pad - ((v - min) / span) * (height - 2 * pad);
  // A segment joins two consecutive days that both have a value, so a missing day breaks the line.
  let earlier = '';
  let latest = '';
  const lonely: { i: number; v: number }[] = [];
  values.forEach((v, i) => {
    if (v === null) return;
    const next = values[i + 1];
    const previous = i > 0 ? values[i - 1] : null;
    if (next !== null && next !== undefined) {
      const segment = `M${x(i).toFixed(1)},${y(v).toFixed(1)}L${x(i + 1).toFixed(1)},${y(next).toFixed(1)}`;
      if (i + 1 >= highlightFrom) latest += segment;
      else earlier += segment;
    } else if (previous === null || previous === undefined) {
      lonely.push({ i, v });
    }
  });
  const last = values.length - 1;
  const lastValue = values[last];
  return (
    <svg className="sparkline" viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-label={label}>
      {earlier !== '' && <path d={earlier} className="spark-earlier" />}
      {latest !== '' && <path d={latest} className="spark-latest" />}
      {lonely.map(({ i, v }) => (
        <circle key={i} cx={x(i)} cy={y(v)} r={1.5} className={i >= highlightFrom ? 'spark-dot' : 'spark-dot spark-faint'} />
      ))}
      {lastValue !== null && lastValue !== undefined && <circle cx={x(last)} cy={y(lastValue)} r={2} className="spark-dot" />}
    </svg>
  );
}
