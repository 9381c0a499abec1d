/** A summed cost line of one period: its taxonomy bucket, the customer it is attributed to (if any), and its variable part. */
export interface PeriodCostLine {
  category: string | null;
  customer: string | null;
  costUsd: number;
  variableCostUsd: number;
}

export interface UnitMetricsPeriodInput {
  /** Start of the period, ISO. */
  period: string;
  predictions: number;
  /** Predictions per customer: spreads unattributed variable cost over customers by volume (evenly without it). */
  predictionsByCustomer?: Record<string, number>;
  costs: PeriodCostLine[];
  revenueByCustomer: Record<string, number>;
}

export interface CostCentre {
  category: string;
  cost_usd: number;
  variable_cost_usd: number;
  /** Cost of the centre per dollar of revenue; null without revenue. */
  per_revenue_usd: number | null;
}

export interface CustomerUnitMetrics {
  customer: string;
  predictions: number;
  revenue_usd: number;
  /** Attributed to the customer plus its share of the unattributed variable cost. */
  variable_cost_usd: number;
  contribution_margin_usd: number;
  variable_cost_per_prediction_usd: number | null;
}

export interface PeriodUnitMetrics {
  period: string;
  predictions: number;
  customers: number;
  revenue_usd: number;
  /** Run rate: the period's revenue × periods per year. */
  arr_usd: number;
  total_cost_usd: number;
  variable_cost_usd: number;
  fixed_cost_usd: number;
  variable_cost_per_prediction_usd: number | null;
  variable_cost_per_1k_predictions_usd: number | null;
  variable_cost_per_customer_usd: number | null;
  variable_cost_per_revenue_usd: number | null;
  /** 100 × annualised variable cost / ARR. */
  variable_cost_pct_of_arr: number | null;
  contribution_margin_usd: number;
  /** Contribution margin / revenue; null without revenue. */
  contribution_margin_ratio: number | null;
  cost_centres: CostCentre[];
  by_customer: CustomerUnitMetrics[];
}

export interface MarginalStep {
  period: string;
  delta_predictions: number;
  delta_variable_cost_usd: number;
  /** Δ variable cost / Δ predictions; null when the volume did not change. */
  marginal_cost_per_prediction_usd: number | null;
}

export interface MarginalCostTrend {
  steps: MarginalStep[];
  /**
   * b in variable cost ∝ predictions^b, by least squares on logs over periods with both > 0 (null below 3 such
   * periods or without spread in volume). b < 1: cost per prediction falls as volume grows.
   */
  volume_elasticity: number | null;
  /** 'falls' when b < 0.95, 'rises' when b > 1.05, else 'flat'; null when b is. */
  unit_cost_with_volume: 'falls' | 'flat' | 'rises' | null;
  periods_used: number;
}

export interface UnitMetrics {
  periods: PeriodUnitMetrics[];
  marginal_cost_trend: MarginalCostTrend;
}

/** The variable part of a ledger sum: declared shares, and the bucket's default for the rest (variable.* 1, others 0). */
export function variableCostOf(row: { category: string | null; declared_variable_effective_cost: number; undeclared_share_effective_cost: number }): number {
  return row.declared_variable_effective_cost + (row.category?.startsWith('variable.') ? row.undeclared_share_effective_cost : 0);
}

/**
 * Unit economics per period: variable cost per prediction, per 1,000, per customer, per dollar of revenue and as
 * a share of ARR (the run rate: revenue × periodsPerYear, so annualised cost / ARR equals cost / revenue of the
 * period), every cost centre per dollar of revenue, contribution margin (revenue − variable cost), per customer,
 * and the trend of marginal cost across periods.
 *
 * @example unitMetrics([{period: '2026-02-01', predictions: 1000, costs: [{category: 'variable.compute', customer: null, costUsd: 5, variableCostUsd: 5}], revenueByCustomer: {a: 50}}], {periodsPerYear: 12})
 *   .periods[0].variable_cost_per_1k_predictions_usd // 5
 */
export function unitMetrics(periods: UnitMetricsPeriodInput[], options: { periodsPerYear: number }): UnitMetrics {
  const { periodsPerYear } = options;
  if (!(Number.isFinite(periodsPerYear) && periodsPerYear > 0)) throw new RangeError(`unitMetrics: periodsPerYear must be a finite number > 0, got ${periodsPerYear}`);
  const out = [...periods].sort((a, b) => a.period.localeCompare(b.period)).map((p) => periodMetrics(p, periodsPerYear));
  return { periods: out, marginal_cost_trend: marginalCostTrend(out) };
}

function periodMetrics(p: UnitMetricsPeriodInput, periodsPerYear: number): PeriodUnitMetrics {
  if (!(Number.isFinite(p.predictions) && p.predictions >= 0)) throw new RangeError(`unitMetrics: period ${p.period}: predictions must be a finite number ≥ 0, got ${p.predictions}`);
  p.costs.forEach((c, i) => {
    if (!Number.isFinite(c.costUsd) || !Number.isFinite(c.variableCostUsd)) throw new RangeError(`unitMetrics: period ${p.period}: costs[${i}] is not a finite number`);
  });
  const total = sum(p.costs.map((c) => c.costUsd));
  const variable = sum(p.costs.map((c) => c.variableCostUsd));
  const revenue = sum(Object.values(p.revenueByCustomer));
  const arr = revenue * periodsPerYear;
  const byPredictions = p.predictionsByCustomer ?? {};
  const customerNames = [...new Set([...Object.keys(p.revenueByCustomer), ...Object.keys(byPredictions).filter((c) => (byPredictions[c] ?? 0) > 0), ...p.costs.flatMap((c) => (c.customer === null ? [] : [c.customer]))])].sort();

  const centres = new Map<string, { cost: number; variable: number }>();
  for (const c of p.costs) {
    const key = c.category ?? 'unclassified';
    const centre = centres.get(key) ?? { cost: 0, variable: 0 };
    centre.cost += c.costUsd;
    centre.variable += c.variableCostUsd;
    centres.set(key, centre);
  }

  // Attributed variable cost goes to its customer; the rest follows predictions (evenly when none are known).
  const attributed = new Map<string, number>();
  for (const c of p.costs) if (c.customer !== null) attributed.set(c.customer, (attributed.get(c.customer) ?? 0) + c.variableCostUsd);
  const unattributed = sum(p.costs.filter((c) => c.customer === null).map((c) => c.variableCostUsd));
  const predictionTotal = sum(customerNames.map((c) => byPredictions[c] ?? 0));
  const byCustomer = customerNames.map((customer): CustomerUnitMetrics => {
    const predictions = byPredictions[customer] ?? 0;
    const share = predictionTotal > 0 ? predictions / predictionTotal : 1 / customerNames.length;
    const variableCost = (attributed.get(customer) ?? 0) + unattributed * share;
    const revenueUsd = p.revenueByCustomer[customer] ?? 0;
    return {
      customer,
      predictions,
      revenue_usd: revenueUsd,
      variable_cost_usd: variableCost,
      contribution_margin_usd: revenueUsd - variableCost,
      variable_cost_per_prediction_usd: predictions > 0 ? variableCost / predictions : null,
    };
  });

  return {
    period: p.period,
    predictions: p.predictions,
    customers: customerNames.length,
    revenue_usd: revenue,
    arr_usd: arr,
    total_cost_usd: total,
    variable_cost_usd: variable,
    fixed_cost_usd: total - variable,
    variable_cost_per_prediction_usd: p.predictions > 0 ? variable / p.predictions : null,
    variable_cost_per_1k_predictions_usd: p.predictions > 0 ? (1000 * variable) / p.predictions : null,
    variable_cost_per_customer_usd: customerNames.length > 0 ? variable / customerNames.length : null,
    variable_cost_per_revenue_usd: revenue > 0 ? variable / revenue : null,
    variable_cost_pct_of_arr: arr > 0 ? (100 * variable * periodsPerYear) / arr : null,
    contribution_margin_usd: revenue - variable,
    contribution_margin_ratio: revenue > 0 ? (revenue - variable) / revenue : null,
    cost_centres: [...centres].sort(([a], [b]) => a.localeCompare(b)).map(([category, c]) => ({
      category,
      cost_usd: c.cost,
      variable_cost_usd: c.variable,
      per_revenue_usd: revenue > 0 ? c.cost / revenue : null,
    })),
    by_customer: byCustomer,
  };
}

/**
 * Marginal cost between consecutive periods (Δ variable cost / Δ predictions) and the volume elasticity b of
 * variable cost, the least-squares slope of ln(cost) on ln(predictions).
 */
export function marginalCostTrend(periods: { period: string; predictions: number; variable_cost_usd: number }[]): MarginalCostTrend {
  const steps: MarginalStep[] = [];
  for (let i = 1; i < periods.length; i++) {
    const dq = periods[i]!.predictions - periods[i - 1]!.predictions;
    const dc = periods[i]!.variable_cost_usd - periods[i - 1]!.variable_cost_usd;
    steps.push({ period: periods[i]!.period, delta_predictions: dq, delta_variable_cost_usd: dc, marginal_cost_per_prediction_usd: dq !== 0 ? dc / dq : null });
  }
  const points = periods.filter((p) => p.predictions > 0 && p.variable_cost_usd > 0).map((p) => [Math.log(p.predictions), Math.log(p.variable_cost_usd)] as const);
  let elasticity: number | null = null;
  if (points.length >= 3) {
    const mx = sum(points.map(([x]) => x)) / points.length;
    const my = sum(points.map(([, y]) => y)) / points.length;
    const sxx = sum(points.map(([x]) => (x - mx) ** 2));
    const sxy = sum(points.map(([x, y]) => (x - mx) * (y - my)));
    if (sxx > 1e-12) elasticity = sxy / sxx;
  }
  return {
    steps,
    volume_elasticity: elasticity,
    unit_cost_with_volume: elasticity === null ? null : elasticity < 0.95 ? 'falls' : elasticity > 1.05 ? 'rises' : 'flat',
    periods_used: points.length,
  };
}

const sum = (xs: number[]): number => xs.reduce((s, x) => s + x, 0);
