// For tests: a browser session cookie exactly as next-auth sets it (a JWT encrypted with the site
// secret by next-auth's own encode), without going through a sign-in page.
import { encode } from 'next-auth/jwt';

export async function sessionCookie(
  secret: string,
  user: { id: number; username: string },
  opts: { signedInAt?: number; maxAgeSeconds?: number; secure?: boolean } = {},
): Promise<string> {
  const jwt = await encode({
    token: { sub: String(user.id), name: user.username, signedInAt: opts.signedInAt ?? Date.now(), provider: 'credentials' },
    secret,
    maxAge: opts.maxAgeSeconds ?? 12 * 3600,
  });
  return `${opts.secure ? '__Secure-' : ''}next-auth.session-token=${jwt}`;
}
