import { OutlayError } from '@outlay/schema';
import type { z } from 'zod';

/**
 * Validates a query or body with its zod schema; a failure is a 400 naming each field and what was expected
 * (`root` names an issue with the value as a whole). The one such check of every route.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, what: string, root = '(root)'): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const errors = result.error.issues.map((i) => ({ path: i.path.map(String).join('.') || root, message: i.message }));
    throw new OutlayError('invalid_input', `invalid ${what}: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, { details: { errors } });
  }
  return result.data;
}

/** An instant given as ISO 8601, a date, or epoch milliseconds, in epoch milliseconds. */
export function parseInstant(value: string, field: string): number {
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) throw new OutlayError('invalid_input', `${field}: expected an ISO 8601 time or epoch milliseconds, got "${value}"`);
  return ms;
}
