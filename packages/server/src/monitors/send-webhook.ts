export interface WebhookOptions {
  /** Attempts in all, the first included (default 3). */
  attempts: number;
  /** Per attempt, after which it is aborted (default 5,000 ms). */
  timeoutMs: number;
  /** Wait before the second attempt; doubles each time (default 500 ms). */
  backoffMs: number;
}

export const defaultWebhookOptions: WebhookOptions = { attempts: 3, timeoutMs: 5000, backoffMs: 500 };

export interface WebhookResult {
  delivered: boolean;
  attempts: number;
  httpStatus: number | null;
  error: string | null;
}

/**
 * POSTs a JSON payload, retrying a timeout, a network error, a 5xx, 408 or 429 with exponential backoff
 * (backoffMs · 2^k) up to `attempts`; another 4xx is final (the receiver refused the payload). Never throws:
 * the result says what happened. Worst case it takes attempts × timeoutMs + backoffMs · (2^(attempts−1) − 1).
 */
export async function sendWebhook(url: string, payload: unknown, options: WebhookOptions = defaultWebhookOptions): Promise<WebhookResult> {
  const body = JSON.stringify(payload);
  let httpStatus: number | null = null;
  let error: string | null = null;
  for (let attempt = 1; attempt <= options.attempts; attempt++) {
    try {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(options.timeoutMs) });
      httpStatus = response.status;
      await response.body?.cancel();
      if (response.ok) return { delivered: true, attempts: attempt, httpStatus, error: null };
      error = `HTTP ${response.status}`;
      if (response.status < 500 && response.status !== 408 && response.status !== 429) return { delivered: false, attempts: attempt, httpStatus, error };
    } catch (caught) {
      httpStatus = null;
      const e = caught as Error;
      error = e.name === 'TimeoutError' || e.name === 'AbortError' ? `timed out after ${options.timeoutMs} ms` : `${e.message}${e.cause instanceof Error ? `: ${e.cause.message}` : ''}`;
    }
    if (attempt < options.attempts) await new Promise((resolve) => setTimeout(resolve, options.backoffMs * 2 ** (attempt - 1)));
  }
  return { delivered: false, attempts: options.attempts, httpStatus, error };
}
