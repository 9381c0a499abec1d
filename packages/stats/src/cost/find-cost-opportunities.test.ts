import { describe, expect, it } from 'vitest';
import { findCostOpportunities } from './find-cost-opportunities.js';

// Hand-worked serving: 4 replicas at $2/h over 4 hours with 360, 3,600, 720 and 0 predictions of 1 s each, a
// replica at most 50% busy (1,800 predictions an hour). Needed: ⌈n / 1800⌉, at least 1 → 1, 2, 1, 1; peak 2.
// Idle: (4 − 2) × 4 h × $2 = $16. Peak-to-mean: 2 × 4 = 8 replica-hours held vs 1 + 2 + 1 + 1 = 5 → 3 × $2 = $6.
const serving = [{ model: 'fraud', replicas: 4, pricePerReplicaHourUsd: 2, hourlyPredictions: [360, 3600, 720, 0], meanServiceSeconds: 1 }];

describe('findCostOpportunities', () => {
  it('finds idle capacity above the peak and the peak-to-mean gap, hand-worked', () => {
    const found = findCostOpportunities({ serving, targetUtilisation: 0.5 });
    expect(found.map((o) => [o.rank, o.kind, o.saving_usd])).toEqual([
      [1, 'idle_capacity', 16],
      [2, 'peak_to_mean', 6],
    ]);
    expect(found[0]!.cost_usd).toBe(32);
    expect(found[1]!.data).toMatchObject({ replicas_for_peak: 2, replica_hours_at_peak: 8, replica_hours_autoscaled: 5, peak_hour_predictions: 3600, mean_hour_predictions: 1170 });
    expect(found[1]!.data.peak_to_mean).toBeCloseTo(3600 / 1170, 12);
    expect(found[0]!.assumptions.join(' ')).toMatch(/50% busy/);
  });

  it('ranks spot training, redundant predictions and retention by their saving in dollars', () => {
    const found = findCostOpportunities({
      serving,
      targetUtilisation: 0.5,
      onDemandTrainingCostUsd: 1000,
      spotDiscount: 0.7,
      redundant: { variableComputeCostUsd: 500, duplicateShare: 0.2, predictions: 10_000 },
      storage: { costUsd: 120, retainedMonths: 12, hotMonths: 3 },
    });
    expect(found.map((o) => o.kind)).toEqual(['spot_training', 'redundant_predictions', 'retention', 'idle_capacity', 'peak_to_mean']);
    // Spot: elapsed T = 1.05 / (1 − 0.05 × (0.5 + 0.1)) = 1.082474 per hour of work at 30% of the price.
    expect(found[0]!.saving_usd).toBeCloseTo(1000 - (1000 * 0.3 * 1.05) / 0.97, 9);
    expect(found[1]!.saving_usd).toBeCloseTo(100, 12);
    expect(found[1]!.data.redundant_predictions).toBe(2000);
    // Retention: 9 of 12 months archivable, at 0.00099 / 0.023 of the price.
    expect(found[2]!.saving_usd).toBeCloseTo(120 * 0.75 * (1 - 0.00099 / 0.023), 12);
  });

  it('lists nothing where nothing can be saved', () => {
    expect(findCostOpportunities({ serving: [{ ...serving[0]!, replicas: 1, hourlyPredictions: [100, 100] }] })).toEqual([]);
    expect(findCostOpportunities({ redundant: { variableComputeCostUsd: 500, duplicateShare: 0, predictions: 10 } })).toEqual([]);
  });

  it('refuses impossible input', () => {
    expect(() => findCostOpportunities({ targetUtilisation: 0 })).toThrow(/targetUtilisation/);
    expect(() => findCostOpportunities({ storage: { costUsd: 1, retainedMonths: 1, hotMonths: 3 } })).toThrow(/retainedMonths/);
  });
});
