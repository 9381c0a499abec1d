import { describe, expect, it } from 'vitest';
import { rankDimensions } from './rank-dimensions.js';

describe('rankDimensions', () => {
  it('ranks first the dimension whose distribution moved, with the moved value kept', () => {
    const ranks = rankDimensions(
      new Map([
        ['region', new Map([['eu', { expected: 100, actual: 200 }], ['us', { expected: 100, actual: 100 }]])],
        ['device', new Map([['mobile', { expected: 100, actual: 150 }], ['desktop', { expected: 100, actual: 150 }]])],
      ]),
    );
    expect(ranks.map((r) => r.dimension)).toEqual(['region', 'device']);
    expect(ranks[0]!.values.map((v) => v.value)).toEqual(['eu']);
    expect(ranks[0]!.explanatory_power).toBeCloseTo(1, 12);
    expect(ranks[1]!.surprise).toBe(0);
    // JS term by hand: p = .5, q = 2/3, m = 7/12: ½(.5 ln(6/7) + (2/3) ln(8/7)).
    expect(ranks[0]!.surprise).toBeCloseTo(0.5 * (0.5 * Math.log(6 / 7) + (2 / 3) * Math.log(8 / 7)), 12);
  });
});
