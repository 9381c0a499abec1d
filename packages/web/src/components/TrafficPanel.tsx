import { useCallback } from 'react';
import { fetchModels, type Access } from '../api.ts';
import { VolumeChart } from '../charts/VolumeChart.tsx';
import { formatCount } from '../format.ts';
import { useQueryParam, writeQueryParams } from '../query-param.ts';
import { firstDays, lastDays, windowEndIso, windowStartIso } from '../time-range.ts';
import { useAsync } from '../use-async.ts';
import { useModelRange } from '../use-model-range.ts';
import { fetchVolume, type Volume } from '../volume-api.ts';
import { ErrorNotice } from './ErrorNotice.tsx';
import { ModelPicker } from './ModelPicker.tsx';
import { TimeRangePicker } from './TimeRangePicker.tsx';

interface TrafficPanelProps {
  access: Access;
  /** Put the measured volume into the scenario. */
  onUse: (volume: Volume) => void;
}

const defaultDays = 7;

/** A model's measured traffic in the shared time range (`from`/`to`), to size the scenario from real volume. */
export function TrafficPanel({ access, onUse }: TrafficPanelProps) {
  const [modelParam] = useQueryParam('model');
  const loadModels = useCallback((signal: AbortSignal) => fetchModels(access, signal), [access]);
  const models = useAsync(loadModels);
  const model = modelParam ?? models.data?.[0]?.model ?? null;

  return (
    <section className="card" aria-labelledby="traffic-title">
      <h2 id="traffic-title">Today's volume from a model's traffic</h2>
      {models.error !== undefined && <ErrorNotice title="Could not load the models" error={models.error} />}
      {models.loading && (
        <p className="muted" aria-busy="true">
          Loading models…
        </p>
      )}
      {models.data && models.data.length === 0 && (
        <p className="muted">No predictions yet: the scenario's volume is the example's. Send predictions (see the Overview) to size it from your own traffic.</p>
      )}
      {models.data && models.data.length > 0 && model !== null && (
        <>
          <ModelPicker models={models.data} model={model} onChange={(next) => writeQueryParams({ model: next, from: null, to: null })} />
          <ModelTraffic key={model} access={access} model={model} onUse={onUse} />
        </>
      )}
    </section>
  );
}

function ModelTraffic({ access, model, onUse }: { access: Access; model: string; onUse: (volume: Volume) => void }) {
  const { stats, range: window } = useModelRange(access, model, defaultDays);
  const first = stats.data?.first_timestamp ?? null;
  const last = stats.data?.last_timestamp ?? null;
  const loadVolume = useCallback((signal: AbortSignal) => fetchVolume(access, model, window!, signal), [access, model, window]);
  const volume = useAsync(window === null ? null : loadVolume);

  if (stats.error !== undefined) return <ErrorNotice title={`Could not load ${model}`} error={stats.error} />;
  if (window === null || first === null || last === null) {
    return (
      <p className="muted" aria-busy={stats.loading}>
        {stats.loading ? 'Loading…' : `${model} has no predictions yet.`}
      </p>
    );
  }
  const presets = [
    { label: `Last ${defaultDays} days of data`, window: lastDays(first, last, defaultDays) },
    { label: `First ${defaultDays} days of data`, window: firstDays(first, last, defaultDays) },
  ];
  return (
    <>
      <TimeRangePicker label="Time range" value={window} presets={presets} onChange={(w) => writeQueryParams({ from: w.from, to: w.to })} />
      {volume.error !== undefined && <ErrorNotice title="Could not load the traffic" error={volume.error} />}
      {volume.data && (
        <>
          <VolumeChart volume={volume.data} fromIso={windowStartIso(window)} toIso={windowEndIso(window)} />
          <p className="traffic-summary">
            {formatCount(volume.data.total)} predictions: {formatCount(Math.round(volume.data.predictions_per_month))} a month at this rate, busiest hour{' '}
            {volume.data.peak_to_mean === null ? '—' : `${volume.data.peak_to_mean.toFixed(2)}×`} the mean.{' '}
            <button type="button" className="primary" disabled={volume.data.total === 0} onClick={() => onUse(volume.data!)}>
              Use as today's volume
            </button>
          </p>
        </>
      )}
    </>
  );
}
