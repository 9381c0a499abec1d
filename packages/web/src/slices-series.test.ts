import { describe, expect, it } from 'vitest';
import { parseMixVsRate, parseSlices, slicesPath, type SliceSegment } from './slices-api.ts';
import { barPercent, latestShare, latestValue, mixScale, otherShares, parseSliceMetric, parseTop, segmentLabel, sliceColumns } from './slices-series.ts';

describe('sliceColumns', () => {
  it('lists segments first in the config order, then features, each name once', () => {
    const columns = [
      { source: 'feature', name: 'hour', type: 'number' },
      { source: 'feature', name: 'origin', type: 'string' },
      { source: 'segment', name: 'origin', type: 'string' },
      { source: 'segment', name: 'distance_band', type: 'string' },
      { source: 'stage', name: 'detect', type: 'boolean' },
    ];
    expect(sliceColumns(columns, ['distance_band', 'origin']).map((c) => `${c.source}:${c.name}`)).toEqual(['segment:distance_band', 'segment:origin', 'feature:hour']);
    expect(sliceColumns(columns).map((c) => c.name)).toEqual(['origin', 'distance_band', 'hour']);
  });
});

describe('the slices controls', () => {
  it('defaults the metric to the error rate and the top to 8', () => {
    expect(parseSliceMetric('business_cost_per_1k')).toBe('business_cost_per_1k');
    expect(parseSliceMetric('predictions')).toBe('error_rate');
    expect(parseTop('12')).toBe(12);
    expect(parseTop('0')).toBe(8);
    expect(parseTop('2.5')).toBe(8);
  });
});

const segments: SliceSegment[] = [
  { value: 'ORD', rows: 10, points: [{ start: 'a', n: 6, share: 0.6, value: 0.5, lower: null, upper: null, reason: null }, { start: 'b', n: 0, share: null, value: null, lower: null, upper: null, reason: 'insufficient_data' }] },
  { value: 7, rows: 4, points: [{ start: 'a', n: 3, share: 0.3, value: null, lower: null, upper: null, reason: 'insufficient_data' }, { start: 'b', n: 0, share: null, value: null, lower: null, upper: null, reason: null }] },
];

describe('shares per value', () => {
  it('finds the latest share and value, skipping windows without one', () => {
    expect(latestShare(segments[0]!.points)?.start).toBe('a');
    expect(latestValue(segments[1]!.points)).toBeNull();
    expect(segmentLabel(segments[1]!)).toBe('7');
  });

  it('gives the other values the rest of each window, and nothing for a window without traffic', () => {
    const others = otherShares(segments);
    expect(others[0]).toBeCloseTo(0.1, 12);
    expect(others[1]).toBeNull();
  });
});

describe('mix vs rate', () => {
  const answer = {
    baseline: { from: '2001-02-01T00:00:00Z', to: '2001-02-08T00:00:00Z' },
    current: { from: '2001-02-08T00:00:00Z', to: '2001-02-09T00:00:00Z' },
    totals: { before: 0.2, after: 0.26, mix: 0.05, rate: 0.01 },
    by_value: [
      { value: 'ORD', share_before: 0.5, share_after: 0.6, rate_before: 0.2, rate_after: 0.3, mix_part: 0.025, rate_part: 0.055 },
      { value: 'ATL', share_before: 0.5, share_after: 0.4, rate_before: 0.2, rate_after: 0.18, mix_part: -0.019, rate_part: -0.009 },
    ],
  };

  it('reads the periods, totals and parts of the server’s answer', () => {
    const served = {
      before: { from: '2001-02-01T00:00:00.000Z', to: '2001-02-08T00:00:00.000Z', rows: 114_469, value: 0.4825 },
      after: { from: '2001-02-08T00:00:00.000Z', to: '2001-02-09T00:00:00.000Z', rows: 5531, value: 0.194 },
      change: -0.2885,
      mix: -0.0023,
      rate: -0.2862,
      segments: [{ value: 'ORD', share_before: 0.0551, share_after: 0.0526, rate_before: 0.5567, rate_after: 0.2543, mix_part: -0.001, rate_part: -0.0163, rows_before: 6312, rows_after: 291 }],
      reason: null,
    };
    const mix = parseMixVsRate(served)!;
    expect(mix).toMatchObject({ before: 0.4825, after: 0.194, change: -0.2885, mix: -0.0023, rate: -0.2862, baseline: '2001-02-01 – 2001-02-07', current: '2001-02-08', reason: null });
    expect(mix.by_value).toEqual([{ value: 'ORD', share_before: 0.0551, share_after: 0.0526, rate_before: 0.5567, rate_after: 0.2543, mix_part: -0.001, rate_part: -0.0163 }]);
    expect(parseMixVsRate({ before: null, after: null, change: null, mix: null, rate: null, segments: [], reason: 'no earlier window' })).toMatchObject({ change: null, by_value: [], reason: 'no earlier window' });
  });

  it('also reads totals under the names the stats package uses, at the top or under totals', () => {
    const mix = parseMixVsRate(answer)!;
    expect(mix).toMatchObject({ before: 0.2, after: 0.26, mix: 0.05, rate: 0.01, baseline: '2001-02-01 – 2001-02-07' });
    expect(mix.change).toBeCloseTo(0.06, 12);
    expect(mix.by_value[1]).toEqual({ value: 'ATL', share_before: 0.5, share_after: 0.4, rate_before: 0.2, rate_after: 0.18, mix_part: -0.019, rate_part: -0.009 });
    expect(parseMixVsRate({ baselineRate: 1, currentRate: 3, change: 2, mix: 1.5, rate: 0.5, by_value: [] })).toMatchObject({ before: 1, after: 3, change: 2, mix: 1.5, rate: 0.5 });
    expect(parseMixVsRate(undefined)).toBeNull();
  });

  it('draws the bars of every value on one scale, capped at the track', () => {
    const mix = parseMixVsRate(answer)!;
    expect(mixScale(mix.by_value)).toBe(0.055);
    expect(barPercent(-0.0275, 0.055)).toBeCloseTo(50, 12);
    expect(barPercent(1, 0.055)).toBe(100);
    expect(barPercent(null, 0.055)).toBe(0);
    expect(barPercent(0.01, 0)).toBe(0);
  });

  it('keeps a /slices answer without a decomposition readable, with mix_vs_rate null', () => {
    const slices = parseSlices({ model: 'm', by: 'origin', metric: 'error_rate', window: 'day', from: 'f', to: 't', segments: [{ value: 'ORD', rows: 3, points: [{ start: 'a', n: 3, share: 1, value: 0.5 }] }, { value: { nested: true } }] }, '/slices');
    expect(slices.segments).toHaveLength(1);
    expect(slices.segments[0]!.points[0]).toEqual({ start: 'a', n: 3, share: 1, value: 0.5, lower: null, upper: null, reason: null });
    expect(slices.mix_vs_rate).toBeNull();
    expect(slicesPath('m', { by: 'origin', metric: 'error_rate', window: 'day', range: { from: '2001-02-01', to: '2001-02-08' }, top: 8 })).toBe(
      '/v1/models/m/slices?by=origin&metric=error_rate&window=day&from=2001-02-01T00%3A00%3A00.000Z&to=2001-02-09T00%3A00%3A00.000Z&top=8',
    );
  });
});
