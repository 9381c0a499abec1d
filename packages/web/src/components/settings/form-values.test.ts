import { describe, expect, it } from 'vitest';
import { parseLines, parseList, parseOptionalNumber } from './form-values.ts';

describe('parseOptionalNumber', () => {
  it('reads an empty field as not set and refuses text that is not a number', () => {
    expect(parseOptionalNumber('  ')).toEqual({ value: undefined });
    expect(parseOptionalNumber('40.5')).toEqual({ value: 40.5 });
    expect(parseOptionalNumber('-1')).toEqual({ value: -1 });
    expect(parseOptionalNumber('12abc')).toEqual({ problem: '"12abc" is not a number.' });
  });
});

describe('parseList and parseLines', () => {
  it('split on commas or lines and drop blanks', () => {
    expect(parseList(' weekday, , hour ')).toEqual(['weekday', 'hour']);
    expect(parseLines('https://a.example/x\n\n https://b.example/y ')).toEqual(['https://a.example/x', 'https://b.example/y']);
  });
});
