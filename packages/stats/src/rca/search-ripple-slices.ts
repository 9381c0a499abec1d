/** A partial assignment of dimensions: `{region: 'eu'}` stands for region = eu, every other dimension `*`. */
export type RcaSlice = Readonly<Record<string, string>>;

/** Leaves of a fundamental (additive) measure: attribute values in `dimensions` order, expected and actual. */
export interface RippleLeaves {
  readonly dimensions: readonly string[];
  readonly attributes: readonly (readonly string[])[];
  readonly expected: ArrayLike<number>;
  readonly actual: ArrayLike<number>;
}

export interface RippleSearchOptions {
  /** At most this many slices in the root-cause set (default 3). */
  readonly maxSlices?: number;
  /** At most this many dimensions fixed in one slice, i.e. cuboid layers searched (default 3). */
  readonly maxDimensionsPerSlice?: number;
  /** Slices whose deviation |actual − expected| is under this share of |total change| are pruned (default 0.05). */
  readonly minShareOfChange?: number;
  /** Each slice of the set must remove at least this share of the total leaf deviation (default 0.05). */
  readonly minFit?: number;
  /** The combination search runs over this many best single slices (default 40). */
  readonly candidates?: number;
  /** Score penalty per dimension fixed in a slice: the simpler of two near-equal explanations wins (default 0.01). */
  readonly dimensionPenalty?: number;
  /** Leaf deviations within this many robust standard deviations of the forecast count as noise (default 3; 0: plain L1). */
  readonly noiseBand?: number;
  /** Above this many leaves, search each maxDimensionsPerSlice-cuboid's elements as leaves (default 50,000). */
  readonly coarsenAbove?: number;
}

/** One slice with its aggregates and its ripple-effect fit. */
export interface RippleSlice {
  readonly slice: RcaSlice;
  /** Indices into `dimensions` fixed by the slice, ascending. */
  readonly dimensionIndices: readonly number[];
  readonly expected: number;
  readonly actual: number;
  readonly leaves: number;
  /** Σ f_e² over the slice's leaves as searched (cuboid elements on the coarsened search): var = σ² · this. */
  readonly expectedSquares: number;
  /**
   * Share of the total leaf deviation Σ|v − f| removed when the slice's leaves take their ripple-effect values
   * f·(v_S / f_S): HotSpot's potential score restricted to the slice (can be negative).
   */
  readonly fit: number;
}

export interface RippleSearchResult {
  /** Σ actual − Σ expected. */
  readonly change: number;
  /** Σ over leaves of |actual − expected| beyond the noise band. */
  readonly totalDeviation: number;
  /** Pruned single slices, best fit first. */
  readonly candidates: readonly RippleSlice[];
  /** The chosen disjoint set, best fit first; empty when nothing deviates. */
  readonly rootCauses: readonly RippleSlice[];
  /** Potential score of the chosen set: Σ fit. */
  readonly fit: number;
  /** Relative leaf noise σ of v/f (noiseSigma) at the level the slices were scored (cuboid elements when coarsened). */
  readonly sigma: number;
  /**
   * Number of distinct slices (every non-empty slice of ≤ maxDimensionsPerSlice dimensions) whose deviation
   * was examined: the multiplicity m of the significance test of the root causes (see noise-floor.ts).
   * 0 when nothing deviated and no slice was examined.
   */
  readonly evaluated: number;
}

const DEFAULTS = { maxSlices: 3, maxDimensionsPerSlice: 3, minShareOfChange: 0.05, minFit: 0.05, candidates: 40, dimensionPenalty: 0.01, noiseBand: 3, coarsenAbove: 50_000 };

/**
 * Many sparse leaves (1M rows over 6 dimensions gives ~600k leaves of 1–2 rows): per-leaf noise then dwarfs
 * any slice in d(v, f). Every root cause of ≤ maxDims dimensions is a slice of some maxDims-cuboid, so each
 * such cuboid is searched with its elements as leaves (aggregates of many rows, hence far less noisy), and the
 * answers are reconciled by how consistently the cuboids that can express them return them.
 */
function searchCoarsened(leaves: RippleLeaves, o: typeof DEFAULTS, change: number, maxDims: number, sigma: number): RippleSearchResult {
  const n = leaves.attributes.length;
  const { codes, values } = encodeAttributes(leaves.attributes, leaves.dimensions.length);
  const answers = new Map<string, { result: RippleSearchResult; support: number; fit: number; used: Set<number> }>();
  // Distinct slices per sub-cuboid (key: its original dimension indices), counted once however many
  // maxDims-cuboids contain it: the multiplicity of the whole search, as if it had not been coarsened.
  const slicesPerCuboid = new Map<string, number>();
  for (const cuboid of combinations(leaves.dimensions.length, maxDims, 0, [])) {
    const { attributes, expected, actual } = aggregateCuboid(cuboid, codes, values, leaves, n);
    for (const sub of cuboidsUpTo(cuboid.length, cuboid.length)) {
      const key = sub.map((j) => cuboid[j]!).join(',');
      if (!slicesPerCuboid.has(key)) slicesPerCuboid.set(key, new Set(attributes.map((a) => sub.map((j) => a[j]!).join('\u0000'))).size);
    }
    const dimensions = cuboid.map((j) => leaves.dimensions[j]!);
    const result = searchRippleSlices({ dimensions, attributes, expected, actual }, { ...o, coarsenAbove: Infinity });
    if (result.rootCauses.length === 0) continue;
    const remapped = { ...result, candidates: result.candidates.map((c) => remap(c, cuboid)), rootCauses: result.rootCauses.map((c) => remap(c, cuboid)) };
    const key = remapped.rootCauses.map((c) => sliceKey(c.slice)).sort().join(' | ');
    const used = new Set(remapped.rootCauses.flatMap((c) => c.dimensionIndices));
    const entry = answers.get(key) ?? { result: remapped, support: 0, fit: 0, used };
    entry.support += 1;
    entry.fit += result.fit;
    answers.set(key, entry);
  }
  // An answer is kept by the cuboids that can express a finer one only if it is the truth: a cause on
  // {d0, d1} shows up as {d0} in every cuboid without d1, but as itself in every cuboid with both. So answers
  // are ranked by the share of the cuboids able to express them that return them, then by mean fit.
  const cuboids = [...combinations(leaves.dimensions.length, maxDims, 0, [])];
  let best: { result: RippleSearchResult; share: number; fit: number } | null = null;
  for (const a of answers.values()) {
    const able = cuboids.filter((c) => [...a.used].every((j) => c.includes(j))).length;
    const share = a.support / able;
    const fit = a.fit / a.support;
    if (best === null || share > best.share + 1e-12 || (Math.abs(share - best.share) <= 1e-12 && fit > best.fit)) best = { result: a.result, share, fit };
  }
  let evaluated = 0;
  for (const count of slicesPerCuboid.values()) evaluated += count;
  return best === null ? { change, totalDeviation: 0, candidates: [], rootCauses: [], fit: 0, sigma, evaluated } : { ...best.result, change, evaluated };
}

/**
 * Sums the leaves into the elements of one cuboid. Element keys are mixed-radix numbers of the value codes;
 * when there are few enough possible keys they index typed arrays directly (one pass, no hashing: on 864k
 * leaves × 20 cuboids the Map took 2 s), otherwise a Map assigns slots.
 */
function aggregateCuboid(
  cuboid: readonly number[],
  codes: readonly Int32Array[],
  values: readonly (readonly string[])[],
  leaves: RippleLeaves,
  n: number,
): { attributes: string[][]; expected: number[]; actual: number[] } {
  const radix = cuboid.map((j) => values[j]!.length);
  // Element keys, built column by column over typed arrays (a per-leaf closure was the hot spot).
  const keys = new Float64Array(n);
  let scale = 1;
  cuboid.forEach((j, c) => {
    const column = codes[j]!;
    for (let i = 0; i < n; i++) keys[i]! += column[i]! * scale;
    scale *= radix[c]!;
  });
  const attributesOf = (key: number): string[] =>
    cuboid.map((j, c) => {
      const value = values[j]![key % radix[c]!]!;
      key = Math.floor(key / radix[c]!);
      return value;
    });
  const possible = radix.reduce((a, b) => a * b, 1);
  const attributes: string[][] = [];
  const expected: number[] = [];
  const actual: number[] = [];
  if (possible <= 1 << 22) {
    const sumExpected = new Float64Array(possible);
    const sumActual = new Float64Array(possible);
    const seen = new Uint8Array(possible);
    for (let i = 0; i < n; i++) {
      const key = keys[i]!;
      sumExpected[key]! += leaves.expected[i]!;
      sumActual[key]! += leaves.actual[i]!;
      seen[key] = 1;
    }
    for (let key = 0; key < possible; key++) {
      if (!seen[key]) continue;
      attributes.push(attributesOf(key));
      expected.push(sumExpected[key]!);
      actual.push(sumActual[key]!);
    }
    return { attributes, expected, actual };
  }
  const slotOf = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const key = keys[i]!;
    let k = slotOf.get(key);
    if (k === undefined) {
      k = attributes.length;
      slotOf.set(key, k);
      attributes.push(attributesOf(key));
      expected.push(0);
      actual.push(0);
    }
    expected[k]! += leaves.expected[i]!;
    actual[k]! += leaves.actual[i]!;
  }
  return { attributes, expected, actual };
}

const remap = (c: RippleSlice, cuboid: readonly number[]): RippleSlice => ({ ...c, dimensionIndices: c.dimensionIndices.map((j) => cuboid[j]!) });

/** |x| beyond the noise band: the ε-insensitive L1 distance. */
const excess = (x: number, band: number): number => Math.max(0, Math.abs(x) - band);

/**
 * σ of the leaves' relative noise v/f. Each leaf tolerates k·σ·|f| (the ε-insensitive distance): without it
 * every leaf's forecast noise enters d(v, f) and drowns small root causes. Squeeze removes normal leaves first
 * for the same reason (its deviation-score filter).
 */
export function noiseSigma(expected: ArrayLike<number>, actual: ArrayLike<number>): number {
  const ratios: number[] = [];
  for (let i = 0; i < expected.length; i++) if (expected[i]! > 0) ratios.push(actual[i]! / expected[i]!);
  if (ratios.length < 2) return 0;
  // Shortest half (Rousseeuw's shorth): robust to up to half the leaves being root-cause leaves, where the
  // MAD would straddle the normal and the deviating cluster. Its width is 2 · 0.6745 σ for a normal sample.
  const sorted = Float64Array.from(ratios).sort();
  const h = Math.ceil(sorted.length / 2);
  let width = Infinity;
  for (let i = 0; i + h - 1 < sorted.length; i++) width = Math.min(width, sorted[i + h - 1]! - sorted[i]!);
  return width / (2 * 0.6745);
}

/**
 * Multi-dimensional root-cause search on a fundamental measure under the generalized ripple effect (Squeeze,
 * Li et al., ISSRE 2019): when slice S is a root cause, each of its leaves moves in proportion to the slice,
 * a_e = f_e · v_S / f_S, and leaves outside every root cause stay at their forecast. A set is scored by
 * HotSpot's potential score (Sun et al., IEEE Access 2018) with the L1 distance Squeeze uses,
 * ps = 1 − d(v, a) / d(v, f); for disjoint slices it is the sum of per-slice fits, so the combination search
 * (every disjoint set of ≤ maxSlices among the best candidates, all cuboid layers ≤ maxDimensionsPerSlice) is
 * cheap once each slice's fit is known. Throws on mismatched lengths or non-finite values.
 *
 * @example searchRippleSlices({dimensions: ['region'], attributes: [['eu'], ['us']], expected: [10, 10], actual: [20, 10]})
 *   // rootCauses[0].slice → {region: 'eu'}
 */
export function searchRippleSlices(leaves: RippleLeaves, options: RippleSearchOptions = {}): RippleSearchResult {
  const o = { ...DEFAULTS, ...options };
  const n = leaves.attributes.length;
  const d = leaves.dimensions.length;
  if (leaves.expected.length !== n || leaves.actual.length !== n) throw new RangeError(`searchRippleSlices: ${n} leaves but ${leaves.expected.length} expected and ${leaves.actual.length} actual values`);
  if (d === 0) throw new RangeError('searchRippleSlices: at least one dimension is needed');
  let change = 0;
  for (let i = 0; i < n; i++) {
    const f = leaves.expected[i]!;
    const v = leaves.actual[i]!;
    if (!Number.isFinite(f) || !Number.isFinite(v)) throw new RangeError(`searchRippleSlices: leaf ${i} has a non-finite value (expected ${f}, actual ${v})`);
    if (leaves.attributes[i]!.length !== d) throw new RangeError(`searchRippleSlices: leaf ${i} has ${leaves.attributes[i]!.length} attributes, expected ${d}`);
    change += v - f;
  }
  const sigma = noiseSigma(leaves.expected, leaves.actual);
  const band = new Float64Array(n);
  for (let i = 0; i < n; i++) band[i] = o.noiseBand * sigma * Math.abs(leaves.expected[i]!);
  let totalDeviation = 0;
  for (let i = 0; i < n; i++) totalDeviation += excess(leaves.actual[i]! - leaves.expected[i]!, band[i]!);
  if (totalDeviation === 0 || n === 0) return { change, totalDeviation, candidates: [], rootCauses: [], fit: 0, sigma, evaluated: 0 };

  const maxDims = Math.min(o.maxDimensionsPerSlice, d);
  if (n > o.coarsenAbove && d > maxDims) return searchCoarsened(leaves, o, change, maxDims, sigma);
  const { codes, values } = encodeAttributes(leaves.attributes, d);
  const pruneBelow = o.minShareOfChange * (Math.abs(change) > 0 ? Math.abs(change) : totalDeviation);
  const all: RippleSlice[] = [];
  let evaluated = 0;
  for (const cuboid of cuboidsUpTo(d, maxDims)) {
    const scored = scoreCuboid(cuboid, codes, values, leaves, band, Math.max(o.noiseBand, Math.sqrt(2 * Math.log(n))) * sigma, totalDeviation, pruneBelow, leaves.dimensions);
    evaluated += scored.evaluated;
    all.push(...scored.slices);
  }
  all.sort((a, b) => b.fit - a.fit || a.dimensionIndices.length - b.dimensionIndices.length || sliceKey(a.slice).localeCompare(sliceKey(b.slice)));
  const candidates = all.filter((s) => s.fit >= o.minFit).slice(0, o.candidates);
  const rootCauses = bestDisjointSet(candidates, o.maxSlices, o.dimensionPenalty);
  return { change, totalDeviation, candidates: all, rootCauses, fit: rootCauses.reduce((s, c) => s + c.fit, 0), sigma, evaluated };
}

/** A stable text key of a slice, dimensions in insertion order: `region=eu,device=mobile`. */
export function sliceKey(slice: RcaSlice): string {
  return Object.entries(slice).map(([k, v]) => `${k}=${v}`).join(',');
}

/** True when no leaf can belong to both slices: they fix one dimension to different values. */
export function slicesAreDisjoint(a: RcaSlice, b: RcaSlice): boolean {
  for (const [k, v] of Object.entries(a)) if (k in b && b[k] !== v) return true;
  return false;
}

/** True when every leaf of `slice` has the slice's value on each fixed dimension. */
export function leafInSlice(slice: RcaSlice, dimensions: readonly string[], attributes: readonly string[]): boolean {
  for (let j = 0; j < dimensions.length; j++) {
    const want = slice[dimensions[j]!];
    if (want !== undefined && want !== attributes[j]) return false;
  }
  return true;
}

// The rate and mix searches of one explanation share their attribute array: encode it once.
const encoded = new WeakMap<readonly (readonly string[])[], { codes: Int32Array[]; values: string[][] }>();

function encodeAttributes(attributes: readonly (readonly string[])[], d: number): { codes: Int32Array[]; values: string[][] } {
  const cached = encoded.get(attributes);
  if (cached && cached.codes.length === d) return cached;
  const result = encodeAttributesOnce(attributes, d);
  encoded.set(attributes, result);
  return result;
}

function encodeAttributesOnce(attributes: readonly (readonly string[])[], d: number): { codes: Int32Array[]; values: string[][] } {
  const codes: Int32Array[] = [];
  const values: string[][] = [];
  for (let j = 0; j < d; j++) {
    const index = new Map<string, number>();
    const column = new Int32Array(attributes.length);
    const names: string[] = [];
    for (let i = 0; i < attributes.length; i++) {
      const a = attributes[i]![j]!;
      let c = index.get(a);
      if (c === undefined) {
        c = names.length;
        index.set(a, c);
        names.push(a);
      }
      column[i] = c;
    }
    codes.push(column);
    values.push(names);
  }
  return { codes, values };
}

function* cuboidsUpTo(d: number, maxSize: number): Generator<number[]> {
  for (let size = 1; size <= maxSize; size++) yield* combinations(d, size, 0, []);
}

function* combinations(d: number, size: number, start: number, prefix: number[]): Generator<number[]> {
  if (prefix.length === size) {
    yield [...prefix];
    return;
  }
  for (let j = start; j < d; j++) {
    prefix.push(j);
    yield* combinations(d, size, j + 1, prefix);
    prefix.pop();
  }
}

/** Two passes over the leaves: slice sums, then each leaf's L1 gain under its slice's ripple ratio. */
function scoreCuboid(
  cuboid: number[],
  codes: Int32Array[],
  values: string[][],
  leaves: RippleLeaves,
  band: Float64Array,
  sliceBand: number,
  totalDeviation: number,
  pruneBelow: number,
  dimensions: readonly string[],
): { slices: RippleSlice[]; evaluated: number } {
  const n = leaves.attributes.length;
  const strides: number[] = [];
  let radix = 1;
  for (const j of cuboid) {
    strides.push(radix);
    radix *= values[j]!.length;
  }
  if (radix > Number.MAX_SAFE_INTEGER) throw new RangeError('searchRippleSlices: too many attribute combinations in one cuboid');
  const slotOf = new Map<number, number>();
  const sliceOfLeaf = new Int32Array(n);
  const f: number[] = [];
  const v: number[] = [];
  const counts: number[] = [];
  const squares: number[] = [];
  const firstLeaf: number[] = [];
  for (let i = 0; i < n; i++) {
    let key = 0;
    for (let k = 0; k < cuboid.length; k++) key += codes[cuboid[k]!]![i]! * strides[k]!;
    let slot = slotOf.get(key);
    if (slot === undefined) {
      slot = f.length;
      slotOf.set(key, slot);
      f.push(0);
      v.push(0);
      counts.push(0);
      squares.push(0);
      firstLeaf.push(i);
    }
    sliceOfLeaf[i] = slot;
    f[slot]! += leaves.expected[i]!;
    v[slot]! += leaves.actual[i]!;
    counts[slot]! += 1;
    squares[slot]! += leaves.expected[i]! ** 2;
  }
  // Kept: a deviation worth explaining (≥ pruneBelow) and beyond the slice's own noise, k·σ·√Σf² (independent
  // leaf noise adds up in quadrature), so a slice holding one noisy leaf is not a cause. k ≥ √(2 ln n), the
  // typical largest of n standard normals, since every leaf is in some slice.
  const keep = f.map((fs, s) => Math.abs(v[s]! - fs) >= Math.max(pruneBelow, sliceBand * Math.sqrt(squares[s]!)));
  const gain = new Float64Array(f.length);
  for (let i = 0; i < n; i++) {
    const s = sliceOfLeaf[i]!;
    if (!keep[s]) continue;
    const fe = leaves.expected[i]!;
    const ve = leaves.actual[i]!;
    // A slice with no forecast (all new leaves) is explained leaf by leaf: a_e = v_e.
    const ae = f[s]! === 0 ? ve : (fe * v[s]!) / f[s]!;
    gain[s]! += excess(ve - fe, band[i]!) - excess(ve - ae, band[i]!);
  }
  const out: RippleSlice[] = [];
  for (let s = 0; s < f.length; s++) {
    if (!keep[s]) continue;
    const slice: Record<string, string> = {};
    for (const j of cuboid) slice[dimensions[j]!] = values[j]![codes[j]![firstLeaf[s]!]!]!;
    out.push({ slice, dimensionIndices: cuboid, expected: f[s]!, actual: v[s]!, leaves: counts[s]!, expectedSquares: squares[s]!, fit: gain[s]! / totalDeviation });
  }
  return { slices: out, evaluated: f.length };
}

/** Exhaustive over disjoint sets of ≤ maxSlices candidates: max Σ fit − penalty · Σ dimensions fixed. */
function bestDisjointSet(candidates: readonly RippleSlice[], maxSlices: number, penalty: number): RippleSlice[] {
  let best: RippleSlice[] = [];
  let bestScore = 0;
  const chosen: RippleSlice[] = [];
  const visit = (start: number, score: number): void => {
    if (chosen.length > 0 && score > bestScore + 1e-12) {
      bestScore = score;
      best = [...chosen];
    }
    if (chosen.length === maxSlices) return;
    for (let i = start; i < candidates.length; i++) {
      const c = candidates[i]!;
      if (!chosen.every((x) => slicesAreDisjoint(x.slice, c.slice))) continue;
      chosen.push(c);
      visit(i + 1, score + c.fit - penalty * c.dimensionIndices.length);
      chosen.pop();
    }
  };
  visit(0, 0);
  return best;
}
