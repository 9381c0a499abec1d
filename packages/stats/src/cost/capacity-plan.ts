import { erlangCFromB, nextErlangB } from './erlang-c.js';
import { sojournQuantile, type WaitMixture } from './mmc-queue.js';

export interface CapacityPlanInput {
  /** Mean requests per second. */
  qps: number;
  /** Mean service time of one request on one replica (exponentially distributed in the model). */
  serviceMs: number;
  /** Objective: the `quantile` of the time in system (wait plus service) must not exceed this. */
  p99Ms: number;
  /** The quantile the objective is about; 0.99 unless given. */
  quantile?: number;
  /** Give up above this many replicas (an objective that needs more is reported as an error). */
  maxReplicas?: number;
  pricePerReplicaHourUsd?: number;
  /** Peak traffic over mean traffic (≥ 1): capacity is bought for `qps × peakToMean`. */
  peakToMean?: number;
  /** Serve requests in batches of `size`, a full batch taking `serviceMs` on one replica; see `capacityPlan`. */
  batch?: { size: number; serviceMs: number };
}

export interface CapacityPlan {
  replicas: number;
  /** ρ = λ/(cμ) at the design (peak) traffic. */
  utilization: number;
  /** 99th percentile of the time in system at the design traffic, whatever `quantile` the objective used. */
  p99_latency_ms: number;
  /** The objective's quantile of the time in system at the design traffic (with batching: an upper bound). */
  latency_at_quantile_ms: number;
  /** `exact` for one request per job; `upper-bound` with batches (see `capacityPlan`). */
  latency_method: 'exact' | 'upper-bound';
  batch: { size: number; service_ms: number; fill_ms_at_quantile: number } | null;
  mean_latency_ms: number;
  /** Mean time before service starts (with batching: the batch's fill time plus its queueing wait). */
  mean_wait_ms: number;
  probability_of_waiting: number;
  objective: { quantile: number; latency_ms: number };
  service_ms: number;
  mean_qps: number;
  peak_to_mean: number;
  /** The traffic capacity is bought for: mean × peak-to-mean. */
  design_qps: number;
  offered_load_erlangs: number;
  /** Replicas the objective would need if traffic stayed at its mean: the gap to `replicas` is the price of the peak. */
  replicas_for_mean: number;
  /** Utilisation of the planned replicas at mean traffic: what is actually used on average. */
  utilization_at_mean: number;
  peak_gap_replicas: number;
  cost_per_hour_usd: number | null;
  peak_gap_cost_per_hour_usd: number | null;
}

/**
 * The fewest replicas that keep the `quantile` of the time in system of an M/M/c queue (Erlang C; Poisson
 * arrivals, exponential service, first come first served) at or below `p99Ms`, provisioned for the peak.
 * Throws a RangeError when no replica count can meet the objective: with infinitely many replicas nobody waits
 * and the time in system is the service time alone, whose q-quantile is −ln(1 − q)·serviceMs.
 *
 * Batching (`batch: {size: b, serviceMs: s_b}`): requests are grouped in arrival order into batches of b and each
 * batch is one job of mean service time s_b (exponential). Batches reach the queue every b-th arrival; we treat
 * them as Poisson at λ/b, which over-states the wait (Erlang-b gaps are more regular than Poisson ones). A
 * request's latency is the time its batch takes to fill (at worst the b − 1 arrivals after the first, an
 * Erlang(b − 1, λ) time) plus the batch's time in system. The quantile of that sum is bounded by the union bound
 * P(F + T > f + t) ≤ P(F > f) + P(T > t) with (1 − q)/2 on each side, so a plan that meets the bound meets the
 * objective under this model; it may buy a replica more than the exact answer would.
 *
 * @example capacityPlan({qps: 40, serviceMs: 100, p99Ms: 500}).replicas // 6
 */
export function capacityPlan(input: CapacityPlanInput): CapacityPlan {
  const { qps, serviceMs, p99Ms } = input;
  const quantile = input.quantile ?? 0.99;
  const maxReplicas = input.maxReplicas ?? 10_000;
  const peakToMean = input.peakToMean ?? 1;
  const price = input.pricePerReplicaHourUsd;
  if (!(Number.isFinite(qps) && qps >= 0)) throw new RangeError(`qps must be a finite number ≥ 0, got ${qps}`);
  if (!(Number.isFinite(serviceMs) && serviceMs > 0)) throw new RangeError(`serviceMs must be a finite number > 0, got ${serviceMs}`);
  if (!(Number.isFinite(p99Ms) && p99Ms > 0)) throw new RangeError(`p99Ms must be a finite number > 0, got ${p99Ms}`);
  if (!(quantile > 0 && quantile < 1)) throw new RangeError(`quantile must be in (0, 1), got ${quantile}`);
  if (!(Number.isInteger(maxReplicas) && maxReplicas >= 1)) throw new RangeError(`maxReplicas must be a positive integer, got ${maxReplicas}`);
  if (!(Number.isFinite(peakToMean) && peakToMean >= 1)) throw new RangeError(`peakToMean must be a finite number ≥ 1, got ${peakToMean}`);
  if (price !== undefined && !(Number.isFinite(price) && price >= 0)) {
    throw new RangeError(`pricePerReplicaHourUsd must be a finite number ≥ 0, got ${price}`);
  }
  const batch = input.batch;
  if (batch !== undefined) {
    if (!(Number.isInteger(batch.size) && batch.size >= 1)) throw new RangeError(`batch size must be a positive integer, got ${batch.size}`);
    if (!(Number.isFinite(batch.serviceMs) && batch.serviceMs > 0)) throw new RangeError(`batch serviceMs must be a finite number > 0, got ${batch.serviceMs}`);
  }
  if (batch !== undefined && batch.size > 1) return batchedPlan(input, batch, quantile, maxReplicas, peakToMean, price);
  const floorMs = -Math.log(1 - quantile) * serviceMs;
  if (p99Ms <= floorMs) {
    throw new RangeError(
      `no replica count meets a ${formatQuantile(quantile)} latency of ${p99Ms} ms: with an exponential service time of mean ` +
        `${serviceMs} ms, the service alone has a ${formatQuantile(quantile)} of ${round(floorMs, 1)} ms (−ln(${round(1 - quantile, 6)}) × ${serviceMs} ms), ` +
        'and waiting only adds to it; raise the objective or shorten the service time',
    );
  }

  const serviceRate = 1000 / serviceMs;
  const designQps = qps * peakToMean;
  const design = fewestReplicas(designQps, serviceRate, p99Ms / 1000, quantile, maxReplicas);
  const atMean = peakToMean === 1 ? design : fewestReplicas(qps, serviceRate, p99Ms / 1000, quantile, maxReplicas);
  const c = design.servers;
  const mixture = design.mixture;
  const p99 = quantile === 0.99 ? design.latencySeconds : sojournQuantile(mixture, 0.99);
  const meanWaitSeconds = mixture.probabilityOfWaiting / mixture.waitRate;
  return {
    replicas: c,
    utilization: designQps / (c * serviceRate),
    p99_latency_ms: p99 * 1000,
    latency_at_quantile_ms: design.latencySeconds * 1000,
    latency_method: 'exact',
    batch: null,
    mean_latency_ms: meanWaitSeconds * 1000 + serviceMs,
    mean_wait_ms: meanWaitSeconds * 1000,
    probability_of_waiting: mixture.probabilityOfWaiting,
    objective: { quantile, latency_ms: p99Ms },
    service_ms: serviceMs,
    mean_qps: qps,
    peak_to_mean: peakToMean,
    design_qps: designQps,
    offered_load_erlangs: designQps / serviceRate,
    replicas_for_mean: atMean.servers,
    utilization_at_mean: qps / (c * serviceRate),
    peak_gap_replicas: c - atMean.servers,
    cost_per_hour_usd: price === undefined ? null : c * price,
    peak_gap_cost_per_hour_usd: price === undefined ? null : (c - atMean.servers) * price,
  };
}

function batchedPlan(
  input: CapacityPlanInput,
  batch: { size: number; serviceMs: number },
  quantile: number,
  maxReplicas: number,
  peakToMean: number,
  price: number | undefined,
): CapacityPlan {
  const { qps, p99Ms } = input;
  const designQps = qps * peakToMean;
  if (qps === 0) throw new RangeError(`batches of ${batch.size} never fill at 0 requests/s`);
  const split = 1 - (1 - quantile) / 2;
  const serviceRate = 1000 / batch.serviceMs;
  const size = (arrivalRate: number): { sized: Sized; fillSeconds: number } => {
    const fillSeconds = erlangQuantile(batch.size - 1, arrivalRate, split);
    const floorMs = (fillSeconds - Math.log(1 - split) / serviceRate) * 1000;
    if (p99Ms <= floorMs) {
      throw new RangeError(
        `no replica count meets a ${formatQuantile(quantile)} latency of ${p99Ms} ms with batches of ${batch.size}: at ${round(arrivalRate, 6)} requests/s a batch takes up to ` +
          `${round(fillSeconds * 1000, 1)} ms to fill and its service alone up to ${round((-Math.log(1 - split) / serviceRate) * 1000, 1)} ms ` +
          `(each at the ${formatQuantile(split)} of the bound); use smaller batches or a looser objective`,
      );
    }
    const sized = fewestReplicas(arrivalRate / batch.size, serviceRate, p99Ms / 1000 - fillSeconds, split, maxReplicas);
    return { sized, fillSeconds };
  };
  const design = size(designQps);
  const atMean = peakToMean === 1 ? design : size(qps);
  const c = design.sized.servers;
  const mixture = design.sized.mixture;
  const latencySeconds = design.fillSeconds + design.sized.latencySeconds;
  const p99 = quantile === 0.99 ? latencySeconds : erlangQuantile(batch.size - 1, designQps, 0.995) + sojournQuantile(mixture, 0.995);
  const meanWaitSeconds = mixture.probabilityOfWaiting / mixture.waitRate;
  // Mean fill wait: the k-th of b requests waits for b − k more arrivals, (b − 1)/(2λ) on average.
  const meanFillSeconds = (batch.size - 1) / (2 * designQps);
  return {
    replicas: c,
    utilization: designQps / batch.size / (c * serviceRate),
    p99_latency_ms: p99 * 1000,
    latency_at_quantile_ms: latencySeconds * 1000,
    latency_method: 'upper-bound',
    batch: { size: batch.size, service_ms: batch.serviceMs, fill_ms_at_quantile: design.fillSeconds * 1000 },
    mean_latency_ms: (meanFillSeconds + meanWaitSeconds) * 1000 + batch.serviceMs,
    mean_wait_ms: (meanFillSeconds + meanWaitSeconds) * 1000,
    probability_of_waiting: mixture.probabilityOfWaiting,
    objective: { quantile, latency_ms: p99Ms },
    service_ms: input.serviceMs,
    mean_qps: qps,
    peak_to_mean: peakToMean,
    design_qps: designQps,
    offered_load_erlangs: designQps / batch.size / serviceRate,
    replicas_for_mean: atMean.sized.servers,
    utilization_at_mean: qps / batch.size / (c * serviceRate),
    peak_gap_replicas: c - atMean.sized.servers,
    cost_per_hour_usd: price === undefined ? null : c * price,
    peak_gap_cost_per_hour_usd: price === undefined ? null : (c - atMean.sized.servers) * price,
  };
}

/**
 * The p-quantile of an Erlang(k, λ) time (the wait for k Poisson arrivals; 0 when k = 0), by bisection on its
 * CDF 1 − Σ_{j<k} e^{−λt}(λt)^j/j! (the Poisson–gamma identity), the sum built term by term in log space.
 */
function erlangQuantile(k: number, rate: number, p: number): number {
  if (k === 0) return 0;
  const survival = (t: number) => {
    const x = rate * t;
    // log of e^{−x} x^j / j!, so that e^{−x} alone underflowing (x > 745) does not zero the terms near j ≈ x.
    let logTerm = -x;
    let sum = Math.exp(logTerm);
    for (let j = 1; j < k; j++) {
      logTerm += Math.log(x / j);
      sum += Math.exp(logTerm);
    }
    return Math.min(1, sum);
  };
  let lo = 0;
  let hi = k / rate;
  while (survival(hi) > 1 - p) {
    lo = hi;
    hi *= 2;
  }
  while (hi - lo > 1e-12 * hi) {
    const mid = (lo + hi) / 2;
    if (survival(mid) > 1 - p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

interface Sized {
  servers: number;
  mixture: WaitMixture;
  latencySeconds: number;
}

/**
 * Scans c upwards from the smallest stable count (c > A = λ/μ), carrying Erlang B from c to c + 1 so the scan
 * costs O(c) in total; the quantile of the time in system falls as c grows, so the first c that meets the
 * objective is the fewest.
 */
function fewestReplicas(arrivalRate: number, serviceRate: number, objectiveSeconds: number, quantile: number, maxReplicas: number): Sized {
  const load = arrivalRate / serviceRate;
  const first = Math.max(1, Math.floor(load) + 1);
  if (first > maxReplicas) {
    throw new RangeError(`${round(arrivalRate, 6)} requests/s need more than maxReplicas = ${maxReplicas} replicas just to keep the queue stable`);
  }
  let b = 1;
  for (let k = 1; k <= first; k++) b = nextErlangB(b, k, load);
  for (let c = first; c <= maxReplicas; c++) {
    if (c > first) b = nextErlangB(b, c, load);
    const mixture: WaitMixture = { probabilityOfWaiting: erlangCFromB(c, load, b), waitRate: c * serviceRate - arrivalRate, serviceRate };
    const latencySeconds = sojournQuantile(mixture, quantile);
    if (latencySeconds <= objectiveSeconds) return { servers: c, mixture, latencySeconds };
  }
  throw new RangeError(`the objective needs more than maxReplicas = ${maxReplicas} replicas at ${round(arrivalRate, 6)} requests/s`);
}

function formatQuantile(q: number): string {
  return `p${round(q * 100, 4)}`;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
