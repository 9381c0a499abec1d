import { useEffect, useId, useState, type FormEvent } from 'react';
import { parseWindow, type DayWindow } from '../time-range.ts';

interface TimeRangePickerProps {
  /** The visible name of the range, e.g. "Current window". */
  label: string;
  value: DayWindow;
  /** Presets computed from the model's data, e.g. "Last 7 days of data". */
  presets: { label: string; window: DayWindow }[];
  onChange: (window: DayWindow) => void;
}

/** Two UTC dates (both included) and presets; the page keeps the chosen range in the URL. */
export function TimeRangePicker({ label, value, presets, onChange }: TimeRangePickerProps) {
  const fromId = useId();
  const toId = useId();
  const [from, setFrom] = useState(value.from);
  const [to, setTo] = useState(value.to);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    setFrom(value.from);
    setTo(value.to);
  }, [value.from, value.to]);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const window = parseWindow(from, to);
    if (window === null) {
      setProblem('Pick two dates, the first on or before the second.');
      return;
    }
    setProblem(null);
    onChange(window);
  };

  return (
    <form className="time-range" aria-label={label} onSubmit={submit}>
      <strong className="time-range-label">{label}</strong>
      <label htmlFor={fromId}>from</label>
      <input id={fromId} type="date" value={from} onChange={(event) => setFrom(event.target.value)} />
      <label htmlFor={toId}>to</label>
      <input id={toId} type="date" value={to} onChange={(event) => setTo(event.target.value)} />
      <button type="submit">Apply</button>
      {presets.map((preset) => (
        <button
          key={preset.label}
          type="button"
          className="preset"
          aria-pressed={preset.window.from === value.from && preset.window.to === value.to}
          onClick={() => onChange(preset.window)}
        >
          {preset.label}
        </button>
      ))}
      <span className="muted">UTC, both days included</span>
      {problem !== null && (
        <span className="error-text" role="alert">
          {problem}
        </span>
      )}
    </form>
  );
}
