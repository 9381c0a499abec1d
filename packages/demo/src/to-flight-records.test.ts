import { Label, Prediction } from '@outlay/schema';
import { describe, expect, it } from 'vitest';
import type { Flight } from './encode-flight.js';
import { distanceBand, toFlightRecords } from './to-flight-records.js';

const flight: Flight = {
  row: 508_239,
  departureMs: Date.parse('2001-02-01T00:05:00Z'),
  hour: 0,
  weekday: 4,
  distanceMiles: 1_235,
  origin: 'ORD',
  destination: 'LAX',
  delayMinutes: 16,
};
const scoring = { model: 'flight-delay', modelVersion: 'v1-jan', threshold: 0.2 };

describe('toFlightRecords', () => {
  it('makes a valid prediction and a label that arrives a day after departure', () => {
    const { prediction, label } = toFlightRecords(flight, 0.25, scoring);
    expect(Prediction.parse(prediction)).toEqual(prediction);
    expect(Label.parse(label)).toEqual(label);
    expect(prediction).toMatchObject({
      id: 'flight-508239',
      model_version: 'v1-jan',
      timestamp: '2001-02-01T00:05:00.000Z',
      features: { hour: 0, weekday: 'Thu', distance: 1_235, origin: 'ORD', destination: 'LAX' },
      prediction: 1,
      score: 0.25,
      segments: { origin: 'ORD', distance_band: 'medium' },
      customer: 'ORD',
    });
    expect(label).toEqual({ id: 'flight-508239', label: 1, timestamp: '2001-02-02T00:05:00.000Z', source: 'ground_truth' });
  });

  it('counts a delay of exactly 15 minutes as on time and a score below the threshold as 0', () => {
    const { prediction, label } = toFlightRecords({ ...flight, delayMinutes: 15 }, 0.19, scoring);
    expect(label.label).toBe(0);
    expect(prediction.prediction).toBe(0);
  });
});

describe('distanceBand', () => {
  it('cuts at 500 and 1,500 miles', () => {
    expect([499, 500, 1_499, 1_500].map(distanceBand)).toEqual(['short', 'medium', 'medium', 'long']);
  });
});
