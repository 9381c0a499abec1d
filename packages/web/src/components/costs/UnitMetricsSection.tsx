import type { UnitMetrics, UnitMetricsPeriod } from '../../costs-api.ts';
import { formatCount, formatShare, formatUsd } from '../../format.ts';
import { formatMonth } from '../overview/model-money.ts';
import { formatPerDollar, formatUsdOrDash } from '../overview/money-format.ts';
import { categoryLabel } from './ledger-split.ts';
import { UnitMetricsChart } from './UnitMetricsChart.tsx';

const pctOfArr = (p: UnitMetricsPeriod) => (p.variable_cost_pct_of_arr === null ? null : p.variable_cost_pct_of_arr / 100);

/** The headline unit economics of one month. */
export function UnitHeadline({ period }: { period: UnitMetricsPeriod }) {
  return (
    <section className="card unit-headline" aria-labelledby="unit-headline-title">
      <h2 id="unit-headline-title">Unit economics, {formatMonth(period.period)}</h2>
      <dl className="stats">
        <div data-stat="total-cost">
          <dt>Total cost</dt>
          <dd>{formatUsd(period.total_cost_usd)}</dd>
        </div>
        <div data-stat="variable-per-1k">
          <dt>Variable cost per 1,000 predictions</dt>
          <dd>{formatUsdOrDash(period.variable_cost_per_1k_predictions_usd)}</dd>
        </div>
        <div data-stat="per-customer">
          <dt>Variable cost per customer</dt>
          <dd>{formatUsdOrDash(period.variable_cost_per_customer_usd)}</dd>
        </div>
        <div data-stat="per-revenue-dollar">
          <dt>Variable cost per revenue dollar</dt>
          <dd>{formatPerDollar(period.variable_cost_per_revenue_usd)}</dd>
        </div>
        <div data-stat="pct-of-arr">
          <dt>Variable cost, % of ARR</dt>
          <dd>{formatShare(pctOfArr(period))}</dd>
        </div>
        <div data-stat="contribution-margin">
          <dt>Contribution margin</dt>
          <dd>
            {formatUsd(period.contribution_margin_usd)}
            <span className="unit-sub muted">{period.contribution_margin_ratio === null ? 'no revenue' : `${formatShare(period.contribution_margin_ratio)} of revenue`}</span>
          </dd>
        </div>
        <div data-stat="idle-capacity">
          <dt>Idle serving capacity</dt>
          <dd>{formatUsd(period.allocation.idle_cost_usd)}</dd>
        </div>
      </dl>
      <p className="muted unit-basis">
        {formatCount(period.predictions)} predictions, {formatCount(period.customers)} customers, revenue {formatUsd(period.revenue_usd)} (ARR{' '}
        {formatUsd(period.arr_usd)}: the month's revenue × 12). % of ARR is the variable cost of the month × 12 over ARR.
      </p>
      {period.revenue_usd === 0 && (
        <p className="notice notice-info" role="note">
          No revenue recorded for this month, so cost per revenue dollar, % of ARR and the margin ratio are unknown. Send it with{' '}
          <code>POST /v1/revenue</code> (<code>{'{period_start, period_end, customer, amount, currency}'}</code>).
        </p>
      )}
    </section>
  );
}

function trendWords(unit: UnitMetrics): string {
  const trend = unit.marginal_cost_trend;
  if (trend.unit_cost_with_volume === null) return 'The marginal cost trend needs at least two months with predictions and costs.';
  const elasticity = trend.volume_elasticity === null ? '' : ` (elasticity of variable cost to volume ${trend.volume_elasticity.toFixed(2)})`;
  return `As volume grows, the variable cost per prediction ${trend.unit_cost_with_volume === 'flat' ? 'stays flat' : trend.unit_cost_with_volume}${elasticity}.`;
}

/** Unit metrics by month: a chart, the numbers in a table, the marginal cost trend and cost centres per revenue dollar. */
export function UnitMetricsSection({ unit, period }: { unit: UnitMetrics; period: UnitMetricsPeriod }) {
  return (
    <section className="card" aria-labelledby="unit-metrics-title">
      <h2 id="unit-metrics-title">Unit metrics over time</h2>
      <p className="muted">
        {trendWords(unit)}
        {unit.periods.length === 1 && ' The ledger has one month so far: each new month adds a point.'}
      </p>
      <UnitMetricsChart periods={unit.periods} />
      <div className="table-scroll">
        <table className="models-table unit-table">
          <caption className="visually-hidden">Unit metrics by month</caption>
          <thead>
            <tr>
              <th scope="col">Month</th>
              <th scope="col" className="num">
                Predictions
              </th>
              <th scope="col" className="num">
                Revenue
              </th>
              <th scope="col" className="num">
                Total cost
              </th>
              <th scope="col" className="num">
                Variable
              </th>
              <th scope="col" className="num">
                Per 1,000
              </th>
              <th scope="col" className="num">
                Per revenue $
              </th>
              <th scope="col" className="num">
                % of ARR
              </th>
              <th scope="col" className="num">
                Margin
              </th>
              <th scope="col" className="num">
                Idle capacity
              </th>
            </tr>
          </thead>
          <tbody>
            {unit.periods.map((p) => (
              <tr key={p.period} data-period={p.period} className={p.period === period.period ? 'selected' : undefined}>
                <th scope="row">{formatMonth(p.period)}</th>
                <td className="num">{formatCount(p.predictions)}</td>
                <td className="num">{formatUsd(p.revenue_usd)}</td>
                <td className="num">{formatUsd(p.total_cost_usd)}</td>
                <td className="num">{formatUsd(p.variable_cost_usd)}</td>
                <td className="num">{formatUsdOrDash(p.variable_cost_per_1k_predictions_usd)}</td>
                <td className="num">{formatPerDollar(p.variable_cost_per_revenue_usd)}</td>
                <td className="num">{formatShare(pctOfArr(p))}</td>
                <td className="num">{formatUsd(p.contribution_margin_usd)}</td>
                <td className="num">{formatUsd(p.allocation.idle_cost_usd)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3>Cost centres per revenue dollar, {formatMonth(period.period)}</h3>
      <div className="table-scroll">
        <table className="models-table centre-table">
          <caption className="visually-hidden">Cost centres per revenue dollar in {formatMonth(period.period)}</caption>
          <thead>
            <tr>
              <th scope="col">Cost centre</th>
              <th scope="col" className="num">
                Cost
              </th>
              <th scope="col" className="num">
                Variable part
              </th>
              <th scope="col" className="num">
                Per revenue $
              </th>
            </tr>
          </thead>
          <tbody>
            {[...period.cost_centres].sort((a, b) => b.cost_usd - a.cost_usd).map((c) => (
              <tr key={c.category} data-name={c.category}>
                <th scope="row">{categoryLabel(c.category)}</th>
                <td className="num">{formatUsd(c.cost_usd)}</td>
                <td className="num">{formatUsd(c.variable_cost_usd)}</td>
                <td className="num">{formatPerDollar(c.per_revenue_usd)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** Serving capacity per model in one month: how much of what was paid for was used. */
export function IdleCapacity({ period }: { period: UnitMetricsPeriod }) {
  const models = period.allocation.models;
  return (
    <section className="card" aria-labelledby="idle-title">
      <h2 id="idle-title">Idle capacity, {formatMonth(period.period)}</h2>
      {models.length === 0 ? (
        <p>
          No model has serving instances in the ledger this month. Declare a deployment (<code>POST /v1/cost-entries</code> with{' '}
          <code>{'{kind: "deployment", model, instance, replicas, start_month, price_per_hour_usd}'}</code>) to see how much of it is used.
        </p>
      ) : (
        <>
          <p className="muted">Capacity is paid for whether or not it serves: utilisation is the compute time of the logged predictions (their latency) over instance time.</p>
          <div className="table-scroll">
            <table className="models-table idle-table">
              <caption className="visually-hidden">Serving capacity and idle cost by model</caption>
              <thead>
                <tr>
                  <th scope="col">Model</th>
                  <th scope="col" className="num">
                    Instance-hours
                  </th>
                  <th scope="col" className="num">
                    Utilisation
                  </th>
                  <th scope="col" className="num">
                    Capacity cost
                  </th>
                  <th scope="col" className="num">
                    Idle cost
                  </th>
                  <th scope="col" className="num">
                    Serving per 1,000
                  </th>
                </tr>
              </thead>
              <tbody>
                {models.map((m) => (
                  <tr key={m.model} data-name={m.model}>
                    <th scope="row">{m.model}</th>
                    <td className="num">{formatCount(Math.round(m.instance_hours))}</td>
                    <td className="num">{formatUtilisation(m.utilisation)}</td>
                    <td className="num">{formatUsd(m.capacity_cost_usd)}</td>
                    <td className="num">{formatUsd(m.idle_cost_usd)}</td>
                    <td className="num">{formatUsdOrDash(m.cost_per_1k_predictions_usd)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

/** Utilisation to two significant digits below 1 % (0.034%), where one decimal would read as zero. */
function formatUtilisation(share: number): string {
  if (share > 0 && share < 0.001) return `${Number((share * 100).toPrecision(2))}%`;
  return formatShare(share);
}
