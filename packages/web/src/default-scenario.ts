// The scenario the Scale & scenarios page opens with: the first scenario of docs/examples/cost-scenario.json
// (video analytics on g5.xlarge from the default price catalogue), so a new user sees a real projection and an
// example of the file `outlay cost project` reads. Edit it on the page, or paste your own.

export const defaultScenarioFile = {
  scenarios: [
    {
      name: 'video-analytics',
      volume: { predictions_per_month: 1_000_000, peak_to_mean: 3, sampling_rate: 1 },
      serving: {
        service_ms: 50,
        p99_ms: 500,
        instance: { vendor: 'aws', service: 'AmazonEC2', region: 'us-east-1', instance: 'g5.xlarge', purchase_option: 'on_demand' },
        min_instances: 2,
      },
      bandwidth: {
        bytes_per_prediction: 2_000_000,
        tiers: [
          { up_to_gb: 10_000, price_per_gb_usd: 0.09 },
          { up_to_gb: 50_000, price_per_gb_usd: 0.085 },
          { up_to_gb: 150_000, price_per_gb_usd: 0.07 },
          { up_to_gb: null, price_per_gb_usd: 0.05 },
        ],
      },
      storage: { bytes_per_prediction: 2000, price_per_gb_month_usd: 0.023, retained_months: 12 },
      variety: { customers: { at_base: 4, exponent: 0.7 }, models: { at_base: 1, exponent: 0.3 } },
      costs: [
        { name: 'customer support', bucket: 'variable.operations', driver: 'customers', step: { units_per_step: 25, cost_per_step_usd: 12_000 } },
        { name: 'annotation', bucket: 'variable.operations', driver: 'predictions', per_unit_usd: 0.00002 },
        { name: 'ML engineers', bucket: 'fixed.development.developers', driver: 'models', step: { units_per_step: 3, cost_per_step_usd: 18_000 } },
        { name: 'edge devices (amortised)', bucket: 'fixed.hardware', driver: 'none', monthly_usd: 1500 },
        { name: 'training runs', bucket: 'fixed.development.training', driver: 'models', per_unit_usd: 3000 },
      ],
    },
  ],
};

/** Scales of the projection chart: 1× to 1000×, three points a decade so the curve shows its steps. */
export const projectionScales = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];

/** Example lever inputs; each is labelled on the page as an example to replace with the team's own numbers. */
export const leverDefaults = {
  precision: { parameter_count: 3e9, overhead_gb: 2, memory_gb: 24, measured_service_ms: { fp32: 50, fp16: 31, int8: 24 } },
  spot: {
    training_hours_per_month: 400,
    on_demand_price_per_hour_usd: 4.1,
    spot_discount: 0.7,
    interruptions_per_hour: 0.05,
    checkpoint_interval_hours: 1,
    checkpoint_write_hours: 0.05,
    restart_hours: 0.25,
  },
  commitDiscount: 0.35,
};
