/**
 * The columns of FOCUS 1.0 (FinOps Open Cost and Usage Specification, version 1.0, June 2024). Anything else
 * must be a custom column, which the spec asks to prefix with `x_`.
 */
export const focusColumns = new Set([
  'AvailabilityZone', 'BilledCost', 'BillingAccountId', 'BillingAccountName', 'BillingCurrency', 'BillingPeriodEnd',
  'BillingPeriodStart', 'ChargeCategory', 'ChargeClass', 'ChargeDescription', 'ChargeFrequency', 'ChargePeriodEnd',
  'ChargePeriodStart', 'CommitmentDiscountCategory', 'CommitmentDiscountId', 'CommitmentDiscountName',
  'CommitmentDiscountStatus', 'CommitmentDiscountType', 'ConsumedQuantity', 'ConsumedUnit', 'ContractedCost',
  'ContractedUnitPrice', 'EffectiveCost', 'InvoiceIssuerName', 'ListCost', 'ListUnitPrice', 'PricingCategory',
  'PricingQuantity', 'PricingUnit', 'ProviderName', 'PublisherName', 'RegionId', 'RegionName', 'ResourceId',
  'ResourceName', 'ResourceType', 'ServiceCategory', 'ServiceName', 'SkuId', 'SkuPriceId', 'SubAccountId',
  'SubAccountName', 'Tags',
]);

/** Non-standard columns real exports carry: the FinOps Foundation's own FOCUS-1.0 sample data has a row `Id`. */
export const toleratedExtraColumns = new Set(['Id']);

/** FOCUS columns holding decimals (read leniently: quoted or not, `NULL` or empty for none). */
export const focusNumericColumns = [
  'BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost', 'ListUnitPrice', 'ContractedUnitPrice', 'ConsumedQuantity',
  'PricingQuantity',
] as const;

/** FOCUS columns holding date-times. */
export const focusTimestampColumns = ['ChargePeriodStart', 'ChargePeriodEnd', 'BillingPeriodStart', 'BillingPeriodEnd'] as const;

/** Without these a row is no cost record. */
export const requiredFocusColumns = ['BilledCost', 'ChargePeriodStart', 'ChargePeriodEnd'] as const;
