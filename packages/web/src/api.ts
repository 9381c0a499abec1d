// HTTP calls to the Outlay server. The web package talks HTTP only, so the response shapes are declared here
// rather than imported from @outlay/schema.

export type Role = 'read' | 'admin' | 'ingest' | (string & {});

export interface WhoAmI {
  project: string;
  role: Role;
  key_id: string;
}

/** Timestamps arrive as ISO-8601 strings; null when the model has no rows yet. */
export type Timestamp = string | null;

export interface ModelSummary {
  model: string;
  predictions: number;
  labels: number;
  first_timestamp: Timestamp;
  last_timestamp: Timestamp;
}

export interface ModelStats {
  predictions: number;
  labels: number;
  first_timestamp: Timestamp;
  last_timestamp: Timestamp;
}

/**
 * What a call needs: the key, and for an admin key that spans every project (`project: "*"`), the project to
 * act on, sent as `X-Outlay-Project`. Other keys belong to one project and send no header.
 */
export interface Access {
  apiKey: string;
  project: string | null;
}

/** Codes the dashboard produces itself; the server's own codes pass through unchanged. */
export type ClientErrorCode = 'network' | 'bad_response';

/** A failed call: the server's `{error: {code, message}}`, or a network/parse failure on our side. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  get unauthorized(): boolean {
    return this.status === 401;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One field the server refused: `path` as zod prints it (`models.0.cost.false_positive`, `webhooks.1`). */
export interface FieldError {
  path: string;
  message: string;
}

/** A refused request whose answer named fields (`details.errors[].path`, or `details.field`): a form shows each message by its field. */
export class FieldApiError extends ApiError {
  constructor(
    status: number,
    code: string,
    message: string,
    readonly fieldErrors: FieldError[],
  ) {
    super(status, code, message);
  }
}

function fieldErrors(details: unknown, message: string): FieldError[] {
  if (!isRecord(details)) return [];
  if (Array.isArray(details.errors)) {
    return details.errors.flatMap((e: unknown) => (isRecord(e) && typeof e.path === 'string' && typeof e.message === 'string' ? [{ path: e.path, message: e.message }] : []));
  }
  // `{details: {field}}` names one field without its own message: the whole message is for it.
  return typeof details.field === 'string' ? [{ path: details.field, message }] : [];
}

async function errorFromResponse(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  try {
    const body: unknown = JSON.parse(text);
    const error = isRecord(body) ? body.error : undefined;
    if (isRecord(error) && typeof error.message === 'string') {
      const code = typeof error.code === 'string' ? error.code : `http_${response.status}`;
      const fields = fieldErrors(error.details, error.message);
      return fields.length > 0 ? new FieldApiError(response.status, code, error.message, fields) : new ApiError(response.status, code, error.message);
    }
  } catch {
    // Not JSON (a proxy's HTML page, say): fall through to the status line, which is all we have.
  }
  const statusLine = `${response.status} ${response.statusText}`.trim();
  return new ApiError(response.status, `http_${response.status}`, `The server answered ${statusLine}.`);
}

/** GET a JSON document from the server, as `access`; a non-2xx answer throws the server's ApiError. */
export function getJson(path: string, access: Access, signal?: AbortSignal): Promise<unknown> {
  return requestJson('GET', path, access, undefined, signal);
}

/** POST a JSON body and read the JSON answer. */
export function postJson(path: string, access: Access, body: unknown, signal?: AbortSignal): Promise<unknown> {
  return requestJson('POST', path, access, body, signal);
}

/** Any request with an optional JSON body; a non-2xx answer throws the server's ApiError (a FieldApiError when it named fields). */
export async function requestJson(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, access: Access, body?: unknown, signal?: AbortSignal): Promise<unknown> {
  const headers: Record<string, string> = { Authorization: `Bearer ${access.apiKey}`, Accept: 'application/json' };
  if (access.project !== null) headers['X-Outlay-Project'] = access.project;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? null : JSON.stringify(body),
      signal: signal ?? null,
    });
  } catch (cause) {
    if (signal?.aborted) throw cause;
    throw new ApiError(0, 'network', 'Could not reach the Outlay server. Is it running?', { cause });
  }
  if (!response.ok) throw await errorFromResponse(response);
  try {
    return await response.json();
  } catch (cause) {
    throw new ApiError(response.status, 'bad_response', `${path} did not return JSON.`, { cause });
  }
}

export function expectRecord(value: unknown, path: string): Record<string, unknown> {
  if (!isRecord(value)) throw new ApiError(200, 'bad_response', `${path} returned ${typeof value}, expected an object.`);
  return value;
}

function field<T>(record: Record<string, unknown>, key: string, is: (v: unknown) => v is T, path: string, expected: string): T {
  const value = record[key];
  if (!is(value)) {
    throw new ApiError(200, 'bad_response', `${path}: field "${key}" is ${JSON.stringify(value)}, expected ${expected}.`);
  }
  return value;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const isTimestamp = (v: unknown): v is Timestamp => v === null || typeof v === 'string';

function parseModelStats(record: Record<string, unknown>, path: string): ModelStats {
  return {
    predictions: field(record, 'predictions', isCount, path, 'a count'),
    labels: field(record, 'labels', isCount, path, 'a count'),
    first_timestamp: field(record, 'first_timestamp', isTimestamp, path, 'a timestamp or null'),
    last_timestamp: field(record, 'last_timestamp', isTimestamp, path, 'a timestamp or null'),
  };
}

/**
 * `GET /v1/whoami`: which project and role the key belongs to (`*` for an admin key over every project).
 * A 401 means the key was not accepted.
 */
export async function fetchWhoAmI(apiKey: string, signal?: AbortSignal): Promise<WhoAmI> {
  const path = '/v1/whoami';
  const body = expectRecord(await getJson(path, { apiKey, project: null }, signal), path);
  return {
    project: field(body, 'project', isString, path, 'a string'),
    role: field(body, 'role', isString, path, 'a string'),
    key_id: field(body, 'key_id', isString, path, 'a string'),
  };
}

/** `GET /v1/models`: every model of the key's project with its prediction and label counts. */
export async function fetchModels(access: Access, signal?: AbortSignal): Promise<ModelSummary[]> {
  const path = '/v1/models';
  const body = expectRecord(await getJson(path, access, signal), path);
  const models = body.models;
  if (!Array.isArray(models)) throw new ApiError(200, 'bad_response', `${path}: field "models" is not an array.`);
  return models.map((item: unknown, index) => {
    const itemPath = `${path} models[${index}]`;
    const record = expectRecord(item, itemPath);
    return { model: field(record, 'model', isString, itemPath, 'a string'), ...parseModelStats(record, itemPath) };
  });
}

/** `GET /v1/models/:model/stats` for one model. */
export async function fetchModelStats(access: Access, model: string, signal?: AbortSignal): Promise<ModelStats> {
  const path = `/v1/models/${encodeURIComponent(model)}/stats`;
  return parseModelStats(expectRecord(await getJson(path, access, signal), path), path);
}
