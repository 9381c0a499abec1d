import { describe, expect, it } from 'vitest';
import { firstDays, isDay, lastDays, overlaps, parseWindow, windowDays, windowEndIso, windowStartIso } from './time-range.ts';

describe('day windows', () => {
  it('defaults to the first and the last 7 days of the data', () => {
    const first = '2026-01-01T05:00:00Z';
    const last = '2026-01-31T23:59:00Z';
    expect(firstDays(first, last, 7)).toEqual({ from: '2026-01-01', to: '2026-01-07' });
    expect(lastDays(first, last, 7)).toEqual({ from: '2026-01-25', to: '2026-01-31' });
  });

  it('clips the windows to the data when it spans fewer days', () => {
    expect(firstDays('2026-01-01T00:00:00Z', '2026-01-03T10:00:00Z', 7)).toEqual({ from: '2026-01-01', to: '2026-01-03' });
    expect(lastDays('2026-01-01T00:00:00Z', '2026-01-03T10:00:00Z', 7)).toEqual({ from: '2026-01-01', to: '2026-01-03' });
  });

  it('sends the API a start at midnight and an exclusive end at the next midnight', () => {
    const window = { from: '2026-02-27', to: '2026-02-28' };
    expect(windowStartIso(window)).toBe('2026-02-27T00:00:00.000Z');
    expect(windowEndIso(window)).toBe('2026-03-01T00:00:00.000Z');
    expect(windowDays(window)).toBe(2);
  });

  it('accepts only real dates in order from the URL', () => {
    expect(parseWindow('2026-01-01', '2026-01-07')).toEqual({ from: '2026-01-01', to: '2026-01-07' });
    expect(parseWindow('2026-01-07', '2026-01-01')).toBeNull();
    expect(parseWindow('2026-02-30', '2026-03-01')).toBeNull();
    expect(parseWindow('<b>', '2026-03-01')).toBeNull();
    expect(isDay(null)).toBe(false);
  });

  it('tells overlapping windows apart', () => {
    expect(overlaps({ from: '2026-01-01', to: '2026-01-07' }, { from: '2026-01-07', to: '2026-01-14' })).toBe(true);
    expect(overlaps({ from: '2026-01-01', to: '2026-01-07' }, { from: '2026-01-08', to: '2026-01-14' })).toBe(false);
  });
});
