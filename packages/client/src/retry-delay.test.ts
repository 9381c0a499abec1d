import { describe, expect, it } from 'vitest';
import { parseRetryAfterMs, retryDelayMs } from './retry-delay.js';

describe('retryDelayMs', () => {
  const base = { baseDelayMs: 100, maxDelayMs: 1000 };

  it('draws uniformly below a ceiling that doubles per attempt', () => {
    expect(retryDelayMs({ ...base, attempt: 0, random: () => 0.999 })).toBe(99);
    expect(retryDelayMs({ ...base, attempt: 2, random: () => 0.5 })).toBe(200);
    expect(retryDelayMs({ ...base, attempt: 3, random: () => 0 })).toBe(0);
  });

  it('caps the ceiling at maxDelayMs', () => {
    expect(retryDelayMs({ ...base, attempt: 30, random: () => 0.5 })).toBe(500);
  });

  it('never waits less than Retry-After asks', () => {
    expect(retryDelayMs({ ...base, attempt: 0, random: () => 0.5, retryAfterMs: 2000 })).toBe(2000);
    expect(retryDelayMs({ ...base, attempt: 3, random: () => 0.5, retryAfterMs: 10 })).toBe(400);
  });
});

describe('parseRetryAfterMs', () => {
  const nowMs = Date.parse('2024-03-01T10:00:00Z');

  it('reads delay-seconds', () => {
    expect(parseRetryAfterMs('2', nowMs)).toBe(2000);
    expect(parseRetryAfterMs(' 0 ', nowMs)).toBe(0);
    expect(parseRetryAfterMs('1.5', nowMs)).toBe(1500);
  });

  it('reads an HTTP date relative to now, and a past date as no wait', () => {
    expect(parseRetryAfterMs('Fri, 01 Mar 2024 10:00:05 GMT', nowMs)).toBe(5000);
    expect(parseRetryAfterMs('Fri, 01 Mar 2024 09:00:00 GMT', nowMs)).toBe(0);
    // asctime format (RFC 9110 §5.6.7) carries no zone but means GMT.
    expect(parseRetryAfterMs('Fri Mar  1 10:00:07 2024', nowMs)).toBe(7000);
  });

  it('returns undefined for a missing or unreadable header', () => {
    expect(parseRetryAfterMs(null, nowMs)).toBeUndefined();
    expect(parseRetryAfterMs('soon', nowMs)).toBeUndefined();
    expect(parseRetryAfterMs('-3', nowMs)).toBeUndefined();
  });
});
