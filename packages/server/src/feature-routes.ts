import type { Store } from '@outlay/store';
import type { RouteSpec } from './routes.js';

/** What a feature's routes may use. */
export interface FeatureDeps {
  readonly store: Store;
  readonly log: (line: string) => void;
}

/**
 * Routes of the product's features beyond ingest and keys (monitors, costs, …), each feature a folder with a
 * `routes.ts` returning its RouteSpecs: one line here per feature. createApp mounts them behind the same
 * authentication, error mapping and OpenAPI document as its own routes.
 */
export function featureRoutes(_deps: FeatureDeps): RouteSpec[] {
  return [];
}
