import { describe, expect, it } from 'vitest';
import { capacityPlan } from './capacity-plan.js';
import { quantisationLever, type QuantisationInput } from './quantisation-lever.js';

// A 7B-parameter model: fp32 28 GB, fp16 14 GB, int8 7 GB of weights, plus 4 GB overhead → 32, 18, 11 GB.
const base: QuantisationInput = {
  parameterCount: 7e9,
  overheadGb: 4,
  qps: 5,
  p99Ms: 3_000,
  instances: [
    { name: 'a100-80', memoryGb: 80, pricePerHourUsd: 3.673, measuredServiceMs: { fp32: 400, fp16: 220, int8: 260 } },
    { name: 'a10g-24', memoryGb: 24, pricePerHourUsd: 1.006, measuredServiceMs: { fp16: 450, int8: 380 } },
    { name: 't4-16', memoryGb: 16, pricePerHourUsd: 0.6, measuredServiceMs: { fp16: 900 } },
  ],
};
const cost = (serviceMs: number, price: number) => capacityPlan({ qps: 5, serviceMs, p99Ms: 3_000 }).replicas * price * 730;

describe('quantisationLever', () => {
  it('lets memory decide which instances can hold the model at each precision', () => {
    const { options } = quantisationLever(base).details;
    expect(options.map((o) => o.memory_gb)).toEqual([32, 18, 11]);
    const fp32 = options[0]!;
    expect(fp32.chosen!.instance).toBe('a100-80');
    expect(fp32.rejected).toEqual([
      { instance: 'a10g-24', reason: 'needs 32 GB, has 24 GB' },
      { instance: 't4-16', reason: 'needs 32 GB, has 16 GB' },
    ]);
    // fp16 (18 GB) fits a10g-24 but not t4-16; int8 (11 GB) fits t4-16, which has no int8 measurement.
    expect(options[1]!.rejected).toEqual([{ instance: 't4-16', reason: 'needs 18 GB, has 16 GB' }]);
    expect(options[2]!.rejected).toEqual([{ instance: 't4-16', reason: 'no measured service time at int8' }]);
  });

  it('prices each precision on its cheapest instance with the measured latency', () => {
    const result = quantisationLever(base);
    const { options, baseline, best } = result.details;
    expect(baseline.chosen!.cost_per_month_usd).toBeCloseTo(cost(400, 3.673), 9);
    const fp16 = Math.min(cost(220, 3.673), cost(450, 1.006));
    const int8 = Math.min(cost(260, 3.673), cost(380, 1.006));
    expect(options[1]!.chosen!.cost_per_month_usd).toBeCloseTo(fp16, 9);
    expect(options[2]!.chosen!.cost_per_month_usd).toBeCloseTo(int8, 9);
    expect(result.saving_usd).toBeCloseTo(cost(400, 3.673) - Math.min(fp16, int8), 9);
    expect(best.chosen!.cost_per_month_usd).toBeCloseTo(Math.min(fp16, int8), 9);
  });

  it('does not assume a smaller model is faster: a slower int8 can lose to fp16', () => {
    const slowInt8 = quantisationLever({
      ...base,
      instances: [{ name: 'a100-80', memoryGb: 80, pricePerHourUsd: 3.673, measuredServiceMs: { fp32: 400, fp16: 220, int8: 900 } }],
    });
    expect(slowInt8.details.best.precision).toBe('fp16');
  });

  it('refuses a baseline that fits nowhere', () => {
    expect(() => quantisationLever({ ...base, instances: [base.instances[2]!] })).toThrow(/baseline fp32 fits no instance: t4-16: needs 32 GB, has 16 GB/);
  });
});
