/** One row of flights-3m.parquet, as the loader reads it (times are the file's clock, read as UTC). */
export interface Flight {
  /** 0-based row of the Parquet file; the file is in departure order, so this is a stable id. */
  row: number;
  departureMs: number;
  /** 0–23. */
  hour: number;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
  distanceMiles: number;
  origin: string;
  destination: string;
  delayMinutes: number;
}

/** What encodeFlight needs from training: the airports with their own column and how to scale distance. */
export interface FlightEncoding {
  /** Most frequent January origins; any other airport is the reference "other" (all its columns zero). */
  origins: string[];
  destinations: string[];
  logDistanceMean: number;
  logDistanceSd: number;
}

/** Hours 0–5 share the reference level: about 0.6% of flights, too few for a coefficient each. */
const firstHourWithColumn = 6;
const hourColumns = 24 - firstHourWithColumn;
/** Monday is the reference level. */
const weekdayColumns = 6;

export function flightFeatureCount(encoding: FlightEncoding): number {
  return hourColumns + weekdayColumns + 1 + encoding.origins.length + encoding.destinations.length;
}

/** Names of the columns encodeFlight writes, in order (for reading the fitted weights). */
export function flightFeatureNames(encoding: FlightEncoding): string[] {
  const names: string[] = [];
  for (let h = firstHourWithColumn; h < 24; h++) names.push(`hour=${h}`);
  for (const day of ['Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']) names.push(`weekday=${day}`);
  names.push('log_distance_z');
  for (const airport of encoding.origins) names.push(`origin=${airport}`);
  for (const airport of encoding.destinations) names.push(`destination=${airport}`);
  return names;
}

/**
 * Writes a flight's model inputs into `out` (length flightFeatureCount): one-hot hour of day, one-hot
 * weekday, standardised ln(distance), one-hot origin and destination among the top airports.
 *
 * One-hot with an "other" bucket rather than target encoding: the weights stay readable ("leaving ORD
 * adds 0.3 to the log-odds"), no January label leaks into a feature, and an airport the model never saw
 * lands in "other" the way a production model meets a new category.
 */
export function encodeFlight(encoding: FlightEncoding, flight: Flight, out: Float64Array): Float64Array {
  out.fill(0);
  if (flight.hour >= firstHourWithColumn) out[flight.hour - firstHourWithColumn] = 1;
  if (flight.weekday >= 2) out[hourColumns + flight.weekday - 2] = 1;
  const distanceColumn = hourColumns + weekdayColumns;
  out[distanceColumn] = (Math.log(flight.distanceMiles) - encoding.logDistanceMean) / encoding.logDistanceSd;
  const origin = encoding.origins.indexOf(flight.origin);
  if (origin >= 0) out[distanceColumn + 1 + origin] = 1;
  const destination = encoding.destinations.indexOf(flight.destination);
  if (destination >= 0) out[distanceColumn + 1 + encoding.origins.length + destination] = 1;
  return out;
}
