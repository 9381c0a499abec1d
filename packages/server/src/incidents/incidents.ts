import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { computeDiagnosis, type Diagnosis } from '@outlay/analysis';
import { OutlayError, type ProjectConfig } from '@outlay/schema';
import type { FailureType } from '@outlay/stats';
import type { Selection, Store } from '@outlay/store';
import { exportWindow } from './export-window.js';

export interface IncidentWindow {
  readonly from: string;
  readonly to: string;
}

export type IncidentTrigger = { readonly kind: 'manual' } | { readonly kind: 'monitor'; readonly monitor_id: string; readonly detail?: unknown };

/** A degradation under investigation: what was compared, what the detectors and the root-cause search found. */
export interface Incident {
  readonly id: string;
  readonly project: string;
  readonly model: string;
  readonly opened_at: string;
  readonly trigger: IncidentTrigger;
  readonly reference: IncidentWindow;
  readonly current: IncidentWindow;
  readonly rows: { readonly reference: number; readonly current: number; readonly sampled: boolean };
  /** Null when the windows hold no labelled predictions to diagnose (`reason` says so). */
  readonly diagnosis: Pick<Diagnosis, 'task' | 'failure_types' | 'root_causes' | 'mix_share' | 'root_cause_search'> & {
    readonly performance: Diagnosis['detectors']['performance'];
    readonly data_quality: Diagnosis['detectors']['data_quality'];
  } | null;
  readonly reason: string | null;
  /** Failing rows of the current window: the worst (by log loss with a score, else by error) and a random few. */
  readonly sample_rows: { readonly worst: readonly Record<string, unknown>[]; readonly random: readonly Record<string, unknown>[] };
  readonly confirmed: { readonly type: FailureType | null; readonly cause: Readonly<Record<string, string>> | null; readonly note: string | null; readonly at: string } | null;
}

export interface OpenIncidentOptions {
  readonly project: string;
  readonly model: string;
  readonly reference: IncidentWindow;
  readonly current: IncidentWindow;
  readonly trigger?: IncidentTrigger;
  /** Rows per window the diagnosis reads (a deterministic sample above it). */
  readonly maxRows?: number;
}

export const DEFAULT_INCIDENT_ROWS = 200_000;
const SAMPLE_ROWS_SHOWN = 10;

const key = (project: string, id: string) => `incident:${project}:${id}`;
const indexKey = (project: string) => `incidents:${project}`;
const sqlString = (text: string): string => `'${text.replaceAll("'", "''")}'`;

const shared = new WeakMap<Store, Incidents>();

/** The one Incidents of a store (its per-project write chains must be shared by routes and the scheduler). */
export function incidentsOf(store: Store): Incidents {
  let incidents = shared.get(store);
  if (!incidents) shared.set(store, (incidents = new Incidents(store)));
  return incidents;
}

const WINDOW_MS = { hour: 3_600_000, day: 86_400_000, week: 604_800_000 } as const;
// A fired monitor's incident compares its window with this many windows before it.
const REFERENCE_WINDOWS = 7;

/** The windows an incident opened by a monitor compares: the breached window, and the seven before it. */
export function monitorWindows(windowStart: string, window: keyof typeof WINDOW_MS): { reference: IncidentWindow; current: IncidentWindow } {
  const start = Date.parse(windowStart);
  const width = WINDOW_MS[window];
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    reference: { from: iso(start - REFERENCE_WINDOWS * width), to: iso(start) },
    current: { from: iso(start), to: iso(start + width) },
  };
}

/**
 * Incidents kept in the store's key-value meta (both adapters have it): one JSON document per incident and an
 * index per project. Writes of one project go one at a time so the index never loses an id.
 */
export class Incidents {
  private readonly chains = new Map<string, Promise<unknown>>();

  constructor(private readonly store: Store) {}

  private serial<T>(project: string, work: () => Promise<T>): Promise<T> {
    const previous = this.chains.get(project) ?? Promise.resolve();
    const next = previous.then(work, work);
    this.chains.set(project, next.catch(() => undefined));
    return next;
  }

  async list(project: string): Promise<Incident[]> {
    const ids = JSON.parse((await this.store.getMeta(indexKey(project))) ?? '[]') as string[];
    const incidents: Incident[] = [];
    for (const id of ids) {
      const incident = await this.get(project, id);
      if (incident) incidents.push(incident);
    }
    return incidents.reverse();
  }

  async get(project: string, id: string): Promise<Incident | null> {
    const text = await this.store.getMeta(key(project, id));
    return text === null ? null : (JSON.parse(text) as Incident);
  }

  /**
   * Prior weight per dimension (DESIGN.md: priors from the config and from past incidents): the project
   * config's `priors` (1 where it says nothing) times 1 + the confirmed incidents whose cause fixed it.
   */
  async priors(project: string): Promise<Record<string, number>> {
    const confirmed: Record<string, number> = {};
    for (const incident of await this.list(project)) {
      for (const dimension of Object.keys(incident.confirmed?.cause ?? {})) confirmed[dimension] = (confirmed[dimension] ?? 0) + 1;
    }
    const configured = (await this.store.getConfig(project))?.priors ?? {};
    const priors: Record<string, number> = {};
    for (const dimension of new Set([...Object.keys(configured), ...Object.keys(confirmed)])) {
      priors[dimension] = (configured[dimension] ?? 1) * (1 + (confirmed[dimension] ?? 0));
    }
    return priors;
  }

  /** Runs the diagnosis on the two windows (exported to Parquet, diagnosed in DuckDB) and records the incident. */
  async open(options: OpenIncidentOptions): Promise<Incident> {
    const maxRows = options.maxRows ?? DEFAULT_INCIDENT_ROWS;
    const dir = mkdtempSync(join(tmpdir(), 'outlay-incident-'));
    try {
      const window = (w: IncidentWindow): Selection => ({ project: options.project, model: options.model, from: w.from, to: w.to, labelled: 'only' });
      let diagnosis: Incident['diagnosis'] = null;
      let reason: string | null = null;
      let rows = { reference: 0, current: 0, sampled: false };
      let sampleRows: Incident['sample_rows'] = { worst: [], random: [] };
      try {
        const reference = await exportWindow(this.store, window(options.reference), join(dir, 'reference.parquet'), { maxRows });
        const current = await exportWindow(this.store, window(options.current), join(dir, 'current.parquet'), { maxRows });
        rows = { reference: reference.rows, current: current.rows, sampled: reference.total > reference.rows || current.total > current.rows };
        const d = await computeDiagnosis({
          reference: reference.path,
          current: current.path,
          target: 'label',
          prediction: 'prediction',
          ...(reference.columns.score && current.columns.score ? { score: 'score' } : {}),
          id: 'id',
          // When a row arrived and how fast it was served are not model inputs: the windows differ in time by design.
          exclude: ['timestamp_ms', 'latency_ms'],
          priors: await this.priors(options.project),
        });
        diagnosis = {
          task: d.task,
          failure_types: d.failure_types,
          root_causes: d.root_causes,
          mix_share: d.mix_share,
          root_cause_search: d.root_cause_search,
          performance: d.detectors.performance,
          data_quality: d.detectors.data_quality,
        };
        const cost = (await this.store.getConfig(options.project))?.models.find((m) => m.name === options.model)?.cost;
        sampleRows = await failingRows(current.path, d.task, current.columns.score !== null, cost);
      } catch (error) {
        if (!(error instanceof OutlayError) || error.code !== 'invalid_input') throw error;
        reason = `not diagnosed: ${error.message}`;
      }
      const incident: Incident = {
        id: randomUUID(),
        project: options.project,
        model: options.model,
        opened_at: new Date().toISOString(),
        trigger: options.trigger ?? { kind: 'manual' },
        reference: options.reference,
        current: options.current,
        rows,
        diagnosis,
        reason,
        sample_rows: sampleRows,
        confirmed: null,
      };
      await this.serial(options.project, async () => {
        await this.store.setMeta(key(options.project, incident.id), JSON.stringify(incident));
        const ids = JSON.parse((await this.store.getMeta(indexKey(options.project))) ?? '[]') as string[];
        await this.store.setMeta(indexKey(options.project), JSON.stringify([...ids, incident.id]));
      });
      return incident;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** Records the cause a person confirmed; it raises the prior of its dimensions in later incidents. */
  async confirm(project: string, id: string, confirmed: { type?: FailureType | null; cause?: Record<string, string> | null; note?: string | null }): Promise<Incident> {
    return this.serial(project, async () => {
      const incident = await this.get(project, id);
      if (!incident) throw new OutlayError('not_found', `no incident "${id}" in project "${project}"`);
      const updated: Incident = { ...incident, confirmed: { type: confirmed.type ?? null, cause: confirmed.cause ?? null, note: confirmed.note ?? null, at: new Date().toISOString() } };
      await this.store.setMeta(key(project, id), JSON.stringify(updated));
      return updated;
    });
  }

  /**
   * Writes a window of the incident to a file for download: the current (or reference) window, narrowed to the
   * incident's first root cause when its values can be read back as filters (a category, or a `[a, b)` bin).
   */
  async export(incident: Incident, options: { window: 'current' | 'reference'; format: 'parquet' | 'csv'; slice: boolean; path: string; maxRows?: number }): Promise<{ rows: number; slice: Readonly<Record<string, string>> | null }> {
    const w = options.window === 'current' ? incident.current : incident.reference;
    const dir = mkdtempSync(join(tmpdir(), 'outlay-export-'));
    try {
      const raw = join(dir, 'window.parquet');
      await exportWindow(this.store, { project: incident.project, model: incident.model, from: w.from, to: w.to }, raw, { maxRows: options.maxRows ?? DEFAULT_INCIDENT_ROWS });
      const slice = options.slice ? (incident.diagnosis?.root_causes[0] ?? null) : null;
      const where = slice ? sliceFilter(slice) : null;
      const instance = await DuckDBInstance.create(':memory:');
      const connection = await instance.connect();
      try {
        const select = `SELECT * FROM read_parquet(${sqlString(raw)})${where ? ` WHERE ${where}` : ''}`;
        await connection.run(`COPY (${select}) TO ${sqlString(options.path)} (FORMAT ${options.format === 'csv' ? 'csv, HEADER' : 'parquet'})`);
        const [[n]] = (await connection.runAndReadAll(`SELECT count(*)::DOUBLE FROM (${select})`)).getRowsJS() as [[number]];
        return { rows: n, slice: where ? slice : null };
      } finally {
        connection.closeSync();
        instance.closeSync();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/** SQL filter for a root-cause slice, or null when a value cannot be read back (`below range`, `(missing)`). */
export function sliceFilter(slice: Readonly<Record<string, string>>): string | null {
  const parts: string[] = [];
  for (const [column, value] of Object.entries(slice)) {
    const name = `"${column.replaceAll('"', '""')}"`;
    const bin = /^\[(-?[\d.e+-]+), (-?[\d.e+-]+)([)\]])$/.exec(value);
    if (bin) {
      parts.push(`TRY_CAST(${name} AS DOUBLE) >= ${Number(bin[1])} AND TRY_CAST(${name} AS DOUBLE) ${bin[3] === ')' ? '<' : '<='} ${Number(bin[2])}`);
    } else if (value === 'below range' || value === 'above range' || value === '(missing)') {
      return null;
    } else {
      parts.push(`${name}::VARCHAR = ${sqlString(value)}`);
    }
  }
  return parts.length === 0 ? null : parts.join(' AND ');
}

/**
 * The worst failing rows of a window file and a seeded random few of them, as plain objects. Worst by business
 * cost when the model's cost matrix prices its errors (a false negative plus its amount feature, a false
 * positive; a regressor's under- and over-prediction per unit), else by log loss (with a score) or error.
 */
async function failingRows(path: string, task: Diagnosis['task'], hasScore: boolean, cost?: ProjectConfig['models'][number]['cost']): Promise<Incident['sample_rows']> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const failing = task === 'regression'
      ? 'TRUE'
      : `coalesce(TRY_CAST(label AS DOUBLE) <> TRY_CAST(prediction AS DOUBLE), label::VARCHAR <> prediction::VARCHAR)`;
    const y = 'TRY_CAST(label AS DOUBLE)';
    const p = 'TRY_CAST(prediction AS DOUBLE)';
    const amount = cost?.amount_feature ? ` + coalesce(TRY_CAST("${cost.amount_feature.replaceAll('"', '""')}" AS DOUBLE), 0)` : '';
    const priced = task === 'regression'
      ? cost?.under_prediction_per_unit !== undefined && cost.over_prediction_per_unit !== undefined
        ? `CASE WHEN ${y} > ${p} THEN ${cost.under_prediction_per_unit} * (${y} - ${p}) ELSE ${cost.over_prediction_per_unit} * (${p} - ${y}) END`
        : null
      : cost?.false_negative !== undefined && cost.false_positive !== undefined
        ? `CASE WHEN ${y} = 1 AND ${p} = 0 THEN ${cost.false_negative}${amount} WHEN ${y} = 0 AND ${p} = 1 THEN ${cost.false_positive} ELSE 0 END`
        : null;
    const badness = priced ?? (task === 'regression'
      ? 'abs(TRY_CAST(prediction AS DOUBLE) - TRY_CAST(label AS DOUBLE))'
      : hasScore
        ? '-(TRY_CAST(label AS DOUBLE) * ln(greatest(score, 1e-15)) + (1 - TRY_CAST(label AS DOUBLE)) * ln(greatest(1 - score, 1e-15)))'
        : '1');
    const from = `read_parquet(${sqlString(path)}) WHERE ${failing}`;
    const read = async (sql: string) => {
      const reader = await connection.runAndReadAll(sql);
      const names = reader.columnNames();
      return reader.getRowsJS().map((row) => Object.fromEntries(names.map((n, j) => [n, typeof row[j] === 'bigint' ? Number(row[j]) : row[j]])));
    };
    return {
      worst: await read(`SELECT * FROM ${from} ORDER BY ${badness} DESC NULLS LAST, id LIMIT ${SAMPLE_ROWS_SHOWN}`),
      random: await read(`SELECT * FROM ${from} ORDER BY hash(id) LIMIT ${SAMPLE_ROWS_SHOWN}`),
    };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
