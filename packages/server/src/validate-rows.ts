import { fieldIssues, type RejectedRow } from '@outlay/schema';
import type { z } from 'zod';

/** Splits raw rows into valid ones (parsed) and rejected ones with every reason, by row index. */
export function validateRows<S extends z.ZodType>(
  schema: S,
  rows: unknown[],
  fill?: (row: Record<string, unknown>) => void,
): { valid: z.output<S>[]; rejected: RejectedRow[] } {
  const valid: z.output<S>[] = [];
  const rejected: RejectedRow[] = [];
  rows.forEach((raw, index) => {
    if (fill && raw !== null && typeof raw === 'object' && !Array.isArray(raw)) fill(raw as Record<string, unknown>);
    const result = schema.safeParse(raw);
    if (result.success) valid.push(result.data);
    else {
      const id = raw !== null && typeof raw === 'object' && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : null;
      rejected.push({ index, id, errors: fieldIssues(result.error) });
    }
  });
  return { valid, rejected };
}
