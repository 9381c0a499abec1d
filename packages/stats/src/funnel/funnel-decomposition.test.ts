import { describe, expect, it } from 'vitest';
import { funnelDecomposition, type FunnelStageCounts } from './funnel-decomposition.js';

// A document pipeline: ingest → detect → classify → extract, each stage fed by the one before.
const chain = (passes: number[], start = 1000): FunnelStageCounts[] => {
  let input = start;
  return passes.map((p, i) => {
    const output = Math.round(input * p);
    const stage = { stage: ['ingest', 'detect', 'classify', 'extract'][i]!, input, output };
    input = output;
    return stage;
  });
};

describe('funnelDecomposition', () => {
  it('gives the whole change to the one stage that got worse (worked by hand)', () => {
    const d = funnelDecomposition(chain([1, 0.9, 0.8, 0.5]), chain([1, 0.9, 0.4, 0.5]));
    // End to end 360/1000 → 180/1000; ln(0.5) of change, all of it from classify (0.8 → 0.4).
    expect(d.before).toBeCloseTo(0.36, 12);
    expect(d.after).toBeCloseTo(0.18, 12);
    expect(d.stages.map((s) => s.share_of_change)).toEqual([0, 0, 1, 0]);
    expect(d.residual_share).toBeCloseTo(0, 12);
  });

  it('splits a change between two stages by their log ratios, shares summing to one', () => {
    const d = funnelDecomposition(chain([1, 0.9, 0.8, 0.5]), chain([1, 0.6, 0.8, 0.4]));
    const shares = d.stages.map((s) => s.share_of_change ?? 0);
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 2);
    const expected = Math.log(0.6 / 0.9) / (Math.log(0.6 / 0.9) + Math.log(0.4 / 0.5));
    expect(shares[1]).toBeCloseTo(expected, 2);
  });

  it('puts rows that leave between stages in the residual', () => {
    const before = [{ stage: 'a', input: 100, output: 80 }, { stage: 'b', input: 80, output: 40 }];
    const after = [{ stage: 'a', input: 100, output: 80 }, { stage: 'b', input: 40, output: 20 }];
    const d = funnelDecomposition(before, after);
    expect(d.stages.map((s) => s.share_of_change)).toEqual([0, 0]);
    expect(d.residual_share).toBeCloseTo(1, 12);
  });

  it('refuses mismatched stages and impossible counts', () => {
    expect(() => funnelDecomposition([{ stage: 'a', input: 1, output: 1 }], [{ stage: 'b', input: 1, output: 1 }])).toThrow(/same stages/);
    expect(() => funnelDecomposition([{ stage: 'a', input: 1, output: 2 }], [{ stage: 'a', input: 1, output: 1 }])).toThrow(/output 2 of input 1/);
  });
});
