import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { computeDriftReport } from './compute-drift-report.js';

const dir = mkdtempSync(join(tmpdir(), 'outlay-constant-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const weekdays = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** A CSV of `days` days of `rows(day)` rows each (50 by default), in time order: the day's weekday, a channel, an amount. */
function csv(name: string, days: number, firstDay: number, channel: (day: number, i: number) => string, rows: (day: number) => number = () => 50): string {
  const lines = ['weekday,channel,amount'];
  for (let d = 0; d < days; d++) for (let i = 0; i < rows(d); i++) lines.push(`${weekdays[(firstDay + d) % 7]},${channel(d, i)},${(i * 7) % 40}`);
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

describe('a column that became constant', () => {
  it('is no finding when the reference is constant in pieces as large as the current data (one day\'s weekday)', async () => {
    const channel = (_: number, i: number) => (i % 3 === 0 ? 'web' : 'app');
    const report = await computeDriftReport({ reference: csv('week.csv', 7, 0, channel), current: csv('day.csv', 1, 0, channel) });
    const weekday = report.columns.find((c) => c.column === 'weekday')!;
    expect(weekday.quality.constant).toEqual({ reference: false, current: true, reference_values: 7, reference_piece_values: 1 });
    expect(report.data_quality.findings.filter((f) => f.finding === 'became_constant')).toEqual([]);
  });

  it('is no finding either when days vary in size, so that pieces straddle two days', async () => {
    const channel = (_: number, i: number) => (i % 3 === 0 ? 'web' : 'app');
    const report = await computeDriftReport({ reference: csv('uneven.csv', 7, 0, channel, (d) => 40 + 5 * d), current: csv('day2.csv', 1, 0, channel) });
    const weekday = report.columns.find((c) => c.column === 'weekday')!;
    expect(weekday.quality.constant.reference_piece_values).toBeGreaterThan(1.5);
    expect(weekday.quality.constant.reference_piece_values).toBeLessThanOrEqual(2);
    expect(report.data_quality.findings.filter((f) => f.finding === 'became_constant')).toEqual([]);
  });

  it('is a finding when same-size pieces of the reference varied (a channel stuck on one value)', async () => {
    const report = await computeDriftReport({
      reference: csv('week2.csv', 7, 0, (_, i) => (i % 3 === 0 ? 'web' : 'app')),
      current: csv('stuck.csv', 1, 0, () => 'app'),
    });
    const channel = report.columns.find((c) => c.column === 'channel')!;
    expect(channel.quality.constant).toEqual({ reference: false, current: true, reference_values: 2, reference_piece_values: 2 });
    expect(report.data_quality.findings.filter((f) => f.finding === 'became_constant').map((f) => f.column)).toEqual(['channel']);
  });
});
