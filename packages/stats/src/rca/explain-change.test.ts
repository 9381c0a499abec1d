import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explainChange, funnelStagePriors, explainRateChange, type CountLeaf, type RateLeaf } from './explain-change.js';
import { slicesAreDisjoint } from './search-ripple-slices.js';

const regions = ['eu', 'us', 'apac'];
const devices = ['mobile', 'desktop'];

/** error rate per device (mobile 10 %, desktop 2 %), requests per region × device from `requests`. */
function rateLeaves(requests: (r: string, d: string, period: 0 | 1) => number, rate: (r: string, d: string, period: 0 | 1) => number): RateLeaf[] {
  return regions.flatMap((r) =>
    devices.map((d) => ({
      attributes: [r, d],
      baselineDen: requests(r, d, 0),
      baselineNum: requests(r, d, 0) * rate(r, d, 0),
      currentDen: requests(r, d, 1),
      currentNum: requests(r, d, 1) * rate(r, d, 1),
    })),
  );
}
const deviceRate = (_r: string, d: string) => (d === 'mobile' ? 0.1 : 0.02);

describe('explainRateChange', () => {
  it('calls a pure shift of traffic towards mobile a mix change, with mix carrying the whole delta', () => {
    const leaves = rateLeaves((_r, d, p) => (d === 'mobile' ? (p === 0 ? 200 : 500) : p === 0 ? 800 : 500), deviceRate);
    const result = explainRateChange(['region', 'device'], leaves);
    expect(result.root_causes).toHaveLength(1);
    expect(Object.keys(result.root_causes[0]!)).toEqual(['device']);
    const top = result.explanations.find((e) => JSON.stringify(e.slice) === JSON.stringify(result.root_causes[0]));
    expect(top!.kind).toBe('mix');
    expect(top!.explained_share).toBeCloseTo(1, 9);
    // R: 0.036 → 0.06; rates per device unchanged, so Kitagawa puts it all in mix.
    expect(result.change.delta).toBeCloseTo(0.024, 12);
    expect(result.decomposition.dimension).toBe('device');
    expect(result.decomposition.mix).toBeCloseTo(0.024, 12);
    expect(result.decomposition.rate).toBeCloseTo(0, 12);
  });

  it('calls an error spike inside eu × mobile a rate change of that slice', () => {
    const leaves = rateLeaves(() => 1000, (r, d) => (r === 'eu' && d === 'mobile' ? 0.3 : deviceRate(r, d)));
    const spiked = leaves.map((l) => (l.attributes[0] === 'eu' && l.attributes[1] === 'mobile' ? { ...l, baselineNum: 100 } : l));
    const result = explainRateChange(['region', 'device'], spiked);
    expect(result.root_causes).toEqual([{ region: 'eu', device: 'mobile' }]);
    expect(result.explanations[0]!.kind).toBe('rate');
    expect(result.explanations[0]!.explained_share).toBeCloseTo(1, 9);
    expect(result.ruled_out.map((r) => r.slice)).toEqual(expect.arrayContaining([{ region: 'eu' }]));
  });

  it('throws when the denominator is zero in every leaf', () => {
    const zero = rateLeaves(() => 0, deviceRate);
    expect(() => explainRateChange(['region', 'device'], zero)).toThrow(/denominator is zero in every leaf/);
  });
});

describe('explainChange', () => {
  const countLeaves = (factor: (r: string, d: string) => number): CountLeaf[] =>
    regions.flatMap((r, i) => devices.map((d, j) => ({ attributes: [r, d], baseline: 100 + 10 * i + j, current: (100 + 10 * i + j) * factor(r, d) })));

  it('answers "no change" with no root causes when baseline and current are identical', () => {
    const result = explainChange(['region', 'device'], countLeaves(() => 1));
    expect(result.root_causes).toEqual([]);
    expect(result.explanations).toEqual([]);
    expect(result.note).toBe('no change');
    expect(result.change.delta).toBe(0);
  });

  it('explains a volume drop in one region, with the full share and the top posterior', () => {
    const result = explainChange(['region', 'device'], countLeaves((r) => (r === 'apac' ? 0.5 : 1)));
    expect(result.root_causes).toEqual([{ region: 'apac' }]);
    expect(result.explanations[0]).toMatchObject({ rank: 1, slice: { region: 'apac' }, kind: 'volume' });
    expect(result.explanations[0]!.explained_share).toBeCloseTo(1, 12);
    expect(result.root_cause_share).toBeCloseTo(1, 12);
  });

  it('moves the posterior, not the data, with a prior per dimension', () => {
    const leaves = countLeaves((r, d) => (r === 'eu' ? 1.5 : 1) * (d === 'mobile' ? 1.5 : 1));
    const flat = explainChange(['region', 'device'], leaves);
    const tilted = explainChange(['region', 'device'], leaves, { priors: { device: 20 } });
    const post = (r: typeof flat, key: string) => r.explanations.find((e) => JSON.stringify(e.slice) === key)?.posterior ?? 0;
    expect(post(tilted, '{"device":"mobile"}')).toBeGreaterThan(post(flat, '{"device":"mobile"}'));
  });

  it('weighs a value with a dimension:value prior, and funnel stages by how near the output they are', () => {
    const leaves = countLeaves((r, d) => (r === 'eu' ? 1.5 : 1) * (d === 'mobile' ? 1.5 : 1));
    const flat = explainChange(['region', 'device'], leaves);
    const tilted = explainChange(['region', 'device'], leaves, { priors: { 'device:mobile': 20 } });
    const prior = (r: typeof flat, key: string) => r.explanations.find((e) => JSON.stringify(e.slice) === key)?.prior ?? 0;
    expect(prior(tilted, '{"device":"mobile"}') / prior(tilted, '{"region":"eu"}')).toBeCloseTo(20, 9);
    expect(prior(flat, '{"device":"mobile"}') / prior(flat, '{"region":"eu"}')).toBeCloseTo(1, 9);
    expect(funnelStagePriors(['ingest', 'detect', 'classify'])).toEqual({ 'stage:ingest': 1, 'stage:detect': 1.5, 'stage:classify': 2 });
    expect(funnelStagePriors(['only'], 'step')).toEqual({ 'step:only': 1 });
  });

  it('keeps explained shares in [0, 1] and disjoint root causes summing to ≤ 1 when every leaf moves the same way', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 1, max: 3, noNaN: true }), { minLength: 6, maxLength: 6 }), (factors) => {
        const result = explainChange(['region', 'device'], countLeaves((r, d) => factors[regions.indexOf(r) * 2 + devices.indexOf(d)]!));
        for (const e of result.explanations) {
          expect(e.explained_share).toBeGreaterThanOrEqual(0);
          expect(e.explained_share).toBeLessThanOrEqual(1);
        }
        const shares = result.explanations.filter((e) => result.root_causes.includes(e.slice)).map((e) => e.explained_share);
        expect(shares.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1 + 1e-9);
        for (let i = 0; i < result.root_causes.length; i++)
          for (let j = i + 1; j < result.root_causes.length; j++) expect(slicesAreDisjoint(result.root_causes[i]!, result.root_causes[j]!)).toBe(true);
        const posteriors = result.explanations.reduce((a, e) => a + e.posterior, 0);
        if (result.explanations.length > 0) expect(posteriors).toBeCloseTo(1, 9);
      }),
      { numRuns: 100, seed: 11 },
    );
  });
});
