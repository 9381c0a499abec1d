import { useId, useState, type FormEvent } from 'react';

interface LoginFormProps {
  /** Why the user is here again (a rejected or revoked key), shown above the form. */
  notice: string | undefined;
  /** Resolves to an error message to show, or null once signed in. */
  onSubmit: (apiKey: string) => Promise<string | null>;
}

export function LoginForm({ notice, onSubmit }: LoginFormProps) {
  const inputId = useId();
  const [apiKey, setApiKey] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const message = error ?? notice ?? null;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const trimmed = apiKey.trim();
    if (trimmed === '') {
      setError('Enter an API key.');
      return;
    }
    setPending(true);
    setError(null);
    const failure = await onSubmit(trimmed);
    setPending(false);
    if (failure !== null) setError(failure);
  };

  return (
    <form className="card login" aria-label="Sign in" onSubmit={(event) => void submit(event)}>
      <h1>Sign in</h1>
      <p className="muted">Use an API key with the role read or admin. It is kept in this tab only.</p>
      {message !== null && (
        <p className="error-text" role="alert">
          {message}
        </p>
      )}
      <label htmlFor={inputId}>API key</label>
      <input
        id={inputId}
        name="api-key"
        type="password"
        autoComplete="off"
        spellCheck={false}
        value={apiKey}
        onChange={(event) => setApiKey(event.target.value)}
        disabled={pending}
        autoFocus
      />
      <button type="submit" className="primary" disabled={pending}>
        {pending ? 'Checking…' : 'Sign in'}
      </button>
    </form>
  );
}
