import { driftMethods } from '@outlay/stats';
import { HISTOGRAM_BINS, type CategoriesPlot, type DriftPlot, type HistogramPlot } from './compute-drift-plots.js';
import type { ColumnDriftReport, DriftReport } from './compute-drift-report.js';

export interface DriftReportHtmlInput {
  readonly report: DriftReport;
  /** Distribution plots by column name; a column without one gets an empty plot that says so. */
  readonly plots: ReadonlyMap<string, DriftPlot>;
  /** The file names as the user gave them. */
  readonly reference: string;
  readonly current: string;
}

const REFERENCE_COLOUR = '#4c78a8';
const CURRENT_COLOUR = '#f58518';
const DRIFT_COLOUR = '#c62828';
const OK_COLOUR = '#2e7d32';

/** Escapes text for HTML content and quoted attribute values (the five characters that can break out of either). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

const e = escapeHtml;

const number = (x: number | null): string => {
  if (x === null || Number.isNaN(x)) return '–';
  if (Math.abs(x) >= Number.MAX_VALUE) return x > 0 ? '∞' : '−∞';
  if (x !== 0 && (Math.abs(x) < 0.001 || Math.abs(x) >= 1e6)) return x.toExponential(2);
  return x.toFixed(3);
};
const percent = (x: number | null): string => (x === null ? '–' : `${(100 * x).toFixed(x > 0 && x < 0.001 ? 2 : 1)}%`);
const count = (n: number): string => n.toLocaleString('en-US');
/** Axis labels: three significant digits, no trailing zeros. */
const tick = (x: number): string => (Math.abs(x) >= 1e6 || (x !== 0 && Math.abs(x) < 0.01) ? x.toExponential(1) : String(Number(x.toPrecision(3))));
const px = (x: number): string => String(Math.round(x * 10) / 10);

/**
 * The drift report as one self-contained HTML document (inline CSS and SVG, no scripts, fonts or network
 * requests): the dataset verdict, the multivariate result, then one card per column, drifted columns first,
 * each with its numbers and a reference-vs-current distribution plot. Every user-provided string is escaped.
 */
export function driftReportHtml(input: DriftReportHtmlInput): string {
  const { report } = input;
  const columns = [...report.columns].sort((a, b) => Number(b.drift) - Number(a.drift));
  const title = `Drift: ${input.reference} → ${input.current}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${e(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${header(input)}
${multivariate(report)}
${chunkSection(report)}
${qualitySection(report)}
${conceptSection(report)}
<div class="legend"><span class="swatch" style="background:${REFERENCE_COLOUR}"></span>reference <span class="swatch" style="background:${CURRENT_COLOUR}"></span>current
<span class="note">shares of each side's non-missing values</span></div>
${columns.map((c) => card(c, input.plots.get(c.column))).join('\n')}
${footer(report)}
</main>
</body>
</html>
`;
}

function verdict(drift: boolean, yes: string, no: string): string {
  return `<span class="pill ${drift ? 'drift' : 'ok'}">${drift ? yes : no}</span>`;
}

function header(input: DriftReportHtmlInput): string {
  const { report } = input;
  const n = report.columns.length;
  const share = report.share_of_drifted_columns;
  return `<header>
<div class="title"><h1>Data drift report</h1>${verdict(report.dataset_drift, 'Dataset drift', 'No dataset drift')}</div>
<div class="files">
  <div><span class="label">reference</span><span class="file">${e(input.reference)}</span><span class="rows">${count(report.reference_rows)} rows</span></div>
  <div><span class="label">current</span><span class="file">${e(input.current)}</span><span class="rows">${count(report.current_rows)} rows</span></div>
</div>
<div class="share">
  <div class="share-text"><strong>${report.drifted_columns} of ${n}</strong> columns drift (${percent(share)}); the dataset drifts at 50% or more${report.correction === 'none' ? '' : `, p-values corrected (${e(report.correction)})`}</div>
  <div class="bar" role="img" aria-label="${percent(share)} of columns drift"><div class="fill ${report.dataset_drift ? 'drift' : 'ok'}" style="width:${px(100 * share)}%"></div><div class="mark" style="left:50%"></div></div>
</div>
</header>`;
}

function multivariate(report: DriftReport): string {
  const m = report.multivariate;
  if (!m) return `<section class="multi"><h2>Multivariate drift</h2><p class="note">Not computed: fewer than 10 reference rows or no feature column.</p></section>`;
  // A gauge around the reference band, its chunk errors and the current error, padded by half their span.
  const values = [m.lower, m.upper, m.current_error, ...m.reference_chunk_errors];
  const span = Math.max(...values) - Math.min(...values) || Math.abs(m.upper) || 1;
  const bottom = Math.max(0, Math.min(...values) - span / 2);
  const top = Math.max(...values) + span / 2;
  const at = (x: number) => px((100 * (x - bottom)) / (top - bottom));
  const chunks = m.reference_chunk_errors.map((x) => `<div class="chunk" style="left:${at(x)}%" title="reference chunk: ${number(x)}"></div>`).join('');
  return `<section class="multi">
<div class="multi-head"><h2>Multivariate drift <span class="sub">PCA reconstruction error</span></h2>${verdict(m.drift, 'Drift', 'No drift')}</div>
<div class="gauge" role="img" aria-label="current error ${number(m.current_error)}, bounds ${number(m.lower)} to ${number(m.upper)}">
  <div class="band" style="left:${at(m.lower)}%;width:${px(Number(at(m.upper)) - Number(at(m.lower)))}%"></div>${chunks}
  <div class="needle ${m.drift ? 'drift' : 'ok'}" style="left:${at(m.current_error)}%"><span>current ${number(m.current_error)}</span></div>
</div>
<div class="gauge-scale"><span>${number(bottom)}</span><span>${number(top)}</span></div>
<dl class="facts">
  <div><dt>current error</dt><dd>${number(m.current_error)} <span class="muted">± ${number(m.current_sampling_error)}</span></dd></div>
  <div><dt>reference error</dt><dd>${number(m.reference_error)}</dd></div>
  <div><dt>bounds</dt><dd>[${number(m.lower)}, ${number(m.upper)}]</dd></div>
  <div><dt>model</dt><dd>${m.components} components, ${percent(m.explained_variance)} of variance</dd></div>
  <div><dt>features</dt><dd>${m.columns.map(e).join(', ')}${m.sampled ? ' <span class="muted">(seeded sample)</span>' : ''}</dd></div>
</dl>
<p class="note">Bounds: mean ± 3 standard deviations of the errors of ${m.reference_chunk_errors.length} reference chunks (grey ticks); the band is where the current error is expected.</p>
</section>`;
}

/** Confidence (score, entropy, margin) tests and concept drift per class, when the report has them. */
function conceptSection(report: DriftReport): string {
  const parts: string[] = [];
  const confidence = report.confidence;
  if (confidence) {
    const rows = confidence.measures
      .flatMap((m) => m.tests.map((t) => `<tr><td>${e(m.measure)}</td><td>${number(m.reference_mean)} → ${number(m.current_mean)}</td><td>${e(t.method)}</td><td>${t.p_value === null ? '-' : number(t.p_value)}</td><td>${verdict(t.drift, 'Drift', 'No drift')}</td></tr>`))
      .join('');
    parts.push(`<section class="multi"><div class="multi-head"><h2>Confidence <span class="sub">${e(confidence.columns.join(', '))}</span></h2>${verdict(confidence.drift, 'Changed', 'Unchanged')}</div>
<table class="chunks"><thead><tr><th>measure</th><th>mean, reference → current</th><th>test</th><th>p-value</th><th></th></tr></thead><tbody>${rows}</tbody></table></section>`);
  }
  const concept = report.concept_drift;
  if (concept) {
    const rows = concept.by_class
      .map((k) => {
        if (k.status === 'insufficient_data') return `<tr><td>${e(k.class)}</td><td colspan="4" class="muted">${e(k.reason ?? 'too few rows')}</td></tr>`;
        const corr = k.correlation ? `${number(k.correlation.distance)} vs ${number(k.correlation.threshold)}` : '-';
        const clusters = k.clusters ? number(k.clusters.p_value) : '-';
        const pairs = k.changed_pairs.slice(0, 3).map((p) => `${e(p.feature_a)}~${e(p.feature_b)} ${number(p.reference)}→${number(p.current)}`).join(', ');
        return `<tr><td>${e(k.class)}</td><td>${corr}</td><td>${clusters}</td><td>${pairs}</td><td>${verdict(k.drift, 'Drift', 'No drift')}</td></tr>`;
      })
      .join('');
    parts.push(`<section class="multi"><div class="multi-head"><h2>Concept drift <span class="sub">within each class of ${e(concept.class_column)}</span></h2>${verdict(concept.drift, `${concept.drifted_classes.length} drifted`, 'No class drifts')}</div>
<table class="chunks"><thead><tr><th>class</th><th>correlation distance vs threshold</th><th>cluster mix p-value</th><th>most changed pairs</th><th></th></tr></thead><tbody>${rows}</tbody></table></section>`);
  }
  return parts.join('\n');
}

/** Data-quality findings as a list, or a line saying there are none. */
function qualitySection(report: DriftReport): string {
  const findings = report.data_quality.findings;
  const body = findings.length === 0
    ? '<p class="note">No findings: missing, NaN, Infinity and zero shares steady, types unchanged, values inside the reference range.</p>'
    : `<ul class="findings">${findings.map((f) => `<li><span class="tag">${e(f.finding.replaceAll('_', ' '))}</span> <strong>${e(f.column ?? 'rows')}</strong> ${e(f.detail)}</li>`).join('')}</ul>`;
  return `<section class="multi"><div class="multi-head"><h2>Data quality</h2>${verdict(findings.length > 0, `${findings.length} finding${findings.length === 1 ? '' : 's'}`, 'No findings')}</div>${body}</section>`;
}

/** With --chunk: each chunk's reconstruction error against the bounds, and its drifted columns. */
function chunkSection(report: DriftReport): string {
  if (!report.chunks || !report.chunking || report.chunks.length === 0) return '';
  const chunks = report.chunks;
  const judged = chunks.filter((c) => c.multivariate);
  const width = 1000;
  const height = 160;
  let svg = '';
  if (judged.length > 0) {
    const m = judged[0]!.multivariate!;
    const values = [m.lower, m.upper, ...judged.map((c) => c.multivariate!.error)];
    const low = Math.min(...values);
    const high = Math.max(...values);
    const pad = (high - low) * 0.15 || 1;
    const y = (v: number) => px(height - 20 - ((v - (low - pad)) / (high - low + 2 * pad)) * (height - 40));
    const x = (i: number) => px(40 + (chunks.length === 1 ? 0.5 : i / (chunks.length - 1)) * (width - 80));
    const points = chunks.map((c, i) => (c.multivariate ? `${x(i)},${y(c.multivariate.error)}` : null)).filter((p) => p !== null);
    svg = `<svg viewBox="0 0 ${width} ${height}" role="img" aria-label="reconstruction error per chunk">
<rect x="40" width="${width - 80}" y="${y(m.upper)}" height="${px(Number(y(m.lower)) - Number(y(m.upper)))}" fill="#dbe6f1"/>
<text class="axis" x="36" y="${y(m.upper)}" text-anchor="end" dominant-baseline="middle">${number(m.upper)}</text>
<text class="axis" x="36" y="${y(m.lower)}" text-anchor="end" dominant-baseline="middle">${number(m.lower)}</text>
<text class="caption" x="${width - 40}" y="${height - 4}" text-anchor="end">reconstruction error per chunk; band: reference bounds</text>
<polyline class="cur-line" points="${points.join(' ')}"/>
${chunks.map((c, i) => (c.multivariate ? `<circle cx="${x(i)}" cy="${y(c.multivariate.error)}" r="4" fill="${c.drift ? DRIFT_COLOUR : OK_COLOUR}"><title>${e(c.start ?? `rows ${c.first_row}–${c.last_row}`)}: ${number(c.multivariate.error)}</title></circle>` : '')).join('')}
</svg>`;
  }
  const rows = chunks
    .map((c) => `<tr><td>${e(c.start ?? `${count(c.first_row)}–${count(c.last_row)}`)}</td><td>${count(c.rows)}</td><td>${c.insufficient_data ? '<span class="muted">too few rows</span>' : `${c.drifted_columns} of ${c.columns.length}`}</td><td>${c.multivariate ? number(c.multivariate.error) : '-'}</td><td>${c.insufficient_data ? '' : verdict(c.drift, 'Drift', 'No drift')}</td><td>${e(c.columns.filter((v) => v.drift).map((v) => v.column).join(', '))}</td></tr>`)
    .join('');
  return `<section class="multi"><div class="multi-head"><h2>Chunks <span class="sub">${e(report.chunking.by)}</span></h2>${verdict(chunks.some((c) => c.drift), `${chunks.filter((c) => c.drift).length} drifted`, 'No chunk drifts')}</div>
${svg}
<table class="chunks"><thead><tr><th>chunk</th><th>rows</th><th>columns drifting</th><th>reconstruction error</th><th></th><th>drifted columns</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

function thresholdText(c: ColumnDriftReport): string {
  const method = driftMethods.find((m) => m.name === c.method);
  if (!method) return number(c.threshold);
  return method.driftWhen === 'p-below' ? `drift when p &lt; ${number(c.threshold)}` : `drift when score ≥ ${number(c.threshold)}`;
}

function card(c: ColumnDriftReport, plot: DriftPlot | undefined): string {
  const rows: [string, string][] = [
    ['method', `${e(c.method)}${c.sampled ? ' <span class="muted">(seeded sample)</span>' : ''}`],
    ['score', number(c.score)],
    ['threshold', thresholdText(c)],
    ['p-value', number(c.p_value)],
    ['missing', `${percent(c.missing.reference_share)} <span class="muted">→</span> ${percent(c.missing.current_share)}`],
  ];
  if (c.kind === 'numeric') {
    rows.push(['out of range', `${percent(c.out_of_range_share)} <span class="muted">(${percent(c.out_of_quantile_range_share)} outside 0.1–99.9%)</span>`]);
  } else {
    const shown = c.new_category_counts.map((n) => `<span class="cat">${e(n.value)}</span> <span class="muted">${count(n.count)}</span>`).join(', ');
    rows.push(['new categories', c.new_category_counts.length === 0 ? 'none' : shown]);
  }
  const role = c.role === 'feature' ? '' : `<span class="tag">${e(c.role)}</span>`;
  return `<section class="card ${c.drift ? 'drifted' : ''}">
<div class="card-head"><h3>${e(c.column)}</h3>${role}<span class="tag">${c.kind}</span>${verdict(c.drift, 'Drift', 'No drift')}</div>
<div class="card-body">
<dl class="stats">${rows.map(([k, v]) => `<div><dt>${k}</dt><dd>${v}</dd></div>`).join('')}</dl>
<div class="plot">${plotSvg(c.column, plot)}</div>
</div>
</section>`;
}

function plotSvg(column: string, plot: DriftPlot | undefined): string {
  if (plot?.kind === 'histogram') return histogramSvg(column, plot);
  if (plot?.kind === 'categories') return categoriesSvg(column, plot);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 620 60" width="620" height="60" role="img" aria-label="${e(column)}: no values to plot"><text x="310" y="34" text-anchor="middle" class="muted">no values to plot</text></svg>`;
}

/** About four gridlines at round shares (1, 2, 2.5 or 5 × a power of ten). */
function gridStep(max: number): number {
  const raw = max / 4;
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
}

const WIDTH = 620;

function histogramSvg(column: string, plot: HistogramPlot): string {
  const height = 230;
  const margin = { left: 46, right: 10, top: 12, bottom: 40 };
  const share = (n: number, total: number) => (total > 0 ? n / total : 0);
  const { reference: r, current: c, edges } = plot;
  // Reference as filled bars, current as an outline on top, so both stay readable where they overlap.
  // Slots: an optional under bucket, the bins, an optional over bucket; the outer buckets sit apart, after a gap.
  const slots: { label: string; r: number; c: number; outer: boolean }[] = [];
  if (r.under + c.under > 0) slots.push({ label: `below ${tick(edges[0]!)}`, r: share(r.under, r.total), c: share(c.under, c.total), outer: true });
  plot.reference.counts.forEach((n, i) => {
    slots.push({ label: `${tick(edges[i]!)} to ${tick(edges[i + 1]!)}`, r: share(n, r.total), c: share(c.counts[i]!, c.total), outer: false });
  });
  if (r.over + c.over > 0) slots.push({ label: `above ${tick(edges[edges.length - 1]!)}`, r: share(r.over, r.total), c: share(c.over, c.total), outer: true });
  const gaps = slots.filter((s) => s.outer).length;
  const innerWidth = WIDTH - margin.left - margin.right;
  const slotWidth = innerWidth / (slots.length + 0.6 * gaps);
  const innerHeight = height - margin.top - margin.bottom;
  const max = Math.max(...slots.map((s) => Math.max(s.r, s.c)), 1e-9);
  const step = gridStep(max);
  const yMax = Math.ceil(max / step) * step;
  const y = (v: number) => margin.top + innerHeight * (1 - v / yMax);
  const parts: string[] = [];
  for (let v = 0; v <= yMax + step / 2; v += step) {
    parts.push(`<line class="grid" x1="${margin.left}" x2="${WIDTH - margin.right}" y1="${px(y(v))}" y2="${px(y(v))}"/><text class="axis" x="${margin.left - 6}" y="${px(y(v) + 3.5)}" text-anchor="end">${percent(v).replace('.0%', '%')}</text>`);
  }
  let x = margin.left;
  const xs: number[] = [];
  slots.forEach((s, i) => {
    if (s.outer && i > 0) x += 0.6 * slotWidth;
    xs.push(x);
    const w = slotWidth;
    parts.push(
      `<g><title>${e(s.label)}: reference ${percent(s.r)}, current ${percent(s.c)}</title>` +
        `<rect x="${px(x)}" y="${margin.top}" width="${px(w)}" height="${px(innerHeight)}" fill="transparent"/>` +
        `<rect class="ref" x="${px(x + 0.5)}" y="${px(y(s.r))}" width="${px(w - 1)}" height="${px(y(0) - y(s.r))}"/>` +
        `<path class="cur-line" d="M${px(x)},${px(y(0))}V${px(y(s.c))}H${px(x + w)}V${px(y(0))}"/></g>`,
    );
    x += w;
    if (s.outer && i === 0) x += 0.6 * slotWidth;
  });
  const first = slots[0]?.outer ? 1 : 0;
  const axisY = y(0);
  parts.push(`<line class="axis-line" x1="${margin.left}" x2="${WIDTH - margin.right}" y1="${px(axisY)}" y2="${px(axisY)}"/>`);
  for (const i of [0, 10, 20, HISTOGRAM_BINS]) {
    const at = i < edges.length - 1 ? xs[first + i]! : xs[first + i - 1]! + slotWidth;
    // The outer ticks lean inwards, clear of the < and > labels of the outlier buckets.
    const anchor = i === 0 ? 'start' : i === HISTOGRAM_BINS ? 'end' : 'middle';
    parts.push(`<line class="axis-line" x1="${px(at)}" x2="${px(at)}" y1="${px(axisY)}" y2="${px(axisY + 4)}"/><text class="axis" x="${px(at)}" y="${px(axisY + 16)}" text-anchor="${anchor}">${tick(edges[i]!)}</text>`);
  }
  if (first === 1) parts.push(`<text class="axis" x="${px(xs[0]! + slotWidth / 2)}" y="${px(axisY + 16)}" text-anchor="middle">&lt;</text>`);
  if (slots[slots.length - 1]!.outer) parts.push(`<text class="axis" x="${px(xs[xs.length - 1]! + slotWidth / 2)}" y="${px(axisY + 16)}" text-anchor="middle">&gt;</text>`);
  parts.push(`<text class="axis caption" x="${px(margin.left + innerWidth / 2)}" y="${height - 4}" text-anchor="middle">${e(column)} · reference 0.1–99.9% quantiles in ${HISTOGRAM_BINS} bins, outliers at the ends</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="${e(column)}: histogram of reference and current">${parts.join('')}</svg>`;
}

const LABEL_CHARS = 22;

function categoriesSvg(column: string, plot: CategoriesPlot): string {
  const rows = [...plot.categories.map((c) => ({ ...c, label: c.value, other: false }))];
  const hidden = plot.distinct - plot.categories.length;
  if (hidden > 0) rows.push({ value: '', label: `${count(hidden)} others`, reference_share: plot.other.reference_share, current_share: plot.other.current_share, other: true });
  const barHeight = 7;
  const rowHeight = 2 * barHeight + 6;
  const margin = { left: 170, right: 56, top: 6, bottom: 24 };
  const height = margin.top + rows.length * rowHeight + margin.bottom;
  const innerWidth = WIDTH - margin.left - margin.right;
  // The scale follows the shown categories: the long tail of "others" would squash them, so it is text only.
  const max = Math.max(...plot.categories.map((r) => Math.max(r.reference_share, r.current_share)), 1e-9);
  const step = gridStep(max);
  const xMax = Math.ceil(max / step) * step;
  const x = (v: number) => margin.left + (innerWidth * v) / xMax;
  const parts: string[] = [];
  const bottom = margin.top + rows.length * rowHeight;
  for (let v = 0; v <= xMax + step / 2; v += step) {
    parts.push(`<line class="grid" x1="${px(x(v))}" x2="${px(x(v))}" y1="${margin.top}" y2="${bottom}"/><text class="axis" x="${px(x(v))}" y="${bottom + 14}" text-anchor="middle">${percent(v).replace('.0%', '%')}</text>`);
  }
  rows.forEach((row, i) => {
    const top = margin.top + i * rowHeight + 3;
    const isNew = !row.other && row.reference_share === 0 && row.current_share > 0;
    const label = row.label.length > LABEL_CHARS ? `${row.label.slice(0, LABEL_CHARS - 1)}…` : row.label;
    const shown = row.other ? label : `${label}${isNew ? ' (new)' : ''}`;
    if (row.other) {
      parts.push(
        `<text class="axis other" x="${margin.left - 8}" y="${px(top + barHeight + 3)}" text-anchor="end">${e(shown)}</text>` +
          `<text class="value" x="${margin.left + 4}" y="${px(top + barHeight + 3)}">${percent(row.reference_share)} → ${percent(row.current_share)}</text>`,
      );
      return;
    }
    parts.push(
      `<g><title>${e(row.value)}: reference ${percent(row.reference_share)}, current ${percent(row.current_share)}</title>` +
        `<text class="${isNew ? 'label new' : 'label'}" x="${margin.left - 8}" y="${px(top + barHeight + 3)}" text-anchor="end">${e(shown)}</text>` +
        `<rect class="ref solid" x="${margin.left}" y="${px(top)}" width="${px(x(row.reference_share) - margin.left)}" height="${barHeight}"/>` +
        `<rect class="cur solid" x="${margin.left}" y="${px(top + barHeight)}" width="${px(x(row.current_share) - margin.left)}" height="${barHeight}"/>` +
        `<text class="value" x="${px(Math.max(x(row.reference_share), x(row.current_share)) + 4)}" y="${px(top + barHeight + 3)}">${percent(row.reference_share)} → ${percent(row.current_share)}</text></g>`,
    );
  });
  parts.push(`<line class="axis-line" x1="${margin.left}" x2="${margin.left}" y1="${margin.top}" y2="${bottom}"/>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="${e(column)}: category shares of reference and current">${parts.join('')}</svg>`;
}

function footer(report: DriftReport): string {
  const notes: string[] = [];
  if (report.columns.some((c) => c.sampled) || report.multivariate?.sampled) {
    notes.push('Methods marked “seeded sample” ran on a seeded sample of each side; counts, missing shares, ranges and plots use every row.');
  }
  if (report.skipped_columns.length > 0) {
    notes.push(`Not compared (type): ${report.skipped_columns.map((s) => `${e(s.column)} <span class="muted">${e(s.type)}</span>`).join(', ')}.`);
  }
  return notes.length === 0 ? '' : `<footer>${notes.map((n) => `<p>${n}</p>`).join('')}</footer>`;
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;background:#f4f5f7;color:#1f2328;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1120px;margin:0 auto;padding:24px 20px 40px}
h1{font-size:22px;margin:0}
h2{font-size:16px;margin:0}
h3{font-size:16px;margin:0;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:anywhere}
header,.multi,.card{background:#fff;border:1px solid #dde1e6;border-radius:8px;padding:16px 20px;margin-bottom:16px}
.title,.multi-head,.card-head{display:flex;align-items:center;gap:10px;flex-wrap:wrap}
.title h1,.multi-head h2{margin-right:auto}
.card-head h3{margin-right:auto}
.files{display:grid;grid-template-columns:1fr 1fr;gap:12px;margin:14px 0}
.files>div{display:flex;flex-direction:column;padding:10px 12px;background:#f7f8fa;border-radius:6px;border-left:4px solid ${REFERENCE_COLOUR}}
.files>div+div{border-left-color:${CURRENT_COLOUR}}
.label{font-size:11px;text-transform:uppercase;letter-spacing:.06em;color:#656d76}
.file{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:anywhere}
.rows{color:#656d76}
.share-text{margin-bottom:6px}
.bar{position:relative;height:10px;background:#e6e8eb;border-radius:5px;overflow:hidden}
.bar .fill{height:100%}
.bar .mark{position:absolute;top:0;bottom:0;width:2px;background:#1f2328;opacity:.5}
.fill.drift{background:${DRIFT_COLOUR}}.fill.ok{background:${OK_COLOUR}}
.pill{display:inline-block;padding:2px 10px;border-radius:999px;font-size:12px;font-weight:600;white-space:nowrap}
.pill.drift{background:#fde7e7;color:${DRIFT_COLOUR}}.pill.ok{background:#e6f4ea;color:${OK_COLOUR}}
.tag{font-size:11px;padding:1px 7px;border-radius:4px;background:#eef1f4;color:#4d5561}
.sub{font-weight:400;color:#656d76;font-size:13px}
.gauge{position:relative;height:36px;margin:26px 0 2px;background:#f0f2f4;border-radius:4px}
.gauge .band{position:absolute;top:0;bottom:0;background:#dbe6f1;border-left:2px solid ${REFERENCE_COLOUR};border-right:2px solid ${REFERENCE_COLOUR}}
.gauge .chunk{position:absolute;top:10px;bottom:10px;width:2px;margin-left:-1px;background:#8a94a0}
.gauge .needle{position:absolute;top:-6px;bottom:-6px;width:3px;margin-left:-1.5px}
.needle.ok{background:${OK_COLOUR}}.needle.drift{background:${DRIFT_COLOUR}}
.needle span{position:absolute;bottom:100%;left:50%;transform:translateX(-50%);font-size:12px;white-space:nowrap;font-weight:600}
.gauge-scale{display:flex;justify-content:space-between;font-size:11px;color:#8a94a0}
.facts{display:flex;flex-wrap:wrap;gap:6px 28px;margin:12px 0 4px}
.facts dt,.stats dt{font-size:11px;text-transform:uppercase;letter-spacing:.05em;color:#656d76}
dd{margin:0}
.legend{display:flex;align-items:center;gap:8px;margin:22px 0 10px;font-size:13px}
.swatch{display:inline-block;width:14px;height:14px;border-radius:3px;opacity:.8}
.legend .swatch+.swatch,.legend .swatch:nth-of-type(2){margin-left:12px}
.note{color:#656d76;font-size:12px;margin:4px 0 0}
.legend .note{margin:0 0 0 auto}
.card{border-left:4px solid ${OK_COLOUR}}
.card.drifted{border-left-color:${DRIFT_COLOUR}}
.card-body{display:grid;grid-template-columns:minmax(220px,1fr) auto;gap:20px;margin-top:12px;align-items:start}
.stats{margin:0;display:grid;gap:8px}
.stats dd{font-variant-numeric:tabular-nums;overflow-wrap:anywhere}
.cat{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#fff3e0;padding:0 4px;border-radius:3px}
.muted{color:#8a94a0}
.plot svg{display:block;max-width:100%;height:auto}
svg text{font:11px system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif}
svg .axis{fill:#656d76}
svg .caption{fill:#8a94a0}
svg .label{fill:#1f2328;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
svg .label.new{fill:#b35900;font-weight:600}
svg .other{font-style:italic}
svg .value{fill:#656d76;font-size:10px;font-variant-numeric:tabular-nums}
svg .muted{fill:#8a94a0}
svg .grid{stroke:#eceef1}
svg .axis-line{stroke:#9aa3ad}
svg .ref{fill:${REFERENCE_COLOUR};fill-opacity:.55}
svg .cur{fill:${CURRENT_COLOUR}}
svg .cur-line{fill:none;stroke:${CURRENT_COLOUR};stroke-width:1.5}
svg .ref.solid,svg .cur.solid{fill-opacity:.85}
footer{color:#656d76;font-size:12px}
.findings{margin:10px 0 0;padding-left:18px}.findings li{margin:4px 0}
table.chunks{width:100%;border-collapse:collapse;margin-top:10px;font-variant-numeric:tabular-nums}
table.chunks th,table.chunks td{text-align:left;padding:4px 8px;border-bottom:1px solid #eceef1}
@media (max-width:900px){.card-body{grid-template-columns:1fr}.files{grid-template-columns:1fr}}
`;
