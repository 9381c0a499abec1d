import { describe, expect, it } from 'vitest';
import { classifyFailure, FAILURE_TYPES, type FailureEvidence } from './classify-failure.js';

/** A healthy period: nothing moved. Each case below changes what its failure type changes. */
const healthy: FailureEvidence = {
  performance: { metric: 'error rate', reference: 0.2, current: 0.201, pValue: 0.4 },
  mixShare: null,
  badData: [],
  support: { outsideShare: 0, errorOutside: null, errorInside: 0.2, columns: [], multivariateDrift: false },
  drift: { featureShare: 0, targetDrift: false, predictionDrift: false },
  calibration: { referenceGap: 0.01, currentGap: 0.012, pValue: 0.5 },
  discrimination: { referenceAuc: 0.7, currentAuc: 0.7 },
  rootCauses: [],
  interactions: [],
};
const worse = { metric: 'error rate', reference: 0.2, current: 0.26, pValue: 1e-9 };

const top = (e: FailureEvidence) => classifyFailure(e)[0]!;

describe('classifyFailure', () => {
  it('calls a healthy period none, and gives every type a likelihood that sums to 1', () => {
    const verdicts = classifyFailure(healthy);
    expect(verdicts[0]!.type).toBe('none');
    expect(verdicts.map((v) => v.type).sort()).toEqual([...FAILURE_TYPES].sort());
    expect(verdicts.reduce((s, v) => s + v.likelihood, 0)).toBeCloseTo(1, 12);
    expect(verdicts[0]!.likelihood).toBeGreaterThan(0.8);
  });

  it('calls a degradation that is mostly a change of mix none', () => {
    const mix = top({ ...healthy, performance: worse, mixShare: 0.85, rootCauses: [{ slice: { origin: 'ORD' }, explainedShare: 0.8, insideSupport: true, kind: 'mix' }] });
    expect(mix.type).toBe('none');
    expect(mix.evidence[0]).toMatch(/85\.0% of the change .* mix/);
  });

  it('names bad data when a data-quality finding sits where the errors are', () => {
    const verdict = top({
      ...healthy,
      performance: worse,
      badData: [{ column: 'distance', finding: 'zero_increase', detail: 'zeros 0.0% → 6.1%', affectedShare: 0.061, errorLift: 2.4 }],
      support: { outsideShare: 0.061, errorOutside: 0.45, errorInside: 0.2, columns: ['distance'], multivariateDrift: true },
      rootCauses: [{ slice: { origin: 'ATL' }, explainedShare: 0.9, insideSupport: true, kind: 'rate' }],
    });
    expect(verdict.type).toBe('bad_data');
    expect(verdict.evidence.join(' ')).toMatch(/distance: zero increase/);
  });

  it('names wrong y when the labels moved and the inputs did not', () => {
    const verdict = top({ ...healthy, performance: worse, drift: { featureShare: 0, targetDrift: true, predictionDrift: false }, calibration: { referenceGap: 0.01, currentGap: 0.09, pValue: 1e-12 } });
    expect(verdict.type).toBe('wrong_y');
  });

  it('names missing features when the error rose everywhere, inputs and labels steady, ranking worse', () => {
    const verdict = top({ ...healthy, performance: worse, discrimination: { referenceAuc: 0.7, currentAuc: 0.62 }, rootCauses: [{ slice: { origin: 'DEN' }, explainedShare: 0.08, insideSupport: true, kind: 'rate' }] });
    expect(verdict.type).toBe('missing_features');
  });

  it('names extrapolation when errors sit on values the reference never saw', () => {
    const verdict = top({
      ...healthy,
      performance: worse,
      support: { outsideShare: 0.12, errorOutside: 0.5, errorInside: 0.2, columns: ['origin'], multivariateDrift: false },
      rootCauses: [{ slice: { origin: 'XNA' }, explainedShare: 0.7, insideSupport: false, kind: 'mix' }],
    });
    expect(verdict.type).toBe('extrapolation');
  });

  it('names interpolation for one narrow slice inside the support, and limited representation for a combination', () => {
    const narrow = top({ ...healthy, performance: worse, rootCauses: [{ slice: { distance: '[700, 800)' }, explainedShare: 0.85, insideSupport: true, kind: 'rate' }] });
    expect(narrow.type).toBe('interpolation');
    const interaction = top({
      ...healthy,
      performance: worse,
      rootCauses: [
        { slice: { origin: 'ORD', hour: '17-23' }, explainedShare: 0.8, insideSupport: true, kind: 'rate' },
        { slice: { origin: 'ORD' }, explainedShare: 0.3, insideSupport: true, kind: 'rate' },
      ],
    });
    expect(interaction.type).toBe('limited_representation');
  });

  it('prefers limited representation when a single-attribute root cause hides an interaction', () => {
    const evidence: FailureEvidence = {
      ...healthy,
      performance: worse,
      rootCauses: [{ slice: { origin: 'ORD' }, explainedShare: 0.9, insideSupport: true, kind: 'rate' }],
      interactions: [{ slice: { origin: 'ORD', hour: '[17, 18)' }, explainedShare: 0.7, rowShareWithin: 0.3 }],
    };
    expect(top(evidence).type).toBe('limited_representation');
    expect(top({ ...evidence, interactions: [] }).type).toBe('interpolation');
  });

  it('keeps bad data first when broken inputs have not (yet) made the metric worse', () => {
    const verdict = top({ ...healthy, badData: [{ column: 'distance', finding: 'zero_increase', detail: 'zeros 0.0% → 6.1%', affectedShare: 0.061, errorLift: 0.5 }] });
    expect(verdict.type).toBe('bad_data');
    expect(verdict.contradicting.join(' ')).toMatch(/not got worse/);
  });

  it('lists what contradicts a type', () => {
    const verdicts = classifyFailure({ ...healthy, performance: worse, drift: { featureShare: 0, targetDrift: true, predictionDrift: false }, calibration: { referenceGap: 0, currentGap: 0.1, pValue: 1e-9 } });
    expect(verdicts.find((v) => v.type === 'missing_features')!.contradicting.join(' ')).toMatch(/label distribution changed/);
    expect(verdicts.find((v) => v.type === 'extrapolation')!.contradicting.join(' ')).toMatch(/inside the reference range/);
  });
});
