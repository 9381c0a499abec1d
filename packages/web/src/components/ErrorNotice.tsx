import type { ReactNode } from 'react';
import { ApiError } from '../api.ts';

interface ErrorNoticeProps {
  title: string;
  error: unknown;
  children?: ReactNode;
}

/** The server's `{error: {code, message}}` message, with its code, as plain text. */
export function ErrorNotice({ title, error, children }: ErrorNoticeProps) {
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof ApiError ? error.code : undefined;
  return (
    <div className="notice notice-error" role="alert">
      <strong>{title}</strong>
      <p>
        {message}
        {code !== undefined && <code className="error-code">{code}</code>}
      </p>
      {children}
    </div>
  );
}
