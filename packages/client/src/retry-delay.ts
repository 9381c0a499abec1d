export interface RetryDelayOptions {
  /** 0 for the first retry. */
  attempt: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Uniform on [0, 1); injectable so that tests are deterministic. */
  random: () => number;
  /** What the server asked for with `Retry-After`, if it did. */
  retryAfterMs?: number | undefined;
}

/**
 * How long to wait before a retry: exponential backoff with full jitter (a uniform draw on
 * [0, min(max, base · 2^attempt)], AWS Architecture Blog, "Exponential Backoff and Jitter", 2015), so that
 * many clients pushed back at once do not come back at once. A `Retry-After` from the server is a floor: it
 * knows how far behind its writes are, the client does not.
 */
export function retryDelayMs(options: RetryDelayOptions): number {
  const ceilingMs = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** options.attempt);
  const jitterMs = Math.floor(options.random() * ceilingMs);
  return Math.max(jitterMs, options.retryAfterMs ?? 0);
}

/**
 * Reads a `Retry-After` header: delay-seconds (`"2"`) or an HTTP date (RFC 9110 §10.2.3).
 * Returns `undefined` when the header is missing or unreadable, so the caller falls back to its backoff.
 * @example parseRetryAfterMs('2', Date.now()) // 2000
 */
export function parseRetryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // An HTTP date names its weekday and month; V8 would read bare numbers such as "-3" as a year.
  if (!/[a-z]/i.test(text)) return undefined;
  // HTTP dates are in GMT; asctime-style dates say so nowhere, and Date.parse would read them as local time.
  const atMs = Date.parse(/GMT|UTC|Z$/.test(text) ? text : `${text} GMT`);
  if (Number.isNaN(atMs)) return undefined;
  return Math.max(0, atMs - nowMs);
}
