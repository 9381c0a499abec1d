import { describe, expect, it } from 'vitest';
import { cellText, formatEvidenceValue, formatRelativeChange, rowColumns } from './incident-format.ts';

describe('formatEvidenceValue', () => {
  it('writes shares as percentages, flags as yes/no and the largest double as infinity', () => {
    expect(formatEvidenceValue('rate_reset_share', 0.924817)).toBe('92.5%');
    expect(formatEvidenceValue('current_share_of_denominator', 0.42897)).toBe('42.9%');
    expect(formatEvidenceValue('mix_significant', 1)).toBe('yes');
    expect(formatEvidenceValue('mix_z', 1.7976931348623157e308)).toBe('∞');
    expect(formatEvidenceValue('mix_z', -1.7976931348623157e308)).toBe('−∞');
    expect(formatEvidenceValue('rate_z', 21.075715899107195)).toBe('21.08');
  });
});

describe('cellText', () => {
  it('keeps user data as plain text and reads timestamp_ms as a UTC time', () => {
    expect(cellText('origin', '<img src=x onerror=alert(1)>')).toBe('<img src=x onerror=alert(1)>');
    expect(cellText('timestamp_ms', 981417660000)).toBe('2001-02-06T00:01:00Z');
    expect(cellText('score', 0.19162298208568934)).toBe('0.191623');
    expect(cellText('label', null)).toBe('∅');
    expect(cellText('flag', false)).toBe('false');
  });
});

describe('rowColumns and formatRelativeChange', () => {
  it('lists columns in first-seen order and signs the change', () => {
    expect(rowColumns([{ id: 'a', x: 1 }, { id: 'b', y: 2 }])).toEqual(['id', 'x', 'y']);
    expect(formatRelativeChange(0.394, 0.429)).toBe('+8.9%');
    expect(formatRelativeChange(0.5215, 0.4592)).toBe('−11.9%');
    expect(formatRelativeChange(0, 1)).toBe('—');
  });
});
