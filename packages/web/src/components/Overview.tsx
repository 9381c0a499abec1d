import { useCallback, useEffect, useMemo } from 'react';
import { ApiError, fetchModels, type Access, type WhoAmI } from '../api.ts';
import { useQueryParam, writeQueryParams } from '../query-param.ts';
import { refreshIntervalMs } from '../refresh-interval.ts';
import { usePolling } from '../use-polling.ts';
import { EmptyState } from './EmptyState.tsx';
import { ErrorNotice } from './ErrorNotice.tsx';
import { ModelStatsPanel } from './ModelStatsPanel.tsx';
import { ModelsTable } from './ModelsTable.tsx';
import { MoneyOverview } from './overview/MoneyOverview.tsx';
import { ProjectPicker } from './ProjectPicker.tsx';

/** whoami's project for an admin key that is not tied to one project. */
const allProjects = '*';
const defaultProject = 'demo';

interface OverviewProps {
  apiKey: string;
  whoami: WhoAmI;
  onUnauthorized: () => void;
}

export function Overview({ apiKey, whoami, onUnauthorized }: OverviewProps) {
  const [selectedModel, selectModel] = useQueryParam('model');
  const [projectParam] = useQueryParam('project');
  const spansProjects = whoami.project === allProjects;
  const project = spansProjects ? (projectParam ?? defaultProject) : whoami.project;

  const access = useMemo<Access>(() => ({ apiKey, project: spansProjects ? project : null }), [apiKey, spansProjects, project]);
  const loadModels = useCallback((signal: AbortSignal) => fetchModels(access, signal), [access]);
  const models = usePolling(loadModels, refreshIntervalMs);

  const unauthorized = models.error instanceof ApiError && models.error.unauthorized;
  useEffect(() => {
    if (unauthorized) onUnauthorized();
  }, [unauthorized, onUnauthorized]);

  return (
    <div className="overview">
      <div className="page-title">
        <h1>Overview</h1>
        <p className="muted">
          Models in project <strong>{project}</strong>, refreshed every {refreshIntervalMs / 1000} s
          {models.updatedAt && <> · updated {models.updatedAt.toLocaleTimeString()}</>}
        </p>
      </div>
      {spansProjects && (
        <ProjectPicker project={project} onChange={(next) => writeQueryParams({ project: next, model: null })} />
      )}

      {models.error !== undefined && !unauthorized && (
        <ErrorNotice
          title={models.data ? 'Could not refresh the models; showing the last answer' : 'Could not load the models'}
          error={models.error}
        />
      )}
      {models.loading && (
        <p className="muted" aria-busy="true">
          Loading models…
        </p>
      )}
      {models.data && models.data.length === 0 && <EmptyState origin={window.location.origin} project={project} />}
      {models.data && models.data.length > 0 && (
        <ModelsTable models={models.data} selectedModel={selectedModel} onSelect={selectModel} />
      )}
      {selectedModel !== null && (
        <ModelStatsPanel
          key={`${project}\u0000${selectedModel}`}
          access={access}
          model={selectedModel}
          onClose={() => selectModel(null)}
        />
      )}
      {models.data && models.data.length > 0 && <MoneyOverview key={project} access={access} models={models.data} />}
    </div>
  );
}
