import { useCallback, useMemo } from 'react';
import { fetchModelStats, type Access } from '../api.ts';
import { fetchDistributions, fetchDrift, type ColumnDrift, type WindowDrift } from '../drift-api.ts';
import { DistributionChart, currentColour, referenceColour } from '../charts/DistributionChart.tsx';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { ModelPage } from '../components/ModelPage.tsx';
import { TimeRangePicker } from '../components/TimeRangePicker.tsx';
import { formatCount, formatShare, formatStatistic, formatTimestamp } from '../format.ts';
import { useQueryParam, writeQueryParams } from '../query-param.ts';
import { firstDays, lastDays, overlaps, parseWindow, windowDays, type DayWindow } from '../time-range.ts';
import { useAsync } from '../use-async.ts';

interface DriftPageProps {
  access: Access;
  project: string;
}

const defaultDays = 7;

/** Drift between a reference and a current window of one model: per column, dataset and multivariate. */
export function DriftPage({ access, project }: DriftPageProps) {
  return (
    <ModelPage
      access={access}
      project={project}
      className="drift-page"
      title="Drift"
      intro="Has the data a model sees moved away from what it saw before? Each column of a current window is tested against a reference window."
      perModel={['column', 'ref_from', 'ref_to', 'from', 'to']}
    >
      {(model) => <ModelDrift key={`${project}\u0000${model}`} access={access} model={model} />}
    </ModelPage>
  );
}

function ModelDrift({ access, model }: { access: Access; model: string }) {
  const loadStats = useCallback((signal: AbortSignal) => fetchModelStats(access, model, signal), [access, model]);
  const stats = useAsync(loadStats);
  const [refFrom] = useQueryParam('ref_from');
  const [refTo] = useQueryParam('ref_to');
  const [from] = useQueryParam('from');
  const [to] = useQueryParam('to');

  const first = stats.data?.first_timestamp ?? null;
  const last = stats.data?.last_timestamp ?? null;
  const defaults = useMemo(
    () => (first !== null && last !== null ? { reference: firstDays(first, last, defaultDays), current: lastDays(first, last, defaultDays) } : null),
    [first, last],
  );
  const reference = useMemo(() => parseWindow(refFrom, refTo) ?? defaults?.reference ?? null, [refFrom, refTo, defaults]);
  const current = useMemo(() => parseWindow(from, to) ?? defaults?.current ?? null, [from, to, defaults]);

  if (stats.error !== undefined) {
    return (
      <ErrorNotice title={`Could not load the statistics of ${model}`} error={stats.error}>
        <p>Choose one of the project's models in the list above.</p>
      </ErrorNotice>
    );
  }
  if (stats.loading || !stats.data) {
    return (
      <p className="muted" aria-busy="true">
        Loading {model}…
      </p>
    );
  }
  if (defaults === null || reference === null || current === null) {
    return (
      <section className="card">
        <h2>No predictions for {model} yet</h2>
        <p>Send predictions for this model; drift compares two windows of them.</p>
      </section>
    );
  }
  const presets = (days: number) => [
    { label: `First ${days} days of data`, window: defaults.reference },
    { label: `Last ${days} days of data`, window: defaults.current },
  ];
  return (
    <>
      <p className="muted">
        {model}: {formatCount(stats.data.predictions)} predictions from {formatTimestamp(first)} to {formatTimestamp(last)}.
      </p>
      <div className="windows card">
        <TimeRangePicker label="Reference window" value={reference} presets={presets(defaultDays)} onChange={(w) => writeQueryParams({ ref_from: w.from, ref_to: w.to })} />
        <TimeRangePicker label="Current window" value={current} presets={presets(defaultDays)} onChange={(w) => writeQueryParams({ from: w.from, to: w.to })} />
        {overlaps(reference, current) && (
          <p className="notice notice-info" role="note">
            The two windows overlap ({windowDays(reference)} and {windowDays(current)} days), so drift is diluted. The model's data spans{' '}
            {windowDays({ from: defaults.reference.from, to: defaults.current.to })} day(s); send predictions over more days, or pick windows apart.
          </p>
        )}
      </div>
      <DriftResult access={access} model={model} reference={reference} current={current} />
    </>
  );
}

function DriftResult({ access, model, reference, current }: { access: Access; model: string; reference: DayWindow; current: DayWindow }) {
  const loadDrift = useCallback((signal: AbortSignal) => fetchDrift(access, model, reference, current, signal), [access, model, reference, current]);
  const drift = useAsync(loadDrift);
  const [columnParam, selectColumn] = useQueryParam('column');

  if (drift.error !== undefined) {
    return (
      <ErrorNotice title="Could not compute drift for these windows" error={drift.error}>
        <p>Pick windows that both hold predictions of this model (the presets above always do).</p>
      </ErrorNotice>
    );
  }
  if (drift.loading || !drift.data) {
    return (
      <p className="muted" aria-busy="true">
        Testing every column for drift…
      </p>
    );
  }
  const result = drift.data;
  const selected = result.columns.find((c) => c.column === columnParam) ?? defaultColumn(result);
  return (
    <>
      <DatasetSummary result={result} />
      <section className="card" aria-labelledby="drift-columns-title">
        <h2 id="drift-columns-title">Columns</h2>
        <p className="muted">Select a column to plot its distributions.</p>
        <DriftTable columns={result.columns} selected={selected?.column ?? null} onSelect={selectColumn} />
      </section>
      {selected && (
        <section className="card" aria-labelledby="distribution-title">
          <h2 id="distribution-title">
            Distribution of <span className="model-name">{selected.column}</span>
          </h2>
          <p className="legend-line">
            <span className="swatch" style={{ background: referenceColour }} /> reference {reference.from} to {reference.to} ({formatCount(result.reference_rows)} rows)
            <span className="swatch" style={{ background: currentColour }} /> current {current.from} to {current.to} ({formatCount(result.current_rows)} rows)
          </p>
          <Distributions access={access} model={model} column={selected} reference={reference} current={current} />
        </section>
      )}
      <MultivariateSummary result={result} />
    </>
  );
}

/** The column to plot first: the drifted feature with the largest score, else the first feature. */
function defaultColumn(result: WindowDrift): ColumnDrift | undefined {
  const drifted = result.columns.filter((c) => c.drift && c.source === 'feature');
  return drifted[0] ?? result.columns.find((c) => c.source === 'feature') ?? result.columns[0];
}

function DatasetSummary({ result }: { result: WindowDrift }) {
  return (
    <section className="card summary" aria-label="Dataset drift">
      <dl className="stats">
        <div>
          <dt>Dataset drift</dt>
          <dd className={result.dataset_drift ? 'verdict-drift' : 'verdict-ok'}>{result.dataset_drift ? 'Yes' : 'No'}</dd>
        </div>
        <div>
          <dt>Drifted columns</dt>
          <dd>
            {formatCount(result.drifted_columns)} of {formatCount(result.columns.length)}
          </dd>
        </div>
        <div>
          <dt>Reference rows</dt>
          <dd>{formatCount(result.reference_rows)}</dd>
        </div>
        <div>
          <dt>Current rows</dt>
          <dd>{formatCount(result.current_rows)}</dd>
        </div>
      </dl>
      <p className="muted">The dataset drifts when at least half of its columns do.</p>
    </section>
  );
}

function DriftTable({ columns, selected, onSelect }: { columns: ColumnDrift[]; selected: string | null; onSelect: (column: string) => void }) {
  return (
    <div className="table-scroll">
      <table className="models-table drift-table">
        <caption className="visually-hidden">Drift per column</caption>
        <thead>
          <tr>
            <th scope="col">Column</th>
            <th scope="col">Method</th>
            <th scope="col" className="num">
              Score
            </th>
            <th scope="col" className="num">
              Threshold
            </th>
            <th scope="col">Verdict</th>
            <th scope="col" className="num">
              Missing (ref → cur)
            </th>
            <th scope="col" className="num">
              Out of range
            </th>
            <th scope="col">New categories</th>
          </tr>
        </thead>
        <tbody>
          {columns.map((c) => (
            <tr key={`${c.source}:${c.column}`} className={c.column === selected ? 'selected' : undefined} data-column={c.column} onClick={() => onSelect(c.column)}>
              <th scope="row">
                <button type="button" className="link" aria-pressed={c.column === selected} onClick={(event) => {
                  event.stopPropagation();
                  onSelect(c.column);
                }}>
                  {c.column}
                </button>
                <span className="muted kind"> {c.source === 'core' ? `${c.kind}, output` : c.kind}</span>
              </th>
              <td>{c.method}</td>
              <td className="num">{formatStatistic(c.score)}</td>
              <td className="num">{formatStatistic(c.threshold)}</td>
              <td className={c.drift ? 'verdict-drift' : 'verdict-ok'}>{c.drift ? 'Drift' : 'No drift'}</td>
              <td className="num">
                {formatShare(c.missing.reference_share)} → {formatShare(c.missing.current_share)}
              </td>
              <td className="num">{formatShare(c.out_of_range_share)}</td>
              <td className="new-categories">{c.new_categories.length === 0 ? '—' : c.new_categories.join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Distributions({ access, model, column, reference, current }: { access: Access; model: string; column: ColumnDrift; reference: DayWindow; current: DayWindow }) {
  const load = useCallback(
    (signal: AbortSignal) => fetchDistributions(access, model, { column: column.column, source: column.source, kind: column.kind }, reference, current, signal),
    [access, model, column.column, column.source, column.kind, reference, current],
  );
  const distributions = useAsync(load);
  if (distributions.error !== undefined) return <ErrorNotice title={`Could not load the distributions of ${column.column}`} error={distributions.error} />;
  if (distributions.loading || !distributions.data) {
    return (
      <p className="muted" aria-busy="true">
        Counting values…
      </p>
    );
  }
  return <DistributionChart column={column.column} reference={distributions.data.reference} current={distributions.data.current} />;
}

function MultivariateSummary({ result }: { result: WindowDrift }) {
  const m = result.multivariate;
  return (
    <section className="card" aria-labelledby="multivariate-title">
      <h2 id="multivariate-title">Multivariate drift</h2>
      {m === null ? (
        <p className="muted">Not computed: the reference window needs at least 10 rows with features.</p>
      ) : (
        <>
          <p className="muted">
            How well the reference window's principal components reconstruct each window's rows (method {m.method}, over{' '}
            {m.columns.join(', ')}). A current error outside the reference's bounds means the features moved together, even when no single
            column drifts.
          </p>
          <dl className="stats">
            <div>
              <dt>Verdict</dt>
              <dd className={m.drift ? 'verdict-drift' : 'verdict-ok'}>{m.drift ? 'Drift' : 'No drift'}</dd>
            </div>
            <div>
              <dt>Reference error</dt>
              <dd>{formatStatistic(m.reference_error)}</dd>
            </div>
            <div>
              <dt>Current error</dt>
              <dd>{formatStatistic(m.current_error)}</dd>
            </div>
            <div>
              <dt>Bounds</dt>
              <dd>
                {formatStatistic(m.lower)} – {formatStatistic(m.upper)}
              </dd>
            </div>
          </dl>
        </>
      )}
    </section>
  );
}
