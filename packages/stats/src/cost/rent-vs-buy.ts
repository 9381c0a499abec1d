import { amortisationSchedule } from './amortisation.js';
import type { LeverResult } from './lever-result.js';

export interface RentVsBuyInput {
  /** Price of one server. */
  capexUsd: number;
  salvageUsd: number;
  lifeMonths: number;
  gpusPerServer: number;
  /** Electrical draw of the server at full load. */
  powerKw: number;
  /** Share of full-load power drawn when idle; 1 (always full power) unless given. */
  idlePowerShare?: number;
  pricePerKwhUsd: number;
  /** Power usage effectiveness of the facility (≥ 1): total facility energy over IT energy. */
  pue: number;
  colocationPerMonthUsd: number;
  /** People and contracts to run the server, per month. */
  opsPerMonthUsd: number;
  /** Share of hours the GPUs do useful work (0 < u ≤ 1). */
  utilisation: number;
  /** What the cloud charges per GPU-hour (renting only the hours used). */
  cloudPricePerGpuHourUsd: number;
  hoursPerMonth?: number;
}

export interface RentVsBuyDetails {
  owned_cost_per_month_usd: number;
  depreciation_per_month_usd: number;
  energy_per_month_usd: number;
  colocation_per_month_usd: number;
  ops_per_month_usd: number;
  used_gpu_hours_per_month: number;
  owned_cost_per_gpu_hour_usd: number;
  cloud_cost_per_month_usd: number;
  /** Utilisation above which owning is cheaper; null when owning never pays (not even at 100%). */
  break_even_utilisation: number | null;
}

/**
 * Rent vs buy for GPU servers, per month of one server. Owning costs straight-line depreciation
 * (capex − salvage) / life, energy = kW × hours × (idle share + (1 − idle share) × utilisation) × $/kWh × PUE,
 * colocation and operations, whether the GPUs work or not; renting costs the cloud price for the GPU-hours
 * actually used (gpus × hours × utilisation). Owned cost per used GPU-hour = owned per month / used GPU-hours.
 * Break-even utilisation u* solves owned(u) = cloud(u):
 *   u* = (fixed + idle energy) / (cloud price × gpus × hours − load energy).
 * saving_usd > 0 means buying saves that much a month at the given utilisation.
 */
export function rentVsBuy(input: RentVsBuyInput): LeverResult<RentVsBuyDetails> {
  const hours = input.hoursPerMonth ?? 730;
  const idle = input.idlePowerShare ?? 1;
  const u = input.utilisation;
  for (const [name, v] of Object.entries({ ...input, hoursPerMonth: hours, idlePowerShare: idle })) {
    if (typeof v === 'number' && !(Number.isFinite(v) && v >= 0)) throw new RangeError(`rentVsBuy: ${name} must be a finite number ≥ 0, got ${v}`);
  }
  if (!(u > 0 && u <= 1)) throw new RangeError(`rentVsBuy: utilisation must be in (0, 1], got ${u}`);
  if (!(idle <= 1)) throw new RangeError(`rentVsBuy: idlePowerShare must be in [0, 1], got ${idle}`);
  if (!(input.pue >= 1)) throw new RangeError(`rentVsBuy: pue must be ≥ 1, got ${input.pue}`);
  if (!(Number.isInteger(input.gpusPerServer) && input.gpusPerServer >= 1)) throw new RangeError(`rentVsBuy: gpusPerServer must be a whole number ≥ 1, got ${input.gpusPerServer}`);
  // The schedule checks life and salvage (a life of zero, a salvage above cost) with its own messages.
  const depreciation = amortisationSchedule({ costUsd: input.capexUsd, salvageUsd: input.salvageUsd, lifePeriods: input.lifeMonths })[0]!.depreciation_usd;
  const energyAtFull = input.powerKw * hours * input.pricePerKwhUsd * input.pue;
  const energyIdle = energyAtFull * idle;
  const energyLoad = energyAtFull * (1 - idle);
  const energy = energyIdle + energyLoad * u;
  const fixed = depreciation + input.colocationPerMonthUsd + input.opsPerMonthUsd;
  const owned = fixed + energy;
  const gpuHours = input.gpusPerServer * hours;
  const used = gpuHours * u;
  const cloud = input.cloudPricePerGpuHourUsd * used;
  const slope = input.cloudPricePerGpuHourUsd * gpuHours - energyLoad;
  const breakEven = slope > 0 && (fixed + energyIdle) / slope <= 1 ? (fixed + energyIdle) / slope : null;
  return {
    lever: 'rent_vs_buy',
    saving_usd: cloud - owned,
    per: 'month',
    assumptions: [
      `straight-line depreciation of ${input.capexUsd} − ${input.salvageUsd} salvage over ${input.lifeMonths} months`,
      `${input.powerKw} kW at full load (${idle * 100}% of it when idle) × ${hours} h × $${input.pricePerKwhUsd}/kWh × PUE ${input.pue}`,
      `colocation $${input.colocationPerMonthUsd} and operations $${input.opsPerMonthUsd} a month, paid whether the GPUs work or not`,
      `${u * 100}% utilisation of ${input.gpusPerServer} GPUs; the cloud is rented only for the GPU-hours used, at $${input.cloudPricePerGpuHourUsd}/GPU-hour`,
      'no cost of capital, no resale risk, no price changes over the life',
    ],
    details: {
      owned_cost_per_month_usd: owned,
      depreciation_per_month_usd: depreciation,
      energy_per_month_usd: energy,
      colocation_per_month_usd: input.colocationPerMonthUsd,
      ops_per_month_usd: input.opsPerMonthUsd,
      used_gpu_hours_per_month: used,
      owned_cost_per_gpu_hour_usd: owned / used,
      cloud_cost_per_month_usd: cloud,
      break_even_utilisation: breakEven,
    },
  };
}
