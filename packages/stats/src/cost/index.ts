export { erlangB, erlangC, erlangCFromB, nextErlangB } from './erlang-c.js';
export {
  mmcMeanWait,
  mmcSojournCdf,
  mmcSojournQuantile,
  mmcSojournSurvival,
  mmcUtilization,
  sojournQuantile,
  sojournSurvival,
} from './mmc-queue.js';
export type { MmcQueue, WaitMixture } from './mmc-queue.js';
export { capacityPlan } from './capacity-plan.js';
export type { CapacityPlan, CapacityPlanInput } from './capacity-plan.js';
export { amortisationSchedule, monthlyAmortisedCost } from './amortisation.js';
export type { AmortisationInput, AmortisationMethod, AmortisationPeriod, AmortisedAsset, MonthlyAmortisedCost } from './amortisation.js';
export { mergePriceBooks, priceAt, purchaseOptions } from './price-book.js';
export type { PriceBook, PriceEntry, PriceKey, PriceLookup, PriceSource, PurchaseOption } from './price-book.js';
export { defaultPriceCatalogue } from './default-price-catalogue.js';
export { minimiseInBox } from './minimise-in-box.js';
export type { BoxMinimum, MinimiseInBoxOptions } from './minimise-in-box.js';
export { holtWinters, holtWintersForecast, holtWintersInitialState } from './holt-winters.js';
export type { HoltWintersModel, HoltWintersOptions, HoltWintersParameters, HoltWintersState, Seasonality } from './holt-winters.js';
export { costBuckets, projectCost, tieredCost } from './project-cost.js';
export type {
  CostBucket,
  CostDriver,
  CostLine,
  CostLineRule,
  CostProjection,
  PriceTier,
  ProjectedLine,
  ProjectedScale,
  ProjectionScenario,
  ScaleKnobs,
} from './project-cost.js';
export type { LeverResult } from './lever-result.js';
export { rentVsBuy } from './rent-vs-buy.js';
export type { RentVsBuyDetails, RentVsBuyInput } from './rent-vs-buy.js';
export { spotTraining } from './spot-training.js';
export type { SpotTrainingDetails, SpotTrainingInput } from './spot-training.js';
export { commitmentLevel, expectedCost as commitmentExpectedCost } from './commitment-level.js';
export type { CommitmentLevelDetails, CommitmentLevelInput } from './commitment-level.js';
export { samplingRateLever } from './sampling-rate-lever.js';
export type { SamplingRateDetails } from './sampling-rate-lever.js';
export { bytesPerParameter, quantisationLever } from './quantisation-lever.js';
export type { PrecisionOption, Precision, QuantisationDetails, QuantisationInput, QuantisationInstance } from './quantisation-lever.js';
export { distillationLever } from './distillation-lever.js';
export type { DistillationDetails, DistillationInput, DistillationModel, DistillationModelCost } from './distillation-lever.js';
export { serverlessVsProvisionedLever } from './serverless-vs-provisioned-lever.js';
export type { ServerlessVsProvisionedDetails, ServerlessVsProvisionedInput } from './serverless-vs-provisioned-lever.js';
export { logRetentionLever } from './log-retention-lever.js';
export type { LogRetentionDetails, LogRetentionInput, LogRetentionTier } from './log-retention-lever.js';
export { compressionLever } from './compression-lever.js';
export type { CompressionDetails, CompressionInput } from './compression-lever.js';
export { peakThrottlingLever } from './peak-throttling-lever.js';
export type { PeakThrottlingDetails, PeakThrottlingInput } from './peak-throttling-lever.js';
export { tieredPricingLever } from './tiered-pricing-lever.js';
export type { TieredPricingDetails, TieredPricingInput, UsagePriceTier } from './tiered-pricing-lever.js';
export { allocateCost, computeSecondsFromLatency } from './allocate-cost.js';
export type { Allocation, CustomerAllocation, Deployment, IdleShare, ModelAllocation, ModelUsage } from './allocate-cost.js';
export { marginalCostTrend, unitMetrics, variableCostOf } from './unit-metrics.js';
export type { CostCentre, CustomerUnitMetrics, MarginalCostTrend, MarginalStep, PeriodCostLine, PeriodUnitMetrics, UnitMetrics, UnitMetricsPeriodInput } from './unit-metrics.js';
export { findCostOpportunities } from './find-cost-opportunities.js';
export type { CostOpportunity, CostOpportunityInput, CostOpportunityKind, ServingUsage } from './find-cost-opportunities.js';
export { costEntryRecords } from './cost-entry-records.js';
export type { LedgerRecord, ManualCostEntry } from './cost-entry-records.js';
