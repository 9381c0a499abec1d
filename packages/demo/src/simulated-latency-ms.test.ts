import { describe, expect, it } from 'vitest';
import { simulatedLatencyMs } from './simulated-latency-ms.js';

describe('simulatedLatencyMs', () => {
  const off = Array.from({ length: 20_000 }, (_, row) => simulatedLatencyMs(row, 10)).sort((a, b) => a - b);

  it('gives a row the same latency on every call and another latency under another seed', () => {
    expect(simulatedLatencyMs(123_456, 10)).toBe(simulatedLatencyMs(123_456, 10));
    expect(simulatedLatencyMs(123_456, 10, 7)).not.toBe(simulatedLatencyMs(123_456, 10));
  });

  it('has a 12 ms median and a tail of slow requests outside the evening peak', () => {
    expect(off[0]).toBeGreaterThan(0);
    expect(off[10_000]).toBeGreaterThan(11.5);
    expect(off[10_000]).toBeLessThan(12.5);
    // Above 12·e^(0.35·4) ≈ 48.7 ms a plain log-normal puts 3e-5 of rows (~0.6 of 20,000); the 0.5% of
    // 4× requests put about half of theirs there (z > 0.04), ~48 rows.
    const slow = off.filter((ms) => ms > 12 * Math.exp(0.35 * 4)).length;
    expect(slow).toBeGreaterThan(20);
    expect(slow).toBeLessThan(80);
  });

  it('is 20% slower in the evening peak', () => {
    const peak = Array.from({ length: 20_000 }, (_, row) => simulatedLatencyMs(row, 18)).sort((a, b) => a - b);
    expect(peak[10_000]! / off[10_000]!).toBeCloseTo(1.2, 2);
  });
});
