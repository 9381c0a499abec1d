/**
 * Codes the client raises itself, next to the codes the server sends (`invalid_input`, `unauthorized`,
 * `forbidden`, `payload_too_large`, `busy`, `unavailable`, …).
 */
export type ClientErrorCode = 'network_error' | 'timeout' | 'queue_full' | 'closed' | 'invalid_response' | 'invalid_options';

/**
 * The one error the client throws. `status` is the HTTP status of the last response, or `null` when there
 * was none (network error, timeout, full queue, closed client). `details` is the server's `error.details`,
 * e.g. `{rejected: [{index, id, errors: [{path, message}]}]}` for `invalid_input`.
 */
export class OutlayClientError extends Error {
  readonly status: number | null;
  readonly code: string;
  readonly details: unknown;
  /** How many requests were made before giving up (1 when the error was not retryable). */
  readonly attempts: number;

  constructor(
    code: ClientErrorCode | (string & {}),
    message: string,
    options: { status?: number | null; details?: unknown; attempts?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OutlayClientError';
    this.code = code;
    this.status = options.status ?? null;
    this.details = options.details;
    this.attempts = options.attempts ?? 0;
  }
}
