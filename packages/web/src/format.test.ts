import { describe, expect, it } from 'vitest';
import { formatCount, formatLabelledShare, formatScale, formatShare, formatStatistic, formatTimestamp, formatUsd } from './format.ts';

describe('formatCount', () => {
  it('groups thousands', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(0)).toBe('0');
  });
});

describe('formatLabelledShare', () => {
  it('divides labels by predictions as a percentage with one decimal', () => {
    expect(formatLabelledShare(1, 3)).toBe('33.3%');
    expect(formatLabelledShare(0, 5)).toBe('0.0%');
    expect(formatLabelledShare(7, 7)).toBe('100.0%');
  });

  it('shows a dash when there is nothing to label, rather than NaN', () => {
    expect(formatLabelledShare(0, 0)).toBe('—');
  });
});

describe('formatTimestamp', () => {
  it('writes an instant in UTC to the second, whatever the offset it was sent with', () => {
    expect(formatTimestamp('2026-01-01T00:00:00Z')).toBe('2026-01-01 00:00:00 UTC');
    expect(formatTimestamp('2026-01-01T02:30:15.250+02:00')).toBe('2026-01-01 00:30:15 UTC');
  });

  it('shows a dash for a missing timestamp and unparseable text as it was sent', () => {
    expect(formatTimestamp(null)).toBe('—');
    expect(formatTimestamp('yesterday-ish')).toBe('yesterday-ish');
  });
});

describe('formatUsd', () => {
  it('writes whole dollars for large amounts, cents for small, significant digits under a dollar', () => {
    expect(formatUsd(12345.67)).toBe('$12,346');
    expect(formatUsd(12.5)).toBe('$12.50');
    expect(formatUsd(0.012345)).toBe('$0.0123');
    expect(formatUsd(-500)).toBe('-$500');
    expect(formatUsd(Number.NaN)).toBe('—');
  });
});

describe('formatStatistic', () => {
  it('keeps four significant digits and goes scientific for tiny values', () => {
    expect(formatStatistic(0.123456)).toBe('0.1235');
    expect(formatStatistic(0.00001234)).toBe('1.23e-5');
    expect(formatStatistic(null)).toBe('—');
  });
});

describe('formatShare and formatScale', () => {
  it('writes shares as percentages and scales as multiples', () => {
    expect(formatShare(0.25)).toBe('25.0%');
    expect(formatShare(null)).toBe('—');
    expect(formatScale(1000)).toBe('1,000×');
  });
});
