import type { MouseEvent, ReactNode } from 'react';
import { writeQueryParams } from '../../query-param.ts';

interface PageLinkProps {
  /** Query parameters to set (null removes one); the rest of the URL (project, time range) is kept. */
  params: Record<string, string | null>;
  children: ReactNode;
}

function hrefFor(params: Record<string, string | null>): string {
  const url = new URL(window.location.href);
  for (const [name, value] of Object.entries(params)) {
    if (value === null) url.searchParams.delete(name);
    else url.searchParams.set(name, value);
  }
  return `${url.pathname}${url.search}`;
}

/** A link to another page of the dashboard that switches in place, as the page tabs do, and still opens in a new tab. */
export function PageLink({ params, children }: PageLinkProps) {
  const follow = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    writeQueryParams(params);
  };
  return (
    <a href={hrefFor(params)} onClick={follow}>
      {children}
    </a>
  );
}
