export { createApp, type AppOptions } from './create-app.js';
export { ApiKeys, type Principal } from './api-keys.js';
export { startServer, type ServerOptions, type RunningServer } from './start-server.js';
export { openApiDocument } from './openapi.js';
export type { RouteSpec } from './routes.js';
export { openStore, resolveStore, type StoreSpec, type ResolvedStore } from './open-store.js';
