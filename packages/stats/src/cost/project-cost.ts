import { capacityPlan } from './capacity-plan.js';

/** DESIGN.md's taxonomy (the x_category of a cost record). */
export type CostBucket =
  | 'variable.compute'
  | 'variable.bandwidth'
  | 'variable.operations'
  | 'fixed.hardware'
  | 'fixed.development.training'
  | 'fixed.development.developers';

export const costBuckets: readonly CostBucket[] = [
  'variable.compute',
  'variable.bandwidth',
  'variable.operations',
  'fixed.hardware',
  'fixed.development.training',
  'fixed.development.developers',
];

/** What a cost line grows with. */
export type CostDriver = 'predictions' | 'customers' | 'models' | 'none';

export type CostLineRule =
  /** cost = perUnitUsd × driver (per prediction, per customer, per model). */
  | { kind: 'per_unit'; perUnitUsd: number }
  /** cost = ⌈driver / unitsPerStep⌉ × costPerStepUsd: people and machines come whole (one annotator per 4 models). */
  | { kind: 'step'; unitsPerStep: number; costPerStepUsd: number }
  /** cost = costAtBaseUsd × (driver / driver at scale 1)^exponent: exponent > 1 grows faster than the driver. */
  | { kind: 'power'; costAtBaseUsd: number; exponent: number }
  /** A flat monthly amount (driver 'none'), e.g. an amortised server. */
  | { kind: 'fixed'; monthlyUsd: number };

export interface CostLine {
  name: string;
  bucket: CostBucket;
  driver: CostDriver;
  rule: CostLineRule;
}

/** Prices per GB that fall with volume: the first tier applies up to its `upToGb`, and so on; null is unbounded. */
export interface PriceTier {
  upToGb: number | null;
  pricePerGbUsd: number;
}

export interface ProjectionScenario {
  name?: string;
  /** 730 unless given (365 × 24 / 12). */
  hoursPerMonth?: number;
  volume: {
    /** Predictions a month at scale 1, before sampling. */
    predictionsPerMonth: number;
    /** Peak traffic over mean traffic at scale 1 (≥ 1): capacity is bought for the peak. */
    peakToMean: number;
    /** Share of inputs actually scored (24 fps → 4 fps is 1/6); 1 unless given. */
    samplingRate?: number;
  };
  serving: {
    serviceMs: number;
    p99Ms: number;
    instancePricePerHourUsd: number;
    /** Replicas one instance holds (GPUs per instance, or model copies per GPU); 1 unless given. */
    replicasPerInstance?: number;
    /** Instances kept up whatever the traffic (redundancy); 1 unless given. */
    minInstances?: number;
  };
  bandwidth?: { bytesPerPrediction: number; tiers: PriceTier[] };
  /** Logged predictions kept for retraining and audit: what is stored grows with every month retained. */
  storage?: { bytesPerPrediction: number; pricePerGbMonthUsd: number; retainedMonths: number; bucket?: CostBucket };
  variety?: {
    /** Customers at scale 1 and how they grow with the variety knob: atBase × variety^exponent. */
    customers?: { atBase: number; exponent: number };
    models?: { atBase: number; exponent: number };
  };
  costs?: CostLine[];
}

/** One point to project: volume multiplies predictions, velocity the peak-to-mean ratio, variety customers and models. */
export interface ScaleKnobs {
  volume: number;
  /** Multiplies the scenario's peak-to-mean ratio; 1 unless given. */
  velocity?: number;
  /** Drives customers and models; the volume unless given. */
  variety?: number;
}

export interface ProjectedLine {
  name: string;
  bucket: CostBucket;
  driver: CostDriver;
  quantity: number;
  cost_usd: number;
}

export interface ProjectedScale {
  scale: { volume: number; velocity: number; variety: number };
  predictions_per_month: number;
  mean_qps: number;
  design_qps: number;
  replicas: number;
  instances: number;
  utilization_at_mean: number;
  customers: number;
  models: number;
  stored_gb: number;
  total_usd: number;
  variable_usd: number;
  fixed_usd: number;
  per_prediction_usd: number;
  variable_per_prediction_usd: number;
  /** (total here − total at the previous scale) / (predictions here − predictions there); null at the first scale. */
  marginal_per_prediction_usd: number | null;
  by_bucket: Record<CostBucket, number>;
  lines: ProjectedLine[];
}

export interface CostProjection {
  scenario: string;
  hours_per_month: number;
  scales: ProjectedScale[];
  /** Direction of the marginal cost between consecutive marginals: up, down or flat (within 0.1%). */
  marginal_trend: ('up' | 'down' | 'flat')[];
  /** Whether the marginal cost per prediction rises at some point and falls later. */
  marginal_rises_then_falls: boolean;
}

/**
 * Monthly cost of a scenario at each scale, per taxonomy bucket, per prediction and at the margin.
 *
 * Compute: the mean traffic is predictions / (hours × 3600); replicas are bought for the peak by `capacityPlan`
 * (Erlang C), so they come whole and pool better as traffic grows; instances = max(min, ⌈replicas / per
 * instance⌉). Bandwidth is priced through falling tiers; storage accumulates `retainedMonths` of logged bytes.
 * Customers and models grow with the variety knob; people and tools grow with them by the cost lines' rules
 * (per unit, in steps, or by a power law: faster than volume when the exponent exceeds 1).
 *
 * @example projectCost(scenario, [1, 10, 100, 1000]).scales.map((s) => s.marginal_per_prediction_usd)
 */
export function projectCost(scenario: ProjectionScenario, scales: readonly (number | ScaleKnobs)[]): CostProjection {
  checkScenario(scenario);
  if (scales.length === 0) throw new RangeError('projectCost: give at least one scale');
  const hours = scenario.hoursPerMonth ?? 730;
  const knobs = scales.map((s, i) => {
    const k = typeof s === 'number' ? { volume: s } : s;
    const velocity = k.velocity ?? 1;
    const variety = k.variety ?? k.volume;
    for (const [name, v] of [['volume', k.volume], ['velocity', velocity], ['variety', variety]] as const) {
      if (!(Number.isFinite(v) && v > 0)) throw new RangeError(`projectCost: scales[${i}].${name} must be a finite number > 0, got ${v}`);
    }
    return { volume: k.volume, velocity, variety };
  });

  const base = evaluate(scenario, hours, { volume: 1, velocity: 1, variety: 1 }, null);
  const projected: ProjectedScale[] = [];
  for (const k of knobs) projected.push(evaluate(scenario, hours, k, base));
  for (let i = 1; i < projected.length; i++) {
    const dn = projected[i]!.predictions_per_month - projected[i - 1]!.predictions_per_month;
    projected[i]!.marginal_per_prediction_usd = dn === 0 ? null : (projected[i]!.total_usd - projected[i - 1]!.total_usd) / dn;
  }
  const marginals = projected.map((p) => p.marginal_per_prediction_usd).filter((m): m is number => m !== null);
  const trend: ('up' | 'down' | 'flat')[] = [];
  for (let i = 1; i < marginals.length; i++) {
    const a = marginals[i - 1]!;
    const b = marginals[i]!;
    trend.push(Math.abs(b - a) <= 1e-3 * Math.max(Math.abs(a), Math.abs(b)) ? 'flat' : b > a ? 'up' : 'down');
  }
  const firstUp = trend.indexOf('up');
  return {
    scenario: scenario.name ?? 'scenario',
    hours_per_month: hours,
    scales: projected,
    marginal_trend: trend,
    marginal_rises_then_falls: firstUp >= 0 && trend.indexOf('down', firstUp + 1) > firstUp,
  };
}

interface Drivers {
  predictions: number;
  customers: number;
  models: number;
}

function evaluate(s: ProjectionScenario, hours: number, k: Required<ScaleKnobs>, base: ProjectedScale | null): ProjectedScale {
  const predictions = s.volume.predictionsPerMonth * (s.volume.samplingRate ?? 1) * k.volume;
  const grow = (g: { atBase: number; exponent: number } | undefined) => (g === undefined ? 0 : Math.max(1, Math.round(g.atBase * k.variety ** g.exponent)));
  const drivers: Drivers = { predictions, customers: grow(s.variety?.customers), models: grow(s.variety?.models) };
  const lines: ProjectedLine[] = [];

  const meanQps = predictions / (hours * 3600);
  const peakToMean = s.volume.peakToMean * k.velocity;
  const plan = capacityPlan({ qps: meanQps, serviceMs: s.serving.serviceMs, p99Ms: s.serving.p99Ms, peakToMean, maxReplicas: 10_000_000 });
  const perInstance = s.serving.replicasPerInstance ?? 1;
  const instances = Math.max(s.serving.minInstances ?? 1, Math.ceil(plan.replicas / perInstance));
  lines.push({ name: 'serving instances', bucket: 'variable.compute', driver: 'predictions', quantity: instances, cost_usd: instances * s.serving.instancePricePerHourUsd * hours });

  if (s.bandwidth) {
    const gb = (predictions * s.bandwidth.bytesPerPrediction) / 1e9;
    lines.push({ name: 'bandwidth', bucket: 'variable.bandwidth', driver: 'predictions', quantity: gb, cost_usd: tieredCost(gb, s.bandwidth.tiers) });
  }
  let storedGb = 0;
  if (s.storage) {
    storedGb = ((predictions * s.storage.bytesPerPrediction) / 1e9) * s.storage.retainedMonths;
    lines.push({ name: 'stored predictions', bucket: s.storage.bucket ?? 'fixed.development.training', driver: 'predictions', quantity: storedGb, cost_usd: storedGb * s.storage.pricePerGbMonthUsd });
  }
  for (const line of s.costs ?? []) {
    const quantity = line.driver === 'none' ? 1 : drivers[line.driver];
    const atBase = base === null ? quantity : line.driver === 'none' ? 1 : baseDriver(base, line.driver);
    lines.push({ name: line.name, bucket: line.bucket, driver: line.driver, quantity, cost_usd: lineCost(line.rule, quantity, atBase) });
  }

  const byBucket = Object.fromEntries(costBuckets.map((b) => [b, 0])) as Record<CostBucket, number>;
  for (const line of lines) byBucket[line.bucket] += line.cost_usd;
  const total = lines.reduce((sum, l) => sum + l.cost_usd, 0);
  const variable = byBucket['variable.compute'] + byBucket['variable.bandwidth'] + byBucket['variable.operations'];
  return {
    scale: k,
    predictions_per_month: predictions,
    mean_qps: meanQps,
    design_qps: plan.design_qps,
    replicas: plan.replicas,
    instances,
    utilization_at_mean: meanQps / ((instances * perInstance * 1000) / s.serving.serviceMs),
    customers: drivers.customers,
    models: drivers.models,
    stored_gb: storedGb,
    total_usd: total,
    variable_usd: variable,
    fixed_usd: total - variable,
    per_prediction_usd: total / predictions,
    variable_per_prediction_usd: variable / predictions,
    marginal_per_prediction_usd: null,
    by_bucket: byBucket,
    lines,
  };
}

function baseDriver(base: ProjectedScale, driver: Exclude<CostDriver, 'none'>): number {
  return driver === 'predictions' ? base.predictions_per_month : driver === 'customers' ? base.customers : base.models;
}

function lineCost(rule: CostLineRule, quantity: number, atBase: number): number {
  switch (rule.kind) {
    case 'per_unit':
      return rule.perUnitUsd * quantity;
    case 'step':
      return Math.ceil(quantity / rule.unitsPerStep - 1e-12) * rule.costPerStepUsd;
    case 'power':
      return atBase === 0 ? 0 : rule.costAtBaseUsd * (quantity / atBase) ** rule.exponent;
    case 'fixed':
      return rule.monthlyUsd;
  }
}

/** Σ over tiers of the GB falling in each tier × its price. */
export function tieredCost(gb: number, tiers: readonly PriceTier[]): number {
  let cost = 0;
  let from = 0;
  for (const tier of tiers) {
    const upTo = tier.upToGb ?? Number.POSITIVE_INFINITY;
    if (gb <= from) break;
    cost += (Math.min(gb, upTo) - from) * tier.pricePerGbUsd;
    from = upTo;
  }
  return cost;
}

function checkScenario(s: ProjectionScenario): void {
  const positive = (name: string, v: number | undefined, allowZero = false) => {
    if (v === undefined) return;
    if (!(Number.isFinite(v) && (allowZero ? v >= 0 : v > 0))) throw new RangeError(`projectCost: ${name} must be a finite number ${allowZero ? '≥' : '>'} 0, got ${v}`);
  };
  positive('volume.predictionsPerMonth', s.volume.predictionsPerMonth);
  if (!(s.volume.peakToMean >= 1)) throw new RangeError(`projectCost: volume.peakToMean must be ≥ 1, got ${s.volume.peakToMean}`);
  const rate = s.volume.samplingRate;
  if (rate !== undefined && !(rate > 0 && rate <= 1)) throw new RangeError(`projectCost: volume.samplingRate must be in (0, 1], got ${rate}`);
  positive('hoursPerMonth', s.hoursPerMonth);
  positive('serving.instancePricePerHourUsd', s.serving.instancePricePerHourUsd, true);
  const whole = (name: string, v: number | undefined) => {
    if (v !== undefined && !(Number.isInteger(v) && v >= 1)) throw new RangeError(`projectCost: ${name} must be a whole number ≥ 1, got ${v}`);
  };
  whole('serving.replicasPerInstance', s.serving.replicasPerInstance);
  whole('serving.minInstances', s.serving.minInstances);
  if (s.bandwidth) {
    positive('bandwidth.bytesPerPrediction', s.bandwidth.bytesPerPrediction, true);
    if (s.bandwidth.tiers.length === 0) throw new RangeError('projectCost: bandwidth.tiers needs at least one tier');
    s.bandwidth.tiers.forEach((t, i) => {
      positive(`bandwidth.tiers[${i}].pricePerGbUsd`, t.pricePerGbUsd, true);
      const previous = i === 0 ? 0 : s.bandwidth!.tiers[i - 1]!.upToGb;
      if (t.upToGb !== null && (previous === null || !(t.upToGb > previous))) throw new RangeError(`projectCost: bandwidth.tiers[${i}].upToGb must rise from tier to tier`);
    });
    if (s.bandwidth.tiers.at(-1)!.upToGb !== null) throw new RangeError('projectCost: the last bandwidth tier must be unbounded (upToGb: null)');
  }
  if (s.storage) {
    positive('storage.bytesPerPrediction', s.storage.bytesPerPrediction, true);
    positive('storage.pricePerGbMonthUsd', s.storage.pricePerGbMonthUsd, true);
    positive('storage.retainedMonths', s.storage.retainedMonths, true);
  }
  (s.costs ?? []).forEach((line, i) => {
    const where = `costs[${i}] (${line.name})`;
    if (!costBuckets.includes(line.bucket)) throw new RangeError(`projectCost: ${where}.bucket must be one of ${costBuckets.join(', ')}, got "${line.bucket}"`);
    if ((line.driver === 'customers' && !s.variety?.customers) || (line.driver === 'models' && !s.variety?.models)) {
      throw new RangeError(`projectCost: ${where} is driven by ${line.driver}, but variety.${line.driver} is not given`);
    }
    const r = line.rule;
    if (r.kind === 'per_unit') positive(`${where}.perUnitUsd`, r.perUnitUsd, true);
    if (r.kind === 'step') {
      positive(`${where}.unitsPerStep`, r.unitsPerStep);
      positive(`${where}.costPerStepUsd`, r.costPerStepUsd, true);
    }
    if (r.kind === 'power') {
      positive(`${where}.costAtBaseUsd`, r.costAtBaseUsd, true);
      positive(`${where}.exponent`, r.exponent, true);
    }
    if (r.kind === 'fixed') positive(`${where}.monthlyUsd`, r.monthlyUsd, true);
    if ((r.kind === 'fixed') !== (line.driver === 'none')) throw new RangeError(`projectCost: ${where}: a fixed rule goes with driver "none" and only with it`);
  });
}
