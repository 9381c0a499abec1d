import { describe, expect, it } from 'vitest';
import { golden } from '../../golden/health/golden.js';
import { fitLocalLevel } from './fit-local-level.js';
import { localLevelFilter } from './local-level-filter.js';
import { mulberry32, mulberry32Normal } from '../mulberry32.js';

const LOG_2PI_HALF = 0.5 * Math.log(2 * Math.PI);

describe('localLevelFilter', () => {
  const g = golden.localLevel;

  // Tolerances: statsmodels agrees to ~1e-10 relative on states and ~1e-10 relative on the likelihood (its
  // filter switches to a steady-state gain once P converges); we allow 5e-9 and 5e-7 absolute.
  it("matches statsmodels UnobservedComponents('llevel') filtered states and variances at fixed variances", () => {
    const run = localLevelFilter(g.y, g.fixed);
    g.filtered.forEach((expected, t) => expect(run.filtered[t], `t = ${t}`).toBeCloseTo(expected, 8));
    g.filteredVariance.forEach((expected, t) => expect(run.filteredVariance[t], `t = ${t}`).toBeCloseTo(expected, 9));
  });

  it('matches its log-likelihood up to the constant −½·log 2π of the diffuse first window', () => {
    // statsmodels' exact diffuse likelihood keeps −½ log(2π) − ½ log F∞ for t = 1, F∞ = 1; we leave it out.
    expect(localLevelFilter(g.y, g.fixed).logLikelihood - LOG_2PI_HALF).toBeCloseTo(g.logLikelihood, 6);
  });

  it('weights each window by its sample size (variance σ²_ε/n_t), as an independent numpy recursion does', () => {
    const w = golden.localLevelWeighted;
    const run = localLevelFilter(w.y, { irregularVariance: w.irregularVariance, levelVariance: w.levelVariance }, w.sizes);
    w.filtered.forEach((expected, t) => expect(run.filtered[t], `t = ${t}`).toBeCloseTo(expected, 9));
    w.filteredVariance.forEach((expected, t) => expect(run.filteredVariance[t], `t = ${t}`).toBeCloseTo(expected, 10));
    expect(run.logLikelihood).toBeCloseTo(w.logLikelihood, 8);
  });

  it('moves less on a window with 30 rows than on one with 30,000', () => {
    const variances = { irregularVariance: 1, levelVariance: 0.001 };
    const small = localLevelFilter([0, 0, 0, 1], variances, [1000, 1000, 1000, 30]).filtered[3]!;
    const large = localLevelFilter([0, 0, 0, 1], variances, [1000, 1000, 1000, 30_000]).filtered[3]!;
    expect(small).toBeLessThan(large / 5);
  });

  it('throws on NaN and empty input', () => {
    expect(() => localLevelFilter([], g.fixed)).toThrow(/empty/);
    expect(() => localLevelFilter([1, Number.NaN], g.fixed)).toThrow(/values\[1\]/);
    expect(() => localLevelFilter([1, 2], g.fixed, [1, 0])).toThrow(/sampleSizes\[1\]/);
  });
});

describe('fitLocalLevel', () => {
  const g = golden.localLevel;

  it("finds statsmodels' maximum-likelihood variances (within 1e-4 relative) and at least its likelihood", () => {
    const fit = fitLocalLevel(g.y);
    expect(Math.abs(fit.estimated.irregularVariance / g.fit.irregularVariance - 1)).toBeLessThan(1e-4);
    expect(Math.abs(fit.estimated.levelVariance / g.fit.levelVariance - 1)).toBeLessThan(1e-4);
    expect(fit.maximumLogLikelihood - LOG_2PI_HALF).toBeGreaterThanOrEqual(g.fit.logLikelihood - 1e-9);
    expect(fit.maximumLogLikelihood - LOG_2PI_HALF).toBeCloseTo(g.fit.logLikelihood, 6);
  });

  it('tracks faster with a higher sensitivity', () => {
    const step = Array.from({ length: 60 }, (_, t) => (t < 40 ? 0 : 1) + 0.3 * Math.sin(t * 12.9898));
    const smooth = fitLocalLevel(step, { sensitivity: 0.1 });
    const sharp = fitLocalLevel(step, { sensitivity: 10 });
    expect(sharp.used.levelVariance).toBeCloseTo(100 * smooth.used.levelVariance, 12);
    expect(sharp.filtered[42]! - smooth.filtered[42]!).toBeGreaterThan(0);
    expect(smooth.lower[50]!).toBeLessThan(smooth.filtered[50]!);
  });

  it('recovers the variances of a simulated series with unequal window sizes (σ²_ε/n_t)', () => {
    const normal = mulberry32Normal(31);
    const uniform = mulberry32(32);
    const windows = 600;
    const sizes = Array.from({ length: windows }, () => 20 + Math.floor(uniform() * 3000));
    let level = 50;
    const values = sizes.map((n) => {
      level += Math.sqrt(0.05) * normal();
      return level + Math.sqrt(500 / n) * normal();
    });
    const fit = fitLocalLevel(values, { sampleSizes: sizes });
    // 600 windows pin σ²_ε to a few per cent and σ²_η to about ±30 % (its standard error is large).
    expect(fit.estimated.irregularVariance / 500).toBeGreaterThan(0.85);
    expect(fit.estimated.irregularVariance / 500).toBeLessThan(1.15);
    expect(fit.estimated.levelVariance / 0.05).toBeGreaterThan(0.6);
    expect(fit.estimated.levelVariance / 0.05).toBeLessThan(1.5);
    // and ignoring the sizes fits a worse model of the same data
    expect(fitLocalLevel(values).maximumLogLikelihood).toBeLessThan(fit.maximumLogLikelihood);
  });

  it('alerts where the band around the level excludes the in-control target', () => {
    const values = Array.from({ length: 40 }, (_, t) => (t < 30 ? 0 : 3) + 0.5 * Math.sin(t * 78.233));
    const fit = fitLocalLevel(values, { target: 0 });
    expect(fit.alert!.slice(0, 30).some(Boolean)).toBe(false);
    expect(fit.alert![39]).toBe(true);
    expect(fitLocalLevel(values).alert).toBeNull();
  });

  it('throws on a constant series and on too few windows', () => {
    expect(() => fitLocalLevel([1, 2])).toThrow(/at least 3/);
    expect(() => fitLocalLevel([4, 4, 4, 4])).toThrow(/constant/);
  });
});
