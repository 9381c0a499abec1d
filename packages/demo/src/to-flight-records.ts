import type { Label, Prediction } from '@outlay/schema';
import type { Flight } from './encode-flight.js';
import { simulatedLatencyMs } from './simulated-latency-ms.js';

/** A flight is "delayed" (class 1) when it leaves more than 15 minutes late: the US DOT on-time definition. */
export const delayedAfterMinutes = 15;

const weekdayNames = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const dayMs = 86_400_000;

/** short < 500 mi ≤ medium < 1,500 mi ≤ long: regional, domestic trunk and transcontinental routes. */
export function distanceBand(distanceMiles: number): 'short' | 'medium' | 'long' {
  if (distanceMiles < 500) return 'short';
  return distanceMiles < 1500 ? 'medium' : 'long';
}

export interface FlightScoring {
  model: string;
  modelVersion: string;
  threshold: number;
}

/**
 * The prediction the delay model would have logged when the flight was scheduled, and the label that
 * arrives a day later (the delay is known at departure; a day models a realistic label lag).
 * Weekday is sent as a name so that it is a categorical feature, not a number to take the mean of.
 */
export function toFlightRecords(flight: Flight, score: number, scoring: FlightScoring): { prediction: Prediction; label: Label } {
  const id = `flight-${flight.row}`;
  const prediction: Prediction = {
    id,
    model: scoring.model,
    model_version: scoring.modelVersion,
    timestamp: new Date(flight.departureMs).toISOString(),
    features: {
      hour: flight.hour,
      weekday: weekdayNames[flight.weekday] ?? String(flight.weekday),
      distance: flight.distanceMiles,
      origin: flight.origin,
      destination: flight.destination,
    },
    prediction: score >= scoring.threshold ? 1 : 0,
    score,
    segments: { origin: flight.origin, distance_band: distanceBand(flight.distanceMiles) },
    latency_ms: simulatedLatencyMs(flight.row, flight.hour),
    customer: flight.origin,
  };
  const label: Label = {
    id,
    label: flight.delayMinutes > delayedAfterMinutes ? 1 : 0,
    timestamp: new Date(flight.departureMs + dayMs).toISOString(),
    source: 'ground_truth',
  };
  return { prediction, label };
}
