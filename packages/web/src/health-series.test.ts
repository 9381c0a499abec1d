import { describe, expect, it } from 'vitest';
import { ApiError } from './api.ts';
import { metricsPath, parseMetricSeries, refusesParameter, type MetricPoint } from './health-api.ts';
import {
  adjustParam,
  alertColumn,
  column,
  dayAxis,
  formatMetric,
  formatMetricChange,
  formatWindowStart,
  gaps,
  latestWithValue,
  overallCoverage,
  parseAdjust,
  parseMetricWindow,
  parseSmoothing,
  toggleItem,
  windowSeconds,
  withEstimate,
} from './health-series.ts';

function point(start: string, fields: Partial<MetricPoint> = {}): MetricPoint {
  return {
    start,
    n: 100,
    labelled: 100,
    value: 1,
    lower: null,
    upper: null,
    smoothed: null,
    adjusted: null,
    control_lower: null,
    control_upper: null,
    alert: false,
    sampled: false,
    reason: null,
    detail: null,
    estimated: null,
    estimated_lower: null,
    estimated_upper: null,
    estimate_reason: null,
    factors: null,
    residual: null,
    ...fields,
  };
}

describe('the controls kept in the URL', () => {
  it('reads window and smoothing with day and EWMA as defaults, and none as no smoothing', () => {
    expect(parseMetricWindow(null)).toBe('day');
    expect(parseMetricWindow('hour')).toBe('hour');
    expect(parseMetricWindow('month')).toBe('day');
    expect(parseSmoothing(null)).toBe('ewma');
    expect(parseSmoothing('kalman')).toBe('kalman');
    expect(parseSmoothing('none')).toBeNull();
  });

  it('adjusts for the weekday by default, keeps each item once, and writes an empty choice as none', () => {
    expect(parseAdjust(null)).toEqual(['weekday']);
    expect(parseAdjust('weekday, occluded=true ,weekday')).toEqual(['weekday', 'occluded=true']);
    expect(parseAdjust('none')).toEqual([]);
    expect(adjustParam([])).toBe('none');
    expect(parseAdjust(adjustParam([]))).toEqual([]);
    expect(adjustParam(['weekday', 'hour'])).toBe('weekday,hour');
  });

  it('toggles an adjustment in place, keeping the order of the choices', () => {
    const order = ['weekday', 'hour', 'occluded'];
    expect(toggleItem(['occluded'], 'weekday', true, order)).toEqual(['weekday', 'occluded']);
    expect(toggleItem(['weekday', 'hour'], 'weekday', false, order)).toEqual(['hour']);
  });
});

describe('series as chart columns', () => {
  const points = [
    point('2001-02-01T00:00:00.000Z', { value: 20, smoothed: 21, alert: true }),
    point('2001-02-02T00:00:00.000Z', { n: 3, labelled: 3, value: null, reason: 'insufficient_data', detail: '3 labelled rows, fewer than min_sample 30' }),
    point('2001-02-03T00:00:00.000Z', { value: 30, labelled: 50 }),
  ];

  it('puts window starts in seconds and leaves missing values null, so they draw as gaps and never as zero', () => {
    expect(windowSeconds(points)).toEqual([980_985_600, 981_072_000, 981_158_400]);
    expect(column(points, 'value')).toEqual([20, null, 30]);
    expect(alertColumn(points)).toEqual([21, null, null]);
  });

  it('lists the gaps with the server’s reason and finds the latest window with a value', () => {
    expect(gaps(points)).toEqual([{ start: '2001-02-02T00:00:00.000Z', reason: 'insufficient_data', detail: '3 labelled rows, fewer than min_sample 30' }]);
    expect(latestWithValue(points)?.value).toBe(30);
    expect(latestWithValue([points[1]!])).toBeNull();
  });

  it('computes label coverage over the whole range from the counts', () => {
    expect(overallCoverage(points)).toBeCloseTo((100 + 3 + 50) / 203, 12);
    expect(overallCoverage([])).toBeNull();
  });
});

describe('formatting', () => {
  it('writes each metric in its unit', () => {
    expect(formatMetric('business_cost_per_1k', 25_371.98)).toBe('$25,372');
    expect(formatMetric('error_rate', 0.5336)).toBe('53.4%');
    expect(formatMetric('predictions', 17_111)).toBe('17,111');
    expect(formatMetric('latency_p95_ms', 23.27)).toBe('23.3 ms');
    expect(formatMetric('error_rate', null)).toBe('—');
  });

  it('writes changes of rates in percentage points and other changes in their unit, with a sign', () => {
    expect(formatMetricChange('error_rate', -0.2886)).toBe('−28.9 pp');
    expect(formatMetricChange('error_rate', 0.0003)).toBe('+0.03 pp');
    expect(formatMetricChange('error_rate', 0)).toBe('0.0 pp');
    expect(formatMetricChange('business_cost_per_1k', 1234.5)).toBe('+$1,235');
    expect(formatMetricChange('business_cost_per_1k', null)).toBe('—');
  });

  it('writes a window start as a date, with the hour for hourly windows', () => {
    expect(formatWindowStart('2001-02-01T05:00:00.000Z', 'hour')).toBe('2001-02-01 05:00');
    expect(formatWindowStart('2001-02-01T00:00:00.000Z', 'day')).toBe('2001-02-01');
  });

  it('ticks day windows at whole days and leaves hours to uPlot', () => {
    const axis = dayAxis('day')!;
    expect(axis.incrs[0]).toBe(86_400);
    expect(axis.format(980_985_600)).toBe('Feb 1');
    expect(dayAxis('week')!.incrs[0]).toBe(604_800);
    expect(dayAxis('hour')).toBeNull();
  });
});

describe('reading /metrics', () => {
  it('reads the estimate and known factors when sent and defaults them to null when not', () => {
    const body = {
      model: 'm',
      metric: 'business_cost_per_1k',
      window: 'day',
      from: '2001-02-01T00:00:00.000Z',
      to: '2001-02-03T00:00:00.000Z',
      min_sample: 30,
      adjustment: { asked: ['weekday', 'occluded'], applied: false, reason: 'too few windows', factors: [{ name: 'occluded', column: 'occluded', kind: 'numeric', coefficient: null }] },
      smoothing: null,
      estimate: { method: 'cbpe', reason: null },
      points: [
        { start: '2001-02-01T00:00:00.000Z', n: 10, labelled: 0, value: null, estimated: 12.5, estimated_lower: 10, estimated_upper: 15, factors: { occluded: 0.2 }, residual: 1.5 },
        { start: '2001-02-02T00:00:00.000Z', n: 10, labelled: 10, value: 11 },
      ],
      notes: ['a note'],
    };
    const series = parseMetricSeries(body, '/metrics', true);
    expect(series.estimate).toEqual({ status: 'sent', method: 'cbpe', reason: null });
    expect(series.points[0]).toMatchObject({ estimated: 12.5, estimated_lower: 10, estimated_upper: 15, factors: { occluded: 0.2 }, residual: 1.5 });
    expect(series.points[1]).toMatchObject({ value: 11, estimated: null, factors: null, residual: null });
    expect(series.adjustment).toEqual({ asked: ['weekday', 'occluded'], applied: false, reason: 'too few windows', factors: [{ name: 'occluded', coefficient: null }] });
    expect(parseMetricSeries({ ...body, estimate: undefined }, '/metrics', true).estimate.status).toBe('unsupported');
    expect(parseMetricSeries(body, '/metrics', false).estimate.status).toBe('not_asked');
    expect(() => parseMetricSeries({ points: 'no' }, '/metrics', false)).toThrow(/points/);
  });

  it('asks for the same query in a fixed order', () => {
    const path = metricsPath('flight delay', { metric: 'error_rate', window: 'day', range: { from: '2001-02-01', to: '2001-02-08' }, smooth: 'kalman', adjust: [] }, { estimate: true, adjust: ['weekday', 'hour'] });
    expect(path).toBe('/v1/models/flight%20delay/metrics?metric=error_rate&window=day&from=2001-02-01T00%3A00%3A00.000Z&to=2001-02-09T00%3A00%3A00.000Z&smooth=kalman&adjust=weekday%2Chour&estimate=cbpe');
  });

  it('recognises a 400 that refuses a parameter, and nothing else', () => {
    expect(refusesParameter(new ApiError(400, 'invalid_input', 'invalid query: (root): Unrecognized key: "estimate"'), 'estimate')).toBe(true);
    expect(refusesParameter(new ApiError(400, 'invalid_input', 'adjust: expected weekday and/or hour, got "occluded"'), 'adjust')).toBe(true);
    expect(refusesParameter(new ApiError(400, 'invalid_input', 'models[flight-delay].cost.false_negative is missing'), 'estimate')).toBe(false);
    expect(refusesParameter(new ApiError(500, 'internal', '"estimate"'), 'estimate')).toBe(false);
  });
});

describe('withEstimate', () => {
  const base = parseMetricSeries(
    { metric: 'error_rate', window: 'day', points: [{ start: 'a', n: 10, labelled: 0, value: null }, { start: 'b', n: 10, labelled: 10, value: 0.2, smoothed: 0.21 }] },
    '/metrics',
    false,
  );
  const estimate = parseMetricSeries(
    { metric: 'error_rate', window: 'day', estimate: { method: 'cbpe' }, points: [{ start: 'a', value: null, estimated: 0.3, estimated_lower: 0.2, estimated_upper: 0.4 }, { start: 'b', value: 0.2, estimate_reason: 'labelled' }] },
    '/metrics',
    true,
  );

  it('lays the estimate of each window onto the series, keeping its smoothing', () => {
    const merged = withEstimate(base, { data: estimate, error: undefined, loading: false });
    expect(merged.estimate).toEqual({ status: 'sent', method: 'cbpe', reason: null });
    expect(merged.points[0]).toMatchObject({ estimated: 0.3, estimated_lower: 0.2, estimated_upper: 0.4 });
    expect(merged.points[1]).toMatchObject({ smoothed: 0.21, estimated: null, estimate_reason: 'labelled' });
  });

  it('says the estimate is pending while it loads and why it is missing when it failed', () => {
    expect(withEstimate(base, { data: undefined, error: undefined, loading: true }).estimate).toEqual({ status: 'pending' });
    expect(withEstimate(base, { data: undefined, error: new Error('boom'), loading: false }).estimate).toEqual({ status: 'unsupported', reason: 'boom' });
  });
});
