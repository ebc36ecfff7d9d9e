// API tokens: `POST /auth/token` trades a username and password for one, the browser session
// cookie carries one of the same kind (session.ts). A token is 32 random bytes (base64url); only
// its SHA-256 is stored (ApiToken.tokenHash), so a copy of the database holds no usable token.

import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '../db/client';
import { writeTx } from '../db/write';
import { unauthorized } from '../errors';
import { dummyHash, verifyPassword } from './passwords';
import type { Principal } from './principal';

export const TOKEN_LIFETIME_MS = 30 * 24 * 3600 * 1000;
/** lastUsedAt is written at most this often per token: reads stay reads. */
const LAST_USED_RESOLUTION_MS = 5 * 60 * 1000;

export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export interface SignedInUser {
  userId: number;
  username: string;
}

/** Checks a username and password; the same message for an unknown user and a wrong password. */
export async function checkPassword(db: Database, username: string, password: string): Promise<SignedInUser> {
  const user = await db.prisma.user.findUnique({ where: { username } });
  // An unknown user costs a hash too, so timing does not tell which usernames exist.
  const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyHash()));
  if (!user || !ok) throw unauthorized('wrong username or password', undefined, 'bad_credentials');
  if (user.disabled) throw unauthorized(`user '${username}' is disabled; ask a site admin to enable it`, undefined, 'user_disabled');
  return { userId: user.id, username: user.username };
}

export interface IssuedToken {
  id: number;
  token: string;
  expiresAt: Date;
}

export async function issueToken(
  db: Database,
  userId: number,
  opts: { name: string; now: number; lifetimeMs?: number },
): Promise<IssuedToken> {
  const token = newSecret();
  const expiresAt = new Date(opts.now + (opts.lifetimeMs ?? TOKEN_LIFETIME_MS));
  const row = await writeTx(db, (tx) =>
    tx.apiToken.create({
      data: { userId, name: opts.name, tokenHash: hashSecret(token), createdAt: new Date(opts.now), expiresAt },
      select: { id: true },
    }),
  );
  return { id: row.id, token, expiresAt };
}

/** The user a token belongs to; 401 saying why for an unknown, revoked or expired token or a disabled user. */
export async function resolveToken(db: Database, token: string, now: number, via: Principal['via']): Promise<Principal> {
  const row = await db.prisma.apiToken.findUnique({
    where: { tokenHash: hashSecret(token) },
    include: { user: { select: { id: true, username: true, isSiteAdmin: true, disabled: true } } },
  });
  const again = via === 'session' ? 'sign in again' : 'get a new one with POST /api/v1/auth/token';
  if (!row) throw unauthorized(`the ${via === 'session' ? 'session' : 'token'} is not valid; ${again}`, undefined, 'invalid_token');
  if (row.revokedAt) throw unauthorized(`the ${via === 'session' ? 'session ended (signed out)' : 'token was revoked'}; ${again}`, undefined, 'revoked_token');
  if (row.expiresAt.getTime() <= now) {
    throw unauthorized(`the ${via === 'session' ? 'session' : 'token'} expired at ${row.expiresAt.toISOString()}; ${again}`, undefined, 'expired_token');
  }
  if (row.user.disabled) throw unauthorized(`user '${row.user.username}' is disabled; ask a site admin to enable it`, undefined, 'user_disabled');
  if (!row.lastUsedAt || now - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await writeTx(db, (tx) => tx.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date(now) } }));
  }
  return { userId: row.user.id, username: row.user.username, isSiteAdmin: row.user.isSiteAdmin, via, tokenId: row.id };
}

export async function revokeToken(db: Database, tokenId: number, now: number): Promise<void> {
  await writeTx(db, (tx) => tx.apiToken.updateMany({ where: { id: tokenId, revokedAt: null }, data: { revokedAt: new Date(now) } }));
}
