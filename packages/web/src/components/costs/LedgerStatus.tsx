import type { ModelSummary } from '../../api.ts';
import type { CostOpportunities, CostSummary, UnitMetrics } from '../../costs-api.ts';
import { formatCount, formatUsd } from '../../format.ts';
import { formatMonth } from '../overview/model-money.ts';

interface LedgerStatusProps {
  summary: CostSummary;
  unit: UnitMetrics;
  opportunities: CostOpportunities | undefined;
  models: readonly ModelSummary[];
  origin: string;
  project: string;
}

export interface LedgerWarning {
  key: string;
  text: string;
}

/**
 * What the ledger is missing: rows no taxonomy rule classified, models with predictions but no cost naming them,
 * serving cost that could not be priced per prediction (no deployment), months without revenue.
 */
export function ledgerWarnings(summary: CostSummary, unit: UnitMetrics, opportunities: CostOpportunities | undefined, models: readonly ModelSummary[]): LedgerWarning[] {
  const warnings: LedgerWarning[] = [];
  const unclassified = summary.by_category.find((g) => g.name === 'unclassified');
  if (unclassified) {
    warnings.push({
      key: 'unclassified',
      text: `${formatCount(unclassified.records)} ledger row(s), ${formatUsd(unclassified.effective_cost)}, matched no taxonomy rule (x_category): import them again with --rules mapping their ServiceName to a cost centre.`,
    });
  }
  const costed = new Set(summary.by_model.map((g) => g.name));
  for (const m of models) {
    if (m.predictions > 0 && !costed.has(m.model)) {
      warnings.push({ key: `uncosted:${m.model}`, text: `Model "${m.model}" has ${formatCount(m.predictions)} predictions but no ledger row names it (x_model), so its own cost per prediction is unknown.` });
    }
  }
  for (const period of unit.periods) {
    for (const warning of period.allocation.warnings) warnings.push({ key: `${period.period}:${warning}`, text: `${formatMonth(period.period)}: ${warning}.` });
  }
  for (const note of opportunities?.notes ?? []) {
    if (/no serving instances|no latency/.test(note)) warnings.push({ key: `note:${note}`, text: `${note}.` });
  }
  return warnings;
}

/** Where the ledger's rows came from (FOCUS billing by provider, manual entries) and what is missing from it. */
export function LedgerStatus({ summary, unit, opportunities, models, origin, project }: LedgerStatusProps) {
  const warnings = ledgerWarnings(summary, unit, opportunities, models);
  const discount = summary.totals.billed_cost - summary.totals.effective_cost;
  return (
    <section className="card" aria-labelledby="ledger-status-title">
      <h2 id="ledger-status-title">Imports and missing prices</h2>
      <p className="muted">
        {formatCount(summary.totals.records)} ledger rows: billed {formatUsd(summary.totals.billed_cost)}, effective {formatUsd(summary.totals.effective_cost)}
        {Math.abs(discount) >= 0.005 && <> ({formatUsd(discount)} of discounts and credits)</>}. Rows from FOCUS billing carry their provider; manual
        entries are <em>manual</em>.
      </p>
      <div className="table-scroll">
        <table className="models-table provider-table">
          <caption className="visually-hidden">Ledger rows by provider</caption>
          <thead>
            <tr>
              <th scope="col">Provider</th>
              <th scope="col" className="num">
                Rows
              </th>
              <th scope="col" className="num">
                Billed
              </th>
              <th scope="col" className="num">
                Effective
              </th>
            </tr>
          </thead>
          <tbody>
            {summary.by_provider.map((p) => (
              <tr key={p.name} data-name={p.name}>
                <th scope="row">{p.name}</th>
                <td className="num">{formatCount(p.records)}</td>
                <td className="num">{formatUsd(p.billed_cost)}</td>
                <td className="num">{formatUsd(p.effective_cost)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {warnings.length === 0 ? (
        <p className="verdict-ok ledger-ok">Every row is classified, every model has costs and every serving cost is priced.</p>
      ) : (
        <div className="notice ledger-warnings" role="note" aria-label="Ledger warnings">
          <strong>
            {warnings.length} thing{warnings.length === 1 ? '' : 's'} to fix in the ledger
          </strong>
          <ul>
            {warnings.map((w) => (
              <li key={w.key}>{w.text}</li>
            ))}
          </ul>
        </div>
      )}
      <details>
        <summary>Import more billing</summary>
        <p>A FOCUS 1.0 CSV export from your cloud, through this server:</p>
        <pre className="command">{`npx outlay cost import --focus billing.csv --project ${project} --server ${origin} --key "$OUTLAY_KEY"`}</pre>
        <p>Serving instances priced from the price book, people and amortised hardware as monthly entries:</p>
        <pre className="command">{`curl -X POST ${origin}/v1/cost-entries \\
  -H "Authorization: Bearer $OUTLAY_KEY" -H 'Content-Type: application/json' \\
  --data '[{"kind":"deployment","model":"fraud-v2","instance":"m5.large","replicas":2,"start_month":"2026-01","price_per_hour_usd":0.096}]'`}</pre>
      </details>
    </section>
  );
}
