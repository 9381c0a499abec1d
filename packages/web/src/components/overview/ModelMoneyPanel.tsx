import { useCallback, useId, type ReactNode } from 'react';
import type { Access, ModelSummary } from '../../api.ts';
import { fetchDailyMetric, type CostSummary, type MetricPoint, type MetricSeries, type ModelCostConfig, type UnitMetrics } from '../../costs-api.ts';
import { formatCount, formatShare, formatUsd } from '../../format.ts';
import { useAsync } from '../../use-async.ts';
import { ErrorNotice } from '../ErrorNotice.tsx';
import { changeOf, comparedDays, comparedWindows, formatDays, formatMonth, modelCostByMonth, overWindow, type Change, type ModelLedgerCost } from './model-money.ts';
import { PageLink } from './PageLink.tsx';
import { Sparkline } from './Sparkline.tsx';

interface ModelMoneyPanelProps {
  access: Access;
  model: ModelSummary;
  /** The model's entry in the project config; undefined when the config does not name it. */
  config: ModelCostConfig | undefined;
  openIncidents: number;
  summary: CostSummary;
  unit: UnitMetrics;
}

interface ModelSeries {
  predictions: MetricSeries;
  errorRate: MetricSeries | null;
  businessCost: MetricSeries | null;
  /** The model's predictions per ledger month it has no deployment in (so the unit metrics do not count them). */
  monthlyPredictions: Map<string, number>;
}

const dayMs = 86_400_000;

/** This period and the one before, in money, for one model. */
export function ModelMoneyPanel({ access, model, config, openIncidents, summary, unit }: ModelMoneyPanelProps) {
  const name = model.model;
  const lastTimestamp = model.last_timestamp!;
  const windows = comparedWindows(lastTimestamp);
  const classifier = config === undefined || config.task !== 'regression';
  const priced = config?.priced ?? false;

  const months = summary.periods.map((p) => p.period).slice(-2);
  const monthsKey = months.join(',');
  const load = useCallback(
    async (signal: AbortSignal): Promise<ModelSeries> => {
      const { previousFrom, to } = comparedWindows(lastTimestamp);
      const [predictions, errorRate, businessCost] = await Promise.all([
        fetchDailyMetric(access, name, 'predictions', previousFrom, to, signal),
        classifier ? fetchDailyMetric(access, name, 'error_rate', previousFrom, to, signal) : null,
        priced ? fetchDailyMetric(access, name, 'business_cost_per_1k', previousFrom, to, signal) : null,
      ]);
      // A model without a deployment in a month is not in that month's allocation: count its predictions here.
      const monthlyPredictions = new Map<string, number>();
      const missing = monthsKey === '' ? [] : monthsKey.split(',').filter((month) => !unit.periods.find((p) => p.period === month)?.allocation.models.some((m) => m.model === name));
      await Promise.all(
        missing.map(async (month) => {
          const start = new Date(month);
          const end = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
          const series = await fetchDailyMetric(access, name, 'predictions', start.toISOString(), end.toISOString(), signal);
          monthlyPredictions.set(month, series.points.reduce((s, p) => s + (p.value ?? 0), 0));
        }),
      );
      return { predictions, errorRate, businessCost, monthlyPredictions };
    },
    [access, name, lastTimestamp, classifier, priced, monthsKey, unit],
  );
  const series = useAsync(load);
  const titleId = useId();

  return (
    <article className="card money-card" aria-labelledby={titleId} data-model={name} aria-busy={series.loading}>
      <h3 id={titleId} className="model-name">
        {name}
      </h3>
      <p className="muted money-period">
        Latest {comparedDays} days of data, {formatDays(windows.currentFrom, windows.to)}, against the {comparedDays} days before ({formatDays(windows.previousFrom, windows.currentFrom)}).
      </p>
      {series.error !== undefined && <ErrorNotice title={`Could not load the metrics of ${name}`} error={series.error} />}
      {series.loading && !series.data && (
        <p className="muted" aria-busy="true">
          Loading {name}'s metrics…
        </p>
      )}
      {series.data && (
        <Figures
          name={name}
          windows={windows}
          series={series.data}
          ledger={modelCostByMonth(name, summary, unit, series.data.monthlyPredictions).slice(-2)}
          priced={priced}
          config={config}
          openIncidents={openIncidents}
        />
      )}
    </article>
  );
}

interface FiguresProps {
  name: string;
  windows: ReturnType<typeof comparedWindows>;
  series: ModelSeries;
  ledger: ModelLedgerCost[];
  priced: boolean;
  config: ModelCostConfig | undefined;
  openIncidents: number;
}

function Figures({ name, windows, series, ledger, priced, config, openIncidents }: FiguresProps) {
  const { previousFrom, currentFrom, to } = windows;
  const daily = (s: MetricSeries) => dailyValues(s.points, previousFrom, to);
  const split = comparedDays;
  const predictions = {
    current: overWindow(series.predictions.points, 'count', currentFrom, to),
    previous: overWindow(series.predictions.points, 'count', previousFrom, currentFrom),
  };
  const errorRate = series.errorRate && {
    current: overWindow(series.errorRate.points, 'per-labelled', currentFrom, to),
    previous: overWindow(series.errorRate.points, 'per-labelled', previousFrom, currentFrom),
  };
  const business = series.businessCost && {
    current: overWindow(series.businessCost.points, 'per-labelled', currentFrom, to),
    previous: overWindow(series.businessCost.points, 'per-labelled', previousFrom, currentFrom),
  };
  const latestMonth = ledger.at(-1);
  const earlierMonth = ledger.length > 1 ? ledger[0] : undefined;

  const changes: { label: string; change: Change; against: string }[] = [];
  const versus = `vs the ${comparedDays} days before`;
  changes.push({ label: 'predictions', change: changeOf(predictions.current.value, predictions.previous.value, null), against: versus });
  if (business) changes.push({ label: 'business cost per 1,000', change: changeOf(business.current.value, business.previous.value, true), against: versus });
  if (errorRate) changes.push({ label: 'error rate', change: changeOf(errorRate.current.value, errorRate.previous.value, true), against: versus });
  if (latestMonth) {
    changes.push({
      label: 'cost per 1,000 predictions',
      change: changeOf(latestMonth.perThousandUsd, earlierMonth?.perThousandUsd ?? null, true),
      against: earlierMonth ? `in ${formatMonth(latestMonth.period)} vs ${formatMonth(earlierMonth.period)}` : `in ${formatMonth(latestMonth.period)}, the only ledger month`,
    });
  }

  return (
    <>
      <dl className="stats money-stats">
        <Stat stat="predictions" title="Predictions" note={`${formatCount(predictions.previous.value ?? 0)} before`}>
          {formatCount(predictions.current.value ?? 0)}
          <Sparkline values={daily(series.predictions)} highlightFrom={split} label={`Predictions per day of ${name}, last ${2 * comparedDays} days`} />
        </Stat>
        <Stat
          stat="cost-per-1k"
          title="Cost per 1,000 predictions"
          note={latestMonth ? `${formatMonth(latestMonth.period)}: ${formatUsd(latestMonth.costUsd)} of ledger rows naming this model` : 'no ledger month yet'}
        >
          {latestMonth === undefined || latestMonth.perThousandUsd === null ? '—' : formatUsd(latestMonth.perThousandUsd)}
        </Stat>
        {business ? (
          <Stat stat="business-cost-per-1k" title="Business cost of errors per 1,000" note={`over ${formatCount(business.current.rows)} labelled predictions`}>
            {business.current.value === null ? '—' : formatUsd(business.current.value)}
            <Sparkline values={daily(series.businessCost!)} highlightFrom={split} label={`Business cost of errors per 1,000 predictions per day of ${name}`} />
          </Stat>
        ) : (
          <div data-stat="business-cost-per-1k" className="money-missing">
            <dt>Business cost of errors per 1,000</dt>
            <dd className="time">
              {config?.task === 'multiclass' ? 'Not priced for multiclass models yet' : 'No cost matrix for this model'}
              <span className="money-sub">
                Set what a false negative and a false positive cost in <PageLink params={{ page: 'settings', model: name }}>Settings</PageLink>.
              </span>
            </dd>
          </div>
        )}
        {errorRate && (
          <Stat stat="error-rate" title="Error rate" note={`${formatShare(errorRate.previous.value)} before`}>
            {formatShare(errorRate.current.value)}
            <Sparkline values={daily(series.errorRate!)} highlightFrom={split} label={`Error rate per day of ${name}`} />
          </Stat>
        )}
        <Stat stat="open-incidents" title="Open incidents" note={openIncidents === 0 ? 'none waiting for a cause' : 'not yet confirmed'}>
          {openIncidents === 0 ? '0' : <PageLink params={{ page: 'incidents', model: name }}>{formatCount(openIncidents)}</PageLink>}
        </Stat>
      </dl>
      {!priced && config === undefined && (
        <p className="muted money-note">The project config does not name {name}; its error rate treats the model as a classifier.</p>
      )}
      <h4 className="money-changes-title">What changed</h4>
      <ul className="money-changes">
        {changes.map(({ label, change, against }) => (
          <li key={label} className={`change-${change.tone}`} data-change={label}>
            {change.relative === null ? `${capitalise(label)}: ${change.words}` : `${capitalise(label)} ${change.words} ${against}`}
            {change.relative === null && change.words !== 'unchanged' && <span className="muted"> ({against})</span>}
          </li>
        ))}
      </ul>
    </>
  );
}

function Stat({ stat, title, note, children }: { stat: string; title: string; note: string; children: ReactNode }) {
  return (
    <div data-stat={stat}>
      <dt>{title}</dt>
      <dd>
        <span className="money-value">{children}</span>
        <span className="money-sub muted">{note}</span>
      </dd>
    </div>
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** One value per day from `from` to `to` (ISO, whole days), null where the server gave none. */
function dailyValues(points: readonly MetricPoint[], from: string, to: string): (number | null)[] {
  const byStart = new Map(points.map((p) => [Date.parse(p.start), p.value]));
  const out: (number | null)[] = [];
  for (let t = Date.parse(from); t < Date.parse(to); t += dayMs) out.push(byStart.get(t) ?? null);
  return out;
}
