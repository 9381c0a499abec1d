import { useId } from 'react';
import type { ModelSummary } from '../api.ts';

interface ModelPickerProps {
  models: readonly ModelSummary[];
  model: string | null;
  onChange: (model: string) => void;
}

/** Which model a page looks at; the choice lives in the URL (`?model=`). */
export function ModelPicker({ models, model, onChange }: ModelPickerProps) {
  const id = useId();
  return (
    <div className="model-picker">
      <label htmlFor={id}>Model</label>
      <select id={id} value={model ?? ''} onChange={(event) => onChange(event.target.value)}>
        {model === null && <option value="">Choose a model…</option>}
        {model !== null && !models.some((m) => m.model === model) && <option value={model}>{model}</option>}
        {models.map((m) => (
          <option key={m.model} value={m.model}>
            {m.model}
          </option>
        ))}
      </select>
    </div>
  );
}
