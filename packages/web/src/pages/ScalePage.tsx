import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import type { Access } from '../api.ts';
import { ProjectionChart } from '../charts/ProjectionChart.tsx';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { TrafficPanel } from '../components/TrafficPanel.tsx';
import { fetchCapacity, postCostProjection, type LeverSaving, type ProjectedScale, type ScenarioProjection } from '../cost-api.ts';
import { defaultScenarioFile, leverDefaults, projectionScales } from '../default-scenario.ts';
import { formatCount, formatScale, formatShare, formatUsd } from '../format.ts';
import { useQueryParam } from '../query-param.ts';
import { useAsync, useDebounced } from '../use-async.ts';
import { withMeasuredVolume } from '../volume-api.ts';

interface ScalePageProps {
  access: Access;
}

const scenarioStorageKey = 'outlay.scenario';
const precisions = ['fp32', 'fp16', 'int8'] as const;
type Precision = (typeof precisions)[number];

function loadScenarioText(): string {
  try {
    return sessionStorage.getItem(scenarioStorageKey) ?? JSON.stringify(defaultScenarioFile, null, 2);
  } catch {
    return JSON.stringify(defaultScenarioFile, null, 2);
  }
}

function numberParam(text: string | null, fallback: number, min: number, max: number): number {
  const value = text === null ? Number.NaN : Number(text);
  return Number.isFinite(value) && value >= min && value <= max ? value : fallback;
}

/** What the business pays at 1×–1000× today's volume, and what each lever would save. */
export function ScalePage({ access }: ScalePageProps) {
  const [scenarioText, setScenarioText] = useState(loadScenarioText);
  const [samplingParam, setSampling] = useQueryParam('sampling');
  const [precisionParam, setPrecision] = useQueryParam('precision');
  const [spotParam, setSpot] = useQueryParam('spot');
  const [commitParam, setCommit] = useQueryParam('commit');
  const [measuredMs, setMeasuredMs] = useState<Partial<Record<Precision, number>>>(leverDefaults.precision.measured_service_ms);

  const parsed = useMemo((): { file: Record<string, unknown> } | { problem: string } => {
    try {
      const value: unknown = JSON.parse(scenarioText);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return { problem: 'The scenario must be a JSON object with "scenarios".' };
      return { file: value as Record<string, unknown> };
    } catch (error) {
      return { problem: `The scenario is not valid JSON: ${(error as Error).message}` };
    }
  }, [scenarioText]);
  useEffect(() => {
    try {
      // Only an edited scenario is kept (for this tab), so signing out leaves nothing behind by default.
      if (scenarioText === JSON.stringify(defaultScenarioFile, null, 2)) sessionStorage.removeItem(scenarioStorageKey);
      else sessionStorage.setItem(scenarioStorageKey, scenarioText);
    } catch {
      // Storage disabled: the edit lives until the tab reloads.
    }
  }, [scenarioText]);

  const samplingRate = numberParam(samplingParam, 1, 0.01, 1);
  const precision: Precision = precisions.includes(precisionParam as Precision) ? (precisionParam as Precision) : 'fp32';
  const spotShare = numberParam(spotParam, 0, 0, 1);
  const commitLevel = commitParam === null ? null : numberParam(commitParam, 0, 0, 1_000_000);

  const request = useMemo(() => {
    if (!('file' in parsed)) return null;
    return {
      ...parsed.file,
      scales: projectionScales,
      levers: {
        sampling_rate: samplingRate,
        precision: { ...leverDefaults.precision, measured_service_ms: measuredMs, chosen: precision },
        spot: { ...leverDefaults.spot, share: spotShare },
        commitment: { commit_discount: leverDefaults.commitDiscount, ...(commitLevel === null ? {} : { level: Math.round(commitLevel) }) },
      },
    };
  }, [parsed, samplingRate, precision, spotShare, commitLevel, measuredMs]);
  const settledRequest = useDebounced(request, 250);
  const load = useCallback((signal: AbortSignal) => postCostProjection(access, settledRequest, signal), [access, settledRequest]);
  const projection = useAsync(settledRequest === null ? null : load);
  const scenario = projection.data?.scenarios[0];

  return (
    <div className="scale-page">
      <div className="page-title">
        <h1>Scale &amp; scenarios</h1>
        <p className="muted">
          Monthly cost at 1× to 1000× today's volume, and what each lever saves. The scenario is the JSON of{' '}
          <code>npx outlay cost project</code>: edit it at the bottom.
        </p>
      </div>
      {'problem' in parsed && (
        <p className="notice notice-error" role="alert">
          {parsed.problem}
        </p>
      )}
      {projection.error !== undefined && (
        <ErrorNotice title="Could not project this scenario" error={projection.error}>
          <p>Fix the field the message names in the scenario below; the lever controls keep their values.</p>
        </ErrorNotice>
      )}
      {projection.loading && !scenario && (
        <p className="muted" aria-busy="true">
          Projecting the scenario…
        </p>
      )}
      {scenario && <Projection scenario={scenario} count={projection.data!.scenarios.length} priceDate={projection.data!.price_date} busy={projection.loading} />}
      {scenario && (
        <section className="card" aria-labelledby="levers-title">
          <h2 id="levers-title">Levers</h2>
          <p className="muted">Each lever on its own, at today's volume, per month.</p>
          <div className="levers">
            <SamplingLever value={samplingRate} onChange={(v) => setSampling(String(v), { replace: true })} result={lever(scenario, 'sampling_rate')} />
            <PrecisionLever value={precision} onChange={setPrecision} measuredMs={measuredMs} onMeasuredMs={setMeasuredMs} result={lever(scenario, 'precision')} />
            <SpotLever value={spotShare} onChange={(v) => setSpot(String(v), { replace: true })} result={lever(scenario, 'spot_share')} />
            <CommitmentLever value={commitLevel} onChange={(v) => setCommit(v === null ? null : String(v), { replace: true })} result={lever(scenario, 'commitment_level')} />
          </div>
        </section>
      )}
      <TrafficPanel
        access={access}
        onUse={(volume) => {
          const next = withMeasuredVolume(scenarioText, volume);
          if (next !== null) setScenarioText(next);
        }}
      />
      <CapacityPanel access={access} />
      <details className="card scenario-editor">
        <summary>Edit the scenario (the JSON that `outlay cost project` reads)</summary>
        <textarea aria-label="Scenario JSON" spellCheck={false} value={scenarioText} onChange={(event) => setScenarioText(event.target.value)} rows={24} />
        <button type="button" onClick={() => setScenarioText(JSON.stringify(defaultScenarioFile, null, 2))}>
          Reset to the example
        </button>
      </details>
    </div>
  );
}

function lever(scenario: ScenarioProjection, name: LeverSaving['lever']): LeverSaving | undefined {
  return scenario.levers.find((l) => l.lever === name);
}

const tableScales = new Set([1, 10, 100, 1000]);

function Projection({ scenario, count, priceDate, busy }: { scenario: ScenarioProjection; count: number; priceDate: string; busy: boolean }) {
  const base = scenario.scales[0]!;
  const perThousand = (usd: number | null) => (usd === null ? '—' : formatUsd(usd * 1000));
  const rows = scenario.scales.filter((s) => tableScales.has(s.scale.volume));
  return (
    <section className="card" aria-labelledby="projection-title" aria-busy={busy}>
      <h2 id="projection-title">
        Projection of <span className="model-name">{scenario.scenario}</span>
      </h2>
      <p className="muted">
        Serving at {formatUsd(scenario.serving_price.price_per_hour_usd)} an hour per instance ({scenario.serving_price.source}), prices of {priceDate}
        {count > 1 && <> · showing the first of {count} scenarios</>}.
      </p>
      <dl className="stats">
        <div>
          <dt>Cost per month today</dt>
          <dd>{formatUsd(base.total_usd)}</dd>
        </div>
        <div>
          <dt>Per 1,000 predictions</dt>
          <dd>{perThousand(base.per_prediction_usd)}</dd>
        </div>
        <div>
          <dt>Per 1,000 at 1000×</dt>
          <dd>{perThousand(scenario.scales.at(-1)!.per_prediction_usd)}</dd>
        </div>
        <div>
          <dt>Marginal cost</dt>
          <dd className="time">{scenario.marginal_rises_then_falls ? 'rises, then falls' : 'see the dashed line'}</dd>
        </div>
      </dl>
      <ProjectionChart scales={scenario.scales} />
      <div className="table-scroll">
        <table className="models-table projection-table">
          <caption className="visually-hidden">Projected cost by scale</caption>
          <thead>
            <tr>
              <th scope="col">Volume</th>
              <th scope="col" className="num">
                Predictions / month
              </th>
              <th scope="col" className="num">
                Instances
              </th>
              <th scope="col" className="num">
                Cost / month
              </th>
              <th scope="col" className="num">
                Per 1,000
              </th>
              <th scope="col" className="num">
                Marginal per 1,000
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((s: ProjectedScale) => (
              <tr key={s.scale.volume}>
                <th scope="row">{formatScale(s.scale.volume)}</th>
                <td className="num">{formatCount(Math.round(s.predictions_per_month))}</td>
                <td className="num">{formatCount(s.instances)}</td>
                <td className="num">{formatUsd(s.total_usd)}</td>
                <td className="num">{perThousand(s.per_prediction_usd)}</td>
                <td className="num">{perThousand(s.marginal_per_prediction_usd)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Saving({ result }: { result: LeverSaving | undefined }) {
  if (!result) return <p className="muted">—</p>;
  if (result.error !== undefined) {
    return (
      <p className="error-text" data-lever={result.lever}>
        Cannot price this lever: {result.error}
      </p>
    );
  }
  const saves = result.saving_usd_per_month;
  return (
    <>
      <p className="saving" data-lever={result.lever}>
        {saves >= 0 ? 'Saves ' : 'Costs '}
        <strong>{formatUsd(Math.abs(saves))}</strong> a month
        <span className="muted">
          {' '}
          ({formatUsd(result.before_usd)} → {formatUsd(result.after_usd)})
        </span>
      </p>
      <details>
        <summary>Assumptions</summary>
        <ul>
          {result.assumptions.map((a) => (
            <li key={a}>{a}</li>
          ))}
        </ul>
      </details>
    </>
  );
}

function SamplingLever({ value, onChange, result }: { value: number; onChange: (v: number) => void; result: LeverSaving | undefined }) {
  const id = useId();
  return (
    <div className="lever">
      <h3>
        <label htmlFor={id}>Sampling rate</label>
      </h3>
      <p className="muted">Score a share of inputs (24 → 4 fps: 17%).</p>
      <input id={id} type="range" min={0.05} max={1} step={0.05} value={value} onChange={(event) => onChange(Number(event.target.value))} />
      <span className="lever-value">{formatShare(value)}</span>
      <Saving result={result} />
    </div>
  );
}

function PrecisionLever({
  value,
  onChange,
  measuredMs,
  onMeasuredMs,
  result,
}: {
  value: Precision;
  onChange: (v: Precision) => void;
  measuredMs: Partial<Record<Precision, number>>;
  onMeasuredMs: (v: Partial<Record<Precision, number>>) => void;
  result: LeverSaving | undefined;
}) {
  const id = useId();
  return (
    <div className="lever">
      <h3>
        <label htmlFor={id}>Precision</label>
      </h3>
      <p className="muted">Smaller is not always faster: measure.</p>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value as Precision)}>
        {precisions.map((p) => (
          <option key={p} value={p}>
            {p}
          </option>
        ))}
      </select>
      <fieldset className="measured">
        <legend>Measured ms per request (examples: use yours)</legend>
        {precisions.map((p) => (
          <label key={p}>
            {p}{' '}
            <input
              type="number"
              min={1}
              value={measuredMs[p] ?? ''}
              onChange={(event) => onMeasuredMs({ ...measuredMs, [p]: event.target.value === '' ? undefined : Number(event.target.value) })}
            />
          </label>
        ))}
      </fieldset>
      <Saving result={result} />
    </div>
  );
}

function SpotLever({ value, onChange, result }: { value: number; onChange: (v: number) => void; result: LeverSaving | undefined }) {
  const id = useId();
  return (
    <div className="lever">
      <h3>
        <label htmlFor={id}>Spot share of training</label>
      </h3>
      <p className="muted">Training on spot, with checkpoints ({formatCount(leverDefaults.spot.training_hours_per_month)} h a month).</p>
      <input id={id} type="range" min={0} max={1} step={0.05} value={value} onChange={(event) => onChange(Number(event.target.value))} />
      <span className="lever-value">{formatShare(value)}</span>
      <Saving result={result} />
    </div>
  );
}

function CommitmentLever({ value, onChange, result }: { value: number | null; onChange: (v: number | null) => void; result: LeverSaving | undefined }) {
  const id = useId();
  const optimal = typeof result?.details.optimal_level === 'number' ? result.details.optimal_level : 0;
  const hourly = Array.isArray(result?.details.hourly_instances) ? (result.details.hourly_instances as number[]) : [];
  const max = Math.max(4, ...hourly) + 2;
  const level = value ?? optimal;
  return (
    <div className="lever">
      <h3>
        <label htmlFor={id}>Commitment level</label>
      </h3>
      <p className="muted">
        Instances committed at {formatShare(leverDefaults.commitDiscount)} off; best: {formatCount(optimal)}.
      </p>
      <input id={id} type="range" min={0} max={max} step={1} value={level} onChange={(event) => onChange(Number(event.target.value))} />
      <span className="lever-value">{formatCount(level)} instances</span>
      {value !== null && (
        <button type="button" className="link" onClick={() => onChange(null)}>
          use the best level
        </button>
      )}
      <Saving result={result} />
    </div>
  );
}

function CapacityPanel({ access }: { access: Access }) {
  const [qps, setQps] = useState('40');
  const [serviceMs, setServiceMs] = useState('100');
  const [p99Ms, setP99Ms] = useState('500');
  const input = useDebounced(
    useMemo(() => ({ qps: Number(qps), serviceMs: Number(serviceMs), p99Ms: Number(p99Ms) }), [qps, serviceMs, p99Ms]),
    250,
  );
  const valid = Number.isFinite(input.qps) && input.qps >= 0 && input.serviceMs > 0 && input.p99Ms > 0;
  const load = useCallback((signal: AbortSignal) => fetchCapacity(access, input, signal), [access, input]);
  const plan = useAsync(valid ? load : null);
  return (
    <section className="card" aria-labelledby="capacity-title">
      <h2 id="capacity-title">Capacity for a target</h2>
      <p className="muted">Replicas that keep the p99 of wait plus service under the objective (M/M/c, Erlang C), as `outlay cost capacity`.</p>
      <form className="capacity-form" onSubmit={(event) => event.preventDefault()}>
        <label>
          requests/s <input type="number" min={0} value={qps} onChange={(event) => setQps(event.target.value)} />
        </label>
        <label>
          service ms <input type="number" min={0} value={serviceMs} onChange={(event) => setServiceMs(event.target.value)} />
        </label>
        <label>
          p99 objective ms <input type="number" min={0} value={p99Ms} onChange={(event) => setP99Ms(event.target.value)} />
        </label>
      </form>
      {!valid && <p className="error-text">Enter a traffic ≥ 0 and times above 0.</p>}
      {plan.error !== undefined && <ErrorNotice title="No plan for this target" error={plan.error} />}
      {plan.data && (
        <dl className="stats" aria-label="Capacity plan">
          <div>
            <dt>Replicas</dt>
            <dd>{formatCount(plan.data.replicas)}</dd>
          </div>
          <div>
            <dt>Utilisation</dt>
            <dd>{formatShare(plan.data.utilization)}</dd>
          </div>
          <div>
            <dt>p99 latency</dt>
            <dd>{plan.data.p99_latency_ms.toFixed(1)} ms</dd>
          </div>
          <div>
            <dt>Requests that wait</dt>
            <dd>{formatShare(plan.data.probability_of_waiting)}</dd>
          </div>
        </dl>
      )}
    </section>
  );
}
