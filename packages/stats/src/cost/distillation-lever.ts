import { capacityPlan } from './capacity-plan.js';
import type { LeverResult } from './lever-result.js';

export interface DistillationModel {
  name: string;
  /** Service time per request measured on `instance` (never assumed: a smaller model is not always faster). */
  measuredServiceMs: number;
  /** Memory one replica of the model needs, GB (1e9 bytes). */
  memoryGb: number;
  instance: { name: string; memoryGb: number; pricePerHourUsd: number };
  /** What this model's errors cost the business per 1,000 predictions (missed fraud, refunds, review), USD. */
  errorCostPer1000Usd: number;
}

export interface DistillationInput {
  /** Mean requests per second. */
  qps: number;
  peakToMean?: number;
  p99Ms: number;
  teacher: DistillationModel;
  student: DistillationModel;
  hoursPerMonth?: number;
}

export interface DistillationModelCost {
  name: string;
  instance: string;
  service_ms: number;
  replicas: number;
  serving_per_month_usd: number;
  error_cost_per_month_usd: number;
  total_per_month_usd: number;
}

export interface DistillationDetails {
  predictions_per_month: number;
  teacher: DistillationModelCost;
  student: DistillationModelCost;
  serving_saving_usd: number;
  extra_error_cost_usd: number;
}

/**
 * Distillation: serve a student model instead of its teacher. Each model's replicas come from `capacityPlan`
 * (Erlang C, at the peak) with its own measured service time, on an instance its memory fits; the saving is the
 * serving cost difference minus the extra cost of the student's errors (predictions / 1,000 × the difference in
 * error cost per 1,000). A smaller but slower student can need more replicas and lose.
 */
export function distillationLever(input: DistillationInput): LeverResult<DistillationDetails> {
  const hours = input.hoursPerMonth ?? 730;
  const peakToMean = input.peakToMean ?? 1;
  if (!(Number.isFinite(hours) && hours > 0)) throw new RangeError(`distillationLever: hoursPerMonth must be > 0, got ${hours}`);
  if (!(Number.isFinite(input.qps) && input.qps >= 0)) throw new RangeError(`distillationLever: qps must be a finite number ≥ 0, got ${input.qps}`);
  const predictions = input.qps * 3600 * hours;
  const cost = (role: 'teacher' | 'student'): DistillationModelCost => {
    const m = input[role];
    for (const [name, v] of Object.entries({ memoryGb: m.memoryGb, errorCostPer1000Usd: m.errorCostPer1000Usd, pricePerHourUsd: m.instance.pricePerHourUsd })) {
      if (!(Number.isFinite(v) && v >= 0)) throw new RangeError(`distillationLever: ${role}.${name} must be a finite number ≥ 0, got ${v}`);
    }
    if (m.memoryGb > m.instance.memoryGb) {
      throw new RangeError(`distillationLever: the ${role} ${m.name} needs ${m.memoryGb} GB, ${m.instance.name} has ${m.instance.memoryGb} GB`);
    }
    let replicas: number;
    try {
      replicas = capacityPlan({ qps: input.qps, serviceMs: m.measuredServiceMs, p99Ms: input.p99Ms, peakToMean, maxReplicas: 1_000_000 }).replicas;
    } catch (error) {
      if (error instanceof RangeError) throw new RangeError(`distillationLever: ${role} ${m.name}: ${error.message}`, { cause: error });
      throw error;
    }
    const serving = replicas * m.instance.pricePerHourUsd * hours;
    const errors = (predictions / 1000) * m.errorCostPer1000Usd;
    return {
      name: m.name,
      instance: m.instance.name,
      service_ms: m.measuredServiceMs,
      replicas,
      serving_per_month_usd: serving,
      error_cost_per_month_usd: errors,
      total_per_month_usd: serving + errors,
    };
  };
  const teacher = cost('teacher');
  const student = cost('student');
  const servingSaving = teacher.serving_per_month_usd - student.serving_per_month_usd;
  const extraErrors = student.error_cost_per_month_usd - teacher.error_cost_per_month_usd;
  return {
    lever: 'distillation',
    saving_usd: servingSaving - extraErrors,
    per: 'month',
    assumptions: [
      `${input.qps} requests/s (${Math.round(predictions)} predictions a month) with a ${peakToMean}× peak, p99 objective ${input.p99Ms} ms (M/M/c)`,
      `service times as measured: ${teacher.name} ${teacher.service_ms} ms on ${teacher.instance}, ${student.name} ${student.service_ms} ms on ${student.instance}`,
      `errors cost ${input.teacher.errorCostPer1000Usd} (teacher) and ${input.student.errorCostPer1000Usd} (student) USD per 1,000 predictions, measured on the same held-out data`,
      'the cost of distilling (training the student) is not counted: it is a one-off to set against the monthly saving',
    ],
    details: { predictions_per_month: predictions, teacher, student, serving_saving_usd: servingSaving, extra_error_cost_usd: extraErrors },
  };
}
