import { useCallback, useId, useState, type FormEvent } from 'react';
import type { Access } from '../../api.ts';
import { formatTimestamp } from '../../format.ts';
import { createKey, fetchKeys, fieldMessage, revokeKey, type CreatedKey } from '../../settings-api.ts';
import { useAsync } from '../../use-async.ts';
import { ErrorNotice } from '../ErrorNotice.tsx';
import { FieldError } from './FieldError.tsx';

interface KeysSectionProps {
  access: Access;
  project: string;
}

const roles = [
  { role: 'read', description: 'the dashboard and every GET' },
  { role: 'ingest', description: 'sending predictions, labels, costs and revenue' },
  { role: 'admin', description: 'everything in this project, including keys and settings' },
];

/** The project's API keys (admin): create one (its secret is shown once), list them, revoke one. */
export function KeysSection({ access, project }: KeysSectionProps) {
  const ids = { title: useId(), name: useId(), role: useId(), nameError: useId() };
  const [version, setVersion] = useState(0);
  const load = useCallback(
    (signal: AbortSignal) => {
      void version;
      return fetchKeys(access, project, signal);
    },
    [access, project, version],
  );
  const keys = useAsync(load);
  const [name, setName] = useState('');
  const [role, setRole] = useState('read');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const [revoking, setRevoking] = useState<string | null>(null);
  const [revokeError, setRevokeError] = useState<unknown>(undefined);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setPending(true);
    setError(undefined);
    setCreated(null);
    try {
      const key = await createKey(access, { project, role, ...(name.trim() === '' ? {} : { name: name.trim() }) });
      setCreated(key);
      setName('');
      setVersion((v) => v + 1);
    } catch (failure) {
      setError(failure);
    } finally {
      setPending(false);
    }
  };

  const revoke = async (id: string) => {
    setRevokeError(undefined);
    try {
      await revokeKey(access, id);
      setVersion((v) => v + 1);
    } catch (failure) {
      setRevokeError(failure);
    } finally {
      setRevoking(null);
    }
  };

  const nameMessage = fieldMessage(error, 'name');
  return (
    <section className="card settings-section" id="keys" aria-labelledby={ids.title}>
      <h2 id={ids.title}>API keys</h2>
      <p className="muted">
        Keys of project <strong>{project}</strong>. Only a hash of each secret is stored: a key is shown once, when it is created.
      </p>
      <form className="inline-form" aria-label="Create a key" onSubmit={(event) => void submit(event)}>
        <label htmlFor={ids.name}>Name</label>
        <input
          id={ids.name}
          type="text"
          value={name}
          maxLength={128}
          placeholder="e.g. model service"
          aria-describedby={nameMessage === null ? undefined : ids.nameError}
          onChange={(event) => setName(event.target.value)}
          disabled={pending}
        />
        <label htmlFor={ids.role}>Role</label>
        <select id={ids.role} value={role} onChange={(event) => setRole(event.target.value)} disabled={pending}>
          {roles.map((r) => (
            <option key={r.role} value={r.role}>
              {r.role}: {r.description}
            </option>
          ))}
        </select>
        <button type="submit" className="primary" disabled={pending}>
          {pending ? 'Creating…' : 'Create key'}
        </button>
        <FieldError id={ids.nameError} message={nameMessage} />
      </form>
      {error !== undefined && nameMessage === null && <ErrorNotice title="Could not create the key" error={error} />}
      {created !== null && <NewKey created={created} onDone={() => setCreated(null)} />}
      {keys.error !== undefined && <ErrorNotice title="Could not load the keys" error={keys.error} />}
      {revokeError !== undefined && <ErrorNotice title="Could not revoke the key" error={revokeError} />}
      {keys.data && keys.data.length === 0 && <p className="muted">No keys yet besides the server's admin key. Create one above for each service and person.</p>}
      {keys.data && keys.data.length > 0 && (
        <div className="table-scroll">
          <table className="models-table keys-table">
            <caption className="visually-hidden">API keys of the project</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Key id</th>
                <th scope="col">Role</th>
                <th scope="col">Created</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.data.map((key) => (
                <tr key={key.id} data-key-id={key.id}>
                  <th scope="row" className="wrap">
                    {key.name ?? <span className="muted">unnamed</span>}
                  </th>
                  <td>
                    <code>{key.prefix}_…</code>
                  </td>
                  <td>{key.role}</td>
                  <td>{formatTimestamp(key.created_at)}</td>
                  <td>
                    {key.revoked_at === null ? (
                      <span className="status-pill status-ok">active</span>
                    ) : (
                      <span className="status-pill status-muted" title={`Revoked ${formatTimestamp(key.revoked_at)}`}>
                        revoked
                      </span>
                    )}
                  </td>
                  <td>
                    {key.revoked_at === null &&
                      (revoking === key.id ? (
                        <span className="confirm-inline">
                          <button type="button" className="danger" onClick={() => void revoke(key.id)}>
                            Revoke now
                          </button>
                          <button type="button" onClick={() => setRevoking(null)}>
                            Cancel
                          </button>
                        </span>
                      ) : (
                        <button type="button" onClick={() => setRevoking(key.id)} aria-label={`Revoke key ${key.name ?? key.prefix}`}>
                          Revoke
                        </button>
                      ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** The secret of a key just created, with a copy button: it is never shown again. */
function NewKey({ created, onDone }: { created: CreatedKey; onDone: () => void }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(created.key);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <div className="new-key" role="status" aria-label="New key">
      <p>
        <strong>Copy the new {created.role} key{created.name === null ? '' : ` "${created.name}"`} now:</strong> it is shown only once.
      </p>
      <div className="new-key-row">
        <code className="new-key-secret">{created.key}</code>
        <button type="button" onClick={() => void copy()}>
          Copy
        </button>
        <button type="button" onClick={onDone}>
          Done
        </button>
      </div>
      {copied === 'yes' && <p className="muted">Copied to the clipboard.</p>}
      {copied === 'failed' && <p className="error-text">The browser did not allow copying: select the key and copy it by hand.</p>}
    </div>
  );
}
