// The browser session: a cookie `course_session` carrying an API token of the ordinary kind
// (tokens.ts), set by POST /api/v1/auth/session and cleared by POST /api/v1/auth/logout.
// Everything about the cookie lives in this one file: next-auth replaces it in a later issue.

import type { IncomingMessage } from 'node:http';
import type { Database } from '../db/client';
import { checkPassword, issueToken, resolveToken, revokeToken } from './tokens';

export const SESSION_COOKIE = 'course_session';
export const SESSION_LIFETIME_MS = 7 * 24 * 3600 * 1000;

export function readSessionToken(req: IncomingMessage): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === SESSION_COOKIE) {
      const value = part.slice(eq + 1).trim();
      return /^[A-Za-z0-9_-]+$/.test(value) ? value : undefined;
    }
  }
  return undefined;
}

/** Secure only when the request itself came over TLS (directly or through a proxy saying so): sign-in must work on plain http://host:port too. */
function isHttps(req: IncomingMessage): boolean {
  const forwarded = req.headers['x-forwarded-proto'];
  const proto = Array.isArray(forwarded) ? forwarded[0] : forwarded;
  return proto?.split(',')[0].trim() === 'https' || Boolean((req.socket as { encrypted?: boolean }).encrypted);
}

function cookie(req: IncomingMessage, value: string, maxAgeSeconds: number): string {
  return [`${SESSION_COOKIE}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${maxAgeSeconds}`, ...(isHttps(req) ? ['Secure'] : [])].join('; ');
}

export interface Session {
  username: string;
  expiresAt: Date;
  /** The Set-Cookie header value. */
  setCookie: string;
}

export async function signIn(db: Database, req: IncomingMessage, username: string, password: string, now: number): Promise<Session> {
  const user = await checkPassword(db, username, password);
  const issued = await issueToken(db, user.userId, { name: 'session', now, lifetimeMs: SESSION_LIFETIME_MS });
  return {
    username: user.username,
    expiresAt: issued.expiresAt,
    setCookie: cookie(req, issued.token, Math.floor(SESSION_LIFETIME_MS / 1000)),
  };
}

/** Ends the session the cookie names (when it still is one) and returns the Set-Cookie that clears it. */
export async function signOut(db: Database, req: IncomingMessage, now: number): Promise<string> {
  const token = readSessionToken(req);
  if (token !== undefined) {
    const principal = await resolveToken(db, token, now, 'session').catch(() => null);
    if (principal) await revokeToken(db, principal.tokenId, now);
  }
  return cookie(req, '', 0);
}
