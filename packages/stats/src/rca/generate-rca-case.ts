import type { RcaSlice } from './search-ripple-slices.js';
import { mulberry32 } from '../mulberry32.js';

export interface RcaCaseOptions {
  /** Number of dimensions (default 4). */
  readonly dimensions?: number;
  /** Values per dimension drawn uniformly from this inclusive range (default [5, 10]). */
  readonly valuesPerDimension?: readonly [number, number];
  /** Relative Gaussian noise of every leaf's actual around its forecast (default 0.05). */
  readonly noise?: number;
  /** Number of injected root causes drawn from this inclusive range (default [1, 3]). */
  readonly rootCauses?: readonly [number, number];
  /** Dimensions fixed per root cause drawn from this inclusive range (default [1, 3]). */
  readonly dimensionsPerRootCause?: readonly [number, number];
  /** Relative deviation of a root cause's leaves, magnitude drawn from this range (default [0.2, 0.9]). */
  readonly deviation?: readonly [number, number];
  /** Share of leaf combinations present (default 1: the full cross product). */
  readonly leafDensity?: number;
}

/** A case in the public benchmarks' shape (attribute columns, `real`, `predict`) with its injected causes. */
export interface RcaCase {
  readonly dimensions: readonly string[];
  readonly attributes: readonly (readonly string[])[];
  readonly expected: Float64Array;
  readonly actual: Float64Array;
  readonly rootCauses: readonly RcaSlice[];
}

/**
 * A seeded semi-synthetic case modelled on the Squeeze benchmark (Li et al., ISSRE 2019, datasets B0–B4):
 * leaves are the cross product of the dimensions' values, forecasts are log-normal, actuals are the forecast
 * with relative Gaussian noise, and 1–3 root causes — distinct slices of one cuboid, so disjoint — move by one
 * common relative deviation (same direction for the whole case, as in Squeeze's injection), spread over
 * their leaves by the ripple effect.
 */
export function generateRcaCase(seed: number, options: RcaCaseOptions = {}): RcaCase {
  const random = mulberry32(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const dims = options.dimensions ?? 4;
  const [vLo, vHi] = options.valuesPerDimension ?? [5, 10];
  const noise = options.noise ?? 0.05;
  const [rLo, rHi] = options.rootCauses ?? [1, 3];
  const [kLo, kHi] = options.dimensionsPerRootCause ?? [1, 3];
  const [devLo, devHi] = options.deviation ?? [0.2, 0.9];
  const density = options.leafDensity ?? 1;

  const dimensions = Array.from({ length: dims }, (_, j) => String.fromCharCode(97 + j));
  const cardinality = dimensions.map(() => int(vLo, vHi));
  const attributes: string[][] = [];
  const cross = (j: number, prefix: string[]): void => {
    if (j === dims) {
      if (random() < density) attributes.push([...prefix]);
      return;
    }
    for (let c = 0; c < cardinality[j]!; c++) cross(j + 1, [...prefix, `${dimensions[j]}${c + 1}`]);
  };
  cross(0, []);

  const k = Math.min(int(kLo, kHi), dims);
  const cuboid = shuffle(dimensions.map((_, j) => j), random).slice(0, k).sort((a, b) => a - b);
  const m = int(rLo, rHi);
  const rootCauses: RcaSlice[] = [];
  const seen = new Set<string>();
  for (let attempt = 0; rootCauses.length < m && attempt < 100; attempt++) {
    const leaf = attributes[Math.floor(random() * attributes.length)]!;
    const slice: Record<string, string> = {};
    for (const j of cuboid) slice[dimensions[j]!] = leaf[j]!;
    const key = JSON.stringify(slice);
    if (seen.has(key)) continue;
    seen.add(key);
    rootCauses.push(slice);
  }
  const sign = random() < 0.5 ? -1 : 1;
  const deviation = sign * (devLo + random() * (devHi - devLo));
  const expected = new Float64Array(attributes.length);
  const actual = new Float64Array(attributes.length);
  for (let i = 0; i < attributes.length; i++) {
    const f = Math.exp(Math.log(100) + normal());
    const inCause = rootCauses.some((s) => cuboid.every((j) => s[dimensions[j]!] === attributes[i]![j]));
    expected[i] = f;
    actual[i] = Math.max(0, f * (1 + (inCause ? deviation : 0)) * (1 + noise * normal()));
  }
  return { dimensions, attributes, expected, actual, rootCauses };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
