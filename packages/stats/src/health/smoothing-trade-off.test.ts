import { describe, expect, it } from 'vitest';
import { ewmaChart } from './ewma-chart.js';
import { localLevelFilter } from './local-level-filter.js';
import { mulberry32Normal } from '../mulberry32.js';

// Synthetic in-control windows N(0, 1) and, for delay, a step of +2σ at window STEP. For each setting:
// false alarms = alarm onsets (a window in alarm after one that was not) per 1,000 in-control windows; delay = mean number of windows from the step
// to the first alarm at or after it. Seeded, so the numbers are fixed; the assertions are on the direction.
const SERIES = 200;
const IN_CONTROL_WINDOWS = 500;
const STEP = 50;
const AFTER_STEP = 100;
const SHIFT = 2;

interface TradeOff {
  falseAlarmsPer1k: number;
  meanDelay: number;
}

function measure(alarms: (values: number[]) => boolean[], seed: number): TradeOff {
  const normal = mulberry32Normal(seed);
  let falseAlarms = 0;
  for (let s = 0; s < SERIES; s++) {
    const values = Array.from({ length: IN_CONTROL_WINDOWS }, () => normal());
    // count alarm onsets: a smoothed series stays out of its limits for several windows once it leaves them
    falseAlarms += alarms(values).filter((flag, t, all) => flag && (t === 0 || !all[t - 1])).length;
  }
  let delays = 0;
  for (let s = 0; s < SERIES; s++) {
    const values = Array.from({ length: STEP + AFTER_STEP }, (_, t) => normal() + (t >= STEP ? SHIFT : 0));
    const flags = alarms(values);
    let first = flags.findIndex((flag, t) => t >= STEP && flag);
    if (first < 0) first = STEP + AFTER_STEP; // never detected: count the whole horizon
    delays += first - STEP;
  }
  return { falseAlarmsPer1k: (1000 * falseAlarms) / (SERIES * IN_CONTROL_WINDOWS), meanDelay: delays / SERIES };
}

function expectMoreSmoothingFewerAlarmsLongerDelay(results: TradeOff[]): void {
  for (let k = 1; k < results.length; k++) {
    expect(results[k]!.falseAlarmsPer1k, `setting ${k}`).toBeLessThan(results[k - 1]!.falseAlarmsPer1k);
    expect(results[k]!.meanDelay, `setting ${k}`).toBeGreaterThan(results[k - 1]!.meanDelay);
  }
}

describe('smoothing trades detection delay for false alarms', () => {
  it('EWMA: a smaller λ raises fewer false alarms and detects a 2σ step later', () => {
    const results = [0.5, 0.2, 0.05].map((lambda) =>
      measure((values) => ewmaChart(values, { target: 0, sigma: 1, lambda, limitWidth: 3 }).map((p) => p.alert), 17),
    );
    // Measured: λ 0.5 → 2.41 false alarms per 1,000 windows, delay 2.30; λ 0.2 → 2.02, 2.65; λ 0.05 → 1.06, 4.64.
    expectMoreSmoothingFewerAlarmsLongerDelay(results);
    // Roughly the textbook in-control run lengths for L = 3 (Montgomery table 9.11 / Lucas & Saccucci 1990: ARL₀ ≈ 400–1,400).
    expect(results[0]!.falseAlarmsPer1k).toBeLessThan(10);
  });

  it('Kalman local level: a smaller level variance (lower sensitivity) does the same', () => {
    // Alarm when the filtered level's ±3√P band excludes the in-control level 0.
    const results = [0.5, 0.05, 0.005].map((levelVariance) =>
      measure((values) => {
        const run = localLevelFilter(values, { irregularVariance: 1, levelVariance });
        return Array.from(run.filtered, (a, t) => Math.abs(a) > 3 * Math.sqrt(run.filteredVariance[t]!));
      }, 23),
    );
    // Measured: σ²_η 0.5 → 0.25 false alarms per 1,000 windows, delay 4.81; 0.05 → 0.10, 4.89; 0.005 → 0.06, 6.94.
    expectMoreSmoothingFewerAlarmsLongerDelay(results);
  });
});
