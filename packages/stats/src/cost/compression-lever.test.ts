import { describe, expect, it } from 'vitest';
import { compressionLever, type CompressionInput } from './compression-lever.js';

// Hand-worked: 50,000 bytes × 100,000,000 predictions = 5,000 GB a month.
// Tiers: first 1,000 GB at $0.09, the rest at $0.05. Raw: 90 + 4,000 × 0.05 = $290.
// Compressed 4:1 → 1,250 GB: 90 + 250 × 0.05 = $102.50. CPU: 100 million × $0.50 = $50.
// Saving = 290 − 102.50 − 50 = $137.50 a month.
const input: CompressionInput = {
  bytesPerPrediction: 50_000,
  predictionsPerMonth: 100_000_000,
  compressionRatio: 4,
  bandwidth: [
    { upToGb: 1_000, pricePerGbUsd: 0.09 },
    { upToGb: null, pricePerGbUsd: 0.05 },
  ],
  cpuCostPerMillionUsd: 0.5,
};

describe('compressionLever', () => {
  it('saves bandwidth through the tiers minus the CPU spent compressing', () => {
    const result = compressionLever(input);
    expect(result.details.raw_gb).toBe(5_000);
    expect(result.details.compressed_gb).toBe(1_250);
    expect(result.details.raw_bandwidth_usd).toBeCloseTo(290, 9);
    expect(result.details.compressed_bandwidth_usd).toBeCloseTo(102.5, 9);
    expect(result.details.cpu_usd).toBeCloseTo(50, 9);
    expect(result.saving_usd).toBeCloseTo(137.5, 9);
  });

  it('takes a single price per GB and loses when the CPU costs more than the bytes', () => {
    // 5,000 GB × $0.01 = $50 raw, $12.50 compressed, $50 CPU → −$12.50.
    expect(compressionLever({ ...input, bandwidth: 0.01 }).saving_usd).toBeCloseTo(-12.5, 9);
  });

  it('refuses a ratio below 1', () => {
    expect(() => compressionLever({ ...input, compressionRatio: 0.5 })).toThrow(/compressionRatio must be a finite number ≥ 1/);
  });
});
