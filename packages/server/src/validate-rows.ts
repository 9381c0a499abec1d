import { fieldIssues, type RejectedRow } from '@outlay/schema';
import type { z } from 'zod';

/** Splits raw rows into valid ones (parsed) and rejected ones with every reason, by row index. */
export function validateRows<S extends z.ZodType>(
  schema: S,
  rows: unknown[],
  fill?: (row: Record<string, unknown>) => void,
  /** A faster check that accepts only rows the schema accepts unchanged; others go to the schema. */
  fastCheck?: (row: unknown) => boolean,
): { valid: z.output<S>[]; rejected: RejectedRow[] } {
  const valid: z.output<S>[] = [];
  const rejected: RejectedRow[] = [];
  rows.forEach((raw, index) => {
    if (fill && raw !== null && typeof raw === 'object' && !Array.isArray(raw)) fill(raw as Record<string, unknown>);
    if (fastCheck?.(raw)) {
      valid.push(raw as z.output<S>);
      return;
    }
    const result = schema.safeParse(raw);
    if (result.success) valid.push(result.data);
    else {
      const id = raw !== null && typeof raw === 'object' && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : null;
      rejected.push({ index, id, errors: fieldIssues(result.error) });
    }
  });
  return { valid, rejected };
}
