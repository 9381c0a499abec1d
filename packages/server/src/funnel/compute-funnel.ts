import { OutlayError } from '@outlay/schema';
import { funnelDecomposition, wilsonInterval, type FunnelDecomposition, type FunnelStageCounts } from '@outlay/stats';
import type { ColumnInfo, Selection, Store, Window } from '@outlay/store';

/** A stage outcome counts as passed when it is true, a number ≥ 1, or one of these words. */
const PASSED_WORDS = ['pass', 'passed', 'ok', 'true', 'yes', 'success'];

export interface FunnelStageWindow {
  readonly stage: string;
  /** Rows that reached the stage (carry an outcome for it). */
  readonly input: number;
  /** Rows that passed it. */
  readonly output: number;
  readonly pass_rate: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
}

export interface FunnelReport {
  readonly model: string;
  readonly window: Window;
  readonly stages: readonly string[];
  readonly windows: readonly { readonly start: string; readonly stages: readonly FunnelStageWindow[]; readonly end_to_end: number | null }[];
  /** The latest window against all earlier ones together: which stage moved the end-to-end rate. */
  readonly latest_change: FunnelDecomposition | null;
}

/**
 * A model's funnel per window: for each stage (the project config's `funnel`, else every stage the model's
 * rows carry, in the order they first appeared) the rows that reached it and passed it, the pass rate with a
 * Wilson interval, the end-to-end rate, and the latest window's change split between the stages.
 */
export async function computeFunnel(store: Store, selection: Selection & { window: Window; stages?: readonly string[] }): Promise<FunnelReport> {
  const columns = await store.modelColumns(selection.project, selection.model);
  const carried = new Map<string, ColumnInfo[]>();
  for (const c of columns) if (c.source === 'stage') carried.set(c.name, [...(carried.get(c.name) ?? []), c]);
  const configured = (await store.getConfig(selection.project))?.funnel.map((s) => s.name) ?? [];
  const stages = selection.stages ?? (configured.length > 0 ? configured : [...carried.keys()]);
  if (stages.length === 0) throw new OutlayError('invalid_input', `model "${selection.model}" carries no stage outcomes (a prediction's \`stage\` map) and the project config declares no funnel`);
  const missing = stages.filter((s) => !carried.has(s));
  if (missing.length > 0) throw new OutlayError('invalid_input', `stages: model "${selection.model}" has no outcomes for ${missing.join(', ')}; it carries: ${[...carried.keys()].join(', ') || 'none'}`);

  const counts = new Map<string, Map<string, { input: number; output: number }>>();
  const add = (start: string, stage: string, input: number, output: number) => {
    const byStage = counts.get(start) ?? new Map<string, { input: number; output: number }>();
    const c = byStage.get(stage) ?? { input: 0, output: 0 };
    byStage.set(stage, { input: c.input + input, output: c.output + output });
    counts.set(start, byStage);
  };
  for (const stage of stages) {
    for (const info of carried.get(stage)!) {
      const column = { source: 'stage' as const, name: stage, type: info.type };
      const base = { ...selection, window: selection.window };
      const reached = await store.aggregate({ ...base, measures: [{ op: 'count_non_null', column }] });
      // Booleans and numbers: passed when ≥ 1 (true is 1); words: passed when one of PASSED_WORDS.
      const passed = await store.aggregate({
        ...base,
        where: [...(selection.where ?? []), info.type === 'string' ? { column, op: 'in', value: PASSED_WORDS } : { column, op: '>=', value: 1 }],
        measures: [{ op: 'count' }],
      });
      const passedBy = new Map(passed.map((r) => [r.window!, r.values[0] ?? 0]));
      for (const r of reached) add(r.window!, stage, r.values[0] ?? 0, passedBy.get(r.window!) ?? 0);
    }
  }
  const starts = [...counts.keys()].sort();
  const windows = starts.map((start) => {
    const byStage = counts.get(start)!;
    const row = stages.map((stage): FunnelStageWindow => {
      const { input, output } = byStage.get(stage) ?? { input: 0, output: 0 };
      if (input === 0) return { stage, input, output, pass_rate: null, lower: null, upper: null };
      const w = wilsonInterval(output, input);
      return { stage, input, output, pass_rate: output / input, lower: w.lower, upper: w.upper };
    });
    return { start, stages: row, end_to_end: row[0]!.input > 0 ? row[row.length - 1]!.output / row[0]!.input : null };
  });
  let latestChange: FunnelDecomposition | null = null;
  if (windows.length >= 2) {
    const toCounts = (rows: readonly (typeof windows)[number][]): FunnelStageCounts[] =>
      stages.map((stage, i) => ({ stage, input: rows.reduce((n, w) => n + w.stages[i]!.input, 0), output: rows.reduce((n, w) => n + w.stages[i]!.output, 0) }));
    latestChange = funnelDecomposition(toCounts(windows.slice(0, -1)), toCounts(windows.slice(-1)));
  }
  return { model: selection.model, window: selection.window, stages, windows, latest_change: latestChange };
}
