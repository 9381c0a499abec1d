import { useCallback, useEffect, useState } from 'react';

// View state that should survive a reload and be shareable as a link (`?model=…`, `?project=…`) lives in the
// query string. Each change is a history entry, so Back returns to the previous selection.

function readQueryParam(name: string): string | null {
  const value = new URLSearchParams(window.location.search).get(name);
  return value === '' ? null : value;
}

/**
 * Sets several query parameters in one history entry; null removes one. `replace` rewrites the current entry
 * instead, for controls that change continuously (a slider being dragged should not fill the Back button).
 */
export function writeQueryParams(values: Record<string, string | null>, options: { replace?: boolean } = {}): void {
  const url = new URL(window.location.href);
  for (const [name, value] of Object.entries(values)) {
    if (value === null) url.searchParams.delete(name);
    else url.searchParams.set(name, value);
  }
  if (url.href !== window.location.href) {
    if (options.replace) window.history.replaceState(null, '', url);
    else window.history.pushState(null, '', url);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }
}

/** The value of one query parameter, kept in step with Back/Forward and with writeQueryParams. */
export function useQueryParam(name: string): [string | null, (value: string | null, options?: { replace?: boolean }) => void] {
  const [value, setValue] = useState(() => readQueryParam(name));

  useEffect(() => {
    const onPopState = () => setValue(readQueryParam(name));
    window.addEventListener('popstate', onPopState);
    return () => window.removeEventListener('popstate', onPopState);
  }, [name]);

  const write = useCallback((next: string | null, options?: { replace?: boolean }) => writeQueryParams({ [name]: next }, options), [name]);
  return [value, write];
}
