import type { CostOpportunities } from '../../costs-api.ts';
import { formatUsd } from '../../format.ts';
import { formatDays } from '../overview/model-money.ts';

/** Ranked savings over the latest ledger month, each with what it assumes. */
export function SavingsList({ opportunities }: { opportunities: CostOpportunities }) {
  return (
    <section className="card" aria-labelledby="savings-title">
      <h2 id="savings-title">Savings</h2>
      <p className="muted">
        Over {formatDays(opportunities.from, opportunities.to)}: up to <strong>{formatUsd(opportunities.total_saving_usd)}</strong>, largest first. Some act on the
        same cost, so they do not always add up.
      </p>
      {opportunities.opportunities.length === 0 ? (
        <p>Nothing to save found in this month's ledger.</p>
      ) : (
        <ol className="savings">
          {opportunities.opportunities.map((o) => (
            <li key={`${o.rank}:${o.kind}:${o.model ?? ''}`} data-kind={o.kind}>
              <span className="saving-amount">{formatUsd(o.saving_usd)}</span> <span>{o.title}</span>
              <span className="muted"> (of {formatUsd(o.cost_usd)})</span>
              {o.assumptions.length > 0 && (
                <details>
                  <summary>Assumptions</summary>
                  <ul>
                    {o.assumptions.map((a) => (
                      <li key={a}>{a}</li>
                    ))}
                  </ul>
                </details>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
