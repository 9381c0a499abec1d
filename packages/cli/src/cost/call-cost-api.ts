import { randomBytes } from 'node:crypto';
import { OutlayError } from '@outlay/schema';
import { ApiKeys, createApp } from '@outlay/server';
import type { CostDestination } from './import-focus.js';
import { openLocalStore } from './open-local-store.js';

export interface CostApiResponse {
  status: number;
  body: unknown;
}

/**
 * One request to the cost API, either to a running server or answered in-process by the same routes over the
 * embedded store in a data directory (so `--data` and `--server` give the same answers and the same checks).
 */
export async function callCostApi(destination: CostDestination, project: string, request: { method: 'GET' | 'POST'; path: string; body?: unknown }): Promise<CostApiResponse> {
  const init = (key: string): RequestInit => ({
    method: request.method,
    // An ingest or read key names its project; an admin key needs it said (X-Outlay-Project).
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'x-outlay-project': project },
    ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
  });
  if (destination.kind === 'server') {
    let response: Response;
    try {
      response = await fetch(`${destination.url.replace(/\/$/, '')}${request.path}`, init(destination.key));
    } catch (error) {
      throw new Error(`cannot reach the Outlay server at ${destination.url} (${(error as Error).message}); is \`outlay serve\` running?`, { cause: error });
    }
    return { status: response.status, body: await response.json().catch(() => null) };
  }
  const store = await openLocalStore(destination.dataDir, 'go');
  try {
    // A key that lives only for this call: the in-process app checks it like any other admin key.
    const key = randomBytes(24).toString('hex');
    const { app } = createApp({ store, keys: new ApiKeys(store, key) });
    const response = await app.request(request.path, init(key));
    return { status: response.status, body: await response.json().catch(() => null) };
  } finally {
    await store.close();
  }
}

/** The body of a 2xx answer; otherwise the server's message as bad input (4xx) or a failure (5xx). */
export function expectOk<T>(response: CostApiResponse, what: string): T {
  if (response.status >= 200 && response.status < 300) return response.body as T;
  const message = (response.body as { error?: { message?: string } } | null)?.error?.message ?? `HTTP ${response.status}`;
  if (response.status >= 400 && response.status < 500) throw new OutlayError('invalid_input', `${what}: ${message}`);
  throw new Error(`${what} failed (${response.status}): ${message}`);
}
