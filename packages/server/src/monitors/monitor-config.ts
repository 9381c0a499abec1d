import { Monitor, OutlayError, ProjectConfig } from '@outlay/schema';
import type { Store } from '@outlay/store';
import { withLock } from './with-lock.js';

/** A monitor as the API shows it: always with an id. */
export type MonitorWithId = Monitor & { id: string };

const REGISTRY_KEY = 'monitor_projects';

/** Monitors written through PUT /v1/config may lack an id: they get one from their name. */
export function monitorId(monitor: Monitor): string {
  return monitor.id ?? (monitor.name.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64) || 'monitor');
}

export async function listMonitors(store: Store, project: string): Promise<MonitorWithId[]> {
  const config = await store.getConfig(project);
  return (config?.monitors ?? []).map((m) => ({ ...m, id: monitorId(m) }));
}

export async function findMonitor(store: Store, project: string, id: string): Promise<MonitorWithId> {
  const found = (await listMonitors(store, project)).find((m) => m.id === id);
  if (!found) throw new OutlayError('not_found', `no monitor "${id}" in project "${project}"`);
  return found;
}

/**
 * Changes the project's monitors in its config (read, change, write under one lock) and remembers the project
 * so the scheduler finds it.
 */
export async function updateMonitors<T>(store: Store, project: string, change: (monitors: MonitorWithId[]) => { monitors: MonitorWithId[]; result: T }): Promise<T> {
  return withLock(store, `config:${project}`, async () => {
    const config = (await store.getConfig(project)) ?? ProjectConfig.parse({});
    const { monitors, result } = change(config.monitors.map((m) => ({ ...m, id: monitorId(m) })));
    await store.putConfig(project, { ...config, monitors: monitors.map((m) => Monitor.parse(m)) });
    await withLock(store, REGISTRY_KEY, async () => {
      const known = await monitorProjects(store);
      if (!known.includes(project)) await store.setMeta(REGISTRY_KEY, JSON.stringify([...known, project].sort()));
    });
    return result;
  });
}

/** Projects that may have monitors: those whose monitors were written through the API, and every project with a key. */
export async function monitorProjects(store: Store, withKeys = false): Promise<string[]> {
  const raw = await store.getMeta(REGISTRY_KEY);
  const registered = raw === null ? [] : (JSON.parse(raw) as string[]);
  if (!withKeys) return registered;
  const keyed = (await store.listKeys()).map((k) => k.project).filter((p) => p !== '*');
  return [...new Set([...registered, ...keyed])].sort();
}
