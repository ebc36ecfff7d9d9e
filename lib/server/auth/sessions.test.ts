import { describe, expect, it } from 'vitest';
import { readOidcSettings } from './oidc';
import { isPublicPath, loginPathFor } from './public-paths';
import { parseCookies, readSessionCookie, sessionMaxAgeMs } from './sessions';

describe('the session cookie', () => {
  it('is read whole, in chunks, under the __Secure- name, and URL-decoded', () => {
    expect(readSessionCookie(undefined)).toBeUndefined();
    expect(readSessionCookie('a=1; b=2')).toBeUndefined();
    expect(readSessionCookie('a=1; next-auth.session-token=abc.def')).toBe('abc.def');
    expect(readSessionCookie('__Secure-next-auth.session-token=sec; next-auth.session-token=plain')).toBe('sec');
    expect(readSessionCookie('next-auth.session-token.1=two; next-auth.session-token.0=one')).toBe('onetwo');
    expect(parseCookies('x=%41b; y="q"').get('x')).toBe('Ab');
    expect(parseCookies('x=%41b; y="q"').get('y')).toBe('q');
  });

  it('lasts COURSE_SESSION_HOURS (default 12)', () => {
    expect(sessionMaxAgeMs({})).toBe(12 * 3600_000);
    expect(sessionMaxAgeMs({ COURSE_SESSION_HOURS: '0.5' })).toBe(1800_000);
    expect(() => sessionMaxAgeMs({ COURSE_SESSION_HOURS: '-1' })).toThrow(/COURSE_SESSION_HOURS=-1/);
    expect(() => sessionMaxAgeMs({ COURSE_SESSION_HOURS: 'x' })).toThrow(/positive number of hours/);
  });
});

describe('the proxy’s public paths', () => {
  it.each(['/login', '/login/', '/api/auth/csrf', '/api/auth/callback/credentials', '/api/v1/runs', '/_next/static/x.js', '/favicon.ico', '/robots.txt'])('%s is public', (p) => {
    expect(isPublicPath(p)).toBe(true);
  });
  it.each(['/', '/workflows', '/runs/5', '/admin', '/loginx', '/api/authx', '/executors', '/workflows/a.b'])('%s needs a session', (p) => {
    expect(isPublicPath(p)).toBe(false);
  });
  it('sends an anonymous visit to /login, coming back to the page', () => {
    expect(loginPathFor('/runs/5', '?tab=log')).toBe('/login?callbackUrl=%2Fruns%2F5%3Ftab%3Dlog');
  });
});

describe('OIDC settings', () => {
  it('are off without COURSE_OIDC_*, and need all three of issuer, client id and secret', () => {
    expect(readOidcSettings({})).toBeNull();
    expect(() => readOidcSettings({ COURSE_OIDC_ISSUER: 'https://id.example.com' })).toThrow(/needs all of/);
    expect(() => readOidcSettings({ COURSE_OIDC_ISSUER: 'nope', COURSE_OIDC_CLIENT_ID: 'c', COURSE_OIDC_CLIENT_SECRET: 's' })).toThrow(/not a URL/);
    expect(() => readOidcSettings({ COURSE_OIDC_ISSUER: 'https://i', COURSE_OIDC_CLIENT_ID: 'c', COURSE_OIDC_CLIENT_SECRET: 's', COURSE_OIDC_MATCH: 'sub' })).toThrow(/username or email/);
  });
  it('default to matching by preferred_username', () => {
    expect(readOidcSettings({ COURSE_OIDC_ISSUER: 'https://id.example.com/realms/x/', COURSE_OIDC_CLIENT_ID: 'course', COURSE_OIDC_CLIENT_SECRET: 's3' })).toEqual({
      issuer: 'https://id.example.com/realms/x',
      clientId: 'course',
      clientSecret: 's3',
      name: 'Single sign-on',
      match: 'username',
      usernameClaim: 'preferred_username',
      scope: 'openid profile email',
    });
  });
});
