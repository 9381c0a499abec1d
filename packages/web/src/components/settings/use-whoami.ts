import { useCallback } from 'react';
import { fetchWhoAmI, type Access, type WhoAmI } from '../../api.ts';
import { useAsync, type AsyncState } from '../../use-async.ts';

/**
 * Who the signed-in key is (`GET /v1/whoami`), so a page can offer edits to admin keys only. The pages get the
 * key, not the whoami the dashboard already holds, so they ask again (a cheap call).
 */
export function useWhoAmI(access: Access): AsyncState<WhoAmI> {
  const load = useCallback((signal: AbortSignal) => fetchWhoAmI(access.apiKey, signal), [access.apiKey]);
  return useAsync(load);
}
