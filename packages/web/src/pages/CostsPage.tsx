import { useCallback, useId } from 'react';
import { fetchModels, type Access } from '../api.ts';
import { LedgerBreakdown } from '../components/costs/LedgerBreakdown.tsx';
import { LedgerStatus } from '../components/costs/LedgerStatus.tsx';
import { parseSplit } from '../components/costs/ledger-split.ts';
import { SavingsList } from '../components/costs/SavingsList.tsx';
import { IdleCapacity, UnitHeadline, UnitMetricsSection } from '../components/costs/UnitMetricsSection.tsx';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { formatMonth } from '../components/overview/model-money.ts';
import { fetchCostOpportunities, fetchCostSummary, fetchUnitMetrics, type IdleShare } from '../costs-api.ts';
import { useQueryParam } from '../query-param.ts';
import { useAsync } from '../use-async.ts';
import './costs-page.css';

interface CostsPageProps {
  access: Access;
  project: string;
}

const idleShares: { value: IdleShare; title: string }[] = [
  { value: 'proportional', title: 'in proportion to their use' },
  { value: 'even', title: 'evenly' },
  { value: 'none', title: 'to nobody (its own line)' },
];

function parseIdleShare(value: string | null): IdleShare {
  return idleShares.some((s) => s.value === value) ? (value as IdleShare) : 'proportional';
}

/** `2001-02` in the URL ↔ the ledger's period start `2001-02-01T00:00:00.000Z`. */
function monthParam(period: string): string {
  return period.slice(0, 7);
}

/** What the ML costs: the ledger by taxonomy, unit economics by month, idle capacity, savings and import status. */
export function CostsPage({ access, project }: CostsPageProps) {
  const [monthValue, setMonth] = useQueryParam('month');
  const [splitValue, setSplit] = useQueryParam('split');
  const [idleValue, setIdle] = useQueryParam('idle');
  const idleShare = parseIdleShare(idleValue);
  const monthId = useId();
  const idleId = useId();

  const loadLedger = useCallback(
    async (signal: AbortSignal) => {
      const [summary, models] = await Promise.all([fetchCostSummary(access, {}, signal), fetchModels(access, signal)]);
      return { summary, models };
    },
    [access],
  );
  const ledger = useAsync(loadLedger);
  const loadUnit = useCallback((signal: AbortSignal) => fetchUnitMetrics(access, idleShare, signal), [access, idleShare]);
  const unit = useAsync(loadUnit);
  const loadOpportunities = useCallback((signal: AbortSignal) => fetchCostOpportunities(access, signal), [access]);
  const opportunities = useAsync(loadOpportunities);

  const summary = ledger.data?.summary;
  const chosenPeriod = summary?.periods.find((p) => monthParam(p.period) === monthValue)?.period ?? null;
  const unitPeriod = unit.data ? (unit.data.periods.find((p) => p.period === chosenPeriod) ?? unit.data.periods.at(-1)) : undefined;
  const empty = summary !== undefined && summary.totals.records === 0 && unit.data !== undefined && unit.data.periods.every((p) => p.revenue_usd === 0);

  return (
    <div className="costs-page">
      <div className="page-title">
        <h1>Costs</h1>
        <p className="muted">
          What the ML of project <strong>{project}</strong> costs, split into variable and fixed, by cost centre, model and customer; per prediction, per
          revenue dollar and as a share of ARR.
        </p>
      </div>
      {ledger.error !== undefined && (
        <ErrorNotice title="Could not load the cost ledger" error={ledger.error}>
          <p>Check that the server is running and that your key may read this project; then reload the page.</p>
        </ErrorNotice>
      )}
      {(ledger.loading || unit.loading) && !summary && (
        <p className="muted" aria-busy="true">
          Loading the ledger…
        </p>
      )}
      {empty && <CostsEmptyState origin={window.location.origin} project={project} />}
      {summary && !empty && (
        <>
          <form className="costs-controls card" aria-label="Costs view" onSubmit={(event) => event.preventDefault()}>
            <label htmlFor={monthId}>Ledger of</label>
            <select id={monthId} value={chosenPeriod === null ? '' : monthParam(chosenPeriod)} onChange={(event) => setMonth(event.target.value === '' ? null : event.target.value)}>
              <option value="">every month ({summary.periods.length})</option>
              {summary.periods.map((p) => (
                <option key={p.period} value={monthParam(p.period)}>
                  {formatMonth(p.period)}
                </option>
              ))}
            </select>
            <label htmlFor={idleId}>Share idle capacity out to customers</label>
            <select id={idleId} value={idleShare} onChange={(event) => setIdle(event.target.value === 'proportional' ? null : event.target.value)}>
              {idleShares.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.title}
                </option>
              ))}
            </select>
          </form>
          {unit.error !== undefined && <ErrorNotice title="Could not compute the unit metrics" error={unit.error} />}
          {unitPeriod && <UnitHeadline period={unitPeriod} />}
          <LedgerBreakdown summary={summary} period={chosenPeriod} split={parseSplit(splitValue)} onSplit={(next) => setSplit(next === 'category' ? null : next, { replace: true })} />
          {unit.data && unitPeriod && <UnitMetricsSection unit={unit.data} period={unitPeriod} />}
          {unitPeriod && <IdleCapacity period={unitPeriod} />}
          {opportunities.error !== undefined && <ErrorNotice title="Could not look for savings" error={opportunities.error} />}
          {opportunities.data && <SavingsList opportunities={opportunities.data} />}
          {unit.data && (
            <LedgerStatus summary={summary} unit={unit.data} opportunities={opportunities.data} models={ledger.data!.models} origin={window.location.origin} project={project} />
          )}
        </>
      )}
    </div>
  );
}

/** Shown while the project has neither costs nor revenue: how to bring them in. */
function CostsEmptyState({ origin, project }: { origin: string; project: string }) {
  return (
    <section className="card empty-state" aria-labelledby="costs-empty-title">
      <h2 id="costs-empty-title">No costs yet</h2>
      <p>
        The ledger of project <strong>{project}</strong> is empty. Bring in cloud billing, your own costs and revenue with a key that has the role{' '}
        <strong>ingest</strong>; the page fills in on the next load.
      </p>
      <h3>1. Cloud billing: a FOCUS 1.0 CSV export</h3>
      <pre className="command">{`npx outlay cost import --focus billing.csv --project ${project} --server ${origin} --key "$OUTLAY_KEY"`}</pre>
      <h3>2. People, tools, hardware and serving instances, by month</h3>
      <pre className="command">{`curl -X POST ${origin}/v1/cost-entries \\
  -H "Authorization: Bearer $OUTLAY_KEY" -H 'Content-Type: application/json' \\
  --data '[{"kind":"expense","name":"labelling","category":"variable.operations","amount_usd":900,"start_month":"2026-01"}]'`}</pre>
      <h3>3. Revenue, for cost per revenue dollar, % of ARR and margin</h3>
      <pre className="command">{`curl -X POST ${origin}/v1/revenue \\
  -H "Authorization: Bearer $OUTLAY_KEY" -H 'Content-Type: application/json' \\
  --data '[{"period_start":"2026-01-01T00:00:00Z","period_end":"2026-02-01T00:00:00Z","customer":"acme","amount":12000,"currency":"USD"}]'`}</pre>
    </section>
  );
}
