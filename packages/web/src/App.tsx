import { useCallback, useEffect, useState } from 'react';
import { ApiError, fetchWhoAmI, type WhoAmI } from './api.ts';
import { clearApiKey, forgetSession, loadApiKey, saveApiKey } from './api-key-storage.ts';
import { AppHeader } from './components/AppHeader.tsx';
import { ErrorNotice } from './components/ErrorNotice.tsx';
import { LoginForm } from './components/LoginForm.tsx';
import { Dashboard } from './components/Dashboard.tsx';

type Session =
  | { status: 'signed-out'; notice?: string }
  | { status: 'checking'; apiKey: string; error?: unknown }
  | { status: 'signed-in'; apiKey: string; whoami: WhoAmI };

const dashboardRoles = new Set(['read', 'admin']);

const keyNotAccepted = 'That key was not accepted.';

/** Why the dashboard cannot use a key with this role, or null when it can. */
function roleProblem(whoami: WhoAmI): string | null {
  if (dashboardRoles.has(whoami.role)) return null;
  return `That key has the role "${whoami.role}"; the dashboard needs a read or admin key.`;
}

function initialSession(): Session {
  const apiKey = loadApiKey();
  return apiKey === null ? { status: 'signed-out' } : { status: 'checking', apiKey };
}

export function App() {
  const [session, setSession] = useState<Session>(initialSession);

  // A key found in sessionStorage is checked again before any data is shown: it may have been revoked.
  const checkingKey = session.status === 'checking' && session.error === undefined ? session.apiKey : null;
  useEffect(() => {
    if (checkingKey === null) return;
    const controller = new AbortController();
    fetchWhoAmI(checkingKey, controller.signal).then(
      (whoami) => {
        if (controller.signal.aborted) return;
        const problem = roleProblem(whoami);
        if (problem === null) {
          setSession({ status: 'signed-in', apiKey: checkingKey, whoami });
        } else {
          clearApiKey();
          setSession({ status: 'signed-out', notice: problem });
        }
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        if (error instanceof ApiError && error.unauthorized) {
          clearApiKey();
          setSession({ status: 'signed-out', notice: keyNotAccepted });
        } else {
          setSession({ status: 'checking', apiKey: checkingKey, error });
        }
      },
    );
    return () => controller.abort();
  }, [checkingKey]);

  const signIn = useCallback(async (apiKey: string): Promise<string | null> => {
    let whoami: WhoAmI;
    try {
      whoami = await fetchWhoAmI(apiKey);
    } catch (error) {
      if (error instanceof ApiError && error.unauthorized) return keyNotAccepted;
      return error instanceof Error ? error.message : String(error);
    }
    const problem = roleProblem(whoami);
    if (problem !== null) return problem;
    saveApiKey(apiKey);
    setSession({ status: 'signed-in', apiKey, whoami });
    return null;
  }, []);

  const signOut = useCallback((notice?: string) => {
    forgetSession();
    setSession(notice === undefined ? { status: 'signed-out' } : { status: 'signed-out', notice });
  }, []);

  const onUnauthorized = useCallback(() => signOut('That key is no longer accepted. Sign in again.'), [signOut]);

  return (
    <div className="app">
      <AppHeader
        whoami={session.status === 'signed-in' ? session.whoami : undefined}
        onSignOut={session.status === 'signed-out' ? undefined : () => signOut()}
      />
      <main className="main">
        {session.status === 'signed-out' && <LoginForm notice={session.notice} onSubmit={signIn} />}
        {session.status === 'checking' &&
          (session.error === undefined ? (
            <p className="muted" aria-busy="true">
              Checking your key…
            </p>
          ) : (
            <ErrorNotice title="Could not check your key" error={session.error}>
              <button type="button" onClick={() => setSession({ status: 'checking', apiKey: session.apiKey })}>
                Try again
              </button>
            </ErrorNotice>
          ))}
        {session.status === 'signed-in' && (
          <Dashboard apiKey={session.apiKey} whoami={session.whoami} onUnauthorized={onUnauthorized} />
        )}
      </main>
    </div>
  );
}
