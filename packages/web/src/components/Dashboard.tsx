import { useMemo } from 'react';
import type { Access, WhoAmI } from '../api.ts';
import { CostsPage } from '../pages/CostsPage.tsx';
import { DriftPage } from '../pages/DriftPage.tsx';
import { HealthPage } from '../pages/HealthPage.tsx';
import { IncidentsPage } from '../pages/IncidentsPage.tsx';
import { ScalePage } from '../pages/ScalePage.tsx';
import { SettingsPage } from '../pages/SettingsPage.tsx';
import { SlicesPage } from '../pages/SlicesPage.tsx';
import { useQueryParam, writeQueryParams } from '../query-param.ts';
import { Overview } from './Overview.tsx';
import { PageNav, parsePage } from './PageNav.tsx';

/** whoami's project for an admin key that is not tied to one project. */
const allProjects = '*';
const defaultProject = 'demo';

interface DashboardProps {
  apiKey: string;
  whoami: WhoAmI;
  onUnauthorized: () => void;
}

/** The signed-in dashboard: the page named in the URL (`?page=`), with the model and time range kept across pages. */
export function Dashboard({ apiKey, whoami, onUnauthorized }: DashboardProps) {
  const [pageParam] = useQueryParam('page');
  const [projectParam] = useQueryParam('project');
  const page = parsePage(pageParam);
  const spansProjects = whoami.project === allProjects;
  const project = spansProjects ? (projectParam ?? defaultProject) : whoami.project;
  const access = useMemo<Access>(() => ({ apiKey, project: spansProjects ? project : null }), [apiKey, spansProjects, project]);

  return (
    <>
      <PageNav current={page} onSelect={(next) => writeQueryParams({ page: next === 'overview' ? null : next })} />
      {page === 'overview' && <Overview apiKey={apiKey} whoami={whoami} onUnauthorized={onUnauthorized} />}
      {page === 'drift' && <DriftPage key={project} access={access} project={project} />}
      {page === 'health' && <HealthPage key={project} access={access} project={project} />}
      {page === 'slices' && <SlicesPage key={project} access={access} project={project} />}
      {page === 'costs' && <CostsPage key={project} access={access} project={project} />}
      {page === 'scale' && <ScalePage access={access} />}
      {page === 'incidents' && <IncidentsPage key={project} access={access} project={project} />}
      {page === 'settings' && <SettingsPage key={project} access={access} project={project} />}
    </>
  );
}
