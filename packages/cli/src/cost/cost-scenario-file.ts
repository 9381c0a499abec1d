import { readFileSync } from 'node:fs';
import { CostScenarioFile, OutlayError, type CostScenario } from '@outlay/schema';
import { defaultPriceCatalogue, mergePriceBooks, priceAt, type CostLine, type PriceEntry, type ProjectionScenario, type ScaleKnobs } from '@outlay/stats';

export interface LoadedScenario {
  scenario: ProjectionScenario;
  /** Where the serving price came from. */
  price: { price_per_hour_usd: number; source: string };
}

export interface LoadedScenarioFile {
  file: string;
  price_date: string;
  scales: (number | ScaleKnobs)[] | null;
  scenarios: LoadedScenario[];
}

/** Reads and validates a scenario file (JSON). Bad input throws OutlayError('invalid_input') naming the file and field. */
export function loadCostScenarioFile(file: string, today: string): LoadedScenarioFile {
  if (/\.ya?ml$/i.test(file)) {
    throw new OutlayError('invalid_input', `${file}: YAML scenario files need the "yaml" package, which is not installed; write the scenario as JSON`);
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new OutlayError('invalid_input', `${file}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new OutlayError('invalid_input', `${file}: not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  return parseCostScenarioFile(json, file, today);
}

/** Validates parsed JSON against the scenario schema and resolves serving prices through the price book. */
export function parseCostScenarioFile(json: unknown, file: string, today: string): LoadedScenarioFile {
  const parsed = CostScenarioFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new OutlayError('invalid_input', `${file}: ${formatPath(issue.path)}: ${issue.message}`, { details: parsed.error.issues });
  }
  const input = parsed.data;
  const priceDate = input.price_date ?? today;
  const own: PriceEntry[] = input.price_book.map((e) => ({
    vendor: e.vendor,
    service: e.service,
    region: e.region,
    instance: e.instance,
    purchase_option: e.purchase_option,
    price_per_hour_usd: e.price_per_hour_usd,
    effective_from: e.effective_from,
    ...(e.source === undefined ? {} : { source: { url: e.source, retrieved: e.effective_from } }),
  }));
  const book = mergePriceBooks(input.use_default_catalogue ? defaultPriceCatalogue : [], own);
  const scenarios = input.scenarios.map((s, i): LoadedScenario => {
    let price: LoadedScenario['price'];
    if (s.serving.instance !== undefined) {
      const found = priceAt(book, s.serving.instance, priceDate);
      if (found.status === 'missing') throw new OutlayError('invalid_input', `${file}: scenarios[${i}].serving.instance: ${found.message}`, { details: found });
      price = { price_per_hour_usd: found.price_per_hour_usd, source: found.entry.source?.url ?? `price book entry effective from ${found.effective_from}` };
    } else {
      price = { price_per_hour_usd: s.serving.price_per_hour_usd!, source: 'scenario file' };
    }
    return { scenario: toScenario(s, price.price_per_hour_usd), price };
  });
  return { file, price_date: priceDate, scales: input.scales ?? null, scenarios };
}

function toScenario(s: CostScenario, pricePerHourUsd: number): ProjectionScenario {
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

/** ['scenarios', 0, 'serving', 'service_ms'] → 'scenarios[0].serving.service_ms'. */
function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}
