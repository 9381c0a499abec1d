import { useCallback, type ReactNode } from 'react';
import { fetchModels, type Access } from '../api.ts';
import { useQueryParam, writeQueryParams } from '../query-param.ts';
import { useAsync } from '../use-async.ts';
import { EmptyState } from './EmptyState.tsx';
import { ErrorNotice } from './ErrorNotice.tsx';
import { ModelPicker } from './ModelPicker.tsx';

interface ModelPageProps {
  access: Access;
  project: string;
  className: string;
  title: string;
  intro: ReactNode;
  /** Query parameters that belong to one model (its windows, its column): cleared when another model is picked. */
  perModel: readonly string[];
  /** The page's body for the chosen model (`?model=`, else the project's first). */
  children: (model: string) => ReactNode;
}

/** A page about one model: its title, the project's models (loading, error, or how to send the first), a picker, and the body. */
export function ModelPage({ access, project, className, title, intro, perModel, children }: ModelPageProps) {
  const [modelParam] = useQueryParam('model');
  const loadModels = useCallback((signal: AbortSignal) => fetchModels(access, signal), [access]);
  const models = useAsync(loadModels);
  const model = modelParam ?? models.data?.[0]?.model ?? null;
  return (
    <div className={className}>
      <div className="page-title">
        <h1>{title}</h1>
        <p className="muted">{intro}</p>
      </div>
      {models.error !== undefined && <ErrorNotice title="Could not load the models" error={models.error} />}
      {models.loading && (
        <p className="muted" aria-busy="true">
          Loading models…
        </p>
      )}
      {models.data && models.data.length === 0 && <EmptyState origin={window.location.origin} project={project} />}
      {models.data && models.data.length > 0 && model !== null && (
        <>
          <ModelPicker models={models.data} model={model} onChange={(next) => writeQueryParams({ model: next, ...Object.fromEntries(perModel.map((name) => [name, null])) })} />
          {children(model)}
        </>
      )}
    </div>
  );
}
