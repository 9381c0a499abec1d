import { andersonDarlingKSample } from './anderson-darling-k-sample.js';
import { chiSquareTest } from './chi-square-test.js';
import { requireSample, type ColumnKind, type DriftInput, type DriftInputType } from './drift-input.js';
import { hellingerDistance } from './hellinger-distance.js';
import { jensenShannonDistance } from './jensen-shannon-distance.js';
import { klDivergence } from './kl-divergence.js';
import { ksTwoSample } from './ks-two-sample.js';
import { mannWhitneyU } from './mann-whitney-u.js';
import { populationStabilityIndex } from './population-stability-index.js';
import { twoProportionZTest } from './two-proportion-z-test.js';
import { wassersteinDistanceNormed } from './wasserstein-distance.js';

/** A method's verdict on one column: its statistic or distance, and the p-value when it is a test. */
export interface DriftScore {
  readonly score: number;
  readonly pValue: number | null;
}

/**
 * A drift method: a descriptor plus a pure function (Evidently's stattest design). `driftWhen` says which way
 * the threshold points: 'p-below' drifts when pValue < threshold, 'score-above' when score ≥ threshold.
 */
export interface DriftMethod {
  /** Evidently's stattest name, so users of either tool recognise it. */
  readonly name: string;
  readonly description: string;
  readonly kinds: readonly ColumnKind[];
  /** Forms of input `compute` accepts (both sides must have the same form). */
  readonly inputs: readonly DriftInputType[];
  readonly driftWhen: 'p-below' | 'score-above';
  readonly defaultThreshold: number;
  /** The range `score` always lies in (documented; checked by property tests). */
  readonly scoreRange: readonly [number, number];
  compute(reference: DriftInput, current: DriftInput): DriftScore;
}

function sampleTest(name: string, test: (r: Float64Array, c: Float64Array) => { statistic: number; pValue: number }) {
  return (reference: DriftInput, current: DriftInput): DriftScore => {
    const r = test(requireSample(reference, name, 'reference'), requireSample(current, name, 'current'));
    return { score: r.statistic, pValue: r.pValue };
  };
}

const COUNTED: readonly DriftInputType[] = ['sample', 'bins', 'categories'];

/** Every drift method Outlay offers, by name. Thresholds are Evidently's defaults. */
export const driftMethods: readonly DriftMethod[] = [
  {
    name: 'ks',
    description: 'two-sample Kolmogorov–Smirnov test (scipy ks_2samp, exact p up to 10,000 rows per side)',
    kinds: ['numeric'],
    inputs: ['sample'],
    driftWhen: 'p-below',
    defaultThreshold: 0.05,
    scoreRange: [0, 1],
    compute: sampleTest('ks', ksTwoSample),
  },
  {
    name: 'wasserstein',
    description: 'Wasserstein-1 distance divided by the reference standard deviation',
    kinds: ['numeric'],
    inputs: ['sample'],
    driftWhen: 'score-above',
    defaultThreshold: 0.1,
    scoreRange: [0, Infinity],
    compute: (reference, current) => ({
      score: wassersteinDistanceNormed(requireSample(reference, 'wasserstein', 'reference'), requireSample(current, 'wasserstein', 'current')),
      pValue: null,
    }),
  },
  {
    name: 'anderson',
    description: 'k-sample Anderson–Darling test, midrank (scipy anderson_ksamp; p capped to [0.001, 0.25])',
    kinds: ['numeric'],
    inputs: ['sample'],
    driftWhen: 'p-below',
    defaultThreshold: 0.1,
    scoreRange: [-Infinity, Infinity],
    compute: sampleTest('anderson', (r, c) => andersonDarlingKSample([r, c])),
  },
  {
    name: 'mannw',
    description: 'Mann–Whitney U test, normal approximation with tie and continuity corrections, two-sided',
    kinds: ['numeric'],
    inputs: ['sample'],
    driftWhen: 'p-below',
    defaultThreshold: 0.05,
    scoreRange: [0, Infinity],
    compute: sampleTest('mannw', mannWhitneyU),
  },
  {
    name: 'chisquare',
    description: 'chi-square goodness of fit of current counts to reference proportions',
    kinds: ['categorical', 'numeric'],
    inputs: COUNTED,
    driftWhen: 'p-below',
    defaultThreshold: 0.05,
    scoreRange: [0, Infinity],
    compute: (reference, current) => {
      const r = chiSquareTest(reference, current);
      return { score: r.statistic, pValue: r.pValue };
    },
  },
  {
    name: 'z',
    description: 'two-proportion Z-test, pooled, two-sided (first category vs the rest)',
    kinds: ['categorical', 'numeric'],
    inputs: ['sample', 'categories'],
    driftWhen: 'p-below',
    defaultThreshold: 0.05,
    scoreRange: [-Infinity, Infinity],
    compute: (reference, current) => {
      const r = twoProportionZTest(reference, current);
      return { score: r.statistic, pValue: r.pValue };
    },
  },
  {
    name: 'jensenshannon',
    description: 'Jensen–Shannon distance, base 2 (in [0, 1])',
    kinds: ['categorical', 'numeric'],
    inputs: COUNTED,
    driftWhen: 'score-above',
    defaultThreshold: 0.1,
    scoreRange: [0, 1],
    compute: (reference, current) => ({ score: jensenShannonDistance(reference, current), pValue: null }),
  },
  {
    name: 'psi',
    description: 'population stability index',
    kinds: ['categorical', 'numeric'],
    inputs: COUNTED,
    driftWhen: 'score-above',
    defaultThreshold: 0.1,
    scoreRange: [0, Infinity],
    compute: (reference, current) => ({ score: populationStabilityIndex(reference, current), pValue: null }),
  },
  {
    name: 'kl_div',
    description: 'Kullback–Leibler divergence of reference from current, in nats',
    kinds: ['categorical', 'numeric'],
    inputs: COUNTED,
    driftWhen: 'score-above',
    defaultThreshold: 0.1,
    scoreRange: [0, Infinity],
    compute: (reference, current) => ({ score: klDivergence(reference, current), pValue: null }),
  },
  {
    name: 'hellinger',
    description: 'Hellinger distance (in [0, 1])',
    kinds: ['categorical', 'numeric'],
    inputs: COUNTED,
    driftWhen: 'score-above',
    defaultThreshold: 0.1,
    scoreRange: [0, 1],
    compute: (reference, current) => ({ score: hellingerDistance(reference, current), pValue: null }),
  },
];

/** The method registered under `name`; throws naming the known ones otherwise. */
export function driftMethod(name: string): DriftMethod {
  const method = driftMethods.find((m) => m.name === name);
  if (!method) throw new RangeError(`unknown drift method '${name}'; expected one of ${driftMethods.map((m) => m.name).join(', ')}`);
  return method;
}

/** Whether a score or p-value crosses a threshold in the method's direction. */
export function isDrift(method: Pick<DriftMethod, 'driftWhen'>, result: DriftScore, threshold: number): boolean {
  if (method.driftWhen === 'p-below') {
    if (result.pValue === null) throw new RangeError('isDrift: a p-below method returned no p-value');
    return result.pValue < threshold;
  }
  return result.score >= threshold;
}
