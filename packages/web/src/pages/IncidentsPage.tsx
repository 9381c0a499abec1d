import { useCallback } from 'react';
import { fetchModels, type Access } from '../api.ts';
import { EmptyState } from '../components/EmptyState.tsx';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { IncidentDetail } from '../components/incidents/IncidentDetail.tsx';
import { IncidentList } from '../components/incidents/IncidentList.tsx';
import { OpenIncidentForm } from '../components/incidents/OpenIncidentForm.tsx';
import { useWhoAmI } from '../components/settings/use-whoami.ts';
import { fetchIncidents } from '../incidents-api.ts';
import { useQueryParam, writeQueryParams } from '../query-param.ts';
import { useAsync } from '../use-async.ts';
import './incidents-page.css';

interface IncidentsPageProps {
  access: Access;
  project: string;
}

/** Incidents: the list, "Open an incident" (admin), and one incident in full (`?incident=ID`). */
export function IncidentsPage({ access, project }: IncidentsPageProps) {
  const [incidentParam] = useQueryParam('incident');
  const whoami = useWhoAmI(access);
  const isAdmin = whoami.data?.role === 'admin';
  const open = (id: string | null) => writeQueryParams({ incident: id });

  return (
    <div className="incidents-page">
      <div className="page-title">
        <h1>Incidents</h1>
        <p className="muted">When a model gets worse, why? Each incident ranks the slices that explain the change, names the failure type, and keeps the rows to reproduce it.</p>
      </div>
      {incidentParam !== null ? (
        <IncidentDetail key={incidentParam} access={access} id={incidentParam} isAdmin={isAdmin} onBack={() => open(null)} />
      ) : (
        <IncidentOverview access={access} project={project} isAdmin={isAdmin} roleKnown={whoami.data !== undefined} onOpen={open} />
      )}
    </div>
  );
}

interface IncidentOverviewProps {
  access: Access;
  project: string;
  isAdmin: boolean;
  roleKnown: boolean;
  onOpen: (id: string) => void;
}

function IncidentOverview({ access, project, isAdmin, roleKnown, onOpen }: IncidentOverviewProps) {
  const [modelParam] = useQueryParam('model');
  const loadIncidents = useCallback((signal: AbortSignal) => fetchIncidents(access, signal), [access]);
  const incidents = useAsync(loadIncidents);
  const loadModels = useCallback((signal: AbortSignal) => fetchModels(access, signal), [access]);
  const models = useAsync(loadModels);
  const withData = models.data?.filter((m) => m.predictions > 0) ?? [];

  return (
    <>
      {models.data && models.data.length === 0 && <EmptyState origin={window.location.origin} project={project} />}
      {isAdmin && withData.length > 0 && <OpenIncidentForm access={access} models={withData} initialModel={modelParam} onOpened={(incident) => onOpen(incident.id)} />}
      {roleKnown && !isAdmin && (
        <p className="notice notice-info" role="note">
          Sign in with an admin key to open incidents and confirm their causes. A monitor that fires opens one by itself.
        </p>
      )}
      {models.error !== undefined && <ErrorNotice title="Could not load the models" error={models.error} />}
      <section className="card incident-list-card" aria-labelledby="incident-list-title">
        <h2 id="incident-list-title">All incidents</h2>
        {incidents.error !== undefined && <ErrorNotice title="Could not load the incidents" error={incidents.error} />}
        {incidents.loading && !incidents.data && (
          <p className="muted" aria-busy="true">
            Loading incidents…
          </p>
        )}
        {incidents.data && incidents.data.length === 0 && (
          <div className="empty-incidents">
            <p>No incidents yet in project {project}.</p>
            <p className="muted">
              {isAdmin
                ? 'Open one above on two windows of a model, or let a monitor open one when it fires (Settings → Monitors).'
                : 'An admin opens one on two windows of a model, or a monitor opens one when it fires.'}
            </p>
          </div>
        )}
        {incidents.data && incidents.data.length > 0 && <IncidentList incidents={incidents.data} onOpen={onOpen} />}
      </section>
    </>
  );
}
