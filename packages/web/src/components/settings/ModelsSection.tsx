import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { formatUsd } from '../../format.ts';
import { fieldMessage, type CostMatrix, type ModelConfig, type ProjectConfig } from '../../settings-api.ts';
import { FieldError } from './FieldError.tsx';
import { numberText, parseList, parseOptionalNumber } from './form-values.ts';
import { SaveStatus, type SaveConfig } from './SaveStatus.tsx';

interface ModelsSectionProps {
  config: ProjectConfig;
  /** Models with data that the config does not name yet: they can be given a cost matrix too. */
  unconfigured: readonly string[];
  editable: boolean;
  save: SaveConfig;
}

type MoneyField = 'false_negative' | 'false_positive' | 'true_positive' | 'true_negative' | 'under_prediction_per_unit' | 'over_prediction_per_unit';

const moneyFields: { field: MoneyField; label: string; help: string; regression: boolean }[] = [
  { field: 'false_negative', label: 'False negative cost (USD)', help: 'a positive the model missed', regression: false },
  { field: 'false_positive', label: 'False positive cost (USD)', help: 'a false alarm', regression: false },
  { field: 'true_positive', label: 'True positive cost (USD)', help: 'default 0; negative for a gain', regression: false },
  { field: 'true_negative', label: 'True negative cost (USD)', help: 'default 0', regression: false },
  { field: 'under_prediction_per_unit', label: 'Under-prediction cost per unit (USD)', help: 'regressors', regression: true },
  { field: 'over_prediction_per_unit', label: 'Over-prediction cost per unit (USD)', help: 'regressors', regression: true },
];

const emptyModel = (name: string): ModelConfig => ({ name, task: 'binary', known_factors: [], segments: [] });

/** Per model: the business cost of each outcome, the known factors regressed out, and the segments. */
export function ModelsSection({ config, unconfigured, editable, save }: ModelsSectionProps) {
  const models = [...config.models, ...unconfigured.map(emptyModel)];
  return (
    <section className="card settings-section" id="models" aria-labelledby="settings-models-title">
      <h2 id="settings-models-title">Models: cost matrix and known factors</h2>
      <p className="muted">
        Performance is the business cost of a model's errors: cost(FN) × FN + cost(FP) × FP. The two error costs have no default: a metric that needs
        a missing one says so rather than counting it as $0.
      </p>
      {models.length === 0 && <p className="muted">No models yet: send predictions, and each model appears here.</p>}
      {models.map((model) =>
        editable ? (
          <ModelForm key={model.name} model={model} configured={config.models.some((m) => m.name === model.name)} save={save} />
        ) : (
          <ModelView key={model.name} model={model} configured={config.models.some((m) => m.name === model.name)} />
        ),
      )}
    </section>
  );
}

function ModelView({ model, configured }: { model: ModelConfig; configured: boolean }) {
  const cost = model.cost ?? {};
  const money = (value: number | undefined) => (value === undefined ? 'not set' : formatUsd(value));
  return (
    <article className="model-settings" aria-label={`Settings of ${model.name}`}>
      <h3 className="model-name">{model.name}</h3>
      {!configured && <p className="muted">Not in the config yet: no cost matrix.</p>}
      <dl className="settings-values">
        <div>
          <dt>Task</dt>
          <dd>{model.task}</dd>
        </div>
        {moneyFields
          .filter((f) => f.regression === (model.task === 'regression'))
          .map((f) => (
            <div key={f.field}>
              <dt>{f.label}</dt>
              <dd data-field={f.field}>{money(cost[f.field])}</dd>
            </div>
          ))}
        {model.task !== 'regression' && (
          <div>
            <dt>Amount feature</dt>
            <dd>{cost.amount_feature ?? 'none'}</dd>
          </div>
        )}
        <div>
          <dt>Known factors</dt>
          <dd>{model.known_factors.length === 0 ? 'none' : model.known_factors.join(', ')}</dd>
        </div>
        <div>
          <dt>Segments</dt>
          <dd>{model.segments.length === 0 ? 'none' : model.segments.join(', ')}</dd>
        </div>
      </dl>
    </article>
  );
}

function ModelForm({ model, configured, save }: { model: ModelConfig; configured: boolean; save: SaveConfig }) {
  const baseId = useId();
  const cost = model.cost ?? {};
  const [task, setTask] = useState(model.task);
  const [money, setMoney] = useState<Record<MoneyField, string>>(() => ({
    false_negative: numberText(cost.false_negative),
    false_positive: numberText(cost.false_positive),
    true_positive: numberText(cost.true_positive),
    true_negative: numberText(cost.true_negative),
    under_prediction_per_unit: numberText(cost.under_prediction_per_unit),
    over_prediction_per_unit: numberText(cost.over_prediction_per_unit),
  }));
  const [amountFeature, setAmountFeature] = useState(cost.amount_feature ?? '');
  const [knownFactors, setKnownFactors] = useState(model.known_factors.join(', '));
  const [segments, setSegments] = useState(model.segments.join(', '));
  const [problems, setProblems] = useState<Partial<Record<MoneyField, string>>>({});
  const [state, setState] = useState<{ pending: boolean; error: unknown; saved: boolean; index: number }>({ pending: false, error: undefined, saved: false, index: -1 });

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found: Partial<Record<MoneyField, string>> = {};
    const parsed: CostMatrix = {};
    for (const { field } of moneyFields) {
      const result = parseOptionalNumber(money[field]);
      if ('problem' in result) found[field] = `${result.problem} Enter dollars, e.g. 150, or leave it empty.`;
      else if (result.value !== undefined) parsed[field] = result.value;
    }
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    if (task !== 'regression' && amountFeature.trim() !== '') parsed.amount_feature = amountFeature.trim();
    // The fields of the other kind of task are not shown, so they are not kept.
    for (const { field, regression } of moneyFields) if (regression !== (task === 'regression')) delete parsed[field];
    setState({ pending: true, error: undefined, saved: false, index: -1 });
    let index = -1;
    try {
      await save((config) => {
        const next: ModelConfig = { ...(config.models.find((m) => m.name === model.name) ?? model), task, known_factors: parseList(knownFactors), segments: parseList(segments) };
        if (Object.keys(parsed).length > 0) next.cost = parsed;
        else delete next.cost;
        index = config.models.findIndex((m) => m.name === model.name);
        if (index < 0) index = config.models.length;
        const models = [...config.models];
        models[index] = next;
        return { ...config, models };
      });
      setState({ pending: false, error: undefined, saved: true, index });
    } catch (error) {
      setState({ pending: false, error, saved: false, index });
    }
  };

  const serverMessage = (path: string) => (state.index < 0 ? null : fieldMessage(state.error, `models.${state.index}.${path}`));
  const matched = ['task', 'known_factors', 'segments', ...moneyFields.map((f) => `cost.${f.field}`), 'cost.amount_feature'].some((p) => serverMessage(p) !== null);
  const field = (key: string, label: string, input: (id: string, describedBy: string | undefined) => ReactNode, message: string | null, help?: string) => {
    const id = `${baseId}-${key}`;
    const errorId = `${id}-error`;
    return (
      <div className="field" key={key}>
        <label htmlFor={id}>{label}</label>
        {input(id, message === null ? undefined : errorId)}
        {help !== undefined && <span className="muted field-help">{help}</span>}
        <FieldError id={errorId} message={message} />
      </div>
    );
  };

  return (
    <form className="model-settings" aria-label={`Settings of ${model.name}`} onSubmit={(event) => void submit(event)}>
      <h3 className="model-name">{model.name}</h3>
      {!configured && <p className="muted">Not in the config yet: saving adds it.</p>}
      <div className="field-grid">
        {field(
          'task',
          'Task',
          (id, describedBy) => (
            <select id={id} value={task} aria-describedby={describedBy} onChange={(event) => setTask(event.target.value as ModelConfig['task'])}>
              <option value="binary">binary</option>
              <option value="multiclass">multiclass</option>
              <option value="regression">regression</option>
            </select>
          ),
          serverMessage('task'),
        )}
        {moneyFields
          .filter((f) => f.regression === (task === 'regression'))
          .map((f) =>
            field(
              f.field,
              f.label,
              (id, describedBy) => (
                <input
                  id={id}
                  type="text"
                  inputMode="decimal"
                  value={money[f.field]}
                  aria-invalid={(problems[f.field] ?? serverMessage(`cost.${f.field}`) ?? null) !== null}
                  aria-describedby={describedBy}
                  onChange={(event) => setMoney({ ...money, [f.field]: event.target.value })}
                />
              ),
              problems[f.field] ?? serverMessage(`cost.${f.field}`),
              f.help,
            ),
          )}
        {task !== 'regression' &&
          field(
            'amount',
            'Amount feature',
            (id, describedBy) => <input id={id} type="text" value={amountFeature} placeholder="e.g. amount" aria-describedby={describedBy} onChange={(event) => setAmountFeature(event.target.value)} />,
            serverMessage('cost.amount_feature'),
            'a numeric feature added to each false negative',
          )}
        {field(
          'known-factors',
          'Known factors',
          (id, describedBy) => <input id={id} type="text" value={knownFactors} placeholder="e.g. distance, origin=ORD" aria-describedby={describedBy} onChange={(event) => setKnownFactors(event.target.value)} />,
          serverMessage('known_factors'),
          'comma-separated: a numeric column, or COLUMN=VALUE (a share); a monitor adjusting for "known" regresses them out',
        )}
        {field(
          'segments',
          'Segments',
          (id, describedBy) => <input id={id} type="text" value={segments} placeholder="e.g. region, customer" aria-describedby={describedBy} onChange={(event) => setSegments(event.target.value)} />,
          serverMessage('segments'),
          'comma-separated',
        )}
      </div>
      <SaveStatus label={`Save ${model.name}`} pending={state.pending} saved={state.saved} error={state.error} errorShownAtFields={matched} />
    </form>
  );
}
