import { useId, useState, type FormEvent } from 'react';
import { fieldMessage, type ProjectConfig } from '../../settings-api.ts';
import { FieldError } from './FieldError.tsx';
import { numberText, parseOptionalNumber } from './form-values.ts';
import { SaveStatus, type SaveConfig } from './SaveStatus.tsx';

interface PriorsSectionProps {
  config: ProjectConfig;
  editable: boolean;
  save: SaveConfig;
}

/** Prior weights per dimension for root-cause search: proximal causes are likelier. */
export function PriorsSection({ config, editable, save }: PriorsSectionProps) {
  const priors = Object.entries(config.priors);
  return (
    <section className="card settings-section" id="priors" aria-labelledby="settings-priors-title">
      <h2 id="settings-priors-title">Priors</h2>
      <p className="muted">
        How likely a slice on each dimension (a segment or feature) is to be the cause, before the data is seen: 1 is neutral, 2 twice as likely, 0
        never. Each confirmed incident multiplies its dimensions' weight further.
      </p>
      {editable ? (
        <PriorsForm priors={config.priors} save={save} />
      ) : priors.length === 0 ? (
        <p className="muted">No priors set: every dimension weighs 1.</p>
      ) : (
        <dl className="settings-values">
          {priors.map(([dimension, weight]) => (
            <div key={dimension}>
              <dt>{dimension}</dt>
              <dd data-prior={dimension}>{weight}</dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}

function PriorsForm({ priors, save }: { priors: Record<string, number>; save: SaveConfig }) {
  const baseId = useId();
  const [rows, setRows] = useState(() => Object.entries(priors).map(([dimension, weight]) => ({ dimension, weight: numberText(weight) })));
  const [problems, setProblems] = useState<(string | null)[]>([]);
  const [state, setState] = useState<{ pending: boolean; error: unknown; saved: boolean }>({ pending: false, error: undefined, saved: false });

  const update = (index: number, change: Partial<{ dimension: string; weight: string }>) => setRows(rows.map((row, i) => (i === index ? { ...row, ...change } : row)));

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const seen = new Set<string>();
    const found = rows.map((row) => {
      const dimension = row.dimension.trim();
      if (dimension === '') return 'Name the dimension, or remove the row.';
      if (seen.has(dimension)) return `"${dimension}" is listed twice.`;
      seen.add(dimension);
      const weight = parseOptionalNumber(row.weight);
      if ('problem' in weight) return weight.problem;
      if (weight.value === undefined) return 'Enter a weight, e.g. 2.';
      return null;
    });
    setProblems(found);
    if (found.some((p) => p !== null)) return;
    const next = Object.fromEntries(rows.map((row) => [row.dimension.trim(), Number(row.weight)]));
    setState({ pending: true, error: undefined, saved: false });
    try {
      await save((config) => ({ ...config, priors: next }));
      setState({ pending: false, error: undefined, saved: true });
    } catch (error) {
      setState({ pending: false, error, saved: false });
    }
  };

  const messages = rows.map((row, i) => problems[i] ?? fieldMessage(state.error, `priors.${row.dimension.trim()}`));
  return (
    <form aria-label="Priors" onSubmit={(event) => void submit(event)}>
      {rows.length === 0 && <p className="muted">No priors set: every dimension weighs 1.</p>}
      <ul className="settings-rows">
        {rows.map((row, i) => (
          <li key={i} className="settings-row">
            <label htmlFor={`${baseId}-dimension-${i}`}>Dimension</label>
            <input id={`${baseId}-dimension-${i}`} type="text" value={row.dimension} onChange={(event) => update(i, { dimension: event.target.value })} />
            <label htmlFor={`${baseId}-weight-${i}`}>{`Weight of ${row.dimension.trim() || `row ${i + 1}`}`}</label>
            <input
              id={`${baseId}-weight-${i}`}
              type="text"
              inputMode="decimal"
              className="weight-input"
              value={row.weight}
              aria-invalid={messages[i] !== null}
              aria-describedby={messages[i] === null ? undefined : `${baseId}-error-${i}`}
              onChange={(event) => update(i, { weight: event.target.value })}
            />
            <button type="button" onClick={() => setRows(rows.filter((_, j) => j !== i))} aria-label={`Remove the prior of ${row.dimension || `row ${i + 1}`}`}>
              Remove
            </button>
            <FieldError id={`${baseId}-error-${i}`} message={messages[i] ?? null} />
          </li>
        ))}
      </ul>
      <button type="button" onClick={() => setRows([...rows, { dimension: '', weight: '1' }])}>
        Add a prior
      </button>
      <SaveStatus label="Save priors" pending={state.pending} saved={state.saved} error={state.error} errorShownAtFields={rows.some((row) => fieldMessage(state.error, `priors.${row.dimension.trim()}`) !== null)} />
    </form>
  );
}
