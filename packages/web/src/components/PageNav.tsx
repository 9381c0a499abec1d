import type { MouseEvent } from 'react';

export type PageName = 'overview' | 'health' | 'slices' | 'drift' | 'costs' | 'scale' | 'incidents' | 'settings';

export const pages: { name: PageName; title: string }[] = [
  { name: 'overview', title: 'Overview' },
  { name: 'health', title: 'Model health' },
  { name: 'slices', title: 'Slices & mix' },
  { name: 'drift', title: 'Drift' },
  { name: 'costs', title: 'Costs' },
  { name: 'scale', title: 'Scale & scenarios' },
  { name: 'incidents', title: 'Incidents' },
  { name: 'settings', title: 'Settings' },
];

export function parsePage(value: string | null): PageName {
  return pages.some((p) => p.name === value) ? (value as PageName) : 'overview';
}

interface PageNavProps {
  current: PageName;
  onSelect: (page: PageName) => void;
}

/** Links that keep the rest of the query string (model, project, time range), so a page switch keeps context. */
export function PageNav({ current, onSelect }: PageNavProps) {
  const hrefFor = (page: PageName) => {
    const url = new URL(window.location.href);
    url.searchParams.set('page', page);
    return `${url.pathname}${url.search}`;
  };
  const follow = (event: MouseEvent<HTMLAnchorElement>, page: PageName) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    onSelect(page);
  };
  return (
    <nav className="page-nav" aria-label="Pages">
      {pages.map((page) => (
        <a key={page.name} href={hrefFor(page.name)} aria-current={page.name === current ? 'page' : undefined} onClick={(event) => follow(event, page.name)}>
          {page.title}
        </a>
      ))}
    </nav>
  );
}
