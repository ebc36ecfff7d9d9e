// API tokens: `POST /auth/token` trades a username and password for one (the CLI's `course
// token`); `POST /auth/tokens` makes a named personal token for a signed-in user; both are
// listed by `GET /auth/tokens` and revoked by `DELETE /auth/tokens/{id}`. A token is 32 random
// bytes (base64url); only its SHA-256 is stored (ApiToken.tokenHash), so a copy of the database
// holds no usable token. Browser sessions are not tokens: they are next-auth JWTs (sessions.ts).

import { createHash, randomBytes } from 'node:crypto';
import type { TokenInfo } from '../../contracts/admin';
import { recordAudit } from '../audit/record';
import type { Database, Tx } from '../db/client';
import { writeTx } from '../db/write';
import { notFound, unauthorized } from '../errors';
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
  opts: { name: string; now: number; lifetimeMs?: number; audit?: { username: string; via: string } },
): Promise<IssuedToken> {
  return writeTx(db, (tx) => issueTokenTx(tx, userId, opts));
}

/** issueToken inside the caller's transaction; with `audit`, records token.created there too. */
export async function issueTokenTx(
  tx: Tx,
  userId: number,
  opts: { name: string; now: number; lifetimeMs?: number; audit?: { username: string; via: string } },
): Promise<IssuedToken> {
  const token = newSecret();
  const expiresAt = new Date(opts.now + (opts.lifetimeMs ?? TOKEN_LIFETIME_MS));
  const row = await tx.apiToken.create({
    data: { userId, name: opts.name, tokenHash: hashSecret(token), createdAt: new Date(opts.now), expiresAt },
    select: { id: true },
  });
  if (opts.audit) {
    await recordAudit(tx, {
      actor: { userId, username: opts.audit.username },
      action: 'token.created',
      target: `token:${row.id}`,
      details: { name: opts.name, expiresAt: expiresAt.toISOString(), via: opts.audit.via },
      at: opts.now,
    });
  }
  return { id: row.id, token, expiresAt };
}

/** The user a token belongs to; 401 saying why for an unknown, revoked or expired token or a disabled user. */
export async function resolveToken(db: Database, token: string, now: number, via: Principal['via']): Promise<Principal> {
  const row = await db.prisma.apiToken.findUnique({
    where: { tokenHash: hashSecret(token) },
    include: { user: { select: { id: true, username: true, isSiteAdmin: true, disabled: true } } },
  });
  const again = 'get a new one with POST /api/v1/auth/token';
  if (!row) throw unauthorized(`the token is not valid; ${again}`, undefined, 'invalid_token');
  if (row.revokedAt) throw unauthorized(`the token was revoked; ${again}`, undefined, 'revoked_token');
  if (row.expiresAt.getTime() <= now) {
    throw unauthorized(`the token expired at ${row.expiresAt.toISOString()}; ${again}`, undefined, 'expired_token');
  }
  if (row.user.disabled) throw unauthorized(`user '${row.user.username}' is disabled; ask a site admin to enable it`, undefined, 'user_disabled');
  if (!row.lastUsedAt || now - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await writeTx(db, (tx) => tx.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date(now) } }));
  }
  return { userId: row.user.id, username: row.user.username, isSiteAdmin: row.user.isSiteAdmin, via, tokenId: row.id };
}

/** Revokes a token (no-op when it already is); with `actor`, records token.revoked in the same transaction. */
export async function revokeToken(db: Database, tokenId: number, now: number, actor?: { userId: number; username: string }): Promise<void> {
  await writeTx(db, async (tx) => {
    const { count } = await tx.apiToken.updateMany({ where: { id: tokenId, revokedAt: null }, data: { revokedAt: new Date(now) } });
    if (count > 0 && actor) await recordAudit(tx, { actor, action: 'token.revoked', target: `token:${tokenId}`, at: now });
  });
}

function tokenInfo(row: { id: number; name: string; createdAt: Date; expiresAt: Date; lastUsedAt: Date | null; revokedAt: Date | null }, now: number): TokenInfo {
  return {
    id: row.id,
    name: row.name,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    state: row.revokedAt ? 'revoked' : row.expiresAt.getTime() <= now ? 'expired' : 'active',
  };
}

const TOKEN_COLUMNS = { id: true, name: true, createdAt: true, expiresAt: true, lastUsedAt: true, revokedAt: true } as const;

/** The caller's own API tokens, newest first (never their secrets: those were shown once). */
export async function listTokens(db: Database, principal: Principal, now: number): Promise<TokenInfo[]> {
  const rows = await db.prisma.apiToken.findMany({ where: { userId: principal.userId }, select: TOKEN_COLUMNS, orderBy: { id: 'desc' } });
  return rows.map((r) => tokenInfo(r, now));
}

/** A named personal token for the caller (POST /auth/tokens): the secret is in the answer and nowhere else. */
export async function createPersonalToken(
  db: Database,
  principal: Principal,
  input: { name: string; expiresInDays?: number },
  now: number,
): Promise<TokenInfo & { token: string }> {
  const lifetimeMs = (input.expiresInDays ?? TOKEN_LIFETIME_MS / 86_400_000) * 86_400_000;
  const issued = await writeTx(db, (tx) =>
    issueTokenTx(tx, principal.userId, { name: input.name, now, lifetimeMs, audit: { username: principal.username, via: principal.via } }),
  );
  const row = await db.prisma.apiToken.findUniqueOrThrow({ where: { id: issued.id }, select: TOKEN_COLUMNS });
  return { ...tokenInfo(row, now), token: issued.token };
}

/** Revokes one of the caller's own tokens (DELETE /auth/tokens/{id}); another user's token is "not found". */
export async function revokeOwnToken(db: Database, principal: Principal, tokenId: number, now: number): Promise<void> {
  await writeTx(db, async (tx) => {
    const row = await tx.apiToken.findUnique({ where: { id: tokenId }, select: { userId: true, revokedAt: true, name: true } });
    if (!row || row.userId !== principal.userId) throw notFound(`token ${tokenId} not found among your tokens`, undefined, 'token_not_found');
    if (row.revokedAt) return;
    await tx.apiToken.update({ where: { id: tokenId }, data: { revokedAt: new Date(now) } });
    await recordAudit(tx, { actor: principal, action: 'token.revoked', target: `token:${tokenId}`, details: { name: row.name }, at: now });
  });
}
