import { OutlayError } from '@outlay/schema';
import { describe, expect, it } from 'vitest';
import { categoriseFocusRow, defaultFocusCategoryRules } from './focus-category-rules.js';
import { parseFocusRows, type FocusTable } from './parse-focus-rows.js';

const columns = ['BilledCost', 'EffectiveCost', 'ChargePeriodStart', 'ChargePeriodEnd', 'ServiceCategory', 'Tags', 'x_model'];
const parse = (rows: (string | null)[][], extra: Partial<Parameters<typeof parseFocusRows>[1]> = {}) =>
  parseFocusRows({ columns, rows } satisfies FocusTable, { file: 'f.csv', currency: 'USD', costBasis: 'effective', rules: defaultFocusCategoryRules, ...extra });

describe('parseFocusRows', () => {
  it('reads timestamps with or without T and zone as UTC, and offsets as given', () => {
    const { records, problems } = parse([
      ['1', '1', '2024-09-18 22:00:00', '2024-09-18T23:00:00Z', 'Compute', null, null],
      ['1', '1', '2024-09-18', '2024-09-19T01:00:00+02:00', 'Compute', null, null],
    ]);
    expect(problems).toEqual([]);
    expect(records.map((r) => [r.ChargePeriodStart, r.ChargePeriodEnd])).toEqual([
      ['2024-09-18T22:00:00.000Z', '2024-09-18T23:00:00.000Z'],
      ['2024-09-18T00:00:00.000Z', '2024-09-18T23:00:00.000Z'],
    ]);
  });

  it('treats bare NULL and empty cells as missing and strips stray quotes around numbers', () => {
    const { records, problems } = parse([['"0.0000004"', 'NULL', '2024-09-18 22:00:00', '2024-09-18 23:00:00', 'null', '', ' 7 ']]);
    expect(problems).toEqual([]);
    expect(records[0]).toMatchObject({ BilledCost: 4e-7, x_model: '7', x_cost_basis: 'effective' });
    expect(records[0]).not.toHaveProperty('EffectiveCost');
    expect(records[0]).not.toHaveProperty('ServiceCategory');
  });

  it('parses Tags as a JSON object and names the row and column when it is not one', () => {
    const { records, problems } = parse([
      ['1', '1', '2024-09-18 22:00:00', '2024-09-18 23:00:00', 'Compute', '{"team": "ml", "cost_center": 12, "flag": null}', null],
      ['1', '1', '2024-09-18 22:00:00', '2024-09-18 23:00:00', 'Compute', '[1, 2]', null],
    ]);
    expect(records[0]!.Tags).toEqual({ team: 'ml', cost_center: '12', flag: '' });
    expect(problems).toEqual([{ row: 2, column: 'Tags', message: 'f.csv: row 2, column Tags: expected a JSON object of key/value pairs, got [1, 2]' }]);
  });

  it('refuses a period that ends before it starts', () => {
    const { problems } = parse([['1', '1', '2024-09-18 23:00:00', '2024-09-18 22:00:00', 'Compute', null, null]]);
    expect(problems[0]).toMatchObject({ row: 1, column: 'ChargePeriodEnd' });
  });

  it('throws on a file missing the required columns', () => {
    expect(() => parseFocusRows({ columns: ['BilledCost'], rows: [] }, { file: 'f.csv', currency: 'USD', costBasis: 'billed', rules: [] })).toThrow(OutlayError);
  });
});

describe('defaultFocusCategoryRules', () => {
  it.each([
    ['AI and Machine Learning', 'variable.compute'],
    ['Compute', 'variable.compute'],
    ['Databases', 'variable.compute'],
    ['Networking', 'variable.bandwidth'],
    ['storage', 'fixed.development.training'],
    ['Management and Governance', 'variable.operations'],
    ['Other', null],
  ])('maps ServiceCategory %s to %s', (serviceCategory, category) => {
    expect(categoriseFocusRow({ ServiceCategory: serviceCategory }, defaultFocusCategoryRules)?.category).toBe(category);
  });

  it('lets a replaced rule list decide instead', () => {
    const rules = [{ when: { ServiceName: ['Amazon SageMaker'] }, category: 'fixed.development.training' as const, why: 'we train there' }];
    const { records } = parse([['1', '1', '2024-09-18 22:00:00', '2024-09-18 23:00:00', 'Compute', null, null]], { rules });
    expect(records[0]).not.toHaveProperty('x_category');
    expect(categoriseFocusRow({ ServiceName: 'amazon sagemaker' }, rules)?.category).toBe('fixed.development.training');
  });
});
