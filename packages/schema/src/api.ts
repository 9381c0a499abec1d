import { z } from 'zod';
import { Name } from './prediction.js';

export const Role = z.enum(['ingest', 'read', 'admin']);
export type Role = z.infer<typeof Role>;

export const ModelStats = z.object({
  predictions: z.number().int(),
  labels: z.number().int(),
  first_timestamp: z.string().nullable(),
  last_timestamp: z.string().nullable(),
});
export type ModelStats = z.infer<typeof ModelStats>;

export const ModelSummary = ModelStats.extend({ model: Name });
export type ModelSummary = z.infer<typeof ModelSummary>;

export const ModelList = z.object({ models: z.array(ModelSummary) });

export const RejectedRow = z.object({
  index: z.number().int(),
  id: z.string().nullable(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })),
});
export type RejectedRow = z.infer<typeof RejectedRow>;

export const IngestResult = z.object({
  received: z.number().int(),
  accepted: z.number().int(),
  duplicates: z.number().int(),
  rejected: z.array(RejectedRow),
});
export type IngestResult = z.infer<typeof IngestResult>;

export const KeyCreateRequest = z.strictObject({
  project: Name.regex(/^[a-z0-9][a-z0-9_-]*$/, 'lowercase letters, digits, _ and -'),
  role: Role,
  name: z.string().max(128).optional(),
});

export const KeyInfo = z.object({
  id: z.string(),
  project: z.string(),
  role: Role,
  name: z.string().nullable(),
  prefix: z.string(),
  created_at: z.string(),
  revoked_at: z.string().nullable(),
});
export type KeyInfo = z.infer<typeof KeyInfo>;

export const KeyCreated = KeyInfo.extend({ key: z.string() });

export const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;
