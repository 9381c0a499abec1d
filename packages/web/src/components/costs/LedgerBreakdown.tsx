import type { CostSummary } from '../../costs-api.ts';
import { formatCount, formatShare, formatUsd } from '../../format.ts';
import { formatMonth } from '../overview/model-money.ts';
import { categoryLabel, ledgerSplit, scopeOf, splits, splitTitles, type LedgerSplitName } from './ledger-split.ts';

interface LedgerBreakdownProps {
  summary: CostSummary;
  /** A period start (ISO), or null for every month. */
  period: string | null;
  split: LedgerSplitName;
  onSplit: (split: LedgerSplitName) => void;
}

/** The ledger split by the taxonomy: variable or fixed, cost centre, model, customer, provider; totals underneath. */
export function LedgerBreakdown({ summary, period, split, onSplit }: LedgerBreakdownProps) {
  const scope = scopeOf(summary, period);
  const scopeTitle = period === null ? 'every month' : formatMonth(period);
  if (scope === null) {
    return (
      <section className="card" aria-labelledby="ledger-title">
        <h2 id="ledger-title">Ledger</h2>
        <p>The ledger has no rows in {scopeTitle}. Pick another month above.</p>
      </section>
    );
  }
  const available = splits.filter((s) => s !== 'provider' || scope.by_provider !== null);
  const chosen = available.includes(split) ? split : 'category';
  const table = ledgerSplit(scope, chosen)!;
  const variableShare = scope.effective_cost > 0 ? scope.variable_cost / scope.effective_cost : null;
  const label = (name: string) => (chosen === 'category' ? categoryLabel(name) : name);

  return (
    <section className="card" aria-labelledby="ledger-title">
      <h2 id="ledger-title">Ledger, {scopeTitle}</h2>
      <p className="muted">
        Effective cost (billed cost where a row has none). A row's variable part is its <code>x_variable_share</code>, else all of it for{' '}
        <code>variable.*</code> centres and none for the rest.
      </p>
      <div className="behaviour-bar" role="img" aria-label={`Variable ${formatShare(variableShare)} and fixed ${formatShare(variableShare === null ? null : 1 - variableShare)} of the cost`}>
        {variableShare !== null && (
          <>
            <span className="behaviour-variable" style={{ width: `${variableShare * 100}%` }} />
            <span className="behaviour-fixed" style={{ width: `${(1 - variableShare) * 100}%` }} />
          </>
        )}
      </div>
      <p className="legend-line behaviour-legend">
        <span className="swatch behaviour-variable" /> variable {formatUsd(scope.variable_cost)} ({formatShare(variableShare)})
        <span className="swatch behaviour-fixed" /> fixed {formatUsd(scope.fixed_cost)}
      </p>
      <div className="split-picker" role="group" aria-label="Split the ledger by">
        <span className="split-label">Split by</span>
        {available.map((s) => (
          <button key={s} type="button" className="preset" aria-pressed={s === chosen} onClick={() => onSplit(s)}>
            {splitTitles[s]}
          </button>
        ))}
      </div>
      <div className="table-scroll">
        <table className="models-table ledger-table" data-split={chosen}>
          <caption className="visually-hidden">
            Ledger of {scopeTitle} by {splitTitles[chosen].toLowerCase()}
          </caption>
          <thead>
            <tr>
              <th scope="col">{splitTitles[chosen]}</th>
              <th scope="col" className="num">
                Cost
              </th>
              <th scope="col" className="num">
                Share
              </th>
              <th scope="col" className="num">
                Variable
              </th>
              <th scope="col" className="num">
                Fixed
              </th>
              <th scope="col" className="num">
                Billed
              </th>
              <th scope="col" className="num">
                Rows
              </th>
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row) => (
              <tr key={row.name} data-name={row.name} className={row.rest === undefined ? undefined : 'rest'}>
                <th scope="row">{label(row.name)}</th>
                <td className="num">{formatUsd(row.effective_cost)}</td>
                <td className="num">{formatShare(scope.effective_cost === 0 ? null : row.effective_cost / scope.effective_cost)}</td>
                <td className="num">{formatUsd(row.variable_cost)}</td>
                <td className="num">{formatUsd(row.fixed_cost)}</td>
                <td className="num">{row.billed_cost === null ? '—' : formatUsd(row.billed_cost)}</td>
                <td className="num">{row.records === null ? '—' : formatCount(row.records)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr className="ledger-total">
              <th scope="row">Total</th>
              <td className="num" data-total="effective">
                {formatUsd(table.totals.effective_cost)}
              </td>
              <td className="num">{table.totals.effective_cost === 0 ? '—' : formatShare(1)}</td>
              <td className="num" data-total="variable">
                {formatUsd(table.totals.variable_cost)}
              </td>
              <td className="num" data-total="fixed">
                {formatUsd(table.totals.fixed_cost)}
              </td>
              <td className="num" data-total="billed">
                {formatUsd(table.totals.billed_cost)}
              </td>
              <td className="num" data-total="records">
                {formatCount(table.totals.records)}
              </td>
            </tr>
          </tfoot>
        </table>
      </div>
      {chosen === 'model' && table.rows.some((r) => r.name === 'unattributed') && (
        <p className="muted">
          <em>unattributed</em>: rows that name no model (<code>x_model</code>), such as people and shared tools.
        </p>
      )}
      {chosen === 'customer' && table.rows.some((r) => r.name === 'unattributed') && (
        <p className="muted">
          <em>unattributed</em>: rows that name no customer (<code>x_customer</code>). The unit metrics below share serving cost out by each
          customer's compute time.
        </p>
      )}
    </section>
  );
}
