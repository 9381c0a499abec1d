import type { LeverResult } from './lever-result.js';
import { tieredCost, type PriceTier } from './project-cost.js';

export interface CompressionInput {
  bytesPerPrediction: number;
  predictionsPerMonth: number;
  /** Uncompressed over compressed size (≥ 1), measured on a sample of real payloads. */
  compressionRatio: number;
  /** One price per GB, or graduated tiers (cumulative upper bounds, the last open). */
  bandwidth: number | readonly PriceTier[];
  /** CPU cost of compressing (and decompressing) one million predictions. */
  cpuCostPerMillionUsd: number;
}

export interface CompressionDetails {
  raw_gb: number;
  compressed_gb: number;
  raw_bandwidth_usd: number;
  compressed_bandwidth_usd: number;
  cpu_usd: number;
}

/**
 * Compress payloads before they cross the network: bandwidth for raw GB vs raw GB / ratio (through the tiers, so
 * the GB saved are the dearest-last ones), minus the CPU spent compressing.
 */
export function compressionLever(input: CompressionInput): LeverResult<CompressionDetails> {
  const numbers = { bytesPerPrediction: input.bytesPerPrediction, predictionsPerMonth: input.predictionsPerMonth, cpuCostPerMillionUsd: input.cpuCostPerMillionUsd };
  for (const [name, v] of Object.entries(numbers)) {
    if (!(Number.isFinite(v) && v >= 0)) throw new RangeError(`compressionLever: ${name} must be a finite number ≥ 0, got ${v}`);
  }
  if (!(Number.isFinite(input.compressionRatio) && input.compressionRatio >= 1)) {
    throw new RangeError(`compressionLever: compressionRatio must be a finite number ≥ 1, got ${input.compressionRatio}`);
  }
  const tiers: readonly PriceTier[] = typeof input.bandwidth === 'number' ? [{ upToGb: null, pricePerGbUsd: input.bandwidth }] : input.bandwidth;
  if (tiers.length === 0) throw new RangeError('compressionLever: bandwidth needs a price or at least one tier');
  const rawGb = (input.bytesPerPrediction * input.predictionsPerMonth) / 1e9;
  const compressedGb = rawGb / input.compressionRatio;
  const raw = tieredCost(rawGb, tiers);
  const compressed = tieredCost(compressedGb, tiers);
  const cpu = (input.predictionsPerMonth / 1e6) * input.cpuCostPerMillionUsd;
  return {
    lever: 'compression',
    saving_usd: raw - compressed - cpu,
    per: 'month',
    assumptions: [
      `${input.predictionsPerMonth} predictions a month at ${input.bytesPerPrediction} bytes, compressed ${input.compressionRatio}:1 (measured)`,
      `compressing costs ${input.cpuCostPerMillionUsd} USD of CPU per million predictions; added latency is not priced`,
    ],
    details: { raw_gb: rawGb, compressed_gb: compressedGb, raw_bandwidth_usd: raw, compressed_bandwidth_usd: compressed, cpu_usd: cpu },
  };
}
