/** Logged predictions of one model for one customer (null: predictions that name none) over a period. */
export interface ModelUsage {
  model: string;
  customer: string | null;
  predictions: number;
  /** Replica time the predictions kept busy: Σ latency, see `computeSecondsFromLatency`. */
  computeSeconds: number;
}

/** Instances declared to serve a model over the period. */
export interface Deployment {
  model: string;
  instance?: string;
  replicas: number;
  /** Hours each replica ran in the period. */
  hours: number;
  pricePerHourUsd: number;
  /** Requests one replica serves at once (default 1). */
  concurrencyPerReplica?: number;
}

/** How a model's idle capacity reaches its customers: not at all (its own line only), evenly, or by compute used. */
export type IdleShare = 'none' | 'even' | 'proportional';

export interface ModelAllocation {
  model: string;
  instance_hours: number;
  capacity_seconds: number;
  used_seconds: number;
  /** used / capacity, at most 1. */
  utilisation: number;
  capacity_cost_usd: number;
  used_cost_usd: number;
  idle_cost_usd: number;
  predictions: number;
  /** Capacity cost (used and idle) per prediction; null without predictions. */
  cost_per_prediction_usd: number | null;
  cost_per_1k_predictions_usd: number | null;
  /** More compute-seconds were logged than the deployments could serve: latency overlaps or deployments are missing. */
  overcommitted: boolean;
}

export interface CustomerAllocation {
  model: string;
  customer: string | null;
  predictions: number;
  compute_seconds: number;
  used_cost_usd: number;
  idle_cost_usd: number;
  cost_usd: number;
  cost_per_prediction_usd: number | null;
}

export interface Allocation {
  idle_share: IdleShare;
  models: ModelAllocation[];
  customers: CustomerAllocation[];
  /** Idle capacity as its own line, whatever `idle_share` passes on to customers. */
  idle: { cost_usd: number; by_model: Record<string, number> };
  totals: { capacity_cost_usd: number; used_cost_usd: number; idle_cost_usd: number; predictions: number; cost_per_prediction_usd: number | null };
  /** Usage no deployment prices, and deployments no usage touched: never a silent $0. */
  warnings: string[];
}

/**
 * Compute-seconds of a group of predictions from the store's latency aggregates: Σ latency_ms / 1000, scaled up
 * by predictions / predictions-with-latency so that rows without a latency count at the group's mean.
 * @example computeSecondsFromLatency({predictions: 4, latencySumMs: 300, latencyCount: 3}) // 0.4
 */
export function computeSecondsFromLatency(input: { predictions: number; latencySumMs: number; latencyCount: number }): number {
  const { predictions, latencySumMs, latencyCount } = input;
  for (const [name, v] of Object.entries(input)) {
    if (!(Number.isFinite(v) && v >= 0)) throw new RangeError(`computeSecondsFromLatency: ${name} must be a finite number ≥ 0, got ${v}`);
  }
  if (latencyCount === 0) return 0;
  return (latencySumMs / 1000) * (predictions / latencyCount);
}

/**
 * Turns instance cost into cost per model, customer and prediction. A model's capacity is Σ replicas × hours ×
 * 3600 × concurrency seconds at Σ replicas × hours × price; each customer is charged the capacity cost × its
 * share of the capacity it used (compute-seconds / capacity-seconds), and what nobody used is the model's idle
 * cost, its own line, passed to customers evenly, in proportion to their compute-seconds, or not at all. When
 * usage exceeds capacity (utilisation capped at 1) the whole capacity cost is used cost, split by compute-seconds.
 *
 * @example 2 replicas × 10 h × $1.50 = $30 for 72,000 s; customers using 9,000 s and 27,000 s are charged $3.75 and
 * $11.25, and $15 is idle.
 */
export function allocateCost(input: { usage: ModelUsage[]; deployments: Deployment[]; idleShare?: IdleShare }): Allocation {
  const idleShare = input.idleShare ?? 'proportional';
  if (!['none', 'even', 'proportional'].includes(idleShare)) throw new RangeError(`allocateCost: idleShare must be none, even or proportional, got "${idleShare}"`);
  input.deployments.forEach((d, i) => {
    for (const [name, v] of [['replicas', d.replicas], ['hours', d.hours], ['pricePerHourUsd', d.pricePerHourUsd], ['concurrencyPerReplica', d.concurrencyPerReplica ?? 1]] as const) {
      if (!(Number.isFinite(v) && v >= 0)) throw new RangeError(`allocateCost: deployments[${i}] (${d.model}): ${name} must be a finite number ≥ 0, got ${v}`);
    }
    if ((d.concurrencyPerReplica ?? 1) === 0) throw new RangeError(`allocateCost: deployments[${i}] (${d.model}): concurrencyPerReplica must be > 0`);
  });
  input.usage.forEach((u, i) => {
    for (const [name, v] of [['predictions', u.predictions], ['computeSeconds', u.computeSeconds]] as const) {
      if (!(Number.isFinite(v) && v >= 0)) throw new RangeError(`allocateCost: usage[${i}] (${u.model}): ${name} must be a finite number ≥ 0, got ${v}`);
    }
  });

  const capacity = new Map<string, { hours: number; seconds: number; cost: number }>();
  for (const d of input.deployments) {
    const c = capacity.get(d.model) ?? { hours: 0, seconds: 0, cost: 0 };
    c.hours += d.replicas * d.hours;
    c.seconds += d.replicas * d.hours * 3600 * (d.concurrencyPerReplica ?? 1);
    c.cost += d.replicas * d.hours * d.pricePerHourUsd;
    capacity.set(d.model, c);
  }
  const usageByModel = new Map<string, ModelUsage[]>();
  for (const u of input.usage) {
    const list = usageByModel.get(u.model);
    if (list) list.push(u);
    else usageByModel.set(u.model, [u]);
  }

  const warnings: string[] = [];
  const models: ModelAllocation[] = [];
  const customers: CustomerAllocation[] = [];
  const idleByModel: Record<string, number> = {};
  for (const model of [...new Set([...capacity.keys(), ...usageByModel.keys()])].sort()) {
    const cap = capacity.get(model);
    const usage = usageByModel.get(model) ?? [];
    const predictions = usage.reduce((s, u) => s + u.predictions, 0);
    const used = usage.reduce((s, u) => s + u.computeSeconds, 0);
    if (!cap) {
      warnings.push(`model "${model}" logged ${predictions} predictions but has no deployment: its serving cost is not allocated (declare its instances)`);
      continue;
    }
    if (usage.length === 0 || predictions === 0) warnings.push(`model "${model}" has deployments but logged no predictions in the period: all its capacity is idle`);
    const utilisation = cap.seconds > 0 ? Math.min(1, used / cap.seconds) : used > 0 ? 1 : 0;
    const usedCost = cap.cost * utilisation;
    const idleCost = cap.cost - usedCost;
    const overcommitted = used > cap.seconds;
    if (overcommitted) warnings.push(`model "${model}" logged ${round(used)} compute-seconds against ${round(cap.seconds)} of capacity: check its deployments or concurrency`);
    idleByModel[model] = idleCost;
    models.push({
      model,
      instance_hours: cap.hours,
      capacity_seconds: cap.seconds,
      used_seconds: used,
      utilisation,
      capacity_cost_usd: cap.cost,
      used_cost_usd: usedCost,
      idle_cost_usd: idleCost,
      predictions,
      cost_per_prediction_usd: predictions > 0 ? cap.cost / predictions : null,
      cost_per_1k_predictions_usd: predictions > 0 ? (1000 * cap.cost) / predictions : null,
      overcommitted,
    });
    const active = usage.filter((u) => u.predictions > 0 || u.computeSeconds > 0);
    for (const u of usage) {
      const share = used > 0 ? u.computeSeconds / used : 0;
      const usedPart = usedCost * share;
      // In proportion to compute-seconds; evenly when nobody's latency says how much each used.
      const idlePart = idleShare === 'none' || !active.includes(u) ? 0 : idleShare === 'even' || used === 0 ? idleCost / active.length : idleCost * share;
      const cost = usedPart + idlePart;
      customers.push({
        model,
        customer: u.customer,
        predictions: u.predictions,
        compute_seconds: u.computeSeconds,
        used_cost_usd: usedPart,
        idle_cost_usd: idlePart,
        cost_usd: cost,
        cost_per_prediction_usd: u.predictions > 0 ? cost / u.predictions : null,
      });
    }
  }
  const capacityCost = models.reduce((s, m) => s + m.capacity_cost_usd, 0);
  const usedCost = models.reduce((s, m) => s + m.used_cost_usd, 0);
  const idleCost = models.reduce((s, m) => s + m.idle_cost_usd, 0);
  const predictions = models.reduce((s, m) => s + m.predictions, 0);
  return {
    idle_share: idleShare,
    models,
    customers,
    idle: { cost_usd: idleCost, by_model: idleByModel },
    totals: { capacity_cost_usd: capacityCost, used_cost_usd: usedCost, idle_cost_usd: idleCost, predictions, cost_per_prediction_usd: predictions > 0 ? capacityCost / predictions : null },
    warnings,
  };
}

const round = (x: number): number => Math.round(x * 100) / 100;
