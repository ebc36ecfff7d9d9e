'use client';
// Sign out: ends next-auth's session when next-auth is mounted (/api/auth/*), and the API's own
// session cookie (/api/v1/auth/logout) — whichever the server uses — then goes to /login.
export async function signOutEverywhere(): Promise<void> {
  try {
    const csrf = await fetch('/api/auth/csrf', { credentials: 'same-origin', cache: 'no-store' });
    if (csrf.ok && (csrf.headers.get('content-type') ?? '').includes('json')) {
      const { csrfToken } = (await csrf.json()) as { csrfToken?: string };
      if (csrfToken) {
        await fetch('/api/auth/signout', {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ csrfToken, callbackUrl: '/login', json: 'true' }).toString(),
        });
      }
    }
  } catch {
    // next-auth not mounted: the API logout below does it
  }
  try {
    await fetch('/api/v1/auth/logout', { method: 'POST', credentials: 'same-origin' });
  } catch {
    // ignore: going to /login anyway
  }
  window.location.assign('/login');
}
