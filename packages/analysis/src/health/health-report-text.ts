import type { HealthReport } from './compute-health-report.js';

const fmt = (x: number | null, width: number): string => (x === null ? '—' : x.toFixed(2)).padStart(width);

/** The human-readable form of `outlay health`: one line per window, then alerts and mix vs rate. */
export function healthReportText(report: HealthReport): string {
  const s = report.smoothing;
  const lines = [
    `${report.input}: ${report.windows.length} ${report.window} windows, business cost per 1,000 labelled predictions (${report.task})`,
    `adjustment: ${report.adjustment.applied ? 'applied' : 'not applied'}: ${report.adjustment.reason}`,
    s.status === 'ok'
      ? `smoothing: ${s.method} on the ${s.series} series; reference = ${s.reference_source === 'first-half' ? 'first half' : '--reference-windows'} (${s.reference_windows} windows), target ${fmt(s.target, 0)}, σ per row ${fmt(s.sigma_per_row, 0)}`
      : `smoothing: ${s.reason}`,
    '',
    `${'start'.padEnd(20)} ${'n'.padStart(9)} ${'labelled'.padStart(9)} ${'cost/1k'.padStart(10)} ${'adjusted'.padStart(10)} ${'smoothed'.padStart(10)} ${'lower'.padStart(10)} ${'upper'.padStart(10)}  alert`,
  ];
  for (const w of report.windows) {
    lines.push(
      `${w.start.padEnd(20)} ${String(w.n).padStart(9)} ${String(w.labelled).padStart(9)} ${fmt(w.business_cost_per_1k, 10)} ${fmt(w.adjusted, 10)} ${fmt(w.smoothed, 10)} ${fmt(w.lower, 10)} ${fmt(w.upper, 10)}  ${w.alert ? 'ALERT' : w.status === 'insufficient_data' ? 'no labels' : ''}`.trimEnd(),
    );
  }
  lines.push('', report.alerts.length === 0 ? 'alerts: none' : `alerts (${report.alerts.length}):`);
  for (const a of report.alerts) lines.push(`  ${a.start}: ${a.reason}`);
  for (const [dimension, m] of Object.entries(report.mix_vs_rate)) {
    if (m.status !== 'ok') {
      lines.push('', `mix vs rate by ${dimension}: ${m.reason}`);
      continue;
    }
    lines.push(
      '',
      `mix vs rate by ${dimension} (first ${m.baseline.windows} vs last ${m.current.windows} windows): ${fmt(m.baselineRate, 0)} → ${fmt(m.currentRate, 0)}, change ${fmt(m.change, 0)} = mix ${fmt(m.mix, 0)} + rate ${fmt(m.rate, 0)} (Kitagawa)`,
      `  ${'segment'.padEnd(16)} ${'share'.padStart(15)} ${'cost/1k'.padStart(19)} ${'mix'.padStart(9)} ${'rate'.padStart(9)}`,
    );
    for (const c of m.segments) {
      const share = `${(100 * c.baselineShare).toFixed(1)}→${(100 * c.currentShare).toFixed(1)}%`;
      const rate = `${c.baselineRate.toFixed(1)}→${c.currentRate.toFixed(1)}`;
      lines.push(`  ${c.segment.padEnd(16)} ${share.padStart(15)} ${rate.padStart(19)} ${fmt(c.mix, 9)} ${fmt(c.rate, 9)}`);
    }
  }
  const e = report.estimation;
  if (e !== undefined) {
    lines.push('', e.status === 'ok' ? `estimates (CBPE, ${100 * e.confidence} % band) for windows with label coverage < ${e.min_label_coverage}:` : `estimates: ${e.reason}`);
    if (e.status === 'ok') {
      lines.push(`  ${'start'.padEnd(20)} ${'coverage'.padStart(9)} ${'est. cost/1k'.padStart(13)} ${'lower'.padStart(10)} ${'upper'.padStart(10)}  status`);
      for (const w of report.windows) {
        if (w.estimate_status === undefined || w.estimate_status === 'not_needed') continue;
        lines.push(
          `  ${w.start.padEnd(20)} ${w.label_coverage.toFixed(3).padStart(9)} ${fmt(w.estimated_business_cost_per_1k ?? null, 13)} ${fmt(w.estimate_lower ?? null, 10)} ${fmt(w.estimate_upper ?? null, 10)}  ${w.estimate_status === 'ok' ? '' : (w.estimate_reason ?? '')}`.trimEnd(),
        );
      }
    }
  }
  const a = report.annotation;
  if (a !== undefined) {
    const t = a.latest_batch_worse;
    lines.push(
      '',
      `annotated batches (--label-source ${a.source_column}): ${a.batches.length}`,
      t.insufficient_data
        ? `  latest batch worse: insufficient data: ${t.reason}`
        : `  latest batch (${t.latest!.start}, n ${t.latest!.n}) ${t.metric} ${t.latest!.value.toFixed(4)} vs earlier (n ${t.earlier!.n}) ${t.earlier!.value.toFixed(4)}: p = ${t.p_value!.toPrecision(3)} (${t.method}, one-sided)${t.worse ? ' WORSE' : ''}`,
    );
    const adj = a.latest_batch_worse_adjusted;
    if (adj !== undefined) {
      lines.push(
        adj.insufficient_data
          ? `  within ${adj.by.join(', ')}: insufficient data: ${adj.reason}`
          : `  within ${adj.by.join(', ')} (${adj.strata_used} strata, Cochran–Mantel–Haenszel): common odds ratio ${adj.common_odds_ratio === null ? '—' : adj.common_odds_ratio.toFixed(3)}, p = ${adj.p_value!.toPrecision(3)}${adj.worse ? ' WORSE' : ''}`,
      );
    }
  }
  if (report.notes.length > 0) lines.push('', ...report.notes.map((n) => `note: ${n}`));
  return lines.join('\n');
}
