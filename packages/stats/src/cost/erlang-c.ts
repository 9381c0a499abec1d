/**
 * Probability that an arriving job waits in an M/M/c queue (Erlang's C formula), for `servers` = c parallel
 * servers offered `offeredLoadErlangs` = A = λ/μ. Returns 1 when A ≥ c (the queue grows without bound).
 *
 * Computed through the Erlang B recursion B(0) = 1, B(k) = A·B(k−1) / (k + A·B(k−1)) and
 * C = B / (1 − ρ(1 − B)) with ρ = A/c (Kleinrock 1975, Queueing Systems vol. 1, §3.5 M/M/m and §3.7 M/M/m/m; the
 * B-to-C identity is in Gross & Harris, Fundamentals of Queueing Theory, §2.3). Every term stays in [0, 1],
 * so c in the thousands works where the textbook sum of A^k/k! overflows.
 *
 * @example erlangC(2, 1) // 1/3
 */
export function erlangC(servers: number, offeredLoadErlangs: number): number {
  checkQueueInput(servers, offeredLoadErlangs);
  if (offeredLoadErlangs >= servers) return 1;
  const b = erlangB(servers, offeredLoadErlangs);
  return erlangCFromB(servers, offeredLoadErlangs, b);
}

/** Probability that a job is lost in an M/M/c/c system (Erlang's B formula), by the stable recursion above. */
export function erlangB(servers: number, offeredLoadErlangs: number): number {
  checkQueueInput(servers, offeredLoadErlangs);
  let b = 1;
  for (let k = 1; k <= servers; k++) b = nextErlangB(b, k, offeredLoadErlangs);
  return b;
}

/** One step of the Erlang B recursion: B(k) from B(k−1). Exported for callers that scan c upwards. */
export function nextErlangB(previous: number, k: number, offeredLoadErlangs: number): number {
  const ab = offeredLoadErlangs * previous;
  return ab / (k + ab);
}

/** Erlang C from Erlang B for the same c and A (requires A < c). */
export function erlangCFromB(servers: number, offeredLoadErlangs: number, erlangBValue: number): number {
  const rho = offeredLoadErlangs / servers;
  return erlangBValue / (1 - rho * (1 - erlangBValue));
}

function checkQueueInput(servers: number, offeredLoadErlangs: number): void {
  if (!Number.isInteger(servers) || servers < 1) throw new RangeError(`servers must be a positive integer, got ${servers}`);
  if (!Number.isFinite(offeredLoadErlangs) || offeredLoadErlangs < 0) {
    throw new RangeError(`offered load must be a finite number of erlangs ≥ 0, got ${offeredLoadErlangs}`);
  }
}
