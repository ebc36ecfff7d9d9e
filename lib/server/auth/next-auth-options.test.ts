// next-auth's callbacks against a fake auth bridge: what the route handler does with a sign-in,
// a refresh and a session, without Next.
import { describe, expect, it } from 'vitest';
import type { CourseAuthBridge } from './bridge-types';
import { courseAuthOptions, type CourseSession } from './next-auth-options';

function bridge(over: Partial<CourseAuthBridge> = {}): CourseAuthBridge {
  return {
    version: 1,
    sessionMaxAgeSeconds: 3600,
    oidc: null,
    checkPassword: async (u, p) => (u === 'ann' && p === 'good' ? { ok: true, user: { id: 7, username: 'ann' } } : u === 'dis' ? { ok: false, code: 'user_disabled', message: 'disabled' } : { ok: false, code: 'bad_credentials', message: 'wrong' }),
    checkSession: async (id) => (id === 7 ? { ok: true, user: { id: 7, username: 'ann' } } : { ok: false, code: 'user_disabled', message: 'disabled' }),
    findOidcUser: async () => ({ ok: false, code: 'oidc_no_user', message: 'none' }),
    endSessions: async () => undefined,
    ...over,
  };
}

const authorize = (b: CourseAuthBridge, username: string, password: string) => {
  const provider = courseAuthOptions(b).providers[0] as unknown as { options: { authorize: (c: unknown) => Promise<unknown> } };
  return provider.options.authorize({ username, password });
};

describe('next-auth options', () => {
  it('sign in with a password through the bridge: a wrong one is next-auth’s CredentialsSignin (null), a disabled user an error code', async () => {
    expect(await authorize(bridge(), 'ann', 'good')).toEqual({ id: '7', name: 'ann' });
    expect(await authorize(bridge(), 'ann', 'bad')).toBeNull();
    await expect(authorize(bridge(), 'dis', 'x')).rejects.toThrow('user_disabled');
    expect(await authorize(bridge(), '', 'x')).toBeNull();
  });

  it('put the user id and the sign-in time in the JWT, re-check on refresh, and end the session when the bridge says so', async () => {
    const o = courseAuthOptions(bridge());
    expect(o.session).toEqual({ strategy: 'jwt', maxAge: 3600 });
    expect(o.pages).toEqual({ signIn: '/login', error: '/login' });
    const jwt = o.callbacks!.jwt!;
    const before = Date.now();
    const token = await jwt({ token: {}, user: { id: '7', name: 'ann' }, account: { provider: 'credentials', type: 'credentials', providerAccountId: '7' } } as never);
    expect(token).toMatchObject({ sub: '7', name: 'ann', provider: 'credentials' });
    expect(token.signedInAt as number).toBeGreaterThanOrEqual(before);
    expect(await jwt({ token } as never)).toMatchObject({ sub: '7', name: 'ann' });
    await expect(jwt({ token: { ...token, sub: '8' } } as never)).rejects.toThrow('user_disabled');

    const session = (await o.callbacks!.session!({ session: { expires: new Date(Date.now() + 7200_000).toISOString(), user: {} }, token } as never)) as unknown as CourseSession;
    expect(session).toMatchObject({ user: { name: 'ann' }, userId: 7 });
    expect(Date.parse(session.endsAt)).toBe((token.signedInAt as number) + 3600_000);
    expect(session.expires).toBe(session.endsAt);
  });

  it('add an OIDC provider when configured, mapping the identity to an existing user', async () => {
    const b = bridge({
      oidc: { issuer: 'https://id.example.com', clientId: 'c', clientSecret: 's', name: 'Acme SSO', match: 'username', usernameClaim: 'preferred_username', scope: 'openid' },
      findOidcUser: async (claims) => (claims.preferred_username === 'ann' ? { ok: true, user: { id: 7, username: 'ann' } } : { ok: false, code: 'oidc_no_user', message: 'none' }),
    });
    const o = courseAuthOptions(b);
    expect(o.providers.map((p) => p.id)).toEqual(['credentials', 'oidc']);
    expect(o.providers[1]).toMatchObject({ type: 'oauth', name: 'Acme SSO', wellKnown: 'https://id.example.com/.well-known/openid-configuration', idToken: true });
    const account = { provider: 'oidc', type: 'oauth', providerAccountId: 'sub-1' } as never;
    const user = { id: 'sub-1', name: 'Ann' };
    expect(await o.callbacks!.signIn!({ user, account, profile: { sub: 'sub-1', preferred_username: 'ann' } } as never)).toBe(true);
    expect(user).toEqual({ id: '7', name: 'ann' });
    expect(await o.callbacks!.signIn!({ user: { id: 'x' }, account, profile: { sub: 'x', preferred_username: 'zed' } } as never)).toBe('/login?error=oidc_no_user');
    const token = await o.callbacks!.jwt!({ token: {}, user: { id: 'sub-1' }, account, profile: { sub: 'sub-1', preferred_username: 'ann' } } as never);
    expect(token).toMatchObject({ sub: '7', name: 'ann', provider: 'oidc' });
  });
});
