// Who the caller is and their API tokens. Browsers sign in through next-auth at /api/auth/*
// (app/api/auth/[...nextauth]/route.ts, docs/auth.md); scripts and the CLI trade a username and
// password for a token here, or make named personal tokens once signed in.

import { Me, TokenRequest, TokenResponse } from '../../lib/contracts/api';
import { CreatedToken, CreateTokenBody, TokenIdParams, TokenList } from '../../lib/contracts/admin';
import { checkPassword, createPersonalToken, isRole, issueToken, listTokens, resolveToken, revokeOwnToken, revokeToken, type Principal } from '../../lib/server/auth';
import type { Database } from '../../lib/server/db/client';
import { defineRoute } from '../route';

export const authRoutes = [
  defineRoute({
    method: 'POST',
    path: '/auth/token',
    auth: 'public',
    summary: 'Trade a username and password for an API token (valid 30 days)',
    body: TokenRequest,
    status: 201,
    response: TokenResponse,
    async handler(ctx, { body }) {
      const now = ctx.now();
      const user = await checkPassword(ctx.db, body.username, body.password);
      const issued = await issueToken(ctx.db, user.userId, { name: body.name ?? 'api', now, audit: { username: user.username, via: 'password' } });
      return { status: 201, body: { token: issued.token, expiresAt: issued.expiresAt.toISOString() } };
    },
  }),

  defineRoute({
    method: 'POST',
    path: '/auth/logout',
    auth: 'public',
    summary: 'Revoke the Bearer token sent along (browsers sign out with POST /api/auth/signout)',
    status: 204,
    async handler(ctx, { raw }) {
      const now = ctx.now();
      const bearer = /^Bearer[ ]+([A-Za-z0-9_-]+)[ ]*$/i.exec(raw.headers.authorization ?? '');
      if (bearer) {
        const principal = await resolveToken(ctx.db, bearer[1], now, 'token').catch(() => null);
        if (principal) {
          await revokeToken(ctx.db, principal.tokenId, now, principal);
          ctx.onAccessChanged?.([principal.userId]);
        }
      }
      return { status: 204 };
    },
  }),

  defineRoute({
    method: 'GET',
    path: '/auth/me',
    auth: 'user',
    summary: 'The signed-in user, with their groups and roles (pages hide what the roles do not allow)',
    response: Me,
    async handler(ctx, { principal }) {
      return { status: 200, body: await describeUser(ctx.db, principal) };
    },
  }),

  defineRoute({
    method: 'GET',
    path: '/auth/tokens',
    auth: 'user',
    summary: "The caller's API tokens, newest first (their secrets were shown once, at creation)",
    response: TokenList,
    async handler(ctx, { principal }) {
      return { status: 200, body: { tokens: await listTokens(ctx.db, principal, ctx.now()) } };
    },
  }),

  defineRoute({
    method: 'POST',
    path: '/auth/tokens',
    auth: 'user',
    summary: 'Create a personal API token: the secret is in this answer and nowhere else',
    body: CreateTokenBody,
    status: 201,
    response: CreatedToken,
    async handler(ctx, { principal, body }) {
      return { status: 201, body: await createPersonalToken(ctx.db, principal, body, ctx.now()) };
    },
  }),

  defineRoute({
    method: 'DELETE',
    path: '/auth/tokens/:id',
    auth: 'user',
    summary: 'Revoke one of your API tokens (at once: the next request with it is a 401)',
    params: TokenIdParams,
    status: 204,
    errors: [404],
    async handler(ctx, { principal, params }) {
      await revokeOwnToken(ctx.db, principal, params.id, ctx.now());
      // A live socket opened with that token goes too.
      ctx.onAccessChanged?.([principal.userId]);
      return { status: 204 };
    },
  }),
];

async function describeUser(db: Database, principal: Principal): Promise<Me> {
  const memberships = await db.prisma.membership.findMany({
    where: { userId: principal.userId },
    select: { role: true, group: { select: { name: true } } },
    orderBy: { group: { name: 'asc' } },
  });
  return {
    username: principal.username,
    isSiteAdmin: principal.isSiteAdmin,
    groups: memberships.flatMap((m) => (isRole(m.role) ? [{ name: m.group.name, role: m.role }] : [])),
  };
}
