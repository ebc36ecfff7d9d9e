// Signing in: API tokens for scripts and the CLI, and the browser session cookie.

import { Credentials, Me, SessionResponse, TokenRequest, TokenResponse } from '../../lib/contracts/api';
import { checkPassword, isRole, issueToken, revokeToken, resolveToken, signIn, signOut, type Principal } from '../../lib/server/auth';
import { sameOrigin } from '../../lib/server/auth/principal';
import type { Database } from '../../lib/server/db/client';
import { forbidden, isApiError } from '../../lib/server/errors';
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
      const issued = await issueToken(ctx.db, user.userId, { name: body.name ?? 'api', now });
      return { status: 201, body: { token: issued.token, expiresAt: issued.expiresAt.toISOString() } };
    },
  }),

  defineRoute({
    method: 'POST',
    path: '/auth/session',
    auth: 'public',
    summary: 'Sign in the browser: sets the course_session cookie',
    description: 'A form post is answered with a redirect to / (to /login?error=CODE when sign-in fails); JSON with 200.',
    body: Credentials,
    accepts: ['json', 'form'],
    response: SessionResponse,
    async handler(ctx, { body, format, raw }) {
      // Another site must not sign the browser in to an account of its choosing.
      if (!sameOrigin(raw)) throw forbidden('sign in from this site’s own login page', undefined, 'cross_origin');
      try {
        const session = await signIn(ctx.db, raw, body.username, body.password, ctx.now());
        const headers = { 'set-cookie': session.setCookie };
        if (format === 'form') return { status: 303, redirect: '/', headers };
        return { status: 200, body: { username: session.username, expiresAt: session.expiresAt.toISOString() }, headers };
      } catch (e) {
        if (format === 'form' && isApiError(e) && e.status === 401) return { status: 303, redirect: `/login?error=${encodeURIComponent(e.code)}` };
        throw e;
      }
    },
  }),

  defineRoute({
    method: 'POST',
    path: '/auth/logout',
    auth: 'public',
    summary: 'Sign out: ends the session cookie’s session and clears it; a Bearer token sent along is revoked',
    status: 204,
    async handler(ctx, { raw }) {
      const now = ctx.now();
      const bearer = /^Bearer[ ]+([A-Za-z0-9_-]+)[ ]*$/i.exec(raw.headers.authorization ?? '');
      if (bearer) {
        const principal = await resolveToken(ctx.db, bearer[1], now, 'token').catch(() => null);
        if (principal) await revokeToken(ctx.db, principal.tokenId, now);
      }
      const setCookie = await signOut(ctx.db, raw, now);
      const form = (raw.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
      if (form) return { status: 303, redirect: '/login', headers: { 'set-cookie': setCookie } };
      return { status: 204, headers: { 'set-cookie': setCookie } };
    },
  }),

  defineRoute({
    method: 'GET',
    path: '/auth/me',
    auth: 'user',
    summary: 'The signed-in user, with their groups and roles',
    response: Me,
    async handler(ctx, { principal }) {
      return { status: 200, body: await describeUser(ctx.db, principal) };
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
