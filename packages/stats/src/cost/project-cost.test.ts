import { describe, expect, it } from 'vitest';
import { capacityPlan } from './capacity-plan.js';
import { projectCost, tieredCost, type ProjectionScenario } from './project-cost.js';

// A video-analytics product: 1M frames a month at scale 1, 2 MB shipped per frame, two instances always up,
// customers growing more slowly than volume (bigger customers), one support engineer per 25 customers.
const video: ProjectionScenario = {
  name: 'video',
  volume: { predictionsPerMonth: 1_000_000, peakToMean: 3 },
  serving: { serviceMs: 50, p99Ms: 500, instancePricePerHourUsd: 1, minInstances: 2 },
  bandwidth: {
    bytesPerPrediction: 2_000_000,
    tiers: [
      { upToGb: 10_000, pricePerGbUsd: 0.09 },
      { upToGb: 50_000, pricePerGbUsd: 0.085 },
      { upToGb: 150_000, pricePerGbUsd: 0.07 },
      { upToGb: null, pricePerGbUsd: 0.05 },
    ],
  },
  variety: { customers: { atBase: 4, exponent: 0.7 } },
  costs: [{ name: 'customer support', bucket: 'variable.operations', driver: 'customers', rule: { kind: 'step', unitsPerStep: 25, costPerStepUsd: 12_000 } }],
};

const line = (scale: { lines: { name: string; cost_usd: number }[] }, name: string) => scale.lines.find((l) => l.name === name)!.cost_usd;

describe('projectCost', () => {
  const projection = projectCost(video, [1, 10, 100, 1000]);
  const [x1, x10, x100, x1000] = projection.scales;

  it('shows the marginal cost per prediction rising before it falls', () => {
    // 1 → 10: the two standing instances absorb the traffic and support stays one engineer: only bandwidth grows.
    // 10 → 100: support steps from 1 to 4 engineers and instances from 2 to 7.
    // 100 → 1000: replicas pool (Erlang C), bandwidth reaches its cheapest tier, customers grow as volume^0.7.
    const m = projection.scales.map((s) => s.marginal_per_prediction_usd);
    expect(m[0]).toBeNull();
    expect(m[2]!).toBeGreaterThan(m[1]!);
    expect(m[3]!).toBeLessThan(m[2]!);
    expect(projection.marginal_trend).toEqual(['up', 'down']);
    expect(projection.marginal_rises_then_falls).toBe(true);
  });

  it('prices each line as worked by hand', () => {
    // Bandwidth at 100×: 1e8 × 2 MB = 200,000 GB = 10,000 × 0.09 + 40,000 × 0.085 + 100,000 × 0.07 + 50,000 × 0.05.
    expect(line(x100!, 'bandwidth')).toBeCloseTo(900 + 3_400 + 7_000 + 2_500, 6);
    expect(line(x1!, 'bandwidth')).toBeCloseTo(2_000 * 0.09, 9);
    // Customers: round(4 × 100^0.7) = round(100.48) = 100 → ⌈100 / 25⌉ = 4 engineers.
    expect(x100!.customers).toBe(100);
    expect(line(x100!, 'customer support')).toBe(48_000);
    // Two instances at $1 for 730 hours at 1× (minimum), and at 1000× what Erlang C plans for the 3× peak.
    expect(x1!.instances).toBe(2);
    expect(line(x1!, 'serving instances')).toBe(1_460);
    const qps1000 = 1e9 / (730 * 3600);
    expect(x1000!.replicas).toBe(capacityPlan({ qps: qps1000, serviceMs: 50, p99Ms: 500, peakToMean: 3 }).replicas);
    expect(line(x1000!, 'serving instances')).toBe(x1000!.instances * 730);
    // Marginal 10 → 100 = Δ total / Δ predictions.
    expect(x100!.marginal_per_prediction_usd).toBeCloseTo((x100!.total_usd - x10!.total_usd) / 90_000_000, 15);
  });

  it('splits the total by taxonomy bucket and into variable and fixed', () => {
    for (const s of projection.scales) {
      const sum = Object.values(s.by_bucket).reduce((a, b) => a + b, 0);
      expect(sum).toBeCloseTo(s.total_usd, 6);
      expect(s.by_bucket['variable.operations']).toBe(line(s, 'customer support'));
      expect(s.variable_usd + s.fixed_usd).toBeCloseTo(s.total_usd, 6);
      expect(s.per_prediction_usd).toBeCloseTo(s.total_usd / s.predictions_per_month, 15);
    }
  });

  it('keeps velocity and variety as separate knobs', () => {
    const [calm, spiky] = projectCost(video, [{ volume: 100, velocity: 1 }, { volume: 100, velocity: 4 }]).scales;
    expect(spiky!.predictions_per_month).toBe(calm!.predictions_per_month);
    expect(spiky!.design_qps).toBeCloseTo(4 * calm!.design_qps, 9);
    expect(spiky!.instances).toBeGreaterThan(calm!.instances);
    const [few, many] = projectCost(video, [{ volume: 100, variety: 1 }, { volume: 100, variety: 1000 }]).scales;
    expect(few!.customers).toBe(4);
    expect(many!.customers).toBe(Math.round(4 * 1000 ** 0.7));
    expect(many!.instances).toBe(few!.instances);
  });

  it('grows a power-law cost faster than volume and accumulates storage', () => {
    const scenario: ProjectionScenario = {
      ...video,
      variety: { models: { atBase: 2, exponent: 1 } },
      storage: { bytesPerPrediction: 1_000, pricePerGbMonthUsd: 0.023, retainedMonths: 12 },
      costs: [
        { name: 'coordination', bucket: 'fixed.development.developers', driver: 'models', rule: { kind: 'power', costAtBaseUsd: 10_000, exponent: 1.5 } },
        { name: 'labeling tool', bucket: 'variable.operations', driver: 'none', rule: { kind: 'fixed', monthlyUsd: 500 } },
      ],
    };
    const [a, b] = projectCost(scenario, [1, 100]).scales;
    // 2 → 200 models: 10,000 × 100^1.5 = 10,000,000.
    expect(line(b!, 'coordination')).toBeCloseTo(10_000_000, 3);
    expect(line(a!, 'coordination')).toBe(10_000);
    // 1e6 × 1 kB = 1 GB a month, 12 months kept = 12 GB × $0.023.
    expect(a!.stored_gb).toBeCloseTo(12, 12);
    expect(line(a!, 'stored predictions')).toBeCloseTo(12 * 0.023, 12);
    expect(line(b!, 'labeling tool')).toBe(500);
    expect(b!.by_bucket['fixed.development.developers']).toBeCloseTo(10_000_000, 3);
  });

  it('scores only the sampled share of inputs', () => {
    const sampled = projectCost({ ...video, volume: { ...video.volume, samplingRate: 1 / 6 } }, [6]).scales[0]!;
    expect(sampled.predictions_per_month).toBeCloseTo(1_000_000, 6);
  });

  it('refuses impossible scenarios, naming the field', () => {
    expect(() => projectCost({ ...video, volume: { predictionsPerMonth: 0, peakToMean: 1 } }, [1])).toThrow(/volume.predictionsPerMonth must be a finite number > 0/);
    expect(() => projectCost({ ...video, serving: { ...video.serving, minInstances: 0 } }, [1])).toThrow(/serving.minInstances/);
    expect(() => projectCost(video, [0])).toThrow(/scales\[0\].volume/);
    expect(() => projectCost(video, [])).toThrow(/at least one scale/);
    expect(() => projectCost({ ...video, costs: [{ name: 'x', bucket: 'variable.operations', driver: 'models', rule: { kind: 'per_unit', perUnitUsd: 1 } }] }, [1])).toThrow(/costs\[0\] \(x\) is driven by models, but variety.models is not given/);
    expect(() => projectCost({ ...video, bandwidth: { bytesPerPrediction: 1, tiers: [{ upToGb: 10, pricePerGbUsd: 1 }] } }, [1])).toThrow(/last bandwidth tier must be unbounded/);
  });
});

describe('tieredCost', () => {
  it('charges each GB at the tier it falls in', () => {
    const tiers = [{ upToGb: 10, pricePerGbUsd: 1 }, { upToGb: 30, pricePerGbUsd: 0.5 }, { upToGb: null, pricePerGbUsd: 0.1 }];
    expect(tieredCost(0, tiers)).toBe(0);
    expect(tieredCost(5, tiers)).toBe(5);
    expect(tieredCost(25, tiers)).toBe(10 + 7.5);
    expect(tieredCost(100, tiers)).toBeCloseTo(10 + 10 + 7, 12);
  });
});
