import type { Access } from '../api.ts';

interface HealthPageProps {
  access: Access;
  project: string;
}

/** Model health (being built). */
export function HealthPage({ access, project }: HealthPageProps) {
  void access;
  void project;
  return (
    <div className="page-title">
      <h1>Model health</h1>
    </div>
  );
}
