import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { FieldApiError, fieldMessage, monitorMetrics, type Monitor, type MonitorCondition, type MonitorInput } from '../../settings-api.ts';
import { ErrorNotice } from '../ErrorNotice.tsx';
import { FieldError } from './FieldError.tsx';
import { parseLines, parseList, parseOptionalNumber } from './form-values.ts';

interface MonitorFormProps {
  /** The monitor being edited; a new one when absent. */
  initial?: Monitor;
  models: readonly string[];
  submitLabel: string;
  /** Sends the monitor; throws the server's refusal, which the form shows next to the field it names. */
  onSave: (monitor: MonitorInput) => Promise<void>;
  onCancel?: () => void;
}

type ConditionType = MonitorCondition['type'];

/** Adjustment terms offered as checkboxes; any other term (a column, COLUMN=VALUE) is typed. */
const seasonalTerms = ['weekday', 'hour', 'known'];

/** The condition a monitor has, reading the short form `threshold: X` as a static `>` condition. */
function conditionOf(monitor: Monitor | undefined): MonitorCondition {
  if (monitor?.condition) return monitor.condition;
  if (monitor?.threshold !== undefined) return { type: 'static', op: '>', value: monitor.threshold };
  return { type: 'static', op: '>', value: 0 };
}

/** Create or edit a monitor: a metric of a model per window, a condition, and where to send alerts. */
export function MonitorForm({ initial, models, submitLabel, onSave, onCancel }: MonitorFormProps) {
  const baseId = useId();
  const condition = conditionOf(initial);
  const [name, setName] = useState(initial?.name ?? '');
  const [model, setModel] = useState(initial?.model ?? models[0] ?? '');
  const [metric, setMetric] = useState(initial?.metric ?? 'error_rate');
  const [windowSize, setWindowSize] = useState<Monitor['window']>(initial?.window ?? 'day');
  const [type, setType] = useState<ConditionType>(condition.type);
  const [op, setOp] = useState<'>' | '<'>(condition.type === 'static' ? condition.op : '>');
  const [value, setValue] = useState(condition.type === 'static' && initial ? String(condition.value) : '');
  const [baselineWindows, setBaselineWindows] = useState(condition.type === 'relative' ? String(condition.baseline_windows) : '7');
  const [maxChange, setMaxChange] = useState(condition.type === 'relative' ? String(condition.max_relative_change) : '0.2');
  const [direction, setDirection] = useState<'increase' | 'decrease' | 'both'>(condition.type === 'relative' ? condition.direction : 'increase');
  const [smooth, setSmooth] = useState<'ewma' | 'kalman'>(condition.type === 'control_limits' ? condition.smooth : 'ewma');
  const [referenceWindows, setReferenceWindows] = useState(condition.type === 'control_limits' ? String(condition.reference_windows) : '28');
  const [sliceColumn, setSliceColumn] = useState(initial?.slice?.column ?? '');
  const [sliceValue, setSliceValue] = useState(initial?.slice === undefined ? '' : String(initial.slice.value));
  const [adjust, setAdjust] = useState<string[]>((initial?.adjust ?? []).filter((t) => seasonalTerms.includes(t)));
  const [otherTerms, setOtherTerms] = useState((initial?.adjust ?? []).filter((t) => !seasonalTerms.includes(t)).join(', '));
  const [minSample, setMinSample] = useState(String(initial?.min_sample ?? 30));
  const [webhooks, setWebhooks] = useState([...(initial?.webhooks ?? []), ...(initial?.webhook !== undefined ? [initial.webhook] : [])].join('\n'));
  const [enabled, setEnabled] = useState(initial?.enabled ?? true);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(undefined);

  const build = (): { monitor: MonitorInput } | { problems: Record<string, string> } => {
    const found: Record<string, string> = {};
    const number = (key: string, text: string, integer = false): number => {
      const parsed = parseOptionalNumber(text);
      if ('problem' in parsed) found[key] = parsed.problem;
      else if (parsed.value === undefined) found[key] = 'Enter a number.';
      else if (integer && !Number.isInteger(parsed.value)) found[key] = 'Enter a whole number.';
      else return parsed.value;
      return 0;
    };
    if (name.trim() === '') found.name = 'Name the monitor.';
    let monitorCondition: MonitorCondition;
    if (type === 'static') monitorCondition = { type, op, value: number('condition.value', value) };
    else if (type === 'relative') {
      monitorCondition = { type, baseline_windows: number('condition.baseline_windows', baselineWindows, true), max_relative_change: number('condition.max_relative_change', maxChange), direction };
    } else monitorCondition = { type, smooth, reference_windows: number('condition.reference_windows', referenceWindows, true) };
    const sample = number('min_sample', minSample, true);
    if ((sliceColumn.trim() === '') !== (sliceValue.trim() === '')) found.slice = 'Give both the column and the value, or neither.';
    if (Object.keys(found).length > 0) return { problems: found };
    return {
      monitor: {
        name: name.trim(),
        model,
        metric,
        window: windowSize,
        condition: monitorCondition,
        ...(sliceColumn.trim() === '' ? {} : { slice: { column: sliceColumn.trim(), value: sliceValue.trim() } }),
        adjust: [...adjust, ...parseList(otherTerms).filter((t) => !adjust.includes(t))],
        min_sample: sample,
        webhooks: parseLines(webhooks),
        enabled,
      },
    };
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const built = build();
    if ('problems' in built) {
      setProblems(built.problems);
      return;
    }
    setProblems({});
    setError(undefined);
    setPending(true);
    try {
      await onSave(built.monitor);
    } catch (failure) {
      setError(failure);
    } finally {
      setPending(false);
    }
  };

  const messageFor = (path: string): string | null => {
    if (problems[path] !== undefined) return problems[path];
    // `webhooks.1` names the second URL of the field.
    const webhook = path === 'webhooks' && error instanceof FieldApiError ? error.fieldErrors.find((e) => /^webhooks\.\d+$/.test(e.path)) : undefined;
    if (webhook) return `URL ${Number(webhook.path.split('.')[1]) + 1}: ${webhook.message}`;
    return fieldMessage(error, path);
  };
  const knownPaths = ['name', 'model', 'metric', 'window', 'condition', 'slice', 'adjust', 'min_sample', 'webhooks', 'enabled'];
  const shownAtField = error instanceof FieldApiError && error.fieldErrors.some((e) => knownPaths.some((p) => e.path === p || e.path.startsWith(`${p}.`)));
  const field = (key: string, label: string, input: (id: string, describedBy: string | undefined) => ReactNode, help?: string) => {
    const id = `${baseId}-${key.replaceAll('.', '-')}`;
    const message = messageFor(key);
    return (
      <div className="field">
        <label htmlFor={id}>{label}</label>
        {input(id, message === null ? undefined : `${id}-error`)}
        {help !== undefined && <span className="muted field-help">{help}</span>}
        <FieldError id={`${id}-error`} message={message} />
      </div>
    );
  };
  const toggleAdjust = (factor: string, on: boolean) => setAdjust(on ? [...adjust.filter((a) => a !== factor), factor] : adjust.filter((a) => a !== factor));

  return (
    <form className="monitor-form" aria-label={initial ? `Edit monitor ${initial.name}` : 'New monitor'} onSubmit={(event) => void submit(event)}>
      <div className="field-grid">
        {field('name', 'Monitor name', (id, d) => <input id={id} type="text" value={name} aria-describedby={d} onChange={(e) => setName(e.target.value)} />)}
        {field('model', 'Model', (id, d) => (
          <select id={id} value={model} aria-describedby={d} onChange={(e) => setModel(e.target.value)}>
            {!models.includes(model) && <option value={model}>{model === '' ? 'Choose a model…' : model}</option>}
            {models.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        ))}
        {field('metric', 'Metric', (id, d) => (
          <select id={id} value={metric} aria-describedby={d} onChange={(e) => setMetric(e.target.value)}>
            {!(monitorMetrics as readonly string[]).includes(metric) && <option value={metric}>{metric}</option>}
            {monitorMetrics.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        ))}
        {field('window', 'Window', (id, d) => (
          <select id={id} value={windowSize} aria-describedby={d} onChange={(e) => setWindowSize(e.target.value as Monitor['window'])}>
            <option value="hour">hour</option>
            <option value="day">day</option>
            <option value="week">week</option>
          </select>
        ))}
        {field('condition.type', 'Condition', (id, d) => (
          <select id={id} value={type} aria-describedby={d} onChange={(e) => setType(e.target.value as ConditionType)}>
            <option value="static">a fixed threshold</option>
            <option value="relative">a change against the windows before</option>
            <option value="control_limits">outside the smoothed control limits</option>
          </select>
        ))}
        {type === 'static' && (
          <>
            {field('condition.op', 'Breaches when the value is', (id, d) => (
              <select id={id} value={op} aria-describedby={d} onChange={(e) => setOp(e.target.value as '>' | '<')}>
                <option value=">">above</option>
                <option value="<">below</option>
              </select>
            ))}
            {field('condition.value', 'Threshold', (id, d) => <input id={id} type="text" inputMode="decimal" value={value} aria-describedby={d} onChange={(e) => setValue(e.target.value)} />, 'in the metric’s unit (0.4 = 40% for a rate)')}
          </>
        )}
        {type === 'relative' && (
          <>
            {field('condition.baseline_windows', 'Baseline windows', (id, d) => <input id={id} type="text" inputMode="numeric" value={baselineWindows} aria-describedby={d} onChange={(e) => setBaselineWindows(e.target.value)} />)}
            {field('condition.max_relative_change', 'Largest relative change', (id, d) => <input id={id} type="text" inputMode="decimal" value={maxChange} aria-describedby={d} onChange={(e) => setMaxChange(e.target.value)} />, '0.2 = 20%')}
            {field('condition.direction', 'Direction', (id, d) => (
              <select id={id} value={direction} aria-describedby={d} onChange={(e) => setDirection(e.target.value as 'increase' | 'decrease' | 'both')}>
                <option value="increase">an increase</option>
                <option value="decrease">a decrease</option>
                <option value="both">either way</option>
              </select>
            ))}
          </>
        )}
        {type === 'control_limits' && (
          <>
            {field('condition.smooth', 'Smoothing', (id, d) => (
              <select id={id} value={smooth} aria-describedby={d} onChange={(e) => setSmooth(e.target.value as 'ewma' | 'kalman')}>
                <option value="ewma">EWMA</option>
                <option value="kalman">Kalman filter</option>
              </select>
            ))}
            {field('condition.reference_windows', 'Reference windows', (id, d) => <input id={id} type="text" inputMode="numeric" value={referenceWindows} aria-describedby={d} onChange={(e) => setReferenceWindows(e.target.value)} />)}
          </>
        )}
        {field('slice.column', 'Slice column', (id, d) => <input id={id} type="text" value={sliceColumn} placeholder="optional, e.g. origin" aria-describedby={d} onChange={(e) => setSliceColumn(e.target.value)} />)}
        {field('slice.value', 'Slice value', (id, d) => <input id={id} type="text" value={sliceValue} placeholder="e.g. ORD" aria-describedby={d} onChange={(e) => setSliceValue(e.target.value)} />)}
        {field('min_sample', 'Minimum sample', (id, d) => <input id={id} type="text" inputMode="numeric" value={minSample} aria-describedby={d} onChange={(e) => setMinSample(e.target.value)} />, 'rows behind a window’s value')}
        <fieldset className="field">
          <legend>Adjust for</legend>
          <label>
            <input type="checkbox" checked={adjust.includes('weekday')} onChange={(e) => toggleAdjust('weekday', e.target.checked)} /> weekday
          </label>
          <label>
            <input type="checkbox" checked={adjust.includes('hour')} onChange={(e) => toggleAdjust('hour', e.target.checked)} /> hour of day
          </label>
          <label>
            <input type="checkbox" checked={adjust.includes('known')} onChange={(e) => toggleAdjust('known', e.target.checked)} /> the model's known factors
          </label>
          <FieldError id={`${baseId}-adjust-error`} message={messageFor('adjust')} />
        </fieldset>
        {field('adjust-other', 'Other factors to adjust for', (id, d) => <input id={id} type="text" value={otherTerms} placeholder="e.g. distance, origin=ORD" aria-describedby={d} onChange={(e) => setOtherTerms(e.target.value)} />, 'comma-separated: a numeric column, or COLUMN=VALUE for the share of a value')}
        {field('webhooks', 'Webhooks', (id, d) => <textarea id={id} rows={2} value={webhooks} placeholder="https://hooks.slack.com/services/…" aria-describedby={d} onChange={(e) => setWebhooks(e.target.value)} />, 'one URL per line; Slack-compatible POST on firing and resolved')}
        <div className="field">
          <label>
            <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> Enabled (evaluated every 60 s)
          </label>
        </div>
      </div>
      {messageFor('slice') !== null && (
        <p className="error-text" role="alert">
          {messageFor('slice')}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={pending}>
          {pending ? 'Saving…' : submitLabel}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel} disabled={pending}>
            Cancel
          </button>
        )}
        {error !== undefined && shownAtField && (
          <span className="error-text" role="status">
            Not saved: the server refused the fields marked above.
          </span>
        )}
      </div>
      {error !== undefined && !shownAtField && <ErrorNotice title="Not saved" error={error} />}
    </form>
  );
}
