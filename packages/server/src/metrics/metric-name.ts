import { z } from 'zod';

/** The metrics a model's series and its monitors can be computed on. */
export const MetricName = z.enum(['predictions', 'label_coverage', 'error_rate', 'business_cost_per_1k', 'mean_score', 'latency_p95_ms', 'mae']);
export type MetricName = z.infer<typeof MetricName>;

/** What a window's value is computed from: its size decides `insufficient_data` and the weight in smoothing. */
export const metricSample: Record<MetricName, { basis: 'none' | 'rows' | 'labelled' | 'non_null'; weighted: boolean; rate: boolean }> = {
  predictions: { basis: 'none', weighted: false, rate: false },
  label_coverage: { basis: 'rows', weighted: true, rate: true },
  error_rate: { basis: 'labelled', weighted: true, rate: true },
  business_cost_per_1k: { basis: 'labelled', weighted: true, rate: false },
  mean_score: { basis: 'non_null', weighted: true, rate: false },
  // A quantile is not a mean of rows: each window counts as one observation in smoothing.
  latency_p95_ms: { basis: 'non_null', weighted: false, rate: false },
  mae: { basis: 'labelled', weighted: true, rate: false },
};
