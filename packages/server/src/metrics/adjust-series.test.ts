import { seasonalAdjustment } from '@outlay/stats';
import { describe, expect, it } from 'vitest';
import { adjustSeries } from './adjust-series.js';

const DAY = 86_400_000;
const start = Date.UTC(2026, 0, 5); // a Monday
const starts = Array.from({ length: 35 }, (_, t) => start + t * DAY);
// Weekends run 0.1 higher; a little noise so the fit is not exact.
const values = starts.map((ms, t) => 0.2 + ([5, 6].includes((new Date(ms).getUTCDay() + 6) % 7) ? 0.1 : 0) + 0.005 * Math.sin(t * 1.7));

describe('adjustSeries', () => {
  it('equals seasonalAdjustment when fitted on every window', () => {
    const weights = starts.map((_, t) => 100 + t);
    const ours = adjustSeries(values, starts, weights, ['weekday']);
    const reference = seasonalAdjustment({ values, windowStartMs: starts, dayOfWeek: true, weights });
    expect(ours.applied).toBe(true);
    ours.adjusted.forEach((v, t) => expect(v).toBeCloseTo(reference.adjusted[t]!, 12));
  });

  it('fits on the history only, so a jump in the last window stays whole', () => {
    const jumped = values.slice();
    jumped[34] = jumped[34]! + 0.3; // a Sunday
    const history = adjustSeries(jumped, starts, undefined, ['weekday'], 34);
    const all = adjustSeries(jumped, starts, undefined, ['weekday']);
    const previousSundays = [6, 13, 20, 27].map((t) => history.adjusted[t]!);
    const mean = previousSundays.reduce((s, v) => s + v, 0) / 4;
    expect(history.adjusted[34]! - mean).toBeCloseTo(0.3, 1);
    // Fitted on every window, the Sunday effect absorbs about a fifth of the jump.
    expect(history.adjusted[34]! - all.adjusted[34]!).toBeGreaterThan(0.04);
    // The weekend effect is gone from the adjusted history.
    const weekday = history.adjusted.slice(0, 34).filter((_, t) => t % 7 < 5);
    const weekend = history.adjusted.slice(0, 34).filter((_, t) => t % 7 >= 5);
    const avg = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
    expect(Math.abs(avg(weekend) - avg(weekday))).toBeLessThan(0.01);
  });

  it('leaves the series as it is, with the reason, when the history is too short', () => {
    const short = adjustSeries(values.slice(0, 10), starts.slice(0, 10), undefined, ['weekday']);
    expect(short.applied).toBe(false);
    expect(short.reason).toMatch(/at least twice|too few/);
    expect(short.adjusted).toEqual(values.slice(0, 10));
  });
});
