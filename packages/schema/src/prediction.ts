import { z } from 'zod';
import { limits } from './limits.js';

/** A finite number: JSON has no NaN or Infinity, but JS callers and NDJSON writers sometimes send them. */
export const FiniteNumber = z.number().refine(Number.isFinite, { message: 'expected a finite number (NaN and Infinity are refused)' });

export const Name = z.string().min(1).max(limits.maxNameLength);

export const FeatureValue = z.union([FiniteNumber, z.string().max(limits.maxStringLength), z.boolean(), z.null()]);
export type FeatureValue = z.infer<typeof FeatureValue>;

/** ISO 8601 with a zone (`2024-03-01T10:00:00Z`) or epoch milliseconds. */
const timestampError = 'expected an ISO 8601 time with a zone (2026-01-31T12:00:00Z) or epoch milliseconds';
export const Timestamp = z.union(
  [z.iso.datetime({ offset: true, local: false, error: timestampError }), z.number().int({ error: timestampError }).nonnegative({ error: timestampError })],
  { error: timestampError },
);
export type Timestamp = z.infer<typeof Timestamp>;

export const Features = z
  .record(z.string().min(1).max(limits.maxNameLength), FeatureValue)
  .refine((f) => Object.keys(f).length <= limits.maxFeaturesPerRow, {
    message: `at most ${limits.maxFeaturesPerRow} features per row`,
  });

export const SegmentValue = z.union([z.string().max(limits.maxStringLength), FiniteNumber, z.boolean(), z.null()]);

export const Prediction = z.strictObject({
  id: z.string().min(1).max(limits.maxIdLength),
  model: Name,
  model_version: z.string().max(limits.maxNameLength).optional(),
  timestamp: Timestamp,
  features: Features.default({}),
  prediction: z.union([FiniteNumber, z.string().max(limits.maxStringLength), z.boolean()]),
  score: FiniteNumber.min(0).max(1).optional(),
  scores: z.record(z.string().min(1).max(limits.maxNameLength), FiniteNumber.min(0).max(1)).optional(),
  interval: z.tuple([FiniteNumber, FiniteNumber]).optional(),
  segments: z.record(z.string().min(1).max(limits.maxNameLength), SegmentValue).optional(),
  latency_ms: FiniteNumber.nonnegative().optional(),
  stage: z.record(z.string().min(1).max(limits.maxNameLength), z.union([z.boolean(), FiniteNumber, z.string().max(limits.maxStringLength)])).optional(),
  customer: z.string().max(limits.maxNameLength).optional(),
});
export type Prediction = z.infer<typeof Prediction>;

export const LabelSource = z.enum(['ground_truth', 'annotation']);
export type LabelSource = z.infer<typeof LabelSource>;

export const Label = z.strictObject({
  id: z.string().min(1).max(limits.maxIdLength),
  label: z.union([FiniteNumber, z.string().max(limits.maxStringLength), z.boolean()]),
  timestamp: Timestamp,
  source: LabelSource.default('ground_truth'),
});
export type Label = z.infer<typeof Label>;

/** Converts a validated timestamp to epoch milliseconds. */
export function timestampMs(value: Timestamp): number {
  return typeof value === 'number' ? value : Date.parse(value);
}
