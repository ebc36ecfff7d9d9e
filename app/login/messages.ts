// The sign-in page's words for error codes, and the check that keeps callbackUrl on this site.
// Plain functions: the server page and the client form both use them.

/** What each error code means to the person signing in. Unknown codes get a generic line (nothing from the URL is shown as text). */
const MESSAGES: Record<string, string> = {
  CredentialsSignin: 'Wrong username or password.',
  bad_credentials: 'Wrong username or password.',
  user_disabled: 'This user is disabled. Ask a site admin to enable it.',
  expired_session: 'Your session expired. Sign in again.',
  session_ended: 'Your session ended because your password was reset. Sign in with the new one.',
  invalid_session: 'Your session is no longer valid. Sign in again.',
  SessionRequired: 'Sign in to see that page.',
  AccessDenied: 'Access denied.',
  oidc_no_user: 'No Course user matches your single sign-on identity. Ask a site admin to create one.',
  oidc_no_email: 'The single sign-on provider did not send an email address to find your Course user with.',
  oidc_email_unverified: 'The single sign-on provider says your email address is not verified.',
  oidc_no_username: 'The single sign-on provider did not send a username to find your Course user with.',
  OAuthSignin: 'Single sign-on could not start. Try again, or use your password.',
  OAuthCallback: 'Single sign-on failed. Try again, or use your password.',
  Callback: 'Single sign-on failed. Try again, or use your password.',
  OAuthAccountNotLinked: 'Single sign-on failed. Try again, or use your password.',
  Configuration: 'Sign-in is misconfigured on the server (see its log).',
  network: 'The server could not be reached. Try again.',
};

export function errorText(code: string): string {
  return MESSAGES[code] ?? `Sign-in failed (${/^[A-Za-z_]{1,40}$/.test(code) ? code : 'unknown error'}). Try again.`;
}

/** Only paths of this site: an absolute URL keeps its path only, anything else not starting with one "/" becomes "/". */
export function safeCallbackUrl(raw: string | undefined | null): string {
  if (!raw) return '/';
  let value = raw;
  if (/^[a-z][a-z0-9+.-]*:/i.test(value)) {
    // next-auth hands back absolute URLs of this site: keep the path only, so a sign-in never
    // leaves this origin whatever the URL named.
    try {
      const u = new URL(value);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') return '/';
      value = `${u.pathname}${u.search}${u.hash}`;
    } catch {
      return '/';
    }
  }
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  if (value === '/login' || value.startsWith('/login?') || value.startsWith('/login/')) return '/';
  return value;
}
