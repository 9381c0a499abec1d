import { describe, expect, it } from 'vitest';
import type { DriftPlot } from './compute-drift-plots.js';
import type { ColumnDriftReport, DriftReport } from './compute-drift-report.js';
import { driftReportHtml, escapeHtml } from './drift-report-html.js';

const INJECTION = '<img src=x onerror=alert(1)>';

const column = (name: string, kind: 'numeric' | 'categorical', drift: boolean, extra: Partial<ColumnDriftReport> = {}): ColumnDriftReport => ({
  column: name,
  kind,
  role: 'feature',
  method: kind === 'numeric' ? 'wasserstein' : 'jensenshannon',
  score: drift ? 0.4 : 0.02,
  p_value: null,
  threshold: 0.1,
  drift,
  missing: { reference_share: 0, current_share: 0.01 },
  out_of_range_share: kind === 'numeric' ? 0.003 : null,
  out_of_quantile_range_share: kind === 'numeric' ? 0.01 : null,
  new_categories: [],
  new_category_counts: [],
  new_category_share: kind === 'categorical' ? 0 : null,
  sampled: false,
  quality: { nan_share: null, infinite_share: null, zero_share: null, constant: { reference: false, current: false }, type_change: null, non_numeric_share: null },
  ...extra,
});

const report: DriftReport = {
  reference_rows: 1000,
  current_rows: 900,
  columns: [
    column('steady', 'numeric', false),
    column(INJECTION, 'categorical', true, { new_categories: [INJECTION], new_category_counts: [{ value: INJECTION, count: 12 }] }),
    column('shifted', 'numeric', true),
  ],
  drifted_columns: 2,
  share_of_drifted_columns: 2 / 3,
  dataset_drift: true,
  correction: 'none',
  multivariate: {
    method: 'pca_reconstruction',
    reference_error: 1,
    current_error: 1.5,
    lower: 0.9,
    upper: 1.1,
    drift: true,
    current_sampling_error: 0.01,
    components: 2,
    explained_variance: 0.7,
    reference_chunk_errors: [0.95, 1, 1.05],
    sampled: false,
    columns: ['steady', INJECTION, 'shifted'],
  },
  skipped_columns: [],
  confidence: null,
  concept_drift: null,
  chunking: { by: 'count', chunks: 2, reference_chunks: 2, reference_cut: 'same' },
  chunks: [0, 1].map((index) => ({
    index,
    start: null,
    first_row: index * 450,
    last_row: index * 450 + 449,
    rows: 450,
    sampled_rows: 450,
    insufficient_data: false,
    columns: [{ column: INJECTION, method: 'jensenshannon', score: 0.3 * index, p_value: null, drift: index === 1 }],
    drifted_columns: index,
    multivariate: { error: 1 + index, sampling_error: 0.01, lower: 0.9, upper: 1.1, drift: index === 1 },
    drift: index === 1,
  })),
  data_quality: { ids: null, findings: [{ column: INJECTION, finding: 'new_categories', detail: `1.3% of current rows in categories the reference never saw: ${INJECTION} (12)` }] },
};

const histogram = (shift: number): DriftPlot => ({
  kind: 'histogram',
  edges: Array.from({ length: 31 }, (_, i) => i / 10),
  reference: { counts: Array.from({ length: 30 }, (_, i) => 30 - Math.abs(15 - i)), under: 2, over: 3, total: 0 },
  current: { counts: Array.from({ length: 30 }, (_, i) => 30 - Math.abs(15 + shift - i)), under: 0, over: 9, total: 0 },
});
const withTotals = (plot: DriftPlot): DriftPlot => {
  if (plot.kind !== 'histogram') return plot;
  const total = (s: { counts: readonly number[]; under: number; over: number }) => s.counts.reduce((a, b) => a + b, 0) + s.under + s.over;
  return { ...plot, reference: { ...plot.reference, total: total(plot.reference) }, current: { ...plot.current, total: total(plot.current) } };
};
const plots = new Map<string, DriftPlot>([
  ['steady', withTotals(histogram(0))],
  ['shifted', withTotals(histogram(5))],
  [
    INJECTION,
    {
      kind: 'categories',
      categories: [
        { value: 'red', reference_share: 0.6, current_share: 0.3 },
        { value: INJECTION, reference_share: 0, current_share: 0.3 },
      ],
      other: { reference_share: 0.4, current_share: 0.4 },
      distinct: 5,
    },
  ],
]);

const html = driftReportHtml({ report, plots, reference: `ref-${INJECTION}.parquet`, current: 'cur.parquet' });

describe('escapeHtml', () => {
  it('escapes the five characters that can open a tag or leave an attribute', () => {
    expect(escapeHtml(INJECTION)).toBe('&lt;img src=x onerror=alert(1)&gt;');
    expect(escapeHtml(`a & "b" 'c'`)).toBe('a &amp; &quot;b&quot; &#39;c&#39;');
    expect(escapeHtml('plain')).toBe('plain');
  });
});

describe('driftReportHtml', () => {
  it('writes one self-contained document with one plot per column', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    // One plot per column, plus the chunk timeline.
    expect(html.match(/<svg[\s>]/g)).toHaveLength(report.columns.length + 1);
    expect(html.match(/<\/svg>/g)).toHaveLength(report.columns.length + 1);
    expect(html).not.toMatch(/<script|<link|@import|url\(|https?:\/\/(?!www\.w3\.org\/2000\/svg)/i);
  });

  it('escapes file names, column names and category values, leaving no raw tag behind', () => {
    expect(html).not.toMatch(/<img/i);
    expect(html).toContain(escapeHtml(INJECTION));
    expect(html).toContain(`ref-${escapeHtml(INJECTION)}.parquet`);
  });

  it('puts drifted columns first, in their report order, then the others', () => {
    const headings = [...html.matchAll(/<h3>(.*?)<\/h3>/g)].map((m) => m[1]);
    expect(headings).toEqual([escapeHtml(INJECTION), 'shifted', 'steady']);
  });

  it('states the dataset verdict, the share of drifted columns and the multivariate bounds', () => {
    expect(html).toContain('Dataset drift');
    expect(html).toContain('<strong>2 of 3</strong> columns drift (66.7%)');
    expect(html).toContain('[0.900, 1.100]');
    expect(html).toContain('1,000 rows');
  });

  it('lists data-quality findings and the chunk timeline, escaped', () => {
    expect(html).toContain('<h2>Data quality</h2>');
    expect(html).toContain('1 finding');
    expect(html).toContain('<h2>Chunks');
    expect(html).toContain('450–899');
    expect(html.match(/<circle /g)).toHaveLength(2);
    expect(html).not.toContain(INJECTION);
  });

  it('draws a column without a plot as an empty plot that says so', () => {
    const empty = driftReportHtml({ report, plots: new Map(), reference: 'r', current: 'c' });
    expect(empty.match(/<svg[\s>]/g)).toHaveLength(4);
    expect(empty).toContain('no values to plot');
  });
});
