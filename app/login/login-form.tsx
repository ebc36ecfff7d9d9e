'use client';
// The sign-in form: next-auth's credentials sign-in (CSRF token, POST /api/auth/callback/credentials)
// without leaving the page, so a failure is shown right here; success goes on to callbackUrl.
import { signIn } from 'next-auth/react';
import { useState, type FormEvent } from 'react';
import { errorText, safeCallbackUrl } from './messages';

export function LoginForm({ error, callbackUrl, oidcName }: { error?: string; callbackUrl: string; oidcName: string | null }) {
  const [failure, setFailure] = useState<string | undefined>(error);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    setBusy(true);
    setFailure(undefined);
    try {
      const res = await signIn('credentials', {
        redirect: false,
        username: String(data.get('username') ?? ''),
        password: String(data.get('password') ?? ''),
        callbackUrl,
      });
      if (!res || res.error || !res.ok) {
        setFailure(res?.error ?? 'CredentialsSignin');
        setBusy(false);
        return;
      }
      // A full navigation, so the pages render with the new session; only a path of this site.
      let next = callbackUrl;
      if (res.url) {
        const u = new URL(res.url, window.location.href);
        next = safeCallbackUrl(u.origin === window.location.origin ? `${u.pathname}${u.search}${u.hash}` : callbackUrl);
      }
      window.location.assign(next);
    } catch {
      setFailure('network');
      setBusy(false);
    }
  }

  return (
    <>
      {failure ? (
        <p className="error-note" role="alert" data-testid="login-error">
          {errorText(failure)}
        </p>
      ) : null}
      <form className="login" method="post" action="/api/auth/callback/credentials" onSubmit={submit}>
        <label>
          Username <input name="username" autoComplete="username" required autoFocus />
        </label>
        <label>
          Password <input name="password" type="password" autoComplete="current-password" required />
        </label>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      {oidcName ? (
        <p>
          <button type="button" onClick={() => void signIn('oidc', { callbackUrl })} disabled={busy}>
            Sign in with {oidcName}
          </button>
        </p>
      ) : null}
    </>
  );
}
