'use client';
// Small pieces shared by the pages: an error note with the API's message, a ticking clock, etc.
import { useEffect, useState, type ReactNode } from 'react';
import { ApiFailure, problemsOf } from '../api/client';

/** The API's refusal where it applies: its message, and its problems when it listed some. */
export function ErrorNote({ error, testId = 'error', title }: { error: unknown; testId?: string; title?: string }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  const problems = problemsOf(error);
  const status = error instanceof ApiFailure && error.status ? ` (${error.status}${error.code ? ` ${error.code}` : ''})` : '';
  return (
    <div className="error-note" role="alert" data-testid={testId}>
      <strong>{title ?? 'Error'}{status}:</strong> {message}
      {problems.length > 0 ? (
        <ul>
          {problems.map((p, i) => (
            <li key={i}>
              <code>{p.path || '(definition)'}</code>: {p.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** Shown while the first answer is on its way. */
export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <p className="muted" aria-busy="true" data-testid="loading">
      {what}…
    </p>
  );
}

/** `Date.now()` that re-renders every `everyMs`. */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}

export function Section({ title, children, actions, testId }: { title: string; children: ReactNode; actions?: ReactNode; testId?: string }) {
  return (
    <section className="card" data-testid={testId} aria-label={title}>
      <div className="card-head">
        <h2>{title}</h2>
        {actions ? <div className="actions">{actions}</div> : null}
      </div>
      {children}
    </section>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="muted empty">{children}</p>;
}
