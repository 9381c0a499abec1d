import { describe, expect, it } from 'vitest';
import type { ProjectionScenario } from './project-cost.js';
import { samplingRateLever } from './sampling-rate-lever.js';

// A camera fleet scoring every frame at 24 fps: 24 × 86,400 × 30 × 10 cameras ≈ 622M frames a month.
const fleet: ProjectionScenario = {
  volume: { predictionsPerMonth: 24 * 86_400 * 30 * 10, peakToMean: 1.2 },
  serving: { serviceMs: 20, p99Ms: 200, instancePricePerHourUsd: 1.006, minInstances: 1 },
  bandwidth: { bytesPerPrediction: 100_000, tiers: [{ upToGb: null, pricePerGbUsd: 0.09 }] },
};

describe('samplingRateLever', () => {
  it('cuts bandwidth in proportion and instances in whole steps going from 24 to 4 fps', () => {
    const result = samplingRateLever(fleet, 4 / 24);
    const { current, proposed } = result.details;
    expect(result.details.proposed_predictions_per_month).toBeCloseTo(current.predictions_per_month / 6, 6);
    const bandwidth = (s: typeof current) => s.lines.find((l) => l.name === 'bandwidth')!.cost_usd;
    // 622,080,000 × 100 kB = 62,208 GB × $0.09 = 5,598.72; at 4 fps a sixth of it.
    expect(bandwidth(current)).toBeCloseTo(5_598.72, 6);
    expect(bandwidth(proposed)).toBeCloseTo(5_598.72 / 6, 6);
    expect(Number.isInteger(proposed.instances)).toBe(true);
    expect(proposed.instances).toBeLessThan(current.instances);
    expect(result.saving_usd).toBeCloseTo(current.total_usd - proposed.total_usd, 9);
    expect(result.saving_usd).toBeGreaterThan(0);
    expect(result.assumptions.join(' ')).toMatch(/accuracy/);
  });

  it('saves nothing at the current rate and refuses a rate above 1', () => {
    expect(samplingRateLever(fleet, 1).saving_usd).toBe(0);
    expect(() => samplingRateLever(fleet, 1.5)).toThrow(/proposedRate must be in \(0, 1\]/);
  });
});
