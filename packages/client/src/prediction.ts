// Plain interfaces for what a client sends. They mirror the zod input types of `@outlay/schema`
// (packages/schema/src/prediction.ts) field for field; the client declares them itself so that it has no
// runtime dependency (no zod) and can be copied into any TypeScript project.

export type FeatureValue = number | string | boolean | null;

/** ISO 8601 with a zone (`2024-03-01T10:00:00Z`, `2024-03-01T11:00:00+01:00`) or epoch milliseconds. */
export type Timestamp = string | number;

export type SegmentValue = string | number | boolean | null;

export interface Prediction {
  /** Unique per prediction: the idempotency key, and the key labels join on. */
  id: string;
  model: string;
  model_version?: string;
  timestamp: Timestamp;
  /** The server stores `{}` when omitted. */
  features?: Record<string, FeatureValue>;
  prediction: number | string | boolean;
  /** Probability of the positive class, 0..1. */
  score?: number;
  /** Class → probability, each 0..1. */
  scores?: Record<string, number>;
  /** `[low, high]` for regressors. */
  interval?: [number, number];
  segments?: Record<string, SegmentValue>;
  latency_ms?: number;
  stage?: Record<string, boolean | number | string>;
  customer?: string;
}

export type LabelSource = 'ground_truth' | 'annotation';

export interface Label {
  /** The `id` of the prediction this label belongs to. */
  id: string;
  label: number | string | boolean;
  timestamp: Timestamp;
  /** The server stores `ground_truth` when omitted. */
  source?: LabelSource;
}
