/**
 * A plausible serving latency for the demo's predictions. The flights are real; the latency is simulated:
 * log-normal with a 12 ms median and σ = 0.35 in log space (p99 ≈ 27 ms), 20% slower in the 17:00–20:59
 * evening peak, and 0.5% of requests 4× slower (a pause or a cold cache), so latency panels show a tail.
 *
 * Seeded and counter-based: the random numbers are a hash of (seed, row), so a row gets the same latency
 * however many rows are loaded and in whatever batches.
 */
export function simulatedLatencyMs(row: number, hour: number, seed = 2001): number {
  const u1 = unitHash(row, seed, 0);
  const u2 = unitHash(row, seed, 1);
  const u3 = unitHash(row, seed, 2);
  // Box–Muller transform: a standard normal from two uniforms (Box & Muller 1958).
  const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  const peak = hour >= 17 && hour <= 20 ? 1.2 : 1;
  const tail = u3 < 0.005 ? 4 : 1;
  return Math.round(12 * peak * tail * Math.exp(0.35 * z) * 100) / 100;
}

/** A uniform number in (0, 1) from 32-bit keys, mixed with MurmurHash3's finaliser (fmix32). */
function unitHash(row: number, seed: number, stream: number): number {
  let h = (Math.imul(row >>> 0, 0x9e3779b1) ^ Math.imul(seed + 1, 0x85ebca77) ^ Math.imul(stream + 1, 0xc2b2ae3d)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return ((h >>> 0) + 0.5) / 4294967296;
}
