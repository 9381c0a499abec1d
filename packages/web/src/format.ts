// How numbers and times are written on the dashboard. Pure, so the table and the stats panel agree.

const countFormat = new Intl.NumberFormat('en-US');
const shareFormat = new Intl.NumberFormat('en-US', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });

export function formatCount(count: number): string {
  return countFormat.format(count);
}

/** Labelled share = labels / predictions; a dash when there are no predictions to label. */
export function formatLabelledShare(labels: number, predictions: number): string {
  if (predictions <= 0) return '—';
  return shareFormat.format(labels / predictions);
}

/** `2026-01-01T00:00:00.000Z` → `2026-01-01 00:00:00 UTC`; unparseable text is shown as sent, null as a dash. */
export function formatTimestamp(timestamp: string | null): string {
  if (timestamp === null || timestamp === '') return '—';
  const date = new Date(timestamp);
  if (Number.isNaN(date.getTime())) return timestamp;
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

const usdFormat = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
const usdCentsFormat = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const usdSmallFormat = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumSignificantDigits: 3 });

/** Dollars: whole dollars from $100 up, cents below, three significant digits under a dollar ($0.0123). */
export function formatUsd(usd: number): string {
  if (!Number.isFinite(usd)) return '—';
  const size = Math.abs(usd);
  if (size >= 100) return usdFormat.format(usd);
  if (size >= 1 || usd === 0) return usdCentsFormat.format(usd);
  return usdSmallFormat.format(usd);
}

/** A statistic (drift score, p-value, threshold): four significant digits, scientific when tiny or huge. */
export function formatStatistic(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—';
  if (value === 0) return '0';
  const size = Math.abs(value);
  if (size < 1e-3 || size >= 1e6) return value.toExponential(2);
  return String(Number(value.toPrecision(4)));
}

/** A share in [0, 1] as a percentage with one decimal; a dash for null. */
export function formatShare(share: number | null): string {
  if (share === null || !Number.isFinite(share)) return '—';
  return shareFormat.format(share);
}

/** A multiple of the base volume: 1×, 10×, 1,000×. */
export function formatScale(scale: number): string {
  return `${countFormat.format(scale)}×`;
}
