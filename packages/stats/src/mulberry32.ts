/**
 * A seeded uniform generator on [0, 1): mulberry32 (Tommy Ettinger, 2017; public domain), a 32-bit state
 * advanced by the Weyl constant 0x6D2B79F5 and mixed by two multiply-xorshift rounds. Period 2^32, passes
 * gjrand and PractRand up to several GB: ample for bootstrap resampling and synthetic series, not for
 * cryptography. The same seed always gives the same sequence on every platform.
 *
 * @example const random = mulberry32(42); const u = random();
 */
export function mulberry32(seed: number): () => number {
  if (!Number.isInteger(seed)) throw new RangeError(`mulberry32: seed must be an integer, got ${seed}`);
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A seeded standard normal generator: Box–Muller (Box & Muller 1958) on `mulberry32(seed)`, returning
 * both variates of each pair in turn.
 */
export function mulberry32Normal(seed: number): () => number {
  const uniform = mulberry32(seed);
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const value = spare;
      spare = undefined;
      return value;
    }
    const u1 = 1 - uniform(); // in (0, 1], so the log is finite
    const u2 = uniform();
    const radius = Math.sqrt(-2 * Math.log(u1));
    spare = radius * Math.sin(2 * Math.PI * u2);
    return radius * Math.cos(2 * Math.PI * u2);
  };
}
