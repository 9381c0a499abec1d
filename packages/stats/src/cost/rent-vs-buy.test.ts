import { describe, expect, it } from 'vitest';
import { rentVsBuy } from './rent-vs-buy.js';

// Worked by hand for one 8-GPU server:
//   depreciation (250,000 − 25,000) / 36 = 6,250 a month
//   energy 10 kW × 730 h × $0.10 × PUE 1.5 = 1,095 a month (full power all the time)
//   colocation 2,000 + operations 3,000 → owned 6,250 + 1,095 + 2,000 + 3,000 = 12,345 a month
//   used GPU-hours at 60%: 8 × 730 × 0.6 = 3,504 → owned 12,345 / 3,504 = $3.5231… per GPU-hour
//   cloud at $4/GPU-hour for the same 3,504 hours = 14,016 → buying saves 14,016 − 12,345 = 1,671 a month
//   break-even: 12,345 = 4 × 8 × 730 × u → u = 12,345 / 23,360 = 0.52847…
const server = {
  capexUsd: 250_000,
  salvageUsd: 25_000,
  lifeMonths: 36,
  gpusPerServer: 8,
  powerKw: 10,
  pricePerKwhUsd: 0.1,
  pue: 1.5,
  colocationPerMonthUsd: 2_000,
  opsPerMonthUsd: 3_000,
  utilisation: 0.6,
  cloudPricePerGpuHourUsd: 4,
};

describe('rentVsBuy', () => {
  it('prices an owned GPU-hour and the break-even utilisation as worked by hand', () => {
    const result = rentVsBuy(server);
    expect(result.details.depreciation_per_month_usd).toBeCloseTo(6_250, 9);
    expect(result.details.energy_per_month_usd).toBeCloseTo(1_095, 9);
    expect(result.details.owned_cost_per_month_usd).toBeCloseTo(12_345, 9);
    expect(result.details.used_gpu_hours_per_month).toBeCloseTo(3_504, 9);
    expect(result.details.owned_cost_per_gpu_hour_usd).toBeCloseTo(12_345 / 3_504, 12);
    expect(result.details.cloud_cost_per_month_usd).toBeCloseTo(14_016, 9);
    expect(result.saving_usd).toBeCloseTo(1_671, 9);
    expect(result.details.break_even_utilisation).toBeCloseTo(12_345 / 23_360, 12);
    expect(result.assumptions.length).toBeGreaterThan(3);
  });

  it('says renting wins below break-even: a negative saving', () => {
    expect(rentVsBuy({ ...server, utilisation: 0.4 }).saving_usd).toBeLessThan(0);
    expect(rentVsBuy({ ...server, utilisation: 12_345 / 23_360 }).saving_usd).toBeCloseTo(0, 6);
  });

  it('lets idle servers draw less power', () => {
    // Idle at 30% of full power: energy = 1,095 × (0.3 + 0.7 × 0.6) = 788.4; break-even
    // u = (11,250 + 328.5) / (23,360 − 766.5) = 11,578.5 / 22,593.5.
    const result = rentVsBuy({ ...server, idlePowerShare: 0.3 });
    expect(result.details.energy_per_month_usd).toBeCloseTo(788.4, 9);
    expect(result.details.break_even_utilisation).toBeCloseTo(11_578.5 / 22_593.5, 12);
  });

  it('reports no break-even when owning costs more even at full use', () => {
    expect(rentVsBuy({ ...server, cloudPricePerGpuHourUsd: 1 }).details.break_even_utilisation).toBeNull();
  });

  it('refuses a life of zero, a salvage above cost and a utilisation of zero', () => {
    expect(() => rentVsBuy({ ...server, lifeMonths: 0 })).toThrow(/life must be a whole number of periods ≥ 1/);
    expect(() => rentVsBuy({ ...server, salvageUsd: 300_000 })).toThrow(/salvage value 300000 exceeds the cost/);
    expect(() => rentVsBuy({ ...server, utilisation: 0 })).toThrow(/utilisation must be in \(0, 1\]/);
    expect(() => rentVsBuy({ ...server, pue: 0.9 })).toThrow(/pue must be ≥ 1/);
  });
});
