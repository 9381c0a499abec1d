import { OutlayError, type ProjectConfig } from '@outlay/schema';
import type { BinaryCostMatrix, RegressionCostRates } from '@outlay/stats';

type ModelConfig = ProjectConfig['models'][number];

/** How a model's labels and predictions are read: which class is positive, and what each error costs. */
export interface ModelTask {
  task: 'binary' | 'multiclass' | 'regression';
  /** The config entry, if the project config has one for the model. */
  configured: boolean;
  positiveClass: string | number | boolean | undefined;
}

export type ModelCost =
  | { task: 'binary'; matrix: BinaryCostMatrix; amountFeature: string | undefined }
  | { task: 'regression'; rates: RegressionCostRates };

export function modelTask(config: ProjectConfig | null, model: string): ModelTask {
  const entry = config?.models.find((m) => m.name === model);
  return { task: entry?.task ?? 'binary', configured: entry !== undefined, positiveClass: entry?.positive_class };
}

/**
 * The model's cost matrix from the project config, with every outcome the task needs present: a missing one is
 * a 400 naming the field, never a silent 0.
 */
export function modelCost(config: ProjectConfig | null, model: string): ModelCost {
  const entry: ModelConfig | undefined = config?.models.find((m) => m.name === model);
  const where = `models[name=${model}].cost`;
  if (!entry?.cost) {
    throw new OutlayError('invalid_input', `business_cost_per_1k needs a cost matrix: the project config has no ${where} (PUT /v1/config with models: [{name: "${model}", cost: {false_negative, false_positive}}])`, {
      details: { field: where },
    });
  }
  const cost = entry.cost;
  if (entry.task === 'multiclass') {
    throw new OutlayError('invalid_input', `business_cost_per_1k: model "${model}" is multiclass and the config has no per-class cost matrix yet; use error_rate`, { details: { field: `models[name=${model}].task` } });
  }
  if (entry.task === 'regression') {
    const missing = (['under_prediction_per_unit', 'over_prediction_per_unit'] as const).filter((f) => cost[f] === undefined);
    if (missing.length > 0) {
      throw new OutlayError('invalid_input', `business_cost_per_1k: ${where} has no ${missing.join(' and ')} (USD per unit); a regressor's cost needs both`, { details: { field: where, missing } });
    }
    return { task: 'regression', rates: { underPredictionUsdPerUnit: cost.under_prediction_per_unit!, overPredictionUsdPerUnit: cost.over_prediction_per_unit! } };
  }
  const missing = (['false_negative', 'false_positive'] as const).filter((f) => cost[f] === undefined);
  if (missing.length > 0) {
    throw new OutlayError('invalid_input', `business_cost_per_1k: ${where} has no ${missing.join(' and ')} (USD per outcome; 0 where an outcome is free)`, { details: { field: where, missing } });
  }
  return {
    task: 'binary',
    matrix: { falseNegativeUsd: cost.false_negative!, falsePositiveUsd: cost.false_positive!, truePositiveValueUsd: cost.true_positive, trueNegativeValueUsd: cost.true_negative },
    amountFeature: cost.amount_feature,
  };
}
