import type { DriftReport } from './compute-drift-report.js';

const number = (x: number | null): string => {
  if (x === null) return '-';
  if (Math.abs(x) >= Number.MAX_VALUE) return x > 0 ? 'inf' : '-inf';
  if (x !== 0 && (Math.abs(x) < 0.001 || Math.abs(x) >= 1e6)) return x.toExponential(2);
  return x.toFixed(3);
};
const percent = (x: number | null): string => (x === null ? '-' : `${(100 * x).toFixed(1)}%`);

/** The report as an aligned table, one row per column, then the dataset and multivariate verdicts. */
export function driftReportText(report: DriftReport): string {
  const header = ['column', 'kind', 'method', 'score', 'p-value', 'threshold', 'drift', 'missing ref', 'missing cur', 'out of range', 'new categories'];
  const rows = report.columns.map((c) => [
    c.role === 'feature' ? c.column : `${c.column} (${c.role})`,
    c.kind,
    c.method + (c.sampled ? '*' : ''),
    number(c.score),
    number(c.p_value),
    number(c.threshold),
    c.drift ? 'DRIFT' : 'no',
    percent(c.missing.reference_share),
    percent(c.missing.current_share),
    percent(c.out_of_range_share),
    c.new_categories.length === 0 ? '-' : c.new_category_counts.map((n) => `${n.value} (${n.count})`).join(', '),
  ]);
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j]!.length)));
  const line = (cells: string[]) => cells.map((cell, j) => (j >= 3 && j <= 5 ? cell.padStart(widths[j]!) : cell.padEnd(widths[j]!))).join('  ').trimEnd();
  const lines = [
    `reference: ${report.reference_rows} rows, current: ${report.current_rows} rows`,
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    `${report.drifted_columns} of ${report.columns.length} columns drift (${percent(report.share_of_drifted_columns)}; correction: ${report.correction}): ${report.dataset_drift ? 'DATASET DRIFT' : 'no dataset drift'}`,
  ];
  const m = report.multivariate;
  if (m) {
    lines.push(
      `multivariate (PCA reconstruction error, ${m.components} components, ${percent(m.explained_variance)} of variance): current ${number(m.current_error)} ` +
        `vs reference ${number(m.reference_error)}, bounds [${number(m.lower)}, ${number(m.upper)}]: ${m.drift ? 'DRIFT' : 'no drift'}`,
    );
  } else {
    lines.push('multivariate: not computed (fewer than 10 reference rows or no feature column)');
  }
  if (report.confidence) {
    for (const m of report.confidence.measures) {
      const tests = m.tests.map((t) => `${t.method} p=${number(t.p_value)}${t.drift ? ' DRIFT' : ''}`).join(', ');
      lines.push(`confidence (${m.measure}): mean ${number(m.reference_mean)} → ${number(m.current_mean)}; ${tests}`);
    }
  }
  if (report.concept_drift) {
    const c = report.concept_drift;
    lines.push(`concept drift within classes of ${c.class_column} (${c.class_role}): ${c.drift ? `DRIFT in ${c.drifted_classes.join(', ')}` : 'none'}`);
    for (const k of c.by_class) {
      if (k.status === 'insufficient_data') {
        lines.push(`  ${k.class}: too few rows (${k.reason ?? 'insufficient data'})`);
        continue;
      }
      const pairs = k.correlation?.top_pairs.slice(0, 2).map((p) => `${p.feature_a}~${p.feature_b} ${number(p.reference)}→${number(p.current)}`).join(', ') ?? '';
      lines.push(`  ${k.class}: ${k.drift ? 'DRIFT' : 'no drift'}${pairs ? `; most changed: ${pairs}` : ''}`);
    }
  }
  if (report.chunks && report.chunking) {
    const c = report.chunking;
    const how = c.by === 'size' ? `every ${c.rows} rows` : c.by === 'count' ? `${c.chunks} equal parts` : `by ${c.period} of ${c.time}`;
    lines.push('', `chunks (${how}; thresholds from ${c.reference_chunks} reference chunks):`);
    for (const k of report.chunks) {
      const where = k.start ?? `rows ${k.first_row}–${k.last_row}`;
      if (k.insufficient_data) {
        lines.push(`  ${where}: ${k.rows} rows, too few to judge`);
        continue;
      }
      const mv = k.multivariate ? `, reconstruction ${number(k.multivariate.error)}${k.multivariate.drift ? ' (outside bounds)' : ''}` : '';
      lines.push(`  ${where}: ${k.rows} rows, ${k.drifted_columns} of ${k.columns.length} columns drift${mv}: ${k.drift ? 'DRIFT' : 'no drift'}`);
    }
  }
  const findings = report.data_quality.findings;
  lines.push('', findings.length === 0 ? 'data quality: no findings' : `data quality (${findings.length}):`);
  for (const f of findings) lines.push(`  ${f.column ?? '(rows)'}: ${f.finding.replaceAll('_', ' ')}: ${f.detail}`);
  if (report.columns.some((c) => c.sampled) || m?.sampled) lines.push('* on a seeded sample of each side (--sample-rows); counts, missing and ranges use every row');
  if (report.skipped_columns.length > 0) lines.push(`skipped (type not compared): ${report.skipped_columns.map((s) => `${s.column} ${s.type}`).join(', ')}`);
  return lines.join('\n');
}
