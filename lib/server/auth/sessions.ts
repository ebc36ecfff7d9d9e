// The browser session: next-auth's JWT cookie (docs/auth.md). next-auth (app/api/auth/[...nextauth])
// signs the browser in and sets the cookie; here the web process reads it back for /api/v1 and
// for sockets: decoded with next-auth's own `decode` and the site secret, then checked against the
// database (the user still exists and is enabled, the session began after the last password
// reset, and it is not older than COURSE_SESSION_HOURS).

import { decode } from 'next-auth/jwt';
import type { Database } from '../db/client';
import { unauthorized, type ApiError } from '../errors';
import type { Principal } from './principal';

/** next-auth's cookie names: `__Secure-` when the sign-in came over https. Large tokens are split into `NAME.0`, `NAME.1`, … */
export const SESSION_COOKIE_NAMES = ['__Secure-next-auth.session-token', 'next-auth.session-token'] as const;

export const DEFAULT_SESSION_HOURS = 12;

/** COURSE_SESSION_HOURS (default 12): how long a browser session lasts from sign-in, in ms. */
export function sessionMaxAgeMs(env: Record<string, string | undefined> = process.env): number {
  const raw = env.COURSE_SESSION_HOURS;
  if (raw === undefined || raw.trim() === '') return DEFAULT_SESSION_HOURS * 3600_000;
  const hours = Number(raw);
  if (!Number.isFinite(hours) || hours <= 0) throw new Error(`COURSE_SESSION_HOURS=${raw} is not a positive number of hours`);
  return Math.round(hours * 3600_000);
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      value = decodeURIComponent(value);
    } catch {
      /* keep it as sent */
    }
    if (name && !out.has(name)) out.set(name, value);
  }
  return out;
}

/** The session JWT a Cookie header carries (whole or in chunks), or undefined. */
export function readSessionCookie(header: string | undefined): string | undefined {
  const cookies = parseCookies(header);
  for (const name of SESSION_COOKIE_NAMES) {
    const whole = cookies.get(name);
    if (whole) return whole;
    const chunks: string[] = [];
    for (let i = 0; cookies.has(`${name}.${i}`); i++) chunks.push(cookies.get(`${name}.${i}`)!);
    if (chunks.length > 0) return chunks.join('');
  }
  return undefined;
}

/** What Course puts in the session JWT besides next-auth's own claims. */
export interface SessionClaims {
  /** The user's id, as a string (JWT `sub`). */
  sub?: string;
  name?: string | null;
  /** When the user signed in, ms since the epoch: the session ends COURSE_SESSION_HOURS later whatever refreshes it. */
  signedInAt?: number;
}

const again = 'sign in again at /login';

/**
 * Whether the session of `userId`, signed in at `signedInAt`, still holds at `now`: the one check
 * shared by the API, the sockets and next-auth's own session refresh (through the auth bridge).
 */
export async function checkSessionUser(
  db: Database,
  userId: number,
  signedInAt: number,
  now: number,
  maxAgeMs: number,
): Promise<{ ok: true; user: { id: number; username: string; isSiteAdmin: boolean } } | { ok: false; error: ApiError }> {
  if (!Number.isSafeInteger(userId) || !Number.isFinite(signedInAt)) return { ok: false, error: unauthorized(`the session is not valid; ${again}`, undefined, 'invalid_session') };
  const endsAt = signedInAt + maxAgeMs;
  if (endsAt <= now) return { ok: false, error: unauthorized(`the session expired at ${new Date(endsAt).toISOString()}; ${again}`, undefined, 'expired_session') };
  const user = await db.prisma.user.findUnique({ where: { id: userId }, select: { id: true, username: true, isSiteAdmin: true, disabled: true, sessionsValidFrom: true } });
  if (!user) return { ok: false, error: unauthorized(`the session's user no longer exists; ${again}`, undefined, 'invalid_session') };
  if (user.disabled) return { ok: false, error: unauthorized(`user '${user.username}' is disabled; ask a site admin to enable it`, undefined, 'user_disabled') };
  if (user.sessionsValidFrom && signedInAt < user.sessionsValidFrom.getTime()) {
    return { ok: false, error: unauthorized(`the session was ended (signed out, or the password was reset); ${again}`, undefined, 'session_ended') };
  }
  return { ok: true, user: { id: user.id, username: user.username, isSiteAdmin: user.isSiteAdmin } };
}

/** The user behind a session JWT; 401 saying why when it does not hold. */
export async function resolveSession(db: Database, jwt: string, opts: { secret: string; now: number; maxAgeMs: number }): Promise<Principal> {
  let claims: SessionClaims | null = null;
  try {
    claims = (await decode({ token: jwt, secret: opts.secret })) as SessionClaims | null;
  } catch {
    claims = null;
  }
  if (!claims || typeof claims.sub !== 'string' || !/^\d+$/.test(claims.sub) || typeof claims.signedInAt !== 'number') {
    throw unauthorized(`the session is not valid (it expired, or the site secret changed); ${again}`, undefined, 'invalid_session');
  }
  const checked = await checkSessionUser(db, Number(claims.sub), claims.signedInAt, opts.now, opts.maxAgeMs);
  if (!checked.ok) throw checked.error;
  return { userId: checked.user.id, username: checked.user.username, isSiteAdmin: checked.user.isSiteAdmin, via: 'session', tokenId: 0 };
}
