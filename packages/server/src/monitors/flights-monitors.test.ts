// The check on real data: the demo's delay model scoring real US flights (vega-datasets, February and
// March 2001, one flight in eight), replayed day by day into a store while the demo's own monitor — business
// cost of errors per 1,000 flights, weekday-adjusted, EWMA control limits over 28 days — judges each new day.
// The weekly pattern of real delays must not fire it, nor the same monitor on the busiest airport; a degradation
// injected in that airport must fire the airport's monitor.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { demoProjectConfig, flightsParquetPath, loadDemo } from '@outlay/demo';
import { Monitor, type Label, type Prediction } from '@outlay/schema';
import { openDuckDbStore, type Store, type StoredPrediction } from '@outlay/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateMonitor } from './evaluate-monitor.js';

const DAY = 86_400_000;
const project = 'demo';
const model = 'flight-delay';
const firstDay = Date.UTC(2001, 1, 1);
const days = 59; // 1 February … 31 March 2001
const injectedDays = 5; // the last five days carry the injected degradation
const timeoutMs = 180_000;

const dir = mkdtempSync(join(tmpdir(), 'outlay-flights-monitors-'));
let source: Store;
let replay: Store;
let busiest: string;
let quietest: string;
const config = demoProjectConfig(model);
const demoMonitor = config.monitors[0]!;
const airportMonitor = (origin: string) => Monitor.parse({ ...demoMonitor, id: `cost-${origin}`, name: `cost at ${origin}`, slice: { column: 'origin', value: origin }, min_sample: 50 });

/** One flight in eight of the flights file, written to a Parquet file of the same shape. */
async function sampledFlights(): Promise<string> {
  const path = join(dir, 'flights-1-in-8.parquet');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run(
    `COPY (SELECT * EXCLUDE (file_row_number) FROM read_parquet('${flightsParquetPath()}', file_row_number = true) WHERE file_row_number % 8 = 0)
     TO '${path}' (FORMAT parquet)`,
  );
  connection.closeSync();
  instance.closeSync();
  return path;
}

async function dayOf(day: number): Promise<StoredPrediction[]> {
  const rows: StoredPrediction[] = [];
  for await (const batch of source.scanPredictions({ project, model, from: firstDay + day * DAY, to: firstDay + (day + 1) * DAY })) rows.push(...batch);
  return rows;
}

async function replayDay(rows: StoredPrediction[], degrade: (row: StoredPrediction) => boolean = () => false): Promise<void> {
  const predictions: Prediction[] = [];
  const labels: Label[] = [];
  for (const { label, ...row } of rows) {
    const wrong = label !== undefined && degrade({ ...row, label });
    // The injected fault: the model answers the opposite of what happened for this airport's flights.
    predictions.push(wrong ? { ...row, prediction: 1 - Number(label.label), score: 1 - Number(label.label) } : row);
    if (label) labels.push({ id: row.id, ...label });
  }
  await replay.insertPredictions(project, predictions);
  await replay.insertLabels(project, labels);
}

const judge = async (monitor: Monitor) => evaluateMonitor(replay, project, monitor, config);

type Judged = { day: string; status: string; reason: string | null };
const normalDays: { all: Judged[]; busiest: Judged[] } = { all: [], busiest: [] };

beforeAll(async () => {
  source = await openDuckDbStore(join(dir, 'source.duckdb'));
  await source.migrate();
  const parquetPath = await sampledFlights();
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const rows = Number((await connection.runAndReadAll(
    `SELECT count(*) FROM read_parquet('${parquetPath}') WHERE date >= TIMESTAMP '2001-02-01' AND date < TIMESTAMP '2001-04-01'`,
  )).getRowsJS()[0]![0]);
  connection.closeSync();
  instance.closeSync();
  await loadDemo(source, { project, model, parquetPath, maxRows: rows, costLedger: false });

  replay = await openDuckDbStore(join(dir, 'replay.duckdb'));
  await replay.migrate();
  await replay.putConfig(project, config);
  const origins = await source.aggregate({ project, model, groupBy: [{ source: 'segment', name: 'origin' }], measures: [{ op: 'count' }], limit: 40 });
  busiest = origins[0]!.group[0] as string;
  quietest = origins[39]!.group[0] as string;
  for (let day = 0; day < days - injectedDays; day++) {
    await replayDay(await dayOf(day));
    if (day < 28) continue;
    const date = new Date(firstDay + day * DAY).toISOString().slice(0, 10);
    for (const [list, monitor] of [[normalDays.all, demoMonitor], [normalDays.busiest, airportMonitor(busiest)]] as const) {
      const check = await judge(monitor);
      list.push({ day: date, status: check.status, reason: check.reason });
    }
  }
}, timeoutMs);

afterAll(async () => {
  await source?.close();
  await replay?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the demo monitor on real flights', () => {
  it('judges every normal day of March and fires on none, for all airports or the busiest: the weekly pattern is adjusted away', () => {
    for (const judged of [normalDays.all, normalDays.busiest]) {
      expect(judged).toHaveLength(days - injectedDays - 28);
      const breaches = judged.filter((s) => s.status !== 'ok');
      expect(breaches, JSON.stringify(breaches)).toEqual([]);
    }
  });

  // The busiest airport (about 3.5% of flights) goes from about a quarter of its flights predicted wrong to all of
  // them. Its own monitor fires within days (its EWMA gathers a rise larger than its daily noise). The all-airport
  // monitor is not asked to: the rise is 3.5% of the traffic's cost, within its day-to-day noise, and it must not
  // false-alarm on it either; what finds such a fault is a monitor on the slice, or the incident's root-cause search.
  it('fires the busiest airport\'s monitor once its predictions go wrong, and leaves a quiet airport alone', { timeout: timeoutMs }, async () => {
    const atBusiest: string[] = [];
    for (let day = days - injectedDays; day < days; day++) {
      await replayDay(await dayOf(day), (row) => row.segments?.origin === busiest);
      atBusiest.push((await judge(airportMonitor(busiest))).status);
    }
    expect(atBusiest, atBusiest.join(', ')).toContain('breach');
    expect((await judge(airportMonitor(quietest))).status).not.toBe('breach');
    expect((await judge(demoMonitor)).status).not.toBe('breach');
  });
});
