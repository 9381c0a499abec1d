import type { Access } from '../api.ts';

interface SettingsPageProps {
  access: Access;
  project: string;
}

/** Settings (being built). */
export function SettingsPage({ access, project }: SettingsPageProps) {
  void access;
  void project;
  return (
    <div className="page-title">
      <h1>Settings</h1>
    </div>
  );
}
