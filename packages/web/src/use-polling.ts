import { useEffect, useState } from 'react';

export interface Polled<T> {
  data: T | undefined;
  error: unknown;
  /** True until the first answer (data or error) for the current inputs. */
  loading: boolean;
  updatedAt: Date | undefined;
}

/**
 * Calls `load` now and every `intervalMs`, keeping the last good data while a refresh is in flight or fails.
 * `load` must be stable between renders (wrap it in useCallback); a new `load` starts over.
 */
export function usePolling<T>(load: (signal: AbortSignal) => Promise<T>, intervalMs: number): Polled<T> {
  const [state, setState] = useState<Polled<T>>({ data: undefined, error: undefined, loading: true, updatedAt: undefined });

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    setState({ data: undefined, error: undefined, loading: true, updatedAt: undefined });

    const tick = async () => {
      try {
        const data = await load(controller.signal);
        if (!controller.signal.aborted) setState({ data, error: undefined, loading: false, updatedAt: new Date() });
      } catch (error) {
        if (!controller.signal.aborted) setState((previous) => ({ ...previous, error, loading: false }));
      }
      // Schedule after the answer, not on a fixed clock, so a slow server never has two requests from us at once.
      if (!controller.signal.aborted) timer = setTimeout(() => void tick(), intervalMs);
    };
    void tick();

    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [load, intervalMs]);

  return state;
}
