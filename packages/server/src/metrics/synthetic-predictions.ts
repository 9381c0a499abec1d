import type { Label, Prediction } from '@outlay/schema';
import { mulberry32 } from '@outlay/stats';

export interface SyntheticOptions {
  model: string;
  /** First day, 00:00 UTC. */
  startMs: number;
  days: number;
  rowsPerOriginPerDay: number;
  origins: string[];
  /** Chance a prediction is wrong, per origin and day start. */
  errorRate: (origin: string, dayStartMs: number) => number;
  /** Share of predictions that get a label (default 1). */
  labelShare?: number;
  seed: number;
  idPrefix?: string;
}

/**
 * Seeded binary-classifier traffic for tests and the monitor checks: per day and origin, rows at random times
 * of the day, a true class (30 % positive), a prediction wrong with the given chance, a score on the predicted
 * side, a latency, and labels for a share of the rows.
 */
export function syntheticPredictions(options: SyntheticOptions): { predictions: Prediction[]; labels: Label[] } {
  const random = mulberry32(options.seed);
  const predictions: Prediction[] = [];
  const labels: Label[] = [];
  const labelShare = options.labelShare ?? 1;
  for (let day = 0; day < options.days; day++) {
    const dayStartMs = options.startMs + day * 86_400_000;
    for (const origin of options.origins) {
      const error = options.errorRate(origin, dayStartMs);
      for (let i = 0; i < options.rowsPerOriginPerDay; i++) {
        const id = `${options.idPrefix ?? 'p'}${day}-${origin}-${i}`;
        const truth = random() < 0.3 ? 1 : 0;
        const predicted = random() < error ? 1 - truth : truth;
        const timestampMs = dayStartMs + Math.floor(random() * 86_400_000);
        predictions.push({
          id,
          model: options.model,
          timestamp: new Date(timestampMs).toISOString(),
          features: { distance: Math.round(100 + 2000 * random()) },
          prediction: predicted,
          score: predicted === 1 ? 0.5 + 0.5 * random() : 0.5 * random(),
          segments: { origin },
          latency_ms: Math.round(10 + 90 * random()),
        });
        if (random() < labelShare) labels.push({ id, label: truth, timestamp: new Date(timestampMs + 3_600_000).toISOString(), source: 'ground_truth' });
      }
    }
  }
  return { predictions, labels };
}
