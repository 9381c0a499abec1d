import type { z } from 'zod';

export interface FieldIssue {
  path: string;
  message: string;
}

/** Flattens zod issues into `{path, message}` with dotted paths (`features.age`). */
export function fieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(row)',
    message: issue.message,
  }));
}
