/** Machine-readable error codes, each with the HTTP status it maps to. */
export const errorStatus = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  busy: 429,
  internal: 500,
  unavailable: 503,
} as const;
export type ErrorCode = keyof typeof errorStatus;

/**
 * The one error type of Outlay: a code, the HTTP status it maps to, and details a program can read.
 * Servers turn it into `{error: {code, message, details}}`; the CLI into a one-line message and exit code 2.
 */
export class OutlayError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, options: { details?: unknown; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OutlayError';
    this.code = code;
    this.status = errorStatus[code];
    this.details = options.details;
  }
}
