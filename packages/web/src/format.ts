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
