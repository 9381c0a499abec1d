import { describe, expect, it } from 'vitest';
import { daysBefore, formatIncidentWindow, precedingWindow } from './incident-windows.ts';

describe('precedingWindow', () => {
  it('gives the window of the same length that ends the day before', () => {
    expect(precedingWindow({ from: '2001-02-02', to: '2001-02-08' })).toEqual({ from: '2001-01-26', to: '2001-02-01' });
    expect(precedingWindow({ from: '2024-03-01', to: '2024-03-01' })).toEqual({ from: '2024-02-29', to: '2024-02-29' });
  });
});

describe('formatIncidentWindow', () => {
  it('reads whole UTC days with the last day included', () => {
    expect(formatIncidentWindow({ from: '2001-02-01T00:00:00.000Z', to: '2001-02-04T00:00:00.000Z' })).toBe('2001-02-01 to 2001-02-03');
    expect(formatIncidentWindow({ from: '2001-02-08T00:00:00.000Z', to: '2001-02-09T00:00:00.000Z' })).toBe('2001-02-08');
  });

  it('shows other windows as their two instants', () => {
    expect(formatIncidentWindow({ from: '2001-02-08T10:00:00.000Z', to: '2001-02-08T11:00:00.000Z' })).toBe('2001-02-08 10:00 to 2001-02-08 11:00 UTC');
  });
});

describe('daysBefore', () => {
  it('gives the days that end the day before the window', () => {
    expect(daysBefore({ from: '2001-02-08', to: '2001-02-08' }, 7)).toEqual({ from: '2001-02-01', to: '2001-02-07' });
  });
});
