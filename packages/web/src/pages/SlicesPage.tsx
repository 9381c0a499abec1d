import type { Access } from '../api.ts';

interface SlicesPageProps {
  access: Access;
  project: string;
}

/** Slices & mix (being built). */
export function SlicesPage({ access, project }: SlicesPageProps) {
  void access;
  void project;
  return (
    <div className="page-title">
      <h1>Slices &amp; mix</h1>
    </div>
  );
}
