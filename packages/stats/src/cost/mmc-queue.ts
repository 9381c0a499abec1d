import { erlangC } from './erlang-c.js';

/** An M/M/c queue: Poisson arrivals at `arrivalRate` λ, c servers each completing exponential jobs at `serviceRate` μ. */
export interface MmcQueue {
  servers: number;
  arrivalRate: number;
  serviceRate: number;
}

/** Utilisation ρ = λ/(cμ): the share of time a server is busy; the queue is stable only when ρ < 1. */
export function mmcUtilization({ servers, arrivalRate, serviceRate }: MmcQueue): number {
  checkQueue({ servers, arrivalRate, serviceRate });
  return arrivalRate / (servers * serviceRate);
}

/** Mean time waiting before service, W_q = C(c, λ/μ) / (cμ − λ) (Kleinrock 1975 vol. 1 §3.5). */
export function mmcMeanWait(queue: MmcQueue): number {
  const { servers, arrivalRate, serviceRate } = checkStable(queue);
  return erlangC(servers, arrivalRate / serviceRate) / (servers * serviceRate - arrivalRate);
}

/**
 * P(T > t) for the time in system T = W + S of an M/M/c queue (FCFS), where the wait W is 0 with probability
 * 1 − C and Exp(α = cμ − λ) otherwise (P(W > t) = C·e^{−αt}), and the service S ~ Exp(μ) is independent of W.
 *
 * Convolving the mixture with S (Gross & Harris, Fundamentals of Queueing Theory, §2.3, sojourn-time
 * distribution of M/M/c):
 *   P(T > t) = (1 − C)·e^{−μt} + C·P(E_α + E_μ > t),
 *   P(E_α + E_μ > t) = (α·e^{−μt} − μ·e^{−αt}) / (α − μ)        (hypoexponential, α ≠ μ)
 *                    = (1 + μt)·e^{−μt}                          (Erlang-2, α = μ, i.e. c − 1 = λ/μ).
 * Both cases are one expression, e^{−μt}·(1 + μt·φ((α − μ)t)) with φ(x) = (1 − e^{−x})/x and φ(0) = 1, which
 * we use near α = μ where the first form cancels catastrophically.
 */
export function mmcSojournSurvival(queue: MmcQueue, t: number): number {
  checkStable(queue);
  return sojournSurvival(waitMixture(queue), t);
}

/** P(T ≤ t) for the M/M/c time in system; see `mmcSojournSurvival`. */
export function mmcSojournCdf(queue: MmcQueue, t: number): number {
  return 1 - mmcSojournSurvival(queue, t);
}

/**
 * The q-quantile of the M/M/c time in system: the t with P(T ≤ t) = q, found by bisection to a relative
 * 1e-12 (the survival function is continuous and strictly decreasing, so bisection always converges).
 *
 * @example mmcSojournQuantile({servers: 6, arrivalRate: 40, serviceRate: 10}, 0.99) // seconds, as the rates are per second
 */
export function mmcSojournQuantile(queue: MmcQueue, q: number): number {
  checkStable(queue);
  return sojournQuantile(waitMixture(queue), q);
}

/**
 * The wait of an M/M/c queue as a mixture: 0 with probability 1 − C, Exp(cμ − λ) with probability C; with the
 * service rate it fixes the sojourn-time distribution. Callers scanning c compute C incrementally and build it.
 */
export interface WaitMixture {
  probabilityOfWaiting: number;
  /** α = cμ − λ, the rate of the exponential wait of those who wait. */
  waitRate: number;
  serviceRate: number;
}

/** P(T > t) for T = W + S, W from the mixture and S ~ Exp(μ); see `mmcSojournSurvival` for the derivation. */
export function sojournSurvival({ probabilityOfWaiting: c, waitRate, serviceRate }: WaitMixture, t: number): number {
  if (!(t >= 0)) throw new RangeError(`t must be ≥ 0, got ${t}`);
  return (1 - c) * Math.exp(-serviceRate * t) + c * hypoexponentialSurvival(waitRate, serviceRate, t);
}

/** The q-quantile of T = W + S by bisection on the strictly decreasing survival function, to a relative 1e-12. */
export function sojournQuantile(mixture: WaitMixture, q: number): number {
  if (!(q > 0 && q < 1)) throw new RangeError(`quantile must be in (0, 1), got ${q}`);
  const target = 1 - q;
  // T ≥ S, so the service time's own quantile −ln(1 − q)/μ is a lower bound; double from there to bracket.
  let lo = -Math.log(target) / mixture.serviceRate;
  let hi = lo * 2;
  while (sojournSurvival(mixture, hi) > target) {
    lo = hi;
    hi *= 2;
  }
  while (hi - lo > 1e-12 * hi) {
    const mid = (lo + hi) / 2;
    if (sojournSurvival(mixture, mid) > target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

function waitMixture({ servers, arrivalRate, serviceRate }: MmcQueue): WaitMixture {
  return { probabilityOfWaiting: erlangC(servers, arrivalRate / serviceRate), waitRate: servers * serviceRate - arrivalRate, serviceRate };
}

/** P(E_α + E_μ > t) for independent exponentials with rates α and μ, stable when α ≈ μ. */
function hypoexponentialSurvival(alpha: number, mu: number, t: number): number {
  const x = (alpha - mu) * t;
  if (Math.abs(x) < 1) {
    // φ(x) = (1 − e^{−x})/x = −expm1(−x)/x: accurate for small x, no cancellation.
    const phi = x === 0 ? 1 : -Math.expm1(-x) / x;
    return Math.exp(-mu * t) * (1 + mu * t * phi);
  }
  return (alpha * Math.exp(-mu * t) - mu * Math.exp(-alpha * t)) / (alpha - mu);
}

function checkQueue({ servers, arrivalRate, serviceRate }: MmcQueue): void {
  if (!Number.isInteger(servers) || servers < 1) throw new RangeError(`servers must be a positive integer, got ${servers}`);
  if (!Number.isFinite(arrivalRate) || arrivalRate < 0) throw new RangeError(`arrival rate must be finite and ≥ 0, got ${arrivalRate}`);
  if (!Number.isFinite(serviceRate) || serviceRate <= 0) throw new RangeError(`service rate must be finite and > 0, got ${serviceRate}`);
}

function checkStable(queue: MmcQueue): MmcQueue {
  checkQueue(queue);
  if (queue.arrivalRate >= queue.servers * queue.serviceRate) {
    throw new RangeError(
      `the queue is unstable: arrival rate ${queue.arrivalRate} ≥ ${queue.servers} servers × service rate ${queue.serviceRate} (utilisation must be < 1)`,
    );
  }
  return queue;
}
