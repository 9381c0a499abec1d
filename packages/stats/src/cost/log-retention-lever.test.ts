import { describe, expect, it } from 'vitest';
import { logRetentionLever, type LogRetentionInput } from './log-retention-lever.js';

// Hand-worked: 2,000 bytes × 5,000,000 predictions a day = 10 GB a day.
// Hot 30 days holds 300 GB × $0.023 = $6.90; archive 335 days holds 3,350 GB × $0.002 = $6.70; tiered $13.60.
// All 365 days hot: 3,650 GB × $0.023 = $83.95. Saving = 83.95 − 13.60 = $70.35 a month.
const input: LogRetentionInput = {
  bytesPerPrediction: 2_000,
  predictionsPerDay: 5_000_000,
  tiers: [
    { name: 'hot', days: 30, pricePerGbMonthUsd: 0.023 },
    { name: 'archive', days: 335, pricePerGbMonthUsd: 0.002 },
  ],
};

describe('logRetentionLever', () => {
  it('archives after the hot tier and deletes after the last', () => {
    const result = logRetentionLever(input);
    expect(result.details.gb_per_day).toBe(10);
    expect(result.details.retention_days).toBe(365);
    expect(result.details.tiers.map((t) => t.cost_per_month_usd)).toEqual([expect.closeTo(6.9, 9), expect.closeTo(6.7, 9)]);
    expect(result.details.all_hot_per_month_usd).toBeCloseTo(83.95, 9);
    expect(result.saving_usd).toBeCloseTo(70.35, 9);
  });

  it('saves nothing with a single hot tier', () => {
    expect(logRetentionLever({ ...input, tiers: [input.tiers[0]!] }).saving_usd).toBe(0);
  });

  it('refuses to disable logs', () => {
    expect(() => logRetentionLever({ ...input, tiers: [{ name: 'hot', days: 0, pricePerGbMonthUsd: 0.023 }] })).toThrow(RangeError);
    expect(() => logRetentionLever({ ...input, tiers: [] })).toThrow(/never disable logs/);
  });
});
