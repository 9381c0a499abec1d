import type { ProjectConfig } from '../../settings-api.ts';
import { ErrorNotice } from '../ErrorNotice.tsx';

/** Writes a change of the project config (read, change, PUT); throws the server's refusal. */
export type SaveConfig = (change: (config: ProjectConfig) => ProjectConfig) => Promise<void>;

interface SaveStatusProps {
  label: string;
  pending: boolean;
  saved: boolean;
  error: unknown;
  /** The server's message already sits next to the field it names: say where to look instead of repeating it. */
  errorShownAtFields: boolean;
}

/** A form's save button and what came of the last save. */
export function SaveStatus({ label, pending, saved, error, errorShownAtFields }: SaveStatusProps) {
  return (
    <>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={pending}>
          {pending ? 'Saving…' : label}
        </button>
        {saved && (
          <span className="save-ok" role="status">
            Saved.
          </span>
        )}
        {error !== undefined && errorShownAtFields && (
          <span className="error-text" role="status">
            Not saved: the server refused the fields marked above.
          </span>
        )}
      </div>
      {error !== undefined && !errorShownAtFields && <ErrorNotice title="Not saved" error={error} />}
    </>
  );
}
