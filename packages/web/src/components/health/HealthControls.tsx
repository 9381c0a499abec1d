import { useId, useState, type FormEvent } from 'react';
import { metricWindows, type MetricWindow, type Smoothing } from '../../health-api.ts';
import { seasonalAdjustments, toggleItem } from '../../health-series.ts';

interface HealthControlsProps {
  window: MetricWindow;
  smooth: Smoothing | null;
  adjust: readonly string[];
  /** Known factors of the model in the project config, offered beside weekday and hour. */
  knownFactors: readonly string[];
  onWindow: (window: MetricWindow) => void;
  onSmooth: (smooth: Smoothing | null) => void;
  onAdjust: (adjust: string[]) => void;
}

const smoothingLabels: { value: Smoothing | 'none'; label: string }[] = [
  { value: 'ewma', label: 'EWMA' },
  { value: 'kalman', label: 'Kalman filter' },
  { value: 'none', label: 'None' },
];

/** Window, smoothing and adjustment of every series on the page; the page keeps them in the URL. */
export function HealthControls({ window, smooth, adjust, knownFactors, onWindow, onSmooth, onAdjust }: HealthControlsProps) {
  const windowId = useId();
  const smoothId = useId();
  const factorId = useId();
  const [factor, setFactor] = useState('');
  const extra = adjust.filter((a) => !(seasonalAdjustments as readonly string[]).includes(a) && !knownFactors.includes(a));
  const order = [...seasonalAdjustments, ...knownFactors, ...extra];
  const choices = [
    { value: 'weekday', label: 'day of week' },
    { value: 'hour', label: 'hour of day' },
    ...[...knownFactors, ...extra].map((f) => ({ value: f, label: f })),
  ];
  const addFactor = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const name = factor.trim();
    if (name === '' || name.includes(',')) return;
    onAdjust(toggleItem(adjust, name, true, [...order, name]));
    setFactor('');
  };
  return (
    <div className="health-controls">
      <div className="health-control">
        <label htmlFor={windowId}>Window</label>
        <select id={windowId} value={window} onChange={(event) => onWindow(event.target.value as MetricWindow)}>
          {metricWindows.map((w) => (
            <option key={w} value={w}>
              {w}
            </option>
          ))}
        </select>
      </div>
      <div className="health-control">
        <label htmlFor={smoothId}>Smoothing</label>
        <select id={smoothId} value={smooth ?? 'none'} onChange={(event) => onSmooth(event.target.value === 'none' ? null : (event.target.value as Smoothing))}>
          {smoothingLabels.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
      </div>
      <fieldset className="health-control health-adjust">
        <legend>Adjust for</legend>
        {choices.map((choice) => (
          <label key={choice.value}>
            <input type="checkbox" checked={adjust.includes(choice.value)} onChange={(event) => onAdjust(toggleItem(adjust, choice.value, event.target.checked, order))} />{' '}
            {choice.label}
          </label>
        ))}
        {knownFactors.length === 0 && <span className="muted">(no known factors in the project config)</span>}
      </fieldset>
      <form className="health-control" onSubmit={addFactor}>
        <label htmlFor={factorId}>Known factor</label>
        <input id={factorId} type="text" placeholder="column or column=value" value={factor} onChange={(event) => setFactor(event.target.value)} />
        <button type="submit">Add</button>
      </form>
    </div>
  );
}
