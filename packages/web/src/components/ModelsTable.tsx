import type { ModelSummary } from '../api.ts';
import { formatCount, formatLabelledShare, formatTimestamp } from '../format.ts';

interface ModelsTableProps {
  models: readonly ModelSummary[];
  selectedModel: string | null;
  onSelect: (model: string) => void;
}

export function ModelsTable({ models, selectedModel, onSelect }: ModelsTableProps) {
  return (
    <div className="table-scroll">
      <table className="models-table">
        <caption className="visually-hidden">Models, select one to see its statistics</caption>
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col" className="num">
              Predictions
            </th>
            <th scope="col" className="num">
              Labelled
            </th>
            <th scope="col">First prediction</th>
            <th scope="col">Last prediction</th>
          </tr>
        </thead>
        <tbody>
          {models.map((row) => {
            const selected = row.model === selectedModel;
            return (
              <tr
                key={row.model}
                className={selected ? 'selected' : undefined}
                aria-selected={selected}
                data-model={row.model}
                onClick={() => onSelect(row.model)}
              >
                <th scope="row">
                  {/* A real button so the row can be chosen from the keyboard too. */}
                  <button type="button" className="link" aria-pressed={selected} onClick={(event) => {
                    event.stopPropagation();
                    onSelect(row.model);
                  }}>
                    {row.model}
                  </button>
                </th>
                <td className="num">{formatCount(row.predictions)}</td>
                <td className="num">{formatLabelledShare(row.labels, row.predictions)}</td>
                <td>{formatTimestamp(row.first_timestamp)}</td>
                <td>{formatTimestamp(row.last_timestamp)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
