import { describe, expect, it } from 'vitest';
import type { MetricPoint } from '../../costs-api.ts';
import { changeOf, comparedWindows, formatDays, overWindow } from './model-money.ts';

const point = (start: string, value: number | null, labelled: number, n = labelled): MetricPoint => ({ start: `${start}T00:00:00.000Z`, value, labelled, n });

describe('comparedWindows', () => {
  it('takes the 7 UTC days up to the last prediction and the 7 days before them', () => {
    expect(comparedWindows('2001-02-08T10:51:00.000Z')).toEqual({
      previousFrom: '2001-01-26T00:00:00.000Z',
      currentFrom: '2001-02-02T00:00:00.000Z',
      to: '2001-02-09T00:00:00.000Z',
    });
    expect(formatDays('2001-02-02T00:00:00.000Z', '2001-02-09T00:00:00.000Z')).toBe('Feb 2 – Feb 8, 2001');
    expect(formatDays('2025-12-26T00:00:00.000Z', '2026-01-02T00:00:00.000Z')).toBe('Dec 26, 2025 – Jan 1, 2026');
  });
});

describe('overWindow', () => {
  const points = [point('2001-02-01', 100, 10), point('2001-02-02', 400, 30), point('2001-02-03', null, 5), point('2001-02-04', 50, 0)];

  it('weights a cost per 1,000 by the labelled rows of each day, which is the cost over all of them', () => {
    // (100 × 10 + 400 × 30) / 40 = 325; the day without a value and the day without labels add nothing.
    expect(overWindow(points, 'per-labelled', '2001-02-01', '2001-02-05')).toEqual({ value: 325, rows: 40 });
  });

  it('adds up a count and keeps only the days inside [from, to)', () => {
    expect(overWindow(points, 'count', '2001-02-02', '2001-02-04')).toEqual({ value: 400, rows: 35 });
    expect(overWindow(points, 'count', '2001-03-01', '2001-03-08')).toEqual({ value: null, rows: 0 });
  });
});

describe('changeOf', () => {
  it('says which way a cost moved, and that up is bad news', () => {
    expect(changeOf(112, 100, true)).toEqual({ relative: expect.closeTo(0.12, 10), words: 'up 12%', tone: 'worse' });
    expect(changeOf(90, 100, true)).toMatchObject({ words: 'down 10%', tone: 'better' });
    expect(changeOf(90, 100, null)).toMatchObject({ words: 'down 10%', tone: 'neutral' });
  });

  it('names what is missing instead of dividing by nothing', () => {
    expect(changeOf(5, null, true)).toMatchObject({ relative: null, words: 'nothing to compare with before' });
    expect(changeOf(null, 5, true)).toMatchObject({ relative: null, words: 'no value in the latest days' });
    expect(changeOf(5, 0, true)).toMatchObject({ relative: null, words: 'up from 0', tone: 'worse' });
    expect(changeOf(100.01, 100, true)).toMatchObject({ relative: 0, words: 'unchanged' });
  });
});
