import { kitagawaDecomposition, type RateGroup } from './kitagawa-decomposition.js';
import { rankDimensions, type DimensionRank } from './rank-dimensions.js';
import { sliceSignificance, type NoiseModel, type SliceSignificance } from './noise-floor.js';
import { leafInSlice, searchRippleSlices, sliceKey, slicesAreDisjoint, type RcaSlice, type RippleSearchOptions, type RippleSlice } from './search-ripple-slices.js';

/** A leaf of a fundamental measure (count, sum, cost): baseline (or forecast) and current (or actual). */
export interface CountLeaf {
  readonly attributes: readonly string[];
  readonly baseline: number;
  readonly current: number;
}

/** A leaf of a derived measure rate = num / den in both periods. */
export type RateLeaf = RateGroup & { readonly attributes: readonly string[] };

export type ExplanationKind = 'rate' | 'mix' | 'volume';

export interface Explanation {
  readonly rank: number;
  readonly slice: RcaSlice;
  /** Share of the total change that disappears when the slice alone is put back to its expected value, in [0, 1]. */
  readonly explained_share: number;
  readonly kind: ExplanationKind;
  readonly prior: number;
  readonly posterior: number;
  readonly evidence: Readonly<Record<string, number>>;
}

export interface RcaResult {
  readonly change: { readonly baseline: number; readonly current: number; readonly delta: number };
  /** Kitagawa mix/rate split along `dimension` for rate metrics; nulls for fundamental metrics. */
  readonly decomposition: { readonly mix: number | null; readonly rate: number | null; readonly dimension: string | null };
  readonly root_causes: readonly RcaSlice[];
  /** Share of the change that disappears when every root cause is put back at once. */
  readonly root_cause_share: number;
  readonly explanations: readonly Explanation[];
  readonly ruled_out: readonly { readonly slice: RcaSlice; readonly reason: string }[];
  readonly dimensions: readonly DimensionRank[];
  /**
   * 'no change' when baseline and current agree on every leaf; 'no significant change' when they differ but
   * no slice's deviation clears the noise floor (noise-floor.ts), so root_causes is empty.
   */
  readonly note: string | null;
}

export interface ExplainChangeOptions extends RippleSearchOptions {
  /**
   * Prior weights (default 1): per dimension (`region`), and per value of a dimension (`stage:extract`, e.g. from
   * funnelStagePriors); a slice's prior is the product over its fixed dimensions of both.
   */
  readonly priors?: Readonly<Record<string, number>>;
  /** Explanations listed (default 10). */
  readonly explanations?: number;
  /**
   * Noise model of the significance test every root cause must pass (noise-floor.ts): 'poisson' for counts
   * of events whose baseline is also a count (`--metric count`), 'empirical' (default) for any measure,
   * from the leaves' own relative noise.
   */
  readonly noise?: NoiseModel;
}

/** Likelihood temperature and per-dimension penalty: L(S) = exp(κ · (fit − λ · (dims − 1))). */
const KAPPA = 10;
const LAMBDA = 0.05;

/**
 * Explains the change of a fundamental measure between `baseline` and `current` leaves (or forecast and
 * actual): root causes by the ripple-effect search (searchRippleSlices), ranked explanations with their
 * counterfactual share, Adtributor's dimension ranking. Throws on an empty leaf list or a mismatched leaf.
 */
export function explainChange(dimensions: readonly string[], leaves: readonly CountLeaf[], options: ExplainChangeOptions = {}): RcaResult {
  assertLeaves(dimensions, leaves.length);
  const expected = Float64Array.from(leaves, (l) => l.baseline);
  const actual = Float64Array.from(leaves, (l) => l.current);
  const attributes = leaves.map((l) => l.attributes);
  const search = searchRippleSlices({ dimensions, attributes, expected, actual }, options);
  const baseline = sum(expected);
  const current = sum(actual);
  const delta = current - baseline;
  const share = (d: number) => counterfactualShare(delta, delta - d);
  const dims = rankDimensions(sumsByDimension(dimensions, attributes, expected, actual));
  const noChange = leaves.every((l) => l.baseline === l.current);
  const listed = pickListed(search.rootCauses, search.candidates, options.explanations ?? 10);
  const tests = significanceBySlice({ dimensions, attributes, expected, actual }, listed, search, options.noise);
  const rootCauses = search.rootCauses.filter((c) => tests.get(sliceKey(c.slice))!.significant);
  const explanations = rankExplanations(
    listed.map((c) => ({
      slice: c.slice,
      fit: c.fit,
      explained_share: share(c.actual - c.expected),
      kind: 'volume' as const,
      evidence: {
        expected: c.expected,
        actual: c.actual,
        change: c.actual - c.expected,
        ratio: c.expected === 0 ? Number.MAX_VALUE : c.actual / c.expected,
        ripple_fit: c.fit,
        leaves: c.leaves,
        ...significanceEvidence(tests.get(sliceKey(c.slice))!),
      },
    })),
    options.priors,
  );
  return {
    change: { baseline, current, delta },
    decomposition: { mix: null, rate: null, dimension: null },
    root_causes: rootCauses.map((c) => c.slice),
    root_cause_share: share(rootCauses.reduce((s, c) => s + c.actual - c.expected, 0)),
    explanations,
    ruled_out: ruledOut(rootCauses, search.candidates, (c) => share(c.actual - c.expected)),
    dimensions: dims,
    note: noChange ? 'no change' : rootCauses.length === 0 ? 'no significant change' : null,
  };
}

/** The noise-floor test (noise-floor.ts) of each slice of `slices`, by sliceKey. */
function significanceBySlice(
  leaves: { dimensions: readonly string[]; attributes: readonly (readonly string[])[]; expected: ArrayLike<number>; actual: ArrayLike<number> },
  slices: readonly RippleSlice[],
  search: { readonly sigma: number; readonly evaluated: number },
  noise: NoiseModel = 'empirical',
): Map<string, SliceSignificance> {
  const tested = sliceSignificance(leaves, slices, { noise, sigma: search.sigma, evaluated: search.evaluated });
  return new Map(slices.map((c, i) => [sliceKey(c.slice), tested[i]!] as const));
}

/** significanceEvidence with each key prefixed (rate_z, mix_z_threshold…); nothing for an untested slice. */
function prefixed(prefix: string, t: SliceSignificance | undefined): Record<string, number> {
  if (t === undefined) return {};
  return Object.fromEntries(Object.entries(significanceEvidence(t)).map(([k, v]) => [prefix + k, v]));
}

/** z, its threshold and 1/0 for significant, as explanation evidence (an infinite z shown as ±MAX_VALUE). */
function significanceEvidence(t: SliceSignificance): Record<string, number> {
  return { z: Math.max(-Number.MAX_VALUE, Math.min(Number.MAX_VALUE, t.z)), z_threshold: t.threshold, significant: t.significant ? 1 : 0 };
}

/**
 * Explains the change of a rate Σnum / Σden. Two ripple searches: the rate view (expected numerator = current
 * denominator × baseline rate of the leaf, shrunk towards the aggregate) finds rate changes inside slices, the mix view (expected denominator
 * = baseline denominator scaled to the current total) finds shifts of the denominator's mix. The root-cause
 * set is the one of {rate set, mix set, both} that puts the aggregate rate back best (minus 0.05 per slice),
 * then slices whose removal costs < 0.05 of the explained share are dropped (a mix shift towards one of two
 * values is also a shift away from the other: one of them suffices). Throws when a period's denominator is 0.
 */
export function explainRateChange(dimensions: readonly string[], leaves: readonly RateLeaf[], options: ExplainChangeOptions = {}): RcaResult {
  assertLeaves(dimensions, leaves.length);
  const totals = kitagawaTotals(leaves);
  if (!(totals.d0 > 0) || !(totals.d1 > 0)) throw new RangeError(`explainRateChange: the denominator is zero in every leaf of the ${totals.d0 > 0 ? 'current' : 'baseline'} period`);
  const r0 = totals.n0 / totals.d0;
  const r1 = totals.n1 / totals.d1;
  const delta = r1 - r0;
  const attributes = leaves.map((l) => l.attributes);
  // Each leaf's baseline rate is shrunk towards the aggregate by a pseudo-denominator worth one event at the
  // aggregate rate (at most the mean leaf denominator): sparse leaves (0 errors in 30 requests) would otherwise
  // forecast 0 and turn Poisson noise into deviations no slice can explain.
  const shrink = r0 > 0 ? Math.min(1 / r0, totals.d0 / leaves.length) : 0;
  const rateLeaves = {
    dimensions,
    attributes,
    expected: Float64Array.from(leaves, (l) => l.currentDen * ((l.baselineNum + r0 * shrink) / (l.baselineDen + shrink) || r0)),
    actual: Float64Array.from(leaves, (l) => l.currentNum),
  };
  const mixLeaves = { dimensions, attributes, expected: Float64Array.from(leaves, (l) => (l.baselineDen * totals.d1) / totals.d0), actual: Float64Array.from(leaves, (l) => l.currentDen) };
  const rateSearch = searchRippleSlices(rateLeaves, options);
  const mixSearch = searchRippleSlices(mixLeaves, options);
  // Noise floor (noise-floor.ts): each view's root causes must deviate significantly in that view (numerators
  // against their forecast for the rate view, denominators against their scaled baseline for the mix view).
  const rateTests = significanceBySlice(rateLeaves, rateSearch.rootCauses, rateSearch, options.noise);
  const mixTests = significanceBySlice(mixLeaves, mixSearch.rootCauses, mixSearch, options.noise);
  const rateView = { ...rateSearch, rootCauses: rateSearch.rootCauses.filter((c) => rateTests.get(sliceKey(c.slice))!.significant) };
  const mixView = { ...mixSearch, rootCauses: mixSearch.rootCauses.filter((c) => mixTests.get(sliceKey(c.slice))!.significant) };
  const aggregates = new Map<string, Totals>();
  const agg = (slice: RcaSlice): Totals => {
    const k = sliceKey(slice);
    let a = aggregates.get(k);
    if (a === undefined) {
      a = aggregate(leaves, dimensions, slice);
      aggregates.set(k, a);
    }
    return a;
  };
  const counterfactual = (set: readonly Reset[]) => counterfactualShare(delta, rateAfterReset(agg, totals, set) - r0);

  // Candidate root-cause sets, then backward elimination.
  const rateSet: Reset[] = rateView.rootCauses.map((c) => ({ slice: c.slice, rate: true, mix: false }));
  const mixSet: Reset[] = mixView.rootCauses.map((c) => ({ slice: c.slice, rate: false, mix: true }));
  const options3 = [rateSet, mixSet, mergeResets(rateSet, mixSet, options.maxSlices ?? 3)].filter((s): s is Reset[] => s !== null && s.length > 0);
  let chosen: Reset[] = [];
  let best = 0;
  for (const set of options3) {
    const score = counterfactual(set) - 0.05 * set.length;
    if (score > best) {
      best = score;
      chosen = set;
    }
  }
  for (let changed = true; changed && chosen.length > 1; ) {
    changed = false;
    const full = counterfactual(chosen);
    for (let i = chosen.length - 1; i >= 0; i--) {
      const without = chosen.filter((_, j) => j !== i);
      if (counterfactual(without) >= full - 0.05) {
        chosen = without;
        changed = true;
        break;
      }
    }
  }

  const fitOf = new Map<string, number>();
  for (const c of [...rateView.candidates, ...mixView.candidates]) fitOf.set(sliceKey(c.slice), Math.max(fitOf.get(sliceKey(c.slice)) ?? -Infinity, c.fit));
  const limit = options.explanations ?? 10;
  const listed = new Map<string, RcaSlice>();
  for (const c of [...chosen, ...pickListed(rateView.rootCauses, rateView.candidates, limit), ...pickListed(mixView.rootCauses, mixView.candidates, limit)]) listed.set(sliceKey(c.slice), c.slice);
  const described = [...listed.values()].map((slice) => {
    const a = agg(slice);
    const rateShare = counterfactual([{ slice, rate: true, mix: false }]);
    const mixShare = counterfactual([{ slice, rate: false, mix: true }]);
    return {
      slice,
      fit: fitOf.get(sliceKey(slice)) ?? 0,
      explained_share: counterfactual([{ slice, rate: true, mix: true }]),
      kind: (rateShare >= mixShare ? 'rate' : 'mix') as ExplanationKind,
      evidence: {
        baseline_rate: a.d0 > 0 ? a.n0 / a.d0 : Number.NaN,
        current_rate: a.d1 > 0 ? a.n1 / a.d1 : Number.NaN,
        baseline_share_of_denominator: a.d0 / totals.d0,
        current_share_of_denominator: a.d1 / totals.d1,
        rate_reset_share: rateShare,
        mix_reset_share: mixShare,
        ripple_fit: fitOf.get(sliceKey(slice)) ?? 0,
        ...prefixed('rate_', rateTests.get(sliceKey(slice))),
        ...prefixed('mix_', mixTests.get(sliceKey(slice))),
      },
    };
  });
  const explanations = rankExplanations(described.slice(0, Math.max(limit, chosen.length)), options.priors).map((e) => ({
    ...e,
    evidence: Object.fromEntries(Object.entries(e.evidence).filter(([, v]) => Number.isFinite(v))),
  }));
  const dims = rankDimensions(
    sumsByDimension(
      dimensions,
      attributes,
      Float64Array.from(leaves, (l) => l.baselineNum / totals.d0),
      Float64Array.from(leaves, (l) => l.currentNum / totals.d1),
    ),
  );
  const top = dims[0]?.dimension ?? null;
  const decomposition = top === null ? { mix: null, rate: null, dimension: null } : { ...kitagawaDecomposition(groupBy(leaves, dimensions.indexOf(top))), dimension: top };
  const rateSlices = new Map([...rateView.candidates, ...mixView.candidates].map((c) => [sliceKey(c.slice), c] as const));
  return {
    change: { baseline: r0, current: r1, delta },
    decomposition,
    root_causes: chosen.map((r) => r.slice),
    root_cause_share: chosen.length === 0 ? 0 : counterfactual(chosen),
    explanations,
    ruled_out: ruledOut(
      chosen.map((r) => rateSlices.get(sliceKey(r.slice))).filter((c): c is RippleSlice => c !== undefined),
      rateView.candidates,
      (c) => counterfactual([{ slice: c.slice, rate: true, mix: true }]),
    ),
    dimensions: dims,
    note: leaves.every((l) => l.baselineNum === l.currentNum && l.baselineDen === l.currentDen) ? 'no change' : chosen.length === 0 ? 'no significant change' : null,
  };
}

interface Reset {
  readonly slice: RcaSlice;
  readonly rate: boolean;
  readonly mix: boolean;
}

interface Totals {
  readonly n0: number;
  readonly d0: number;
  readonly n1: number;
  readonly d1: number;
}

function kitagawaTotals(leaves: readonly RateGroup[]): Totals {
  let n0 = 0;
  let d0 = 0;
  let n1 = 0;
  let d1 = 0;
  for (const l of leaves) {
    n0 += l.baselineNum;
    d0 += l.baselineDen;
    n1 += l.currentNum;
    d1 += l.currentDen;
  }
  return { n0, d0, n1, d1 };
}

function aggregate(leaves: readonly RateLeaf[], dimensions: readonly string[], slice: RcaSlice): Totals {
  return kitagawaTotals(leaves.filter((l) => leafInSlice(slice, dimensions, l.attributes)));
}

/**
 * The aggregate rate once each slice of `set` is put back: `rate` gives it its baseline rate on its current
 * denominator; `mix` gives it its baseline share of the denominator, the rest of the leaves scaled to fill the
 * remainder (their own mix unchanged).
 */
function rateAfterReset(aggregate: (slice: RcaSlice) => Totals, totals: Totals, set: readonly Reset[]): number {
  const r0 = totals.n0 / totals.d0;
  const parts = set.map((r) => ({ r, a: aggregate(r.slice) }));
  let rest = totals.d1;
  let restShare = 1;
  for (const { r, a } of parts) {
    if (!r.mix) continue;
    rest -= a.d1;
    restShare -= a.d0 / totals.d0;
  }
  const total = restShare > 1e-12 && rest > 0 ? rest / restShare : totals.d1;
  let num = totals.n1;
  for (const { r, a } of parts) {
    const rate0 = a.d0 > 0 ? a.n0 / a.d0 : r0;
    const rate1 = a.d1 > 0 ? a.n1 / a.d1 : rate0;
    const den = r.mix ? (a.d0 / totals.d0) * total : a.d1;
    num += (r.rate ? rate0 : rate1) * den - a.n1;
  }
  return num / total;
}

function mergeResets(a: readonly Reset[], b: readonly Reset[], maxSlices: number): Reset[] | null {
  const merged = new Map<string, Reset>();
  for (const r of [...a, ...b]) {
    const k = sliceKey(r.slice);
    const prior = merged.get(k);
    merged.set(k, prior === undefined ? r : { slice: r.slice, rate: prior.rate || r.rate, mix: prior.mix || r.mix });
  }
  const all = [...merged.values()];
  if (all.length > maxSlices) return null;
  for (let i = 0; i < all.length; i++) for (let j = i + 1; j < all.length; j++) if (!slicesAreDisjoint(all[i]!.slice, all[j]!.slice)) return null;
  return all;
}

function groupBy(leaves: readonly RateLeaf[], j: number): RateGroup[] {
  const groups = new Map<string, { baselineNum: number; baselineDen: number; currentNum: number; currentDen: number }>();
  for (const l of leaves) {
    const k = l.attributes[j]!;
    const g = groups.get(k) ?? { baselineNum: 0, baselineDen: 0, currentNum: 0, currentDen: 0 };
    g.baselineNum += l.baselineNum;
    g.baselineDen += l.baselineDen;
    g.currentNum += l.currentNum;
    g.currentDen += l.currentDen;
    groups.set(k, g);
  }
  return [...groups.values()];
}

/** 1 − |change left| / |change|, clamped to [0, 1]: 1 when the counterfactual erases the change, 0 when it does not shrink it. */
function counterfactualShare(delta: number, remaining: number): number {
  if (delta === 0) return 0;
  return Math.min(1, Math.max(0, 1 - Math.abs(remaining) / Math.abs(delta)));
}

/** Root causes first, then the best other candidates. */
function pickListed(rootCauses: readonly RippleSlice[], candidates: readonly RippleSlice[], limit: number): RippleSlice[] {
  const seen = new Set(rootCauses.map((c) => sliceKey(c.slice)));
  return [...rootCauses, ...candidates.filter((c) => c.fit > 0 && !seen.has(sliceKey(c.slice)))].slice(0, Math.max(limit, rootCauses.length));
}

/**
 * prior ∝ Π weight(dimension) · weight(dimension:value) over the slice's fixed dimensions; likelihood exp(κ·(fit − λ·(dims − 1))), a
 * tempered pseudo-likelihood of the ripple-effect fit with a simplicity penalty; both normalised over the
 * listed explanations.
 */
function rankExplanations(
  items: readonly { slice: RcaSlice; fit: number; explained_share: number; kind: ExplanationKind; evidence: Record<string, number> }[],
  priors: Readonly<Record<string, number>> | undefined,
): Explanation[] {
  if (items.length === 0) return [];
  const weight = (s: RcaSlice) => Object.entries(s).reduce((p, [d, v]) => p * (priors?.[d] ?? 1) * (priors?.[`${d}:${v}`] ?? 1), 1);
  const weights = items.map((i) => weight(i.slice));
  const priorSum = sum(weights);
  const prior = weights.map((w) => (priorSum > 0 ? w / priorSum : 1 / items.length));
  const logPost = items.map((i, k) => Math.log(prior[k]!) + KAPPA * (i.fit - LAMBDA * (Object.keys(i.slice).length - 1)));
  const top = Math.max(...logPost);
  const unnorm = logPost.map((l) => (Number.isFinite(l) ? Math.exp(l - top) : 0));
  const z = sum(unnorm);
  return items
    .map((i, k) => ({ ...i, prior: prior[k]!, posterior: z > 0 ? unnorm[k]! / z : 0 }))
    .sort((a, b) => b.posterior - a.posterior || b.explained_share - a.explained_share)
    .map((i, k) => ({ rank: k + 1, slice: i.slice, explained_share: i.explained_share, kind: i.kind, prior: i.prior, posterior: i.posterior, evidence: i.evidence }));
}

/** Coarser slices containing a root cause whose ripple fit is worse: the data says the rest of them did not move. */
function ruledOut(rootCauses: readonly RippleSlice[], candidates: readonly RippleSlice[], share: (c: RippleSlice) => number): { slice: RcaSlice; reason: string }[] {
  const out: { slice: RcaSlice; reason: string }[] = [];
  const seen = new Set(rootCauses.map((c) => sliceKey(c.slice)));
  for (const root of rootCauses) {
    for (const c of candidates) {
      const k = sliceKey(c.slice);
      if (seen.has(k)) continue;
      const entries = Object.entries(c.slice);
      const coarser = entries.length < Object.keys(root.slice).length && entries.every(([d, v]) => root.slice[d] === v);
      if (!coarser || c.fit >= root.fit) continue;
      seen.add(k);
      out.push({
        slice: c.slice,
        reason: `explains ${(100 * share(c)).toFixed(0)}% of the change, but only through ${sliceKey(root.slice)}: its other leaves did not move (ripple fit ${c.fit.toFixed(2)} vs ${root.fit.toFixed(2)})`,
      });
    }
  }
  return out;
}

function sumsByDimension(dimensions: readonly string[], attributes: readonly (readonly string[])[], expected: Float64Array, actual: Float64Array) {
  const out = new Map<string, Map<string, { expected: number; actual: number }>>();
  dimensions.forEach((d, j) => {
    const m = new Map<string, { expected: number; actual: number }>();
    for (let i = 0; i < attributes.length; i++) {
      const k = attributes[i]![j]!;
      const s = m.get(k) ?? { expected: 0, actual: 0 };
      s.expected += expected[i]!;
      s.actual += actual[i]!;
      m.set(k, s);
    }
    out.set(d, m);
  });
  return out;
}

function assertLeaves(dimensions: readonly string[], n: number): void {
  if (dimensions.length === 0) throw new RangeError('rca: at least one dimension is needed');
  if (n === 0) throw new RangeError('rca: no leaves to explain');
}

function sum(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return s;
}

/**
 * Priors for a funnel-stage dimension (DESIGN.md: proximal explanations are likelier): the stage nearest the
 * output metric weighs 2, the first 1, the others in between by position. Keys are `dimension:stage`.
 *
 * @example funnelStagePriors(['ingest', 'detect', 'classify']) // { 'stage:ingest': 1, 'stage:detect': 1.5, 'stage:classify': 2 }
 */
export function funnelStagePriors(stages: readonly string[], dimension = 'stage'): Record<string, number> {
  const last = stages.length - 1;
  return Object.fromEntries(stages.map((stage, i) => [`${dimension}:${stage}`, last > 0 ? 1 + i / last : 1]));
}
