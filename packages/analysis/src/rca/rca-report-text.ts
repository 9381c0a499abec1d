import type { RcaReport } from './compute-rca-report.js';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const fmt = (x: number) => (Math.abs(x) >= 1000 || x === Math.round(x) ? x.toLocaleString('en-US', { maximumFractionDigits: 2 }) : x.toPrecision(4));
const slice = (s: Readonly<Record<string, string>>) => Object.entries(s).map(([k, v]) => `${k}=${v}`).join(' & ');

/** The human-readable form of `outlay rca`. */
export function rcaReportText(report: RcaReport): string {
  const { change } = report;
  const lines = [`${report.metric}: ${fmt(change.baseline)} → ${fmt(change.current)} (Δ ${change.delta >= 0 ? '+' : ''}${fmt(change.delta)}) over ${report.leaves} leaves`];
  if (report.note !== null) lines.push(report.note);
  if (report.decomposition.dimension !== null && report.decomposition.mix !== null && report.decomposition.rate !== null) {
    lines.push(`along ${report.decomposition.dimension}: mix ${fmt(report.decomposition.mix)}, rate ${fmt(report.decomposition.rate)} (Kitagawa)`);
  }
  lines.push(
    report.root_causes.length === 0
      ? 'root causes: none found'
      : `root causes (${pct(report.root_cause_share)} of the change): ${report.root_causes.map(slice).join('; ')}`,
  );
  if (report.explanations.length > 0) {
    lines.push('', 'rank  explains  kind    posterior  slice');
    for (const e of report.explanations) lines.push(`${String(e.rank).padStart(4)}  ${pct(e.explained_share).padStart(8)}  ${e.kind.padEnd(6)}  ${e.posterior.toFixed(3).padStart(9)}  ${slice(e.slice)}`);
  }
  if (report.ruled_out.length > 0) {
    lines.push('', 'ruled out:');
    for (const r of report.ruled_out) lines.push(`  ${slice(r.slice)}: ${r.reason}`);
  }
  if (report.dimensions.length > 0) lines.push('', `dimensions by surprise (Adtributor): ${report.dimensions.map((d) => `${d.dimension} ${d.surprise.toFixed(4)}`).join(', ')}`);
  return lines.join('\n');
}
