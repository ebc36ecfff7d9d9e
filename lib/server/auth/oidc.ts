// Signing in through an OpenID Connect provider (docs/auth.md), configured by environment:
//   COURSE_OIDC_ISSUER, COURSE_OIDC_CLIENT_ID, COURSE_OIDC_CLIENT_SECRET   (all three, or none)
//   COURSE_OIDC_NAME            the sign-in button's label (default "Single sign-on")
//   COURSE_OIDC_MATCH           username (default) | email: how an identity finds its Course user
//   COURSE_OIDC_USERNAME_CLAIM  the claim compared with the username (default preferred_username)
//   COURSE_OIDC_SCOPE           default "openid profile email"
// OIDC never creates users: a site admin creates them (with an email for matching by email);
// an identity that matches no enabled user is refused.
import type { BridgeResult, OidcSettings } from './bridge-types';
import type { Database } from '../db/client';

export function readOidcSettings(env: Record<string, string | undefined> = process.env): OidcSettings | null {
  const issuer = env.COURSE_OIDC_ISSUER?.trim();
  const clientId = env.COURSE_OIDC_CLIENT_ID?.trim();
  const clientSecret = env.COURSE_OIDC_CLIENT_SECRET;
  const given = [issuer, clientId, clientSecret].filter((v) => v !== undefined && v !== '');
  if (given.length === 0) return null;
  if (given.length !== 3) throw new Error('OIDC sign-in needs all of COURSE_OIDC_ISSUER, COURSE_OIDC_CLIENT_ID and COURSE_OIDC_CLIENT_SECRET (or none of them)');
  try {
    new URL(issuer!);
  } catch {
    throw new Error(`COURSE_OIDC_ISSUER=${issuer} is not a URL (e.g. https://login.example.com/realms/acme)`);
  }
  const match = (env.COURSE_OIDC_MATCH ?? 'username').trim();
  if (match !== 'username' && match !== 'email') throw new Error(`COURSE_OIDC_MATCH=${match}: use username or email`);
  return {
    issuer: issuer!.replace(/\/+$/, ''),
    clientId: clientId!,
    clientSecret: clientSecret!,
    name: env.COURSE_OIDC_NAME?.trim() || 'Single sign-on',
    match,
    usernameClaim: env.COURSE_OIDC_USERNAME_CLAIM?.trim() || 'preferred_username',
    scope: env.COURSE_OIDC_SCOPE?.trim() || 'openid profile email',
  };
}

/** The existing, enabled Course user an OIDC identity (its ID token / userinfo claims) maps to. */
export async function findOidcUser(db: Database, settings: OidcSettings, claims: Record<string, unknown>): Promise<BridgeResult> {
  let user: { id: number; username: string; disabled: boolean } | null = null;
  let what: string;
  if (settings.match === 'email') {
    const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : '';
    if (!email) return { ok: false, code: 'oidc_no_email', message: 'the identity provider sent no email to match a Course user with' };
    if (claims.email_verified === false) return { ok: false, code: 'oidc_email_unverified', message: `the identity provider says ${email} is not verified` };
    what = `email ${email}`;
    user = await db.prisma.user.findUnique({ where: { email }, select: { id: true, username: true, disabled: true } });
  } else {
    const username = claims[settings.usernameClaim];
    if (typeof username !== 'string' || username === '') {
      return { ok: false, code: 'oidc_no_username', message: `the identity provider sent no ${settings.usernameClaim} claim to match a Course user with` };
    }
    what = `username ${username}`;
    user = await db.prisma.user.findUnique({ where: { username }, select: { id: true, username: true, disabled: true } });
  }
  if (!user) return { ok: false, code: 'oidc_no_user', message: `no Course user has the ${what}; ask a site admin to create one` };
  if (user.disabled) return { ok: false, code: 'user_disabled', message: `user '${user.username}' is disabled; ask a site admin to enable it` };
  return { ok: true, user: { id: user.id, username: user.username } };
}
