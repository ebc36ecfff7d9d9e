// next-auth's options (docs/auth.md), built per request by the route handler
// app/api/auth/[...nextauth]/route.ts. This module is compiled into Next's bundle: it imports
// next-auth and the bridge's types only, and reaches the database through the auth bridge that
// the web process installs (bridge-types.ts).
//
// - Credentials: the username and password are checked by the web process (the slow scrypt
//   hash, the same message for an unknown user and a wrong password). A disabled user is refused
//   with `error=user_disabled`, a wrong password with next-auth's `CredentialsSignin`.
// - OIDC (when COURSE_OIDC_* are set): a generic OpenID Connect provider by discovery; the
//   identity must match an existing, enabled Course user (by username or email).
// - Sessions are JWTs in an HttpOnly cookie, encrypted with the site secret (NEXTAUTH_SECRET,
//   set from COURSE_SECRET / the generated secret by web/start-web.ts). A session ends
//   COURSE_SESSION_HOURS (default 12) after sign-in however often it is refreshed, when the user
//   is disabled, and when their password is reset; every refresh re-checks through the bridge.
// - Any host and port without settings: origins follow the request's Host (AUTH_TRUST_HOST, set
//   by start-web; X-Forwarded-Host/-Proto from a proxy are honoured). NEXTAUTH_URL pins one.
import type { NextAuthOptions, Session } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { getAuthBridge, type CourseAuthBridge } from './bridge-types';

/** Reasons a sign-in or session ends that are not failures of the server: logged as one quiet line, if at all. */
const EXPECTED_SESSION_ENDS = new Set(['expired_session', 'user_disabled', 'session_ended', 'invalid_session']);

export interface CourseSession extends Session {
  userId: number;
  /** When the session ends at the latest (COURSE_SESSION_HOURS after sign-in). */
  endsAt: string;
}

function oidcProvider(bridge: CourseAuthBridge): NextAuthOptions['providers'][number][] {
  const oidc = bridge.oidc;
  if (!oidc) return [];
  return [
    {
      id: 'oidc',
      name: oidc.name,
      type: 'oauth',
      wellKnown: `${oidc.issuer}/.well-known/openid-configuration`,
      clientId: oidc.clientId,
      clientSecret: oidc.clientSecret,
      authorization: { params: { scope: oidc.scope } },
      idToken: true,
      checks: ['pkce', 'state'],
      profile(profile: Record<string, unknown>) {
        const name = profile[oidc.usernameClaim] ?? profile.name ?? null;
        return { id: String(profile.sub), name: typeof name === 'string' ? name : null, email: typeof profile.email === 'string' ? profile.email : null };
      },
    },
  ];
}

export function courseAuthOptions(bridge: CourseAuthBridge = getAuthBridge()): NextAuthOptions {
  const maxAge = bridge.sessionMaxAgeSeconds;
  return {
    secret: process.env.NEXTAUTH_SECRET,
    session: { strategy: 'jwt', maxAge },
    jwt: { maxAge },
    pages: { signIn: '/login', error: '/login' },
    providers: [
      CredentialsProvider({
        id: 'credentials',
        name: 'Username and password',
        credentials: {
          username: { label: 'Username', type: 'text' },
          password: { label: 'Password', type: 'password' },
        },
        async authorize(credentials) {
          const username = credentials?.username ?? '';
          const password = credentials?.password ?? '';
          if (!username || !password || username.length > 200 || password.length > 1000) return null;
          const r = await bridge.checkPassword(username, password);
          if (r.ok) return { id: String(r.user.id), name: r.user.username };
          if (r.code === 'bad_credentials') return null; // → error=CredentialsSignin
          throw new Error(r.code); // → /login?error=user_disabled
        },
      }),
      ...oidcProvider(bridge),
    ],
    events: {
      async signOut({ token }) {
        const userId = Number(token?.sub);
        if (Number.isSafeInteger(userId)) await bridge.endSessions(userId);
      },
    },
    callbacks: {
      async signIn({ user, account, profile }) {
        if (account?.provider !== 'oidc') return true;
        const r = await bridge.findOidcUser((profile ?? {}) as Record<string, unknown>);
        if (!r.ok) return `/login?error=${encodeURIComponent(r.code)}`;
        user.id = String(r.user.id);
        user.name = r.user.username;
        return true;
      },
      async jwt({ token, user, account, profile }) {
        if (user) {
          let id = String(user.id);
          let name = user.name ?? null;
          if (account?.provider === 'oidc') {
            const r = await bridge.findOidcUser((profile ?? {}) as Record<string, unknown>);
            if (!r.ok) throw new Error(r.code);
            id = String(r.user.id);
            name = r.user.username;
          }
          return { sub: id, name, signedInAt: Date.now(), provider: account?.provider ?? 'credentials' };
        }
        // A refresh: the session must still hold (not too old, user enabled, no password reset since).
        const r = await bridge.checkSession(Number(token.sub), Number(token.signedInAt));
        if (!r.ok) throw new Error(r.code); // next-auth ends the session and clears the cookie
        return { ...token, name: r.user.username };
      },
      async session({ session, token }) {
        const signedInAt = Number(token.signedInAt);
        const out: CourseSession = {
          ...session,
          user: { name: typeof token.name === 'string' ? token.name : null },
          userId: Number(token.sub),
          endsAt: new Date(signedInAt + maxAge * 1000).toISOString(),
          expires: new Date(Math.min(Date.parse(session.expires), signedInAt + maxAge * 1000)).toISOString(),
        };
        return out;
      },
    },
    logger: {
      error(code, metadata) {
        const message = (metadata as { message?: unknown } | undefined)?.message ?? (metadata instanceof Error ? metadata.message : undefined);
        if (code === 'JWT_SESSION_ERROR' && typeof message === 'string' && EXPECTED_SESSION_ENDS.has(message)) return;
        console.error(`[next-auth] ${code}`, metadata);
      },
      warn(code) {
        // NEXTAUTH_URL is left unset on purpose: origins follow the request (docs/auth.md).
        if (code === 'NEXTAUTH_URL') return;
        console.warn(`[next-auth] ${code}`);
      },
      debug() {},
    },
  };
}
