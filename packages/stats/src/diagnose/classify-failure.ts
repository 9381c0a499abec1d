/**
 * Naming the kind of failure behind a degradation (DESIGN.md's six types), from evidence the detectors have
 * already measured. The rules are written down here, one function per type, each returning a strength in
 * [0, 1] with the evidence for and against; strengths become likelihoods by normalising over all types and
 * `none`. Rules, not a trained model: there is no labelled corpus of production failures to fit one on, and a
 * rule a user can read is a rule a user can dispute.
 */

export type FailureType = 'bad_data' | 'wrong_y' | 'missing_features' | 'limited_representation' | 'extrapolation' | 'interpolation' | 'none';

export const FAILURE_TYPES: readonly FailureType[] = ['bad_data', 'wrong_y', 'missing_features', 'limited_representation', 'extrapolation', 'interpolation', 'none'];

/** A data-quality problem on a feature in the current data, and how much worse the model does on its rows. */
export interface BadDataEvidence {
  readonly column: string;
  readonly finding: 'missing_increase' | 'nan_increase' | 'infinite_values' | 'zero_increase' | 'became_constant' | 'type_change';
  readonly detail: string;
  /** Current rows carrying the problem (null when every row does, e.g. a constant column). */
  readonly affectedShare: number | null;
  /** Error on the affected current rows ÷ error on the other current rows (null when not measurable). */
  readonly errorLift: number | null;
}

/** A slice that explains the error change (from the root-cause search on the error metric). */
export interface RootCauseEvidence {
  readonly slice: Readonly<Record<string, string>>;
  /** Share of the error change that disappears when this slice is put back to its baseline error. */
  readonly explainedShare: number;
  /** Whether every attribute value of the slice was seen in the reference (inside the training support). */
  readonly insideSupport: boolean;
  /** `rate`: the error got worse inside the slice; `mix`: the slice's share of traffic moved. */
  readonly kind: 'rate' | 'mix' | 'volume';
}

export interface FailureEvidence {
  /** The error metric, reference vs current, with the one-sided p-value that current is worse. */
  readonly performance: { readonly metric: string; readonly reference: number; readonly current: number; readonly pValue: number };
  /** Share of the error change that a change of segment mix accounts for (Kitagawa), when computed. */
  readonly mixShare: number | null;
  readonly badData: readonly BadDataEvidence[];
  readonly support: {
    /** Current rows with a value outside the reference range or a category the reference never saw. */
    readonly outsideShare: number;
    readonly errorOutside: number | null;
    readonly errorInside: number | null;
    readonly columns: readonly string[];
    readonly multivariateDrift: boolean;
  };
  readonly drift: {
    /** Share of the features whose distribution drifted. */
    readonly featureShare: number;
    readonly targetDrift: boolean | null;
    readonly predictionDrift: boolean | null;
  };
  /**
   * Calibration in the large: mean score − observed positive rate, per side, and the p-value that the gap
   * changed. Null without a score or a binary target.
   */
  readonly calibration: { readonly referenceGap: number; readonly currentGap: number; readonly pValue: number } | null;
  /** ROC AUC per side (null without a score or a binary target). */
  readonly discrimination: { readonly referenceAuc: number; readonly currentAuc: number } | null;
  readonly rootCauses: readonly RootCauseEvidence[];
  /**
   * Inside a single-attribute root cause, a sub-slice on other attributes that holds most of that slice's
   * change on a minority of its rows: the pattern is an interaction (e.g. one airport, but only its evenings).
   */
  readonly interactions: readonly InteractionEvidence[];
}

export interface InteractionEvidence {
  /** The root cause and the sub-slice together, e.g. `{origin: 'ORD', hour: '[17, 18)'}`. */
  readonly slice: Readonly<Record<string, string>>;
  /** Share of the whole change the combined slice explains. */
  readonly explainedShare: number;
  /** The sub-slice's share of the root cause's current rows. */
  readonly rowShareWithin: number;
}

export interface FailureVerdict {
  readonly type: FailureType;
  readonly likelihood: number;
  readonly evidence: readonly string[];
  readonly contradicting: readonly string[];
}

export interface ClassifyFailureOptions {
  /** A degradation needs a one-sided p-value below this (default 0.01)… */
  readonly alpha?: number;
  /** …and a relative increase of at least this much (default 0.02). */
  readonly minRelativeIncrease?: number;
}

interface Scored {
  readonly strength: number;
  readonly evidence: string[];
  readonly contradicting: string[];
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
const num = (x: number): string => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toPrecision(3));
const sliceText = (slice: Readonly<Record<string, string>>): string =>
  Object.entries(slice)
    .map(([k, v]) => `${k}=${v}`)
    .join(' & ');
const clamp01 = (x: number): number => Math.min(1, Math.max(0, x));

// Strengths below this are listed as ruled out rather than as candidates.
const FLOOR = 0.02;
// A root cause "explains" the degradation when putting it back removes at least half of the change.
const EXPLAINS = 0.5;
// A slice whose error is this many times the rest's concentrates the failure.
const LIFT = 1.5;
// Rows outside the support need less: any clearly higher error there counts against the model's reach.
const SUPPORT_LIFT = 1.2;

/**
 * Ranks the failure types by likelihood, most likely first; `none` when the error did not get significantly
 * worse (or the change is mostly a change of mix). Every verdict carries the evidence that supports it and
 * the evidence against it.
 *
 * @example
 * classifyFailure(evidence)[0] // { type: 'bad_data', likelihood: 0.71, evidence: ['distance: zeros 0.0% → 9.8% …'], … }
 */
export function classifyFailure(evidence: FailureEvidence, options: ClassifyFailureOptions = {}): FailureVerdict[] {
  const alpha = options.alpha ?? 0.01;
  const minIncrease = options.minRelativeIncrease ?? 0.02;
  const p = evidence.performance;
  const relative = p.reference > 0 ? (p.current - p.reference) / p.reference : p.current > 0 ? Number.POSITIVE_INFINITY : 0;
  const degraded = p.pValue < alpha && relative >= minIncrease;
  const context: Context = { evidence, degraded, relative };
  const scored: Record<FailureType, Scored> = {
    bad_data: badData(context),
    wrong_y: wrongY(context),
    missing_features: missingFeatures(context),
    limited_representation: slices(context, 'limited_representation'),
    extrapolation: extrapolation(context),
    interpolation: slices(context, 'interpolation'),
    none: none(context, alpha, minIncrease),
  };
  const total = FAILURE_TYPES.reduce((s, t) => s + Math.max(scored[t].strength, FLOOR / 10), 0);
  return FAILURE_TYPES.map((type) => ({
    type,
    likelihood: Math.max(scored[type].strength, FLOOR / 10) / total,
    evidence: scored[type].evidence,
    contradicting: scored[type].contradicting,
  })).sort((a, b) => b.likelihood - a.likelihood || FAILURE_TYPES.indexOf(a.type) - FAILURE_TYPES.indexOf(b.type));
}

interface Context {
  readonly evidence: FailureEvidence;
  readonly degraded: boolean;
  readonly relative: number;
}

function performanceLine(c: Context): string {
  const p = c.evidence.performance;
  return `${p.metric} ${num(p.reference)} → ${num(p.current)} (${c.relative >= 0 ? '+' : ''}${pct(c.relative)}, p = ${p.pValue.toPrecision(2)})`;
}

function none(c: Context, alpha: number, minIncrease: number): Scored {
  const mix = c.evidence.mixShare;
  if (!c.degraded) {
    // Not 1: a failure can show without a worse metric (relabelled data can even score better).
    return {
      strength: 0.6,
      evidence: [`${performanceLine(c)}: not a significant degradation (needs p < ${alpha} and +${pct(minIncrease)} or more)`],
      contradicting: [],
    };
  }
  if (mix !== null && mix >= 0.7) {
    return {
      strength: 0.9,
      evidence: [`${pct(mix)} of the change in ${c.evidence.performance.metric} comes from a change of segment mix, not from worse performance within segments`],
      contradicting: [performanceLine(c)],
    };
  }
  return { strength: 0, evidence: [], contradicting: [`${performanceLine(c)}: a significant degradation`] };
}

/** Sudden missing values, NaN, zeros, type changes — worse where they are. */
function badData(c: Context): Scored {
  const findings = c.evidence.badData;
  if (findings.length === 0) return { strength: 0, evidence: [], contradicting: ['no data-quality finding: missing, NaN, zero and Infinity shares steady, types unchanged'] };
  const weight = { type_change: 1, nan_increase: 0.9, missing_increase: 0.9, infinite_values: 0.9, zero_increase: 0.8, became_constant: 0.8 } as const;
  let strength = 0;
  const evidence: string[] = [];
  const contradicting: string[] = [];
  for (const f of findings) {
    let s = weight[f.finding];
    const lift = f.errorLift;
    if (lift !== null) {
      // An error on the broken rows unlike the rest's (higher or lower) ties the model's behaviour to the finding.
      const tied = lift >= LIFT || lift <= 1 / LIFT;
      s *= tied ? 1 : 0.5;
      (tied ? evidence : contradicting).push(`${f.column}: error on the affected rows is ${num(lift)}× the error elsewhere`);
    }
    evidence.push(`${f.column}: ${f.finding.replaceAll('_', ' ')}: ${f.detail}`);
    strength = Math.max(strength, s);
  }
  if (!c.degraded) {
    // Broken inputs are a failure even when the metric has not moved (yet) or moved the lucky way.
    strength *= 0.9;
    contradicting.push(`${performanceLine(c)}: the model has not got worse (yet)`);
  }
  return { strength, evidence, contradicting };
}

/** Inputs outside the training support: out of range, new categories, high reconstruction error. */
function extrapolation(c: Context): Scored {
  const s = c.evidence.support;
  const evidence: string[] = [];
  const contradicting: string[] = [];
  if (s.outsideShare === 0 && !s.multivariateDrift) {
    return { strength: 0, evidence, contradicting: ['every current value lies inside the reference range, and no category is new'] };
  }
  let strength = 0;
  if (s.outsideShare > 0) {
    evidence.push(`${pct(s.outsideShare)} of current rows lie outside the reference support (${s.columns.join(', ')})`);
    strength = clamp01(s.outsideShare * 10);
    if (s.errorOutside !== null && s.errorInside !== null) {
      const lift = s.errorInside > 0 ? s.errorOutside / s.errorInside : s.errorOutside > 0 ? Number.POSITIVE_INFINITY : 1;
      const line = `error outside the support ${num(s.errorOutside)} vs ${num(s.errorInside)} inside`;
      if (lift >= SUPPORT_LIFT) {
        evidence.push(line);
        strength = Math.max(strength, 0.6);
      } else {
        contradicting.push(line);
        strength *= 0.3;
      }
    }
  }
  if (s.multivariateDrift) {
    evidence.push('the reconstruction error of the current rows is outside the reference bounds (rows unlike the training rows)');
    strength = Math.min(1, strength + 0.2);
  }
  const fromOutside = groupedRootCauses(c.evidence.rootCauses.filter((r) => !r.insideSupport)).some((g) => g.share >= EXPLAINS);
  if (fromOutside) {
    evidence.push('the root cause of the error change is a slice of values the reference never saw');
    strength = Math.max(strength, 0.9);
  }
  const findingColumns = new Set(c.evidence.badData.map((f) => f.column));
  if (s.columns.length > 0 && s.columns.every((col) => findingColumns.has(col))) {
    contradicting.push(`the values outside the range are those of a data-quality finding (${s.columns.join(', ')})`);
    strength *= 0.3;
  }
  if (!c.degraded) {
    strength *= 0.3;
    contradicting.push(`${performanceLine(c)}: the model has not got worse (yet)`);
  }
  return { strength, evidence, contradicting };
}

/** The labels changed while the inputs look the same. */
function wrongY(c: Context): Scored {
  const { drift, calibration, support } = c.evidence;
  const evidence: string[] = [];
  const contradicting: string[] = [];
  if (drift.targetDrift === null) return { strength: 0, evidence, contradicting: ['no target column to compare'] };
  let strength = 0;
  if (drift.targetDrift) {
    evidence.push('the label distribution changed');
    strength = 0.6;
  } else {
    contradicting.push('the label distribution did not change');
  }
  if (calibration) {
    const line = `mean score − observed rate: ${num(calibration.referenceGap)} → ${num(calibration.currentGap)} (p = ${calibration.pValue.toPrecision(2)})`;
    if (calibration.pValue < 0.01) {
      evidence.push(`${line}: the same scores now mean a different rate everywhere`);
      strength = drift.targetDrift ? Math.min(1, strength + 0.3) : 0.3;
    } else {
      contradicting.push(line);
    }
  }
  const inputsMoved = drift.featureShare >= 0.5 || support.multivariateDrift;
  if (inputsMoved) {
    contradicting.push(`the inputs moved too (${pct(drift.featureShare)} of features drift): the label change may follow them`);
    strength *= 0.4;
  } else if (strength > 0) {
    evidence.push(`the inputs look the same (${pct(drift.featureShare)} of features drift)`);
  }
  if (drift.predictionDrift) {
    contradicting.push('the predictions moved as well');
    strength *= 0.7;
  }
  const local = groupedRootCauses(c.evidence.rootCauses).find((g) => g.share >= EXPLAINS);
  if (local && strength > 0) {
    contradicting.push(`the change is local to ${local.example}, not everywhere`);
    strength *= 0.3;
  }
  // Relabelled data can even score better than before: still a failure, a little less certain.
  if (!c.degraded) strength *= 0.8;
  return { strength, evidence, contradicting };
}

/** Error up, inputs in range and undrifted, no slice explains it: a variable the model does not see. */
function missingFeatures(c: Context): Scored {
  const { drift, support, rootCauses, badData: findings, discrimination, calibration } = c.evidence;
  const evidence: string[] = [];
  const contradicting: string[] = [];
  if (!c.degraded) return { strength: 0, evidence, contradicting: [`${performanceLine(c)}: not a significant degradation`] };
  evidence.push(performanceLine(c));
  let strength = 0.7;
  const best = groupedRootCauses(rootCauses).reduce((m, g) => Math.max(m, g.share), 0);
  if (best >= EXPLAINS) {
    contradicting.push(`a slice explains ${pct(best)} of the change`);
    strength *= 0.2;
  } else {
    evidence.push(best > 0 ? `no slice explains more than ${pct(best)} of the change` : 'no slice explains the change');
  }
  if (drift.featureShare >= 0.3 || support.multivariateDrift) {
    contradicting.push(`the inputs drift (${pct(drift.featureShare)} of features)`);
    strength *= 0.5;
  } else {
    evidence.push('the inputs are undrifted');
  }
  if (support.outsideShare >= 0.01) {
    contradicting.push(`${pct(support.outsideShare)} of current rows lie outside the reference support`);
    strength *= 0.5;
  }
  if (findings.length > 0) {
    contradicting.push('there are data-quality findings');
    strength *= 0.5;
  }
  if (drift.targetDrift) {
    contradicting.push('the label distribution changed (the labels, not the features, may be at fault)');
    strength *= 0.5;
  }
  if (calibration && calibration.pValue >= 0.01) evidence.push('calibration in the large held: the model is as confident as before, just less often right');
  if (discrimination) {
    const drop = discrimination.referenceAuc - discrimination.currentAuc;
    const line = `ROC AUC ${num(discrimination.referenceAuc)} → ${num(discrimination.currentAuc)}`;
    if (drop > 0.01) {
      evidence.push(`${line}: the scores rank cases worse`);
      strength = Math.min(1, strength + 0.2);
    } else {
      contradicting.push(line);
    }
  }
  return { strength, evidence, contradicting };
}

/**
 * Error concentrated in slices inside the support: one attribute (a narrow range or one value: local under- or
 * over-fitting, `interpolation`) or a combination no single attribute explains (an interaction the encoding
 * cannot express, `limited_representation`).
 */
function slices(c: Context, type: 'interpolation' | 'limited_representation'): Scored {
  const { rootCauses, badData: findings } = c.evidence;
  const evidence: string[] = [];
  const contradicting: string[] = [];
  // Only slices where the error itself rose: a slice whose share of traffic grew is a mix change.
  const inside = groupedRootCauses(rootCauses.filter((r) => r.insideSupport && r.kind === 'rate'));
  const singles = inside.filter((g) => g.attributes.length === 1);
  const combinations = inside.filter((g) => g.attributes.length >= 2);
  const single = singles.reduce((m, g) => Math.max(m, g.share), 0);
  const bestCombined = combinations.reduce((m, g) => Math.max(m, g.share), 0);
  if (!c.degraded) return { strength: 0, evidence, contradicting: ['no significant degradation to localise'] };
  let strength = 0;
  if (type === 'interpolation') {
    const best = singles[0];
    if (best && best.share >= EXPLAINS) {
      evidence.push(`${best.example}${best.count > 1 ? ` (and ${best.count - 1} more value${best.count > 2 ? 's' : ''} of ${best.attributes[0]})` : ''}, inside the reference support, explains ${pct(best.share)} of the change`);
      strength = 0.8;
    } else {
      contradicting.push(single > 0 ? `no single-attribute slice explains more than ${pct(single)} of the change` : 'no single-attribute slice explains the change');
    }
    if (bestCombined > single) {
      contradicting.push(`a combination of attributes explains more (${pct(bestCombined)})`);
      strength *= 0.5;
    }
  }
  const interaction = [...c.evidence.interactions].sort((a, b) => b.explainedShare - a.explainedShare)[0];
  if (type === 'interpolation' && interaction && interaction.explainedShare >= EXPLAINS) {
    contradicting.push(`inside it, ${sliceText(interaction.slice)} (${pct(interaction.rowShareWithin)} of its rows) holds ${pct(interaction.explainedShare)} of the change: an interaction, not a region of one attribute`);
    strength *= 0.4;
  }
  if (type === 'limited_representation') {
    const best = combinations[0];
    if (interaction && interaction.explainedShare >= EXPLAINS) {
      evidence.push(`${sliceText(interaction.slice)} explains ${pct(interaction.explainedShare)} of the change on ${pct(interaction.rowShareWithin)} of the rows of its broader slice: the error depends on a combination the model does not represent`);
      strength = 0.85;
    } else if (best && best.share >= EXPLAINS) {
      evidence.push(`the combination ${best.example}${best.count > 1 ? ` (and ${best.count - 1} more like it)` : ''} explains ${pct(best.share)} of the change; no attribute alone explains as much (${pct(single)})`);
      strength = single < best.share ? 0.85 : 0.3;
    } else {
      contradicting.push(bestCombined > 0 ? `no combination of attributes explains more than ${pct(bestCombined)}` : 'no combination of attributes explains the change');
    }
  }
  const mix = c.evidence.mixShare;
  if (strength > 0 && mix !== null && mix >= 0.7) {
    contradicting.push(`${pct(mix)} of the change is a change of mix`);
    strength *= 0.3;
  }
  const findingColumns = new Set(findings.map((f) => f.column));
  if (strength > 0 && rootCauses.some((r) => Object.keys(r.slice).some((k) => findingColumns.has(k)))) {
    contradicting.push('the slice is on a column with a data-quality finding');
    strength *= 0.3;
  }
  if (strength > 0 && findings.some((f) => (f.errorLift ?? 0) >= LIFT)) {
    contradicting.push('errors concentrate on rows with a data-quality problem');
    strength *= 0.4;
  }
  return { strength, evidence, contradicting };
}

/**
 * Root causes grouped by the attributes they fix (e.g. every `{origin, hour}` slice together): a pattern that
 * spans several values of a binned attribute shows as several root causes of one shape. Largest share first.
 */
function groupedRootCauses(rootCauses: readonly RootCauseEvidence[]): { attributes: string[]; share: number; count: number; example: string }[] {
  const groups = new Map<string, { attributes: string[]; share: number; count: number; example: string }>();
  for (const r of rootCauses) {
    const attributes = Object.keys(r.slice).sort();
    const key = attributes.join('\u0000');
    const group = groups.get(key) ?? { attributes, share: 0, count: 0, example: sliceText(r.slice) };
    group.share = Math.min(1, group.share + r.explainedShare);
    group.count++;
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => b.share - a.share);
}
