import type { WhoAmI } from '../api.ts';

interface AppHeaderProps {
  whoami: WhoAmI | undefined;
  onSignOut: (() => void) | undefined;
}

export function AppHeader({ whoami, onSignOut }: AppHeaderProps) {
  return (
    <header className="app-header">
      <span className="brand">Outlay</span>
      {whoami && (
        <span className="identity">
          {whoami.project === '*' ? (
            <strong>all projects</strong>
          ) : (
            <>
              project <strong>{whoami.project}</strong>
            </>
          )}
          <span className="badge">{whoami.role}</span>
        </span>
      )}
      {onSignOut && (
        <button type="button" className="sign-out" onClick={onSignOut}>
          Sign out
        </button>
      )}
    </header>
  );
}
