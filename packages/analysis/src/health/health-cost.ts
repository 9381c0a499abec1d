import type { BinaryCostMatrix, RegressionCostRates } from '@outlay/stats';

/** What an error costs in `outlay health`: a cost per outcome (binary) or per unit of under/over-prediction. */
export type HealthCost = { readonly task: 'binary'; readonly matrix: BinaryCostMatrix } | { readonly task: 'regression'; readonly rates: RegressionCostRates };
