import type { Access } from '../api.ts';

interface CostsPageProps {
  access: Access;
  project: string;
}

/** Costs (being built). */
export function CostsPage({ access, project }: CostsPageProps) {
  void access;
  void project;
  return (
    <div className="page-title">
      <h1>Costs</h1>
    </div>
  );
}
