import type { SampleRow } from '../../incidents-api.ts';
import { cellText, rowColumns } from './incident-format.ts';

interface SampleRowsProps {
  title: string;
  description: string;
  rows: readonly SampleRow[];
}

/** Failing rows of the current window as a table; every value is text (features are user data). */
export function SampleRows({ title, description, rows }: SampleRowsProps) {
  const columns = rowColumns(rows);
  return (
    <section className="sample-rows" aria-label={title}>
      <h3>{title}</h3>
      <p className="muted">{description}</p>
      {rows.length === 0 ? (
        <p className="muted">No failing rows in the current window.</p>
      ) : (
        <div className="table-scroll">
          <table className="models-table sample-table">
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                {columns.map((column) => (
                  <th key={column} scope="col">
                    {column === 'timestamp_ms' ? 'timestamp' : column}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row, i) => (
                <tr key={typeof row.id === 'string' ? row.id : i}>
                  {columns.map((column) => (
                    <td key={column}>{cellText(column, row[column])}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
