import { OutlayError } from '@outlay/schema';
import type { Store, Window } from '@outlay/store';
import { parseInstant } from '../parse-input.js';
import { windowMs } from './window-starts.js';

/**
 * The [from, to) a series request covers: `from` and `to` as given (ISO 8601 or epoch ms), else up to the model's
 * last prediction and 30 windows back. A model the project does not have is a 404.
 */
export async function requestedRange(store: Store, project: string, model: string, query: { from?: string | undefined; to?: string | undefined; window: Window }): Promise<{ fromMs: number; toMs: number }> {
  const stats = await store.modelStats(project, model);
  if (!stats) throw new OutlayError('not_found', `no model "${model}" in project "${project}"`);
  const toMs = query.to !== undefined ? parseInstant(query.to, 'to') : stats.last_timestamp !== null ? Date.parse(stats.last_timestamp) + 1 : Date.now();
  const fromMs = query.from !== undefined ? parseInstant(query.from, 'from') : toMs - 30 * windowMs[query.window];
  return { fromMs, toMs };
}
