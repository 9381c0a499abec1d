// How the incident views write evidence and sample rows. Pure: every value ends up as text.

import { formatStatistic } from '../../format.ts';

/** `rate_reset_share` → `rate reset share`. */
export function evidenceLabel(key: string): string {
  return key.replaceAll('_', ' ');
}

/** An evidence number: shares as %, flags as yes/no, ±Infinity-like magnitudes (±1.8e308) as ∞. */
export function formatEvidenceValue(key: string, value: number): string {
  if (!Number.isFinite(value) || Math.abs(value) >= 1e300) return value < 0 ? '−∞' : '∞';
  if (key.endsWith('_significant')) return value === 1 ? 'yes' : value === 0 ? 'no' : formatStatistic(value);
  if (key.endsWith('_share') || key.endsWith('share_of_denominator')) return `${(100 * value).toFixed(1)}%`;
  return formatStatistic(value);
}

/**
 * One cell of a sample row as text: `timestamp_ms` as an ISO time, null as an empty mark, objects as JSON.
 * Never HTML: the result goes into a text node.
 */
export function cellText(column: string, value: unknown): string {
  if (value === null || value === undefined) return '∅';
  if (column === 'timestamp_ms' && typeof value === 'number' && Number.isFinite(value)) return new Date(value).toISOString().replace('.000Z', 'Z');
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return JSON.stringify(value);
}

/** Columns of a set of rows, in first-seen order. */
export function rowColumns(rows: readonly Record<string, unknown>[]): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) seen.add(key);
  return [...seen];
}

/** `+8.8%` for a relative change from `reference` to `current`; a dash when the reference is 0. */
export function formatRelativeChange(reference: number, current: number): string {
  if (reference === 0 || !Number.isFinite(reference) || !Number.isFinite(current)) return '—';
  const change = (current - reference) / Math.abs(reference);
  return `${change >= 0 ? '+' : '−'}${Math.abs(100 * change).toFixed(1)}%`;
}
