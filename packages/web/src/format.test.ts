import { describe, expect, it } from 'vitest';
import { formatCount, formatLabelledShare, formatTimestamp } from './format.ts';

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
