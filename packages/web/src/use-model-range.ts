import { useCallback, useMemo } from 'react';
import { fetchModelStats, type Access, type ModelStats } from './api.ts';
import { useQueryParam } from './query-param.ts';
import { firstDays, lastDays, parseWindow, type DayWindow } from './time-range.ts';
import { useAsync, type AsyncState } from './use-async.ts';

export interface ModelRange {
  stats: AsyncState<ModelStats>;
  /** The time picker's presets: the last `days` days of the data, its last week, all of it; null before the stats or without data. */
  presets: { recent: DayWindow; week: DayWindow; all: DayWindow } | null;
  /** `from`/`to` of the URL when valid, else the last `days` days of the model's data. */
  range: DayWindow | null;
}

/** A model's statistics and the time range a page shows it over (shared through the URL's `from` and `to`). */
export function useModelRange(access: Access, model: string, days: number): ModelRange {
  const loadStats = useCallback((signal: AbortSignal) => fetchModelStats(access, model, signal), [access, model]);
  const stats = useAsync(loadStats);
  const [from] = useQueryParam('from');
  const [to] = useQueryParam('to');
  const first = stats.data?.first_timestamp ?? null;
  const last = stats.data?.last_timestamp ?? null;
  const presets = useMemo(
    () => (first !== null && last !== null ? { recent: lastDays(first, last, days), week: lastDays(first, last, 7), all: firstDays(first, last, 100_000) } : null),
    [first, last, days],
  );
  const range = useMemo(() => parseWindow(from, to) ?? presets?.recent ?? null, [from, to, presets]);
  return { stats, presets, range };
}
