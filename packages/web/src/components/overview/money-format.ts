// Money written for people where format.ts has no fitting formatter (format.ts is shared; these are the money
// panels' own).

import { formatUsd } from '../../format.ts';

const perDollarFormat = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 3, maximumFractionDigits: 3 });

/** Cost per revenue dollar with three decimals ($0.049), which whole cents would round away; a dash for null. */
export function formatPerDollar(usd: number | null): string {
  if (usd === null || !Number.isFinite(usd)) return '—';
  return perDollarFormat.format(usd);
}

/** Dollars or a dash for null. */
export function formatUsdOrDash(usd: number | null): string {
  return usd === null ? '—' : formatUsd(usd);
}
