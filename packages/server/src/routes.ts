import type { Role } from '@outlay/schema';
import type { Store } from '@outlay/store';
import type { Context } from 'hono';
import type { z } from 'zod';
import type { Principal } from './api-keys.js';

/** What a handler gets: the Hono context, the caller, and the project it acts on (resolved and authorised). */
export interface RouteContext {
  c: Context;
  principal: Principal;
  project: string;
}

/**
 * A route declared as data: method, path, the role it needs, and the zod schemas of what it takes and returns.
 * The app, the auth check and the OpenAPI document are all built from this one table.
 */
export interface RouteSpec {
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  summary: string;
  description?: string;
  /** `null`: no key needed; `any`: any valid key. */
  role: Role | 'any' | null;
  /** Whether the route acts on one project (admin keys then name it with `X-Outlay-Project`). */
  scoped: boolean;
  body?: { schema: z.ZodType; contentTypes: string[] };
  query?: z.ZodObject;
  response?: z.ZodType;
  errors?: number[];
  handler: (ctx: RouteContext) => Promise<Response | unknown>;
}

/** What a feature's routes may use (feature-routes.ts mounts them). */
export interface FeatureDeps {
  readonly store: Store;
  readonly log: (line: string) => void;
}
