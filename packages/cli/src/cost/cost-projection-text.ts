import type { CostProjection } from '@outlay/stats';

/** A projection as a table a person reads: one row per scale, money per month and per 1,000 predictions. */
export function costProjectionText(projection: CostProjection & { serving_price: { price_per_hour_usd: number; source: string } }): string {
  const usd = (x: number) => `$${x.toLocaleString('en-US', { maximumFractionDigits: 0 })}`;
  const per1k = (x: number | null) => (x === null ? '—' : `$${(x * 1000).toFixed(4)}`);
  const count = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 0 });
  const header = ['scale', 'predictions/mo', 'instances', 'total/mo', 'per 1k', 'marginal per 1k', 'variable/mo', 'fixed/mo'];
  const rows = projection.scales.map((s) => [
    `${s.scale.volume}×` + (s.scale.velocity === 1 ? '' : ` v${s.scale.velocity}`) + (s.scale.variety === s.scale.volume ? '' : ` c${s.scale.variety}`),
    count(s.predictions_per_month),
    String(s.instances),
    usd(s.total_usd),
    per1k(s.per_prediction_usd),
    per1k(s.marginal_per_prediction_usd),
    usd(s.variable_usd),
    usd(s.fixed_usd),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const last = projection.scales.at(-1)!;
  const buckets = Object.entries(last.by_bucket)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => `${k} ${usd(v)}`)
    .join(', ');
  const trend = projection.marginal_rises_then_falls
    ? 'marginal cost per prediction rises, then falls'
    : projection.marginal_trend.length === 0
      ? 'give three or more scales to see the trend of marginal cost'
      : `marginal cost per prediction goes ${projection.marginal_trend.join(', ')}`;
  return [
    `${projection.scenario}: ${projection.hours_per_month} hours a month, instances at $${projection.serving_price.price_per_hour_usd}/hour (${projection.serving_price.source})`,
    line(header),
    ...rows.map(line),
    `at ${last.scale.volume}×: ${buckets}`,
    trend,
  ].join('\n');
}
