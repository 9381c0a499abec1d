import { CostScenario, OutlayError } from '@outlay/schema';
import {
  commitmentLevel,
  compressionLever,
  distillationLever,
  logRetentionLever,
  peakThrottlingLever,
  quantisationLever,
  rentVsBuy,
  samplingRateLever,
  serverlessVsProvisionedLever,
  spotTraining,
  tieredPricingLever,
  type LeverResult,
} from '@outlay/stats';
import { Option, type Command } from 'commander';
import { z } from 'zod';
import { readStructuredFile } from '../read-structured-file.js';
import { parseCostScenarioFile } from './cost-scenario-file.js';
import type { CostCommandsIo } from './cost-commands-io.js';

const positive = z.number().finite().positive();
const nonNegative = z.number().finite().nonnegative();
const share = z.number().finite().min(0).max(1);
const hoursPerMonth = positive.optional();

const DistillationModelInput = z.strictObject({
  name: z.string().min(1),
  measured_service_ms: positive,
  memory_gb: nonNegative,
  instance: z.strictObject({ name: z.string().min(1), memory_gb: nonNegative, price_per_hour_usd: nonNegative }),
  error_cost_per_1000_usd: nonNegative,
});

/** One lever and its inputs, by name; field names are the stats functions' inputs in snake_case. */
export const LeverInput = z.discriminatedUnion('lever', [
  z.strictObject({
    lever: z.literal('rent_vs_buy'),
    capex_usd: nonNegative,
    salvage_usd: nonNegative,
    life_months: positive,
    gpus_per_server: positive,
    power_kw: nonNegative,
    idle_power_share: share.optional(),
    price_per_kwh_usd: nonNegative,
    pue: z.number().finite().min(1),
    colocation_per_month_usd: nonNegative,
    ops_per_month_usd: nonNegative,
    utilisation: z.number().finite().gt(0).max(1),
    cloud_price_per_gpu_hour_usd: nonNegative,
    hours_per_month: hoursPerMonth,
  }),
  z.strictObject({
    lever: z.literal('spot_training'),
    work_hours: positive,
    on_demand_price_per_hour_usd: nonNegative,
    spot_discount: z.number().finite().min(0).lt(1),
    interruptions_per_hour: nonNegative,
    checkpoint_interval_hours: positive,
    checkpoint_write_hours: nonNegative,
    restart_hours: nonNegative,
  }),
  z.strictObject({
    lever: z.literal('commitment_level'),
    demand: z.array(nonNegative).min(1),
    on_demand_price_per_hour_usd: positive,
    commit_price_per_hour_usd: nonNegative,
  }),
  z.strictObject({
    lever: z.literal('sampling_rate'),
    scenario: CostScenario,
    proposed_rate: z.number().finite().gt(0).max(1),
    scale: positive.optional(),
  }),
  z.strictObject({
    lever: z.literal('quantisation'),
    parameter_count: positive,
    overhead_gb: nonNegative,
    qps: nonNegative,
    peak_to_mean: z.number().finite().min(1).optional(),
    p99_ms: positive,
    baseline: z.enum(['fp32', 'fp16', 'int8']).optional(),
    hours_per_month: hoursPerMonth,
    instances: z
      .array(
        z.strictObject({
          name: z.string().min(1),
          memory_gb: positive,
          price_per_hour_usd: nonNegative,
          replicas_per_instance: z.number().int().positive().optional(),
          measured_service_ms: z.strictObject({ fp32: positive.optional(), fp16: positive.optional(), int8: positive.optional() }),
        }),
      )
      .min(1),
  }),
  z.strictObject({
    lever: z.literal('distillation'),
    qps: nonNegative,
    peak_to_mean: z.number().finite().min(1).optional(),
    p99_ms: positive,
    hours_per_month: hoursPerMonth,
    teacher: DistillationModelInput,
    student: DistillationModelInput,
  }),
  z.strictObject({
    lever: z.literal('serverless_vs_provisioned'),
    requests_per_month: nonNegative,
    hours_per_month: hoursPerMonth,
    serverless: z.strictObject({ price_per_request_usd: nonNegative, price_per_gb_second_usd: nonNegative, memory_gb: nonNegative, duration_ms: nonNegative }),
    provisioned: z.strictObject({ service_ms: positive, p99_ms: positive, peak_to_mean: z.number().finite().min(1).optional(), price_per_replica_hour_usd: nonNegative }),
  }),
  z.strictObject({
    lever: z.literal('log_retention'),
    bytes_per_prediction: nonNegative,
    predictions_per_day: nonNegative,
    tiers: z.array(z.strictObject({ name: z.string().min(1), days: nonNegative, price_per_gb_month_usd: nonNegative })).min(1),
  }),
  z
    .strictObject({
      lever: z.literal('compression'),
      bytes_per_prediction: nonNegative,
      predictions_per_month: nonNegative,
      compression_ratio: z.number().finite().min(1),
      bandwidth_price_per_gb_usd: nonNegative.optional(),
      bandwidth_tiers: z.array(z.strictObject({ up_to_gb: positive.nullable(), price_per_gb_usd: nonNegative })).min(1).optional(),
      cpu_cost_per_million_usd: nonNegative,
    })
    .refine((v) => (v.bandwidth_price_per_gb_usd === undefined) !== (v.bandwidth_tiers === undefined), {
      message: 'expected exactly one of bandwidth_price_per_gb_usd, bandwidth_tiers',
    }),
  z.strictObject({
    lever: z.literal('peak_throttling'),
    hourly_qps: z.array(nonNegative).min(1),
    cap_qps: nonNegative,
    service_ms: positive,
    p99_ms: positive,
    price_per_replica_hour_usd: nonNegative,
    cost_per_throttled_request_usd: nonNegative,
    hours_per_month: hoursPerMonth,
  }),
  z.strictObject({
    lever: z.literal('tiered_pricing'),
    usage_per_customer: z.array(nonNegative).min(1),
    tiers: z.array(z.strictObject({ up_to: positive.nullable(), price_per_unit_usd: nonNegative })).min(1),
    flat_price_per_unit_usd: nonNegative,
    variable_cost_per_unit_usd: nonNegative,
  }),
]);
export type LeverInput = z.infer<typeof LeverInput>;

export const LeversFile = z.strictObject({ levers: z.array(LeverInput).min(1) });
export type LeversFile = z.infer<typeof LeversFile>;

/** Adds `outlay cost levers`: prices each lever in a JSON or YAML file. Bad input throws OutlayError('invalid_input'). */
export function registerCostLeversCommand(cost: Command, io: CostCommandsIo): Command {
  return cost
    .command('levers')
    .description('Price cost levers (distillation, serverless, log retention, compression, throttling, tiered pricing, …) from a file.')
    .requiredOption('--file <file>', 'levers file (JSON or YAML): {levers: [{lever: NAME, …inputs}]}')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText('after', `
Levers: ${LeverInput.options.map((o) => o.shape.lever.value).join(', ')}.
Each result has the saving (positive: the lever saves money; negative: it costs more), the period it is counted
over, its assumptions and the numbers behind it. See docs/examples/levers.json.

Examples:
  outlay cost levers --file docs/examples/levers.json
  outlay cost levers --file levers.yaml --format json`)
    .action((opts: { file: string; format: string }) => {
      const levers = loadLevers(opts.file);
      const today = new Date().toISOString().slice(0, 10);
      const results = levers.map((lever, i) => {
        try {
          return priceLever(lever, `${opts.file}: levers[${i}].scenario`, today);
        } catch (error) {
          // stats throws RangeError for impossible input (it knows nothing of OutlayError); to the user it is bad input.
          if (error instanceof RangeError) throw new OutlayError('invalid_input', `${opts.file}: levers[${i}] (${lever.lever}): ${error.message}`, { cause: error });
          throw error;
        }
      });
      io.stdout(opts.format === 'json' ? `${JSON.stringify({ file: opts.file, levers: results })}\n` : `${results.map(leverText).join('\n\n')}\n`);
    });
}

function loadLevers(file: string): LeverInput[] {
  const parsed = LeversFile.safeParse(readStructuredFile(file, '--file'));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new OutlayError('invalid_input', `${file}: ${formatPath(issue.path)}: ${issue.message}`, { details: parsed.error.issues });
  }
  return parsed.data.levers;
}

function priceLever(l: LeverInput, scenarioLabel: string, today: string): LeverResult<unknown> {
  switch (l.lever) {
    case 'rent_vs_buy':
      return rentVsBuy({
        capexUsd: l.capex_usd,
        salvageUsd: l.salvage_usd,
        lifeMonths: l.life_months,
        gpusPerServer: l.gpus_per_server,
        powerKw: l.power_kw,
        ...(l.idle_power_share === undefined ? {} : { idlePowerShare: l.idle_power_share }),
        pricePerKwhUsd: l.price_per_kwh_usd,
        pue: l.pue,
        colocationPerMonthUsd: l.colocation_per_month_usd,
        opsPerMonthUsd: l.ops_per_month_usd,
        utilisation: l.utilisation,
        cloudPricePerGpuHourUsd: l.cloud_price_per_gpu_hour_usd,
        ...(l.hours_per_month === undefined ? {} : { hoursPerMonth: l.hours_per_month }),
      });
    case 'spot_training':
      return spotTraining({
        workHours: l.work_hours,
        onDemandPricePerHourUsd: l.on_demand_price_per_hour_usd,
        spotDiscount: l.spot_discount,
        interruptionsPerHour: l.interruptions_per_hour,
        checkpointIntervalHours: l.checkpoint_interval_hours,
        checkpointWriteHours: l.checkpoint_write_hours,
        restartHours: l.restart_hours,
      });
    case 'commitment_level':
      return commitmentLevel({ demand: l.demand, onDemandPricePerHourUsd: l.on_demand_price_per_hour_usd, commitPricePerHourUsd: l.commit_price_per_hour_usd });
    case 'sampling_rate': {
      // Serving prices resolve through the price book exactly as in `outlay cost project`.
      const [resolved] = parseCostScenarioFile({ scenarios: [l.scenario] }, scenarioLabel, today).scenarios;
      return samplingRateLever(resolved!.scenario, l.proposed_rate, l.scale ?? 1);
    }
    case 'quantisation':
      return quantisationLever({
        parameterCount: l.parameter_count,
        overheadGb: l.overhead_gb,
        qps: l.qps,
        p99Ms: l.p99_ms,
        ...(l.peak_to_mean === undefined ? {} : { peakToMean: l.peak_to_mean }),
        ...(l.baseline === undefined ? {} : { baseline: l.baseline }),
        ...(l.hours_per_month === undefined ? {} : { hoursPerMonth: l.hours_per_month }),
        instances: l.instances.map((i) => ({
          name: i.name,
          memoryGb: i.memory_gb,
          pricePerHourUsd: i.price_per_hour_usd,
          ...(i.replicas_per_instance === undefined ? {} : { replicasPerInstance: i.replicas_per_instance }),
          measuredServiceMs: i.measured_service_ms,
        })),
      });
    case 'distillation': {
      const model = (m: z.infer<typeof DistillationModelInput>) => ({
        name: m.name,
        measuredServiceMs: m.measured_service_ms,
        memoryGb: m.memory_gb,
        instance: { name: m.instance.name, memoryGb: m.instance.memory_gb, pricePerHourUsd: m.instance.price_per_hour_usd },
        errorCostPer1000Usd: m.error_cost_per_1000_usd,
      });
      return distillationLever({
        qps: l.qps,
        p99Ms: l.p99_ms,
        ...(l.peak_to_mean === undefined ? {} : { peakToMean: l.peak_to_mean }),
        ...(l.hours_per_month === undefined ? {} : { hoursPerMonth: l.hours_per_month }),
        teacher: model(l.teacher),
        student: model(l.student),
      });
    }
    case 'serverless_vs_provisioned':
      return serverlessVsProvisionedLever({
        requestsPerMonth: l.requests_per_month,
        ...(l.hours_per_month === undefined ? {} : { hoursPerMonth: l.hours_per_month }),
        serverless: {
          pricePerRequestUsd: l.serverless.price_per_request_usd,
          pricePerGbSecondUsd: l.serverless.price_per_gb_second_usd,
          memoryGb: l.serverless.memory_gb,
          durationMs: l.serverless.duration_ms,
        },
        provisioned: {
          serviceMs: l.provisioned.service_ms,
          p99Ms: l.provisioned.p99_ms,
          ...(l.provisioned.peak_to_mean === undefined ? {} : { peakToMean: l.provisioned.peak_to_mean }),
          pricePerReplicaHourUsd: l.provisioned.price_per_replica_hour_usd,
        },
      });
    case 'log_retention':
      return logRetentionLever({
        bytesPerPrediction: l.bytes_per_prediction,
        predictionsPerDay: l.predictions_per_day,
        tiers: l.tiers.map((t) => ({ name: t.name, days: t.days, pricePerGbMonthUsd: t.price_per_gb_month_usd })),
      });
    case 'compression':
      return compressionLever({
        bytesPerPrediction: l.bytes_per_prediction,
        predictionsPerMonth: l.predictions_per_month,
        compressionRatio: l.compression_ratio,
        bandwidth: l.bandwidth_tiers?.map((t) => ({ upToGb: t.up_to_gb, pricePerGbUsd: t.price_per_gb_usd })) ?? l.bandwidth_price_per_gb_usd!,
        cpuCostPerMillionUsd: l.cpu_cost_per_million_usd,
      });
    case 'peak_throttling':
      return peakThrottlingLever({
        hourlyQps: l.hourly_qps,
        capQps: l.cap_qps,
        serviceMs: l.service_ms,
        p99Ms: l.p99_ms,
        pricePerReplicaHourUsd: l.price_per_replica_hour_usd,
        costPerThrottledRequestUsd: l.cost_per_throttled_request_usd,
        ...(l.hours_per_month === undefined ? {} : { hoursPerMonth: l.hours_per_month }),
      });
    case 'tiered_pricing':
      return tieredPricingLever({
        usagePerCustomer: l.usage_per_customer,
        tiers: l.tiers.map((t) => ({ upTo: t.up_to, pricePerUnitUsd: t.price_per_unit_usd })),
        flatPricePerUnitUsd: l.flat_price_per_unit_usd,
        variableCostPerUnitUsd: l.variable_cost_per_unit_usd,
      });
  }
}

function leverText(result: LeverResult<unknown>): string {
  const verb = result.saving_usd >= 0 ? 'saves' : 'costs';
  return [`${result.lever}: ${verb} $${Math.abs(result.saving_usd).toFixed(2)} per ${result.per}`, ...result.assumptions.map((a) => `  - ${a}`)].join('\n');
}

/** ['levers', 2, 'memory_gb'] → 'levers[2].memory_gb'. */
function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}
