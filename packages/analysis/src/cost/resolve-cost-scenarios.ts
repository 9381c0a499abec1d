import { CostScenarioFile, OutlayError, type CostScenario } from '@outlay/schema';
import { defaultPriceCatalogue, mergePriceBooks, priceAt, type CostLine, type PriceEntry, type ProjectionScenario, type ScaleKnobs } from '@outlay/stats';

export interface ResolvedScenario {
  scenario: ProjectionScenario;
  /** Where the serving price came from. */
  price: { price_per_hour_usd: number; source: string };
}

export interface ResolvedScenarioFile {
  price_date: string;
  scales: (number | ScaleKnobs)[] | null;
  scenarios: ResolvedScenario[];
}

/**
 * A reading of `outlay cost project`'s scenario JSON (the CLI's file and the server's body): validated by the shared schema, serving prices
 * resolved through the default catalogue and the body's own price book. Bad input throws OutlayError naming the
 * field (`scenarios[0].serving.instance: …`).
 */
export function resolveCostScenarios(file: CostScenarioFile, today: string, inlinePriceSource = 'scenario'): ResolvedScenarioFile {
  const priceDate = file.price_date ?? today;
  const own: PriceEntry[] = file.price_book.map((e) => ({
    vendor: e.vendor,
    service: e.service,
    region: e.region,
    instance: e.instance,
    purchase_option: e.purchase_option,
    price_per_hour_usd: e.price_per_hour_usd,
    effective_from: e.effective_from,
    ...(e.source === undefined ? {} : { source: { url: e.source, retrieved: e.effective_from } }),
  }));
  const book = mergePriceBooks(file.use_default_catalogue ? defaultPriceCatalogue : [], own);
  const scenarios = file.scenarios.map((s, i): ResolvedScenario => {
    let price: ResolvedScenario['price'];
    if (s.serving.instance !== undefined) {
      const found = priceAt(book, s.serving.instance, priceDate);
      if (found.status === 'missing') throw new OutlayError('invalid_input', `scenarios[${i}].serving.instance: ${found.message}`, { details: found });
      price = { price_per_hour_usd: found.price_per_hour_usd, source: found.entry.source?.url ?? `price book entry effective from ${found.effective_from}` };
    } else {
      price = { price_per_hour_usd: s.serving.price_per_hour_usd!, source: inlinePriceSource };
    }
    return { scenario: toProjectionScenario(s, price.price_per_hour_usd), price };
  });
  return { price_date: priceDate, scales: file.scales ?? null, scenarios };
}

/** The schema's snake_case scenario as the stats package's ProjectionScenario. */
export function toProjectionScenario(s: CostScenario, pricePerHourUsd: number): ProjectionScenario {
  const growth = (g: { at_base: number; exponent: number } | undefined) => (g === undefined ? undefined : { atBase: g.at_base, exponent: g.exponent });
  const customers = growth(s.variety?.customers);
  const models = growth(s.variety?.models);
  return {
    name: s.name,
    ...(s.hours_per_month === undefined ? {} : { hoursPerMonth: s.hours_per_month }),
    volume: {
      predictionsPerMonth: s.volume.predictions_per_month,
      peakToMean: s.volume.peak_to_mean,
      ...(s.volume.sampling_rate === undefined ? {} : { samplingRate: s.volume.sampling_rate }),
    },
    serving: {
      serviceMs: s.serving.service_ms,
      p99Ms: s.serving.p99_ms,
      instancePricePerHourUsd: pricePerHourUsd,
      ...(s.serving.replicas_per_instance === undefined ? {} : { replicasPerInstance: s.serving.replicas_per_instance }),
      ...(s.serving.min_instances === undefined ? {} : { minInstances: s.serving.min_instances }),
    },
    ...(s.bandwidth === undefined
      ? {}
      : { bandwidth: { bytesPerPrediction: s.bandwidth.bytes_per_prediction, tiers: s.bandwidth.tiers.map((t) => ({ upToGb: t.up_to_gb, pricePerGbUsd: t.price_per_gb_usd })) } }),
    ...(s.storage === undefined
      ? {}
      : {
          storage: {
            bytesPerPrediction: s.storage.bytes_per_prediction,
            pricePerGbMonthUsd: s.storage.price_per_gb_month_usd,
            retainedMonths: s.storage.retained_months,
            ...(s.storage.bucket === undefined ? {} : { bucket: s.storage.bucket }),
          },
        }),
    ...(customers === undefined && models === undefined ? {} : { variety: { ...(customers ? { customers } : {}), ...(models ? { models } : {}) } }),
    costs: s.costs.map((line): CostLine => {
      const rule: CostLine['rule'] =
        line.per_unit_usd !== undefined
          ? { kind: 'per_unit', perUnitUsd: line.per_unit_usd }
          : line.step !== undefined
            ? { kind: 'step', unitsPerStep: line.step.units_per_step, costPerStepUsd: line.step.cost_per_step_usd }
            : line.power !== undefined
              ? { kind: 'power', costAtBaseUsd: line.power.cost_at_base_usd, exponent: line.power.exponent }
              : { kind: 'fixed', monthlyUsd: line.monthly_usd! };
      return { name: line.name, bucket: line.bucket, driver: line.driver, rule };
    }),
  };
}
