import { describe, expect, it } from 'vitest';
import type { Flight, FlightEncoding } from './encode-flight.js';
import { encodeFlight, flightFeatureCount, flightFeatureNames } from './encode-flight.js';

const encoding: FlightEncoding = { origins: ['ORD', 'ATL'], destinations: ['LAX'], logDistanceMean: Math.log(500), logDistanceSd: 2 };
const flight: Flight = {
  row: 1,
  departureMs: 0,
  hour: 17,
  weekday: 5,
  distanceMiles: 500 * Math.E ** 2,
  origin: 'ATL',
  destination: 'SEA',
  delayMinutes: 0,
};

function active(out: Float64Array): Record<string, number> {
  const names = flightFeatureNames(encoding);
  return Object.fromEntries(names.flatMap((name, j) => (out[j] === 0 ? [] : [[name, out[j]!]])));
}

describe('encodeFlight', () => {
  it('sets the hour, weekday and known-airport columns and standardises ln(distance)', () => {
    const out = encodeFlight(encoding, flight, new Float64Array(flightFeatureCount(encoding)));
    expect(flightFeatureCount(encoding)).toBe(18 + 6 + 1 + 2 + 1);
    // ln(500·e²) − ln 500 = 2, divided by sd 2 → 1.
    expect(active(out)).toEqual({ 'hour=17': 1, 'weekday=Fri': 1, log_distance_z: 1, 'origin=ATL': 1 });
  });

  it('leaves reference levels all zero: night hours, Monday and airports outside the vocabulary', () => {
    const out = encodeFlight(encoding, { ...flight, hour: 3, weekday: 1, origin: 'XYZ', distanceMiles: 500 }, new Float64Array(28).fill(7));
    expect(active(out)).toEqual({});
  });
});
