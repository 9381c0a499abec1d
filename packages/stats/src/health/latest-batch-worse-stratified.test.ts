import { describe, expect, it } from 'vitest';
import { latestBatchWorse } from './latest-batch-worse.js';
import { latestBatchWorseStratified } from './latest-batch-worse-stratified.js';
import { cbpeGolden } from '../../golden/health/cbpe-golden.js';

describe('latestBatchWorseStratified (Cochran–Mantel–Haenszel)', () => {
  it.each(cbpeGolden.cmh.map((c, i) => [i, c] as const))('matches statsmodels StratifiedTable.test_null_odds(correction=False), case %i', (_i, c) => {
    const result = latestBatchWorseStratified(c.strata);
    expect(result.statistic! ** 2).toBeCloseTo(c.chiSquare, 10);
    expect(result.commonOddsRatio!).toBeCloseTo(c.oddsRatio, 12);
    expect(result.strataUsed).toBe(c.strata.length);
  });

  it('does not call a batch worse that only holds more hard cases, which the pooled test does', () => {
    const strata = cbpeGolden.cmh[0]!.strata;
    const pooled = (side: 'latest' | 'earlier') => ({ n: strata.reduce((s, x) => s + x[side].n, 0), errors: strata.reduce((s, x) => s + x[side].errors, 0) });
    const unadjusted = latestBatchWorse([{ start: 'earlier', ...pooled('earlier') }, { start: 'latest', ...pooled('latest') }]);
    expect(unadjusted.worse).toBe(true);
    const adjusted = latestBatchWorseStratified(strata);
    expect(adjusted).toMatchObject({ worse: false, insufficientData: false, commonOddsRatio: 1 });
    expect(adjusted.pValue!).toBeCloseTo(0.5, 12);
  });

  it('flags a batch worse within every stratum', () => {
    const result = latestBatchWorseStratified(cbpeGolden.cmh[1]!.strata);
    expect(result.worse).toBe(true);
    expect(result.pValue!).toBeLessThan(0.01);
  });

  it('says insufficient_data when no stratum has both sides and both outcomes, and throws on impossible counts', () => {
    const result = latestBatchWorseStratified([{ stratum: 'a', latest: { n: 5, errors: 0 }, earlier: { n: 0, errors: 0 } }, { stratum: 'b', latest: { n: 5, errors: 0 }, earlier: { n: 9, errors: 0 } }]);
    expect(result).toMatchObject({ insufficientData: true, worse: false, pValue: null, strataUsed: 0 });
    expect(result.reason).toMatch(/no stratum/);
    expect(() => latestBatchWorseStratified([{ stratum: 'a', latest: { n: 5, errors: 6 }, earlier: { n: 9, errors: 0 } }])).toThrow(/stratum "a" latest has 6 errors of 5 rows/);
  });
});
