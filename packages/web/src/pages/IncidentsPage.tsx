import type { Access } from '../api.ts';

interface IncidentsPageProps {
  access: Access;
  project: string;
}

/** Incidents (being built). */
export function IncidentsPage({ access, project }: IncidentsPageProps) {
  void access;
  void project;
  return (
    <div className="page-title">
      <h1>Incidents</h1>
    </div>
  );
}
