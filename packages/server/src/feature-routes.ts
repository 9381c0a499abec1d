import type { FeatureDeps, RouteSpec } from './routes.js';
import { costRoutes } from './cost/routes.js';
import { costLedgerRoutes } from './costs/routes.js';
import { dashboardRoutes } from './dashboard/routes.js';
import { funnelRoutes } from './funnel/routes.js';
import { incidentRoutes } from './incidents/routes.js';
import { metricsRoutes } from './metrics/routes.js';
import { sliceRoutes } from './metrics/slice-routes.js';
import { monitorRoutes } from './monitors/routes.js';

export type { FeatureDeps } from './routes.js';

/**
 * Routes of the product's features beyond ingest and keys (monitors, costs, …), each feature a folder with a
 * `routes.ts` returning its RouteSpecs: one line here per feature. createApp mounts them behind the same
 * authentication, error mapping and OpenAPI document as its own routes.
 */
export function featureRoutes(deps: FeatureDeps): RouteSpec[] {
  return [
    ...costRoutes(deps),
    ...costLedgerRoutes(deps),
    ...dashboardRoutes(deps),
    ...funnelRoutes(deps),
    ...incidentRoutes(deps),
    ...metricsRoutes(deps),
    ...monitorRoutes(deps),
    ...sliceRoutes(deps),
  ];
}
