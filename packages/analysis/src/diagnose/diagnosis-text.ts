import type { Diagnosis } from './compute-diagnosis.js';

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
const num = (x: number): string => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toPrecision(3));

/** The diagnosis for a person: the verdict first, then the evidence for each type, then the detectors. */
export function diagnosisText(d: Diagnosis): string {
  const [top] = d.failure_types;
  const p = d.detectors.performance;
  const lines = [
    `${d.task}: ${p.metric} ${num(p.reference)} → ${num(p.current)} (reference ${p.reference_rows} rows, current ${p.current_rows} rows; p = ${p.pValue.toPrecision(2)})`,
    '',
    `most likely: ${top!.type} (${pct(top!.likelihood)})`,
    '',
  ];
  for (const v of d.failure_types) {
    lines.push(`${v.type.padEnd(24)} ${pct(v.likelihood).padStart(6)}`);
    for (const e of v.evidence) lines.push(`    + ${e}`);
    for (const e of v.contradicting) lines.push(`    - ${e}`);
  }
  if (d.root_causes.length > 0) {
    lines.push('', 'slices that explain the error change:');
    for (const r of d.root_causes) lines.push(`  ${Object.entries(r).map(([k, v]) => `${k}=${v}`).join(' & ')}`);
  }
  if (d.detectors.data_quality.length > 0) {
    lines.push('', 'data quality:');
    for (const f of d.detectors.data_quality) lines.push(`  ${f.column ?? '(rows)'}: ${f.finding.replaceAll('_', ' ')}: ${f.detail}`);
  }
  return lines.join('\n');
}
