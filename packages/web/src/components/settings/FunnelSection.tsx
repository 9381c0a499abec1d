import { useId, useState, type FormEvent } from 'react';
import { fieldMessage, type FunnelStage, type ProjectConfig } from '../../settings-api.ts';
import { FieldError } from './FieldError.tsx';
import { SaveStatus, type SaveConfig } from './SaveStatus.tsx';

interface FunnelSectionProps {
  config: ProjectConfig;
  editable: boolean;
  save: SaveConfig;
}

/** The funnel's stages in order, each optionally after another: how the Funnel view splits the end-to-end rate. */
export function FunnelSection({ config, editable, save }: FunnelSectionProps) {
  return (
    <section className="card settings-section" id="funnel" aria-labelledby="settings-funnel-title">
      <h2 id="settings-funnel-title">Funnel stages</h2>
      <p className="muted">
        The stages a prediction passes, in the order of the system diagram; their names are the keys of each prediction's <code>stage</code> map. With
        none set, the funnel uses every stage key the predictions carry.
      </p>
      {editable ? (
        <FunnelForm stages={config.funnel} save={save} />
      ) : config.funnel.length === 0 ? (
        <p className="muted">No stages configured.</p>
      ) : (
        <ol className="settings-list">
          {config.funnel.map((stage) => (
            <li key={stage.name}>
              <strong>{stage.name}</strong>
              {stage.after !== undefined && <span className="muted"> after {stage.after}</span>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function FunnelForm({ stages, save }: { stages: FunnelStage[]; save: SaveConfig }) {
  const baseId = useId();
  const [rows, setRows] = useState(() => stages.map((s) => ({ name: s.name, after: s.after ?? '' })));
  const [problem, setProblem] = useState<string | null>(null);
  const [state, setState] = useState<{ pending: boolean; error: unknown; saved: boolean }>({ pending: false, error: undefined, saved: false });

  const update = (index: number, change: Partial<{ name: string; after: string }>) => setRows(rows.map((row, i) => (i === index ? { ...row, ...change } : row)));

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const names = rows.map((r) => r.name.trim());
    if (names.some((n) => n === '')) {
      setProblem('Every stage needs a name (remove the empty ones).');
      return;
    }
    if (new Set(names).size !== names.length) {
      setProblem('Two stages have the same name.');
      return;
    }
    setProblem(null);
    const funnel: FunnelStage[] = rows.map((r) => ({ name: r.name.trim(), ...(r.after === '' ? {} : { after: r.after }) }));
    setState({ pending: true, error: undefined, saved: false });
    try {
      await save((config) => ({ ...config, funnel }));
      setState({ pending: false, error: undefined, saved: true });
    } catch (error) {
      setState({ pending: false, error, saved: false });
    }
  };

  const messages = rows.map((_, i) => fieldMessage(state.error, `funnel.${i}`));
  return (
    <form aria-label="Funnel stages" onSubmit={(event) => void submit(event)}>
      {rows.length === 0 && <p className="muted">No stages configured. Add the first one.</p>}
      <ol className="settings-rows">
        {rows.map((row, i) => {
          const others = rows.filter((_, j) => j !== i && rows[j]!.name.trim() !== '');
          return (
            <li key={i} className="settings-row">
              <label htmlFor={`${baseId}-name-${i}`}>Stage {i + 1} name</label>
              <input id={`${baseId}-name-${i}`} type="text" value={row.name} onChange={(event) => update(i, { name: event.target.value })} />
              <label htmlFor={`${baseId}-after-${i}`}>after</label>
              <select id={`${baseId}-after-${i}`} value={row.after} onChange={(event) => update(i, { after: event.target.value })}>
                <option value="">— the one before —</option>
                {row.after !== '' && !others.some((o) => o.name.trim() === row.after) && <option value={row.after}>{row.after}</option>}
                {others.map((o, j) => (
                  <option key={j} value={o.name.trim()}>
                    {o.name.trim()}
                  </option>
                ))}
              </select>
              <button type="button" onClick={() => setRows(rows.filter((_, j) => j !== i))} aria-label={`Remove stage ${row.name || i + 1}`}>
                Remove
              </button>
              <FieldError id={`${baseId}-error-${i}`} message={messages[i] ?? null} />
            </li>
          );
        })}
      </ol>
      <button type="button" onClick={() => setRows([...rows, { name: '', after: '' }])}>
        Add a stage
      </button>
      {problem !== null && (
        <p className="error-text" role="alert">
          {problem}
        </p>
      )}
      <SaveStatus label="Save funnel" pending={state.pending} saved={state.saved} error={state.error} errorShownAtFields={messages.some((m) => m !== null)} />
    </form>
  );
}
