import { useCallback } from 'react';
import type { Access, ModelSummary } from '../../api.ts';
import { fetchCostSummary, fetchIncidents, fetchModelCostConfigs, fetchUnitMetrics, type UnitMetrics } from '../../costs-api.ts';
import { formatShare, formatUsd } from '../../format.ts';
import { useAsync } from '../../use-async.ts';
import { ErrorNotice } from '../ErrorNotice.tsx';
import { comparedDays, formatMonth } from './model-money.ts';
import { ModelMoneyPanel } from './ModelMoneyPanel.tsx';
import { PageLink } from './PageLink.tsx';
import './model-money.css';

interface MoneyOverviewProps {
  access: Access;
  models: readonly ModelSummary[];
}

/** Panels beyond this many models would bury the page; the Costs page has every model's ledger. */
const maxPanels = 12;

/**
 * The Overview's money: per model, its latest 7 days against the 7 before (predictions, business cost of errors,
 * error rate, open incidents) and its ledger cost per 1,000 predictions; for the project, the latest ledger month.
 */
export function MoneyOverview({ access, models }: MoneyOverviewProps) {
  // The model list is polled every 10 s; reload only when a model appears or its data moves on.
  const signature = models.map((m) => `${m.model}\u0000${m.last_timestamp ?? ''}`).join('\u0001');
  const load = useCallback(
    async (signal: AbortSignal) => {
      void signature;
      const [configs, incidents, summary, unit] = await Promise.all([
        fetchModelCostConfigs(access, signal),
        fetchIncidents(access, signal),
        fetchCostSummary(access, {}, signal),
        fetchUnitMetrics(access, 'proportional', signal),
      ]);
      return { configs, incidents, summary, unit };
    },
    [access, signature],
  );
  const project = useAsync(load);
  const withData = models.filter((m) => m.last_timestamp !== null);

  return (
    <section className="money-overview" aria-labelledby="money-title">
      <div className="money-heading">
        <h2 id="money-title">Money</h2>
        <p className="muted">
          Each model's latest {comparedDays} days of data against the {comparedDays} days before, and its ledger cost by month. The ledger in full is on the{' '}
          <PageLink params={{ page: 'costs' }}>Costs page</PageLink>.
        </p>
      </div>
      {project.error !== undefined && <ErrorNotice title="Could not load the costs, incidents or config" error={project.error} />}
      {project.loading && !project.data && (
        <p className="muted" aria-busy="true">
          Loading costs…
        </p>
      )}
      {project.data && (
        <>
          <ProjectMonth unit={project.data.unit} hasLedger={project.data.summary.periods.length > 0} />
          <div className="money-cards">
            {withData.slice(0, maxPanels).map((m) => (
              <ModelMoneyPanel
                key={m.model}
                access={access}
                model={m}
                config={project.data!.configs.find((c) => c.name === m.model)}
                openIncidents={project.data!.incidents.filter((i) => i.model === m.model && !i.confirmed).length}
                summary={project.data!.summary}
                unit={project.data!.unit}
              />
            ))}
          </div>
          {withData.length > maxPanels && (
            <p className="muted">
              Showing {maxPanels} of {withData.length} models; choose one from the list above for its statistics.
            </p>
          )}
        </>
      )}
    </section>
  );
}

function ProjectMonth({ unit, hasLedger }: { unit: UnitMetrics; hasLedger: boolean }) {
  const latest = unit.periods.at(-1);
  if (!latest || !hasLedger) {
    return (
      <p className="money-project muted">
        No costs or revenue in the ledger yet, so cost per 1,000 predictions and contribution margin are unknown. Import billing or add
        costs: see the <PageLink params={{ page: 'costs' }}>Costs page</PageLink>.
      </p>
    );
  }
  return (
    <dl className="stats money-project" aria-label={`Project in ${formatMonth(latest.period)}`}>
      <div>
        <dt>Ledger month</dt>
        <dd className="time">{formatMonth(latest.period)}</dd>
      </div>
      <div>
        <dt>Total cost</dt>
        <dd>{formatUsd(latest.total_cost_usd)}</dd>
      </div>
      <div>
        <dt>Variable cost per 1,000 predictions</dt>
        <dd data-stat="project-variable-per-1k">{latest.variable_cost_per_1k_predictions_usd === null ? '—' : formatUsd(latest.variable_cost_per_1k_predictions_usd)}</dd>
      </div>
      <div>
        <dt>Contribution margin</dt>
        <dd data-stat="contribution-margin">
          {formatUsd(latest.contribution_margin_usd)}
          {latest.contribution_margin_ratio !== null && <span className="muted money-sub"> {formatShare(latest.contribution_margin_ratio)} of revenue</span>}
        </dd>
      </div>
    </dl>
  );
}
