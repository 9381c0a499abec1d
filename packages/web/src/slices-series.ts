// Pure helpers of the Slices & mix page: which columns can slice a model, what the URL's controls mean,
// each value's latest share, and the scale of the mix-vs-rate bars.

import type { MetricName } from './health-api.ts';
import type { MixPart, ModelColumn, SlicePoint, SliceSegment } from './slices-api.ts';

export interface SliceColumn {
  name: string;
  source: 'segment' | 'feature';
  type: string;
}

/**
 * The columns a model can be sliced by: its segments first (the config's order, then the rest), then its
 * features; a name carried as both is listed once, as a segment (the server resolves `by` the same way).
 */
export function sliceColumns(columns: readonly ModelColumn[], configSegments: readonly string[] = []): SliceColumn[] {
  const segments = columns.filter((c) => c.source === 'segment');
  const rank = (name: string) => (configSegments.includes(name) ? configSegments.indexOf(name) : configSegments.length);
  const orderedSegments = [...segments].sort((a, b) => rank(a.name) - rank(b.name));
  const seen = new Set<string>();
  const result: SliceColumn[] = [];
  for (const c of [...orderedSegments, ...columns.filter((c) => c.source === 'feature')]) {
    if (seen.has(c.name)) continue;
    seen.add(c.name);
    result.push({ name: c.name, source: c.source as 'segment' | 'feature', type: c.type });
  }
  return result;
}

export const sliceMetrics: readonly MetricName[] = ['error_rate', 'business_cost_per_1k', 'label_coverage', 'mean_score', 'latency_p95_ms', 'mae'];

/** `?metric=` on the slices page: one of sliceMetrics, error_rate by default. */
export function parseSliceMetric(text: string | null): MetricName {
  return sliceMetrics.includes(text as MetricName) ? (text as MetricName) : 'error_rate';
}

/** `?top=`: how many values, 1–20, 8 by default. */
export function parseTop(text: string | null): number {
  const value = text === null ? Number.NaN : Number(text);
  return Number.isInteger(value) && value >= 1 && value <= 20 ? value : 8;
}

/** The latest window of a segment with a share (the value's traffic share there), or null. */
export function latestShare(points: readonly SlicePoint[]): SlicePoint | null {
  for (let i = points.length - 1; i >= 0; i -= 1) if (points[i]!.share !== null) return points[i]!;
  return null;
}

/** The latest window of a segment with a metric value, or null. */
export function latestValue(points: readonly SlicePoint[]): SlicePoint | null {
  for (let i = points.length - 1; i >= 0; i -= 1) if (points[i]!.value !== null) return points[i]!;
  return null;
}

/** The value as the page writes it: strings as they are, other scalars as JSON text. */
export function segmentLabel(segment: Pick<SliceSegment, 'value'>): string {
  return typeof segment.value === 'string' ? segment.value : String(segment.value);
}

/** Per window, the share of traffic of every value outside the top ones: 1 − Σ shares, never below 0. */
export function otherShares(segments: readonly SliceSegment[]): (number | null)[] {
  const length = segments[0]?.points.length ?? 0;
  return Array.from({ length }, (_, i) => {
    const shares = segments.map((s) => s.points[i]?.share ?? null);
    if (shares.every((s) => s === null)) return null;
    return Math.max(0, 1 - shares.reduce<number>((sum, s) => sum + (s ?? 0), 0));
  });
}

/** The largest |mix part| or |rate part| of the values, for bars on one scale; 0 when there is none. */
export function mixScale(parts: readonly MixPart[]): number {
  return parts.reduce((max, p) => Math.max(max, Math.abs(p.mix_part ?? 0), Math.abs(p.rate_part ?? 0)), 0);
}

/** A bar's length as a percentage of half the track (bars grow left for negative, right for positive). */
export function barPercent(value: number | null, scale: number): number {
  if (value === null || scale <= 0) return 0;
  return Math.min(100, (Math.abs(value) / scale) * 100);
}
