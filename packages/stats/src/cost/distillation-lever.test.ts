import { describe, expect, it } from 'vitest';
import { distillationLever, type DistillationInput } from './distillation-lever.js';

// Hand-worked: 5 requests/s, p99 objective 2,000 ms, 730 h a month → 5 × 3,600 × 730 = 13,140,000 predictions.
// Teacher: 50 ms on an 80 GB GPU at $4/h. M/M/1: the time in system is exponential with rate μ − λ = 20 − 5 = 15/s,
//   p99 = ln(100) / 15 = 307 ms ≤ 2,000 ms → 1 replica, $4 × 730 = $2,920; errors $1.00/1,000 → $13,140.
// Student: 100 ms on a 16 GB GPU at $0.60/h. M/M/1: μ − λ = 10 − 5 = 5/s, p99 = ln(100) / 5 = 921 ms → 1 replica,
//   $0.60 × 730 = $438; errors $1.10/1,000 → $14,454, $1,314 more than the teacher.
// Saving = (2,920 − 438) − 1,314 = $1,168 a month.
const input: DistillationInput = {
  qps: 5,
  p99Ms: 2_000,
  teacher: { name: 'teacher', measuredServiceMs: 50, memoryGb: 30, instance: { name: 'a100-80', memoryGb: 80, pricePerHourUsd: 4 }, errorCostPer1000Usd: 1 },
  student: { name: 'student', measuredServiceMs: 100, memoryGb: 3, instance: { name: 't4-16', memoryGb: 16, pricePerHourUsd: 0.6 }, errorCostPer1000Usd: 1.1 },
};

describe('distillationLever', () => {
  it('saves the serving difference minus the extra cost of the student’s errors', () => {
    const result = distillationLever(input);
    expect(result.details.predictions_per_month).toBe(13_140_000);
    expect(result.details.teacher.replicas).toBe(1);
    expect(result.details.student.replicas).toBe(1);
    expect(result.details.serving_saving_usd).toBeCloseTo(2_482, 9);
    expect(result.details.extra_error_cost_usd).toBeCloseTo(1_314, 9);
    expect(result.saving_usd).toBeCloseTo(1_168, 9);
    expect(result.per).toBe('month');
    expect(result.assumptions.join(' ')).toMatch(/held-out/);
  });

  it('lets a smaller but slower student lose', () => {
    // Student at 400 ms: offered load 5 × 0.4 = 2 Erlangs, so 2 replicas are unstable; Erlang C gives a p99 above
    // 2,000 ms with 3 and 1,906 ms with 4 → 4 replicas × $0.60 × 730 = $1,752.
    // Saving = (2,920 − 1,752) − 1,314 = −$146.
    const result = distillationLever({ ...input, student: { ...input.student, measuredServiceMs: 400 } });
    expect(result.details.student.replicas).toBe(4);
    expect(result.saving_usd).toBeCloseTo(-146, 9);
  });

  it('refuses a model that does not fit its instance', () => {
    expect(() => distillationLever({ ...input, student: { ...input.student, memoryGb: 20 } })).toThrow(/the student student needs 20 GB, t4-16 has 16 GB/);
  });
});
