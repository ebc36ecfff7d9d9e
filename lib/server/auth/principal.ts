// Who is calling: the user behind `Authorization: Bearer TOKEN` (an API token, tokens.ts) or the
// browser's next-auth session cookie (sessions.ts); the header wins when both are sent.

import type { IncomingMessage } from 'node:http';
import type { Database } from '../db/client';
import { forbidden, unauthorized } from '../errors';
import { readSessionCookie, resolveSession, sessionMaxAgeMs } from './sessions';
import { resolveToken } from './tokens';

export interface Principal {
  userId: number;
  username: string;
  isSiteAdmin: boolean;
  /** How the caller proved it: an API token in the header, or the browser's session cookie. */
  via: 'token' | 'session';
  /** The ApiToken row for `via: 'token'` (revoked by POST /auth/logout); 0 for a session. */
  tokenId: number;
}

export interface AuthenticateOptions {
  /** The site secret, which next-auth's session cookies are encrypted with. Without it only Bearer tokens authenticate. */
  secret?: string;
  /** How long a session lasts from sign-in (default COURSE_SESSION_HOURS). */
  sessionMaxAgeMs?: number;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Null when the request carries no credentials at all; 401 for credentials that do not hold. */
export async function authenticate(db: Database, req: IncomingMessage, now: number, opts: AuthenticateOptions = {}): Promise<Principal | null> {
  const header = req.headers.authorization;
  if (header !== undefined) {
    const m = /^Bearer[ ]+([A-Za-z0-9_-]+)[ ]*$/i.exec(header);
    if (!m) throw unauthorized('the Authorization header must be `Bearer TOKEN`', undefined, 'invalid_token');
    return resolveToken(db, m[1], now, 'token');
  }
  const session = readSessionCookie(req.headers.cookie);
  if (session === undefined || opts.secret === undefined) return null;
  const principal = await resolveSession(db, session, { secret: opts.secret, now, maxAgeMs: opts.sessionMaxAgeMs ?? sessionMaxAgeMs() });
  // The cookie is SameSite=Lax, which still lets another port of the same host (the same
  // "site") post with it: a cookie-authenticated change must come from this origin.
  if (!SAFE_METHODS.has(req.method ?? 'GET') && !sameOrigin(req)) {
    throw forbidden('a change made with the session cookie must come from this site’s own pages; scripts should send a Bearer token', undefined, 'cross_origin');
  }
  return principal;
}

export function requireSignedIn(principal: Principal | null): Principal {
  if (principal) return principal;
  throw unauthorized('sign in first: send `Authorization: Bearer TOKEN` (get a token with POST /api/v1/auth/token), or sign in the browser at /login', undefined, 'unauthenticated');
}

/**
 * False when a browser says the request comes from another origin. Compared with the Host the
 * request was sent to (or the X-Forwarded-Host a proxy passed on), so it holds on any host and
 * port without settings.
 */
export function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true; // not a browser's cross-origin request
  if (origin === 'null') return false;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return false;
  }
  const forwarded = req.headers['x-forwarded-host'];
  const hosts = [req.headers.host, ...(Array.isArray(forwarded) ? forwarded : (forwarded ?? '').split(','))].map((h) => h?.trim().toLowerCase());
  return hosts.includes(host.toLowerCase());
}
