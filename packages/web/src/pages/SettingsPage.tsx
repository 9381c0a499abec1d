import { useCallback, useEffect, useState } from 'react';
import { fetchModels, type Access } from '../api.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { AlertsSection } from '../components/settings/AlertsSection.tsx';
import { FunnelSection } from '../components/settings/FunnelSection.tsx';
import { KeysSection } from '../components/settings/KeysSection.tsx';
import { ModelsSection } from '../components/settings/ModelsSection.tsx';
import { MonitorsSection } from '../components/settings/MonitorsSection.tsx';
import { PriorsSection } from '../components/settings/PriorsSection.tsx';
import type { SaveConfig } from '../components/settings/SaveStatus.tsx';
import { useWhoAmI } from '../components/settings/use-whoami.ts';
import { fetchAlerts, fetchConfig, fetchMonitors, updateConfig } from '../settings-api.ts';
import { useAsync } from '../use-async.ts';
import './incidents-page.css';
import './settings-page.css';

interface SettingsPageProps {
  access: Access;
  project: string;
}

/** Everything the project config holds, and keys, monitors and alerts: editable with an admin key, shown otherwise. */
export function SettingsPage({ access, project }: SettingsPageProps) {
  const whoami = useWhoAmI(access);
  const isAdmin = whoami.data?.role === 'admin';
  const [version, setVersion] = useState(0);
  const [alertsVersion, setAlertsVersion] = useState(0);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  const reloadAlerts = useCallback(() => setAlertsVersion((v) => v + 1), []);

  // `version` is read so that a save or an evaluation loads every section again.
  const loadConfig = useCallback(
    (signal: AbortSignal) => {
      void version;
      return fetchConfig(access, signal);
    },
    [access, version],
  );
  const loadMonitors = useCallback(
    (signal: AbortSignal) => {
      void version;
      void alertsVersion;
      return Promise.all([fetchMonitors(access, signal), fetchAlerts(access, signal)]);
    },
    [access, version, alertsVersion],
  );
  const loadModels = useCallback((signal: AbortSignal) => fetchModels(access, signal), [access]);
  const config = useAsync(loadConfig);
  const monitors = useAsync(loadMonitors);
  const models = useAsync(loadModels);

  const save = useCallback<SaveConfig>(
    async (change) => {
      await updateConfig(access, change);
      reload();
    },
    [access, reload],
  );

  // Webhook deliveries run in the background after an evaluation: look again until none is pending.
  const pendingDeliveries = monitors.data?.[1].some((alert) => alert.notifications.some((n) => n.status === 'pending')) ?? false;
  useEffect(() => {
    if (!pendingDeliveries || monitors.loading) return;
    const timer = setTimeout(reloadAlerts, 2000);
    return () => clearTimeout(timer);
  }, [pendingDeliveries, monitors.loading, reloadAlerts]);

  const configured = config.data?.models.map((m) => m.name) ?? [];
  const withData = models.data?.map((m) => m.model) ?? [];
  const unconfigured = withData.filter((m) => !configured.includes(m));
  const monitorModels = [...configured, ...unconfigured];

  return (
    <div className="settings-page">
      <div className="page-title">
        <h1>Settings</h1>
        <p className="muted">
          Project <strong>{project}</strong>: API keys, the business cost of each model's errors, known factors, funnel stages, priors, monitors and
          alerts.
        </p>
      </div>
      {whoami.data !== undefined && !isAdmin && (
        <p className="notice notice-info read-only-note" role="note">
          You are signed in with a {whoami.data.role} key, so these settings are read-only. Sign in with an admin key to change settings.
        </p>
      )}
      {whoami.error !== undefined && <ErrorNotice title="Could not check your key's role" error={whoami.error} />}
      <nav className="settings-toc" aria-label="Settings sections">
        <a href="#keys">API keys</a>
        <a href="#models">Models</a>
        <a href="#funnel">Funnel</a>
        <a href="#priors">Priors</a>
        <a href="#monitors">Monitors</a>
        <a href="#alerts">Alerts</a>
      </nav>

      {isAdmin ? (
        <KeysSection access={access} project={project} />
      ) : (
        <section className="card settings-section" id="keys" aria-labelledby="settings-keys-title">
          <h2 id="settings-keys-title">API keys</h2>
          <p className="muted">Keys are listed and managed with an admin key only.</p>
        </section>
      )}

      {config.error !== undefined && !config.data && <ErrorNotice title="Could not load the project config" error={config.error} />}
      {config.loading && !config.data && (
        <p className="muted" aria-busy="true">
          Loading the project config…
        </p>
      )}
      {config.data && whoami.data !== undefined && (
        <>
          <ModelsSection config={config.data} unconfigured={unconfigured} editable={isAdmin} save={save} />
          <FunnelSection config={config.data} editable={isAdmin} save={save} />
          <PriorsSection config={config.data} editable={isAdmin} save={save} />
        </>
      )}

      {monitors.error !== undefined && !monitors.data && <ErrorNotice title="Could not load the monitors and alerts" error={monitors.error} />}
      {monitors.loading && !monitors.data && (
        <p className="muted" aria-busy="true">
          Loading monitors and alerts…
        </p>
      )}
      {monitors.data && whoami.data !== undefined && (
        <>
          <MonitorsSection access={access} monitors={monitors.data[0]} alerts={monitors.data[1]} models={monitorModels} editable={isAdmin} onChanged={reload} />
          <AlertsSection alerts={monitors.data[1]} refreshing={monitors.loading} onRefresh={reloadAlerts} />
        </>
      )}
    </div>
  );
}
