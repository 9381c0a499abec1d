import { describe, expect, it } from 'vitest';
import { chooseMethod } from './choose-method.js';

describe('chooseMethod (Evidently default rule)', () => {
  it('uses KS for numeric columns with more than 5 values up to 1,000 reference rows, normed Wasserstein above', () => {
    expect(chooseMethod({ kind: 'numeric', referenceRows: 1000, distinctValues: 6 })).toBe('ks');
    expect(chooseMethod({ kind: 'numeric', referenceRows: 1001, distinctValues: 6 })).toBe('wasserstein');
  });

  it('uses chi-square for categorical columns and numeric columns with 3–5 values up to 1,000 rows, Jensen–Shannon above', () => {
    expect(chooseMethod({ kind: 'categorical', referenceRows: 1000, distinctValues: 40 })).toBe('chisquare');
    expect(chooseMethod({ kind: 'numeric', referenceRows: 500, distinctValues: 5 })).toBe('chisquare');
    expect(chooseMethod({ kind: 'numeric', referenceRows: 500, distinctValues: 3 })).toBe('chisquare');
    expect(chooseMethod({ kind: 'categorical', referenceRows: 1001, distinctValues: 40 })).toBe('jensenshannon');
    expect(chooseMethod({ kind: 'numeric', referenceRows: 5000, distinctValues: 4 })).toBe('jensenshannon');
  });

  it('uses the Z-test for two values (or one) up to 1,000 rows, Jensen–Shannon above', () => {
    expect(chooseMethod({ kind: 'categorical', referenceRows: 1000, distinctValues: 2 })).toBe('z');
    expect(chooseMethod({ kind: 'numeric', referenceRows: 10, distinctValues: 1 })).toBe('z');
    expect(chooseMethod({ kind: 'categorical', referenceRows: 1001, distinctValues: 2 })).toBe('jensenshannon');
  });

  it('throws on an empty reference', () => {
    expect(() => chooseMethod({ kind: 'numeric', referenceRows: 0, distinctValues: 0 })).toThrow(/referenceRows is 0/);
  });
});
