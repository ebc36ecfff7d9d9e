// Signing in with next-auth against the real web process (server.ts with the built pages) on a
// random port, over plain HTTP as a browser does it: CSRF token, POST the credentials, the session
// cookie comes back, and /api/v1 and /live accept it. On 127.0.0.1, on localhost and behind an
// https proxy (X-Forwarded-*) — no NEXTAUTH_URL, no settings — every redirect follows the Host the
// request came to. Route handlers run in the web's own process (the auth bridge proves it).
import { request as httpRequest } from 'node:http';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestUser } from '../api/testing';
import { Cluster } from '../lib/server/testing/cluster';
import { startFakeOidc, type FakeOidc } from '../lib/server/testing/fake-oidc';
import { ensureNextBuild } from '../lib/server/testing/next-build';
import { freshDatabaseUrl } from '../lib/server/testing/postgres';

let cluster: Cluster;
let port: number;
let idp: FakeOidc;

interface Res {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  cookies: Map<string, { value: string; attrs: string }>;
}

/** One request to the web process at 127.0.0.1, with any Host header (fetch cannot set Host). */
function request(method: string, path: string, opts: { host?: string; headers?: Record<string, string>; form?: Record<string, string>; jar?: Jar } = {}): Promise<Res> {
  const body = opts.form ? new URLSearchParams(opts.form).toString() : undefined;
  const headers: Record<string, string> = {
    host: opts.host ?? `127.0.0.1:${port}`,
    ...(body !== undefined && { 'content-type': 'application/x-www-form-urlencoded' }),
    ...(opts.jar && opts.jar.size > 0 && { cookie: cookieHeader(opts.jar) }),
    ...opts.headers,
  };
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const cookies = new Map<string, { value: string; attrs: string }>();
        for (const line of ([] as string[]).concat(res.headers['set-cookie'] ?? [])) {
          const [pair, ...attrs] = line.split(';');
          const eq = pair.indexOf('=');
          cookies.set(pair.slice(0, eq).trim(), { value: pair.slice(eq + 1).trim(), attrs: attrs.join(';').trim() });
        }
        if (opts.jar) {
          for (const [name, c] of cookies) {
            if (c.value === '' || /Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(c.attrs)) opts.jar.delete(name);
            else opts.jar.set(name, c.value);
          }
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8'), cookies });
      });
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

type Jar = Map<string, string>;
const cookieHeader = (jar: Jar) => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');

/** What a browser does: get the CSRF token (and its cookie), post the credentials with it. */
async function signIn(username: string, password: string, opts: { host?: string; headers?: Record<string, string>; callbackUrl?: string; json?: boolean } = {}) {
  const jar: Jar = new Map();
  const csrf = await request('GET', '/api/auth/csrf', { host: opts.host, headers: opts.headers, jar });
  expect(csrf.status, csrf.text).toBe(200);
  const { csrfToken } = JSON.parse(csrf.text) as { csrfToken: string };
  const res = await request('POST', '/api/auth/callback/credentials', {
    host: opts.host,
    headers: opts.headers,
    jar,
    form: { csrfToken, username, password, callbackUrl: opts.callbackUrl ?? '/', ...(opts.json && { json: 'true' }) },
  });
  return { res, jar };
}

const sessionCookieOf = (r: Res) => [...r.cookies].find(([name]) => name.endsWith('next-auth.session-token'));

beforeAll(async () => {
  const dist = ensureNextBuild();
  idp = await startFakeOidc();
  cluster = new Cluster({
    databaseUrl: await freshDatabaseUrl('sqlite'),
    worker: false,
    executors: [],
    env: {
      COURSE_WEB_PAGES: 'on',
      COURSE_NEXT_DIST_DIR: dist,
      NODE_ENV: 'production',
      NEXTAUTH_URL: '',
      AUTH_TRUST_HOST: '',
      COURSE_OIDC_ISSUER: idp.issuer,
      COURSE_OIDC_CLIENT_ID: idp.clientId,
      COURSE_OIDC_CLIENT_SECRET: idp.clientSecret,
      COURSE_OIDC_NAME: 'Acme SSO',
    },
  });
  await cluster.start();
  port = cluster.port;
  await createTestUser(cluster.db, 'vera', { groups: { default: 'viewer' } });
  await createTestUser(cluster.db, 'dora', { disabled: true, groups: { default: 'viewer' } });
  await createTestUser(cluster.db, 'mia', { groups: { default: 'operator' } });
  await cluster.db.prisma.user.update({ where: { username: 'mia' }, data: { email: 'mia@example.com' } });
}, 600_000);

afterAll(async () => {
  await cluster?.stop();
  await idp?.close();
});

describe('an anonymous visit', () => {
  it('to a page goes to /login with the page as callbackUrl; /login, next-auth and the API stay reachable', async () => {
    for (const [path, back] of [
      ['/', '/'],
      ['/workflows/etl?tab=runs', '/workflows/etl?tab=runs'],
      ['/runs/7', '/runs/7'],
      ['/admin', '/admin'],
    ]) {
      const r = await request('GET', path);
      expect(r.status, path).toBe(307);
      expect(r.headers.location).toBe(`/login?callbackUrl=${encodeURIComponent(back)}`);
    }
    const login = await request('GET', '/login?callbackUrl=%2Fruns%2F7');
    expect(login.status).toBe(200);
    expect(login.text).toContain('action="/api/auth/callback/credentials"');
    expect((await request('GET', '/api/auth/providers')).status).toBe(200);
    const api = await request('GET', '/api/v1/auth/me');
    expect(api.status).toBe(401);
    expect(JSON.parse(api.text).error.code).toBe('unauthenticated');
  });
});

describe('signing in with a password', () => {
  it('on 127.0.0.1:PORT: redirects to the callback on that host and sets a session the API accepts', async () => {
    const { res, jar } = await signIn('admin', 'admin-password', { callbackUrl: '/runs/1' });
    expect(res.status, res.text).toBe(302);
    expect(res.headers.location).toBe(`http://127.0.0.1:${port}/runs/1`);
    const [name, cookie] = sessionCookieOf(res)!;
    expect(name).toBe('next-auth.session-token');
    expect(cookie.attrs).toMatch(/HttpOnly/);
    expect(cookie.attrs).toMatch(/SameSite=Lax/);
    expect(cookie.attrs).not.toMatch(/Secure/);
    // Expires 12 hours from now (COURSE_SESSION_HOURS' default).
    const expires = Date.parse(/Expires=([^;]+)/.exec(cookie.attrs)![1]);
    expect(Math.abs(expires - (Date.now() + 12 * 3600_000))).toBeLessThan(120_000);

    const me = await request('GET', '/api/v1/auth/me', { jar });
    expect(me.status, me.text).toBe(200);
    expect(JSON.parse(me.text)).toEqual({ username: 'admin', isSiteAdmin: true, groups: [{ name: 'default', role: 'admin' }] });
    const session = JSON.parse((await request('GET', '/api/auth/session', { jar })).text);
    expect(session).toMatchObject({ user: { name: 'admin' }, userId: expect.any(Number), endsAt: expect.any(String) });
    // Signed in, pages render and /login sends on to the callback.
    expect((await request('GET', '/runs/1', { jar })).status).toBe(200);
    const again = await request('GET', '/login?callbackUrl=%2Fworkflows', { jar });
    expect(again.status).toBe(307);
    expect(again.headers.location).toBe('/workflows');
  });

  it('on localhost:PORT and on any other host name: redirects follow the Host', async () => {
    for (const host of [`localhost:${port}`, `course.internal:${port}`, `10.1.2.3:8080`]) {
      const { res, jar } = await signIn('vera', 'password', { host, callbackUrl: '/workflows' });
      expect(res.status, `${host}: ${res.text}`).toBe(302);
      expect(res.headers.location).toBe(`http://${host}/workflows`);
      expect((await request('GET', '/api/v1/auth/me', { host, jar })).status).toBe(200);
      const anon = await request('GET', '/runs/3', { host });
      expect(anon.headers.location).toBe('/login?callbackUrl=%2Fruns%2F3');
    }
  });

  it('behind an https proxy (X-Forwarded-Host/-Proto): https redirects and a Secure __Secure- cookie', async () => {
    const headers = { 'x-forwarded-host': 'course.example.com', 'x-forwarded-proto': 'https, http' };
    const { res, jar } = await signIn('vera', 'password', { headers, callbackUrl: '/runs/9' });
    expect(res.status, res.text).toBe(302);
    expect(res.headers.location).toBe('https://course.example.com/runs/9');
    const [name, cookie] = sessionCookieOf(res)!;
    expect(name).toBe('__Secure-next-auth.session-token');
    expect(cookie.attrs).toMatch(/Secure/);
    expect((await request('GET', '/api/v1/auth/me', { jar })).status).toBe(200);
  });

  it('the page’s own way (json=true) answers with the URL to go to', async () => {
    const { res } = await signIn('vera', 'password', { json: true, callbackUrl: '/x' });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ url: `http://127.0.0.1:${port}/x` });
    expect(sessionCookieOf(res)).toBeDefined();
  });

  it('refuses a wrong password and a disabled user, with the reason on the sign-in page', async () => {
    const wrong = await signIn('vera', 'nope', { json: true });
    expect(wrong.res.status).toBe(401);
    expect(new URL(JSON.parse(wrong.res.text).url).searchParams.get('error')).toBe('CredentialsSignin');
    expect(sessionCookieOf(wrong.res)).toBeUndefined();
    const unknown = await signIn('nobody', 'password', { json: true });
    expect(new URL(JSON.parse(unknown.res.text).url).searchParams.get('error')).toBe('CredentialsSignin');
    const disabled = await signIn('dora', 'password', { json: true });
    expect(disabled.res.status).toBe(401);
    expect(new URL(JSON.parse(disabled.res.text).url).searchParams.get('error')).toBe('user_disabled');
    expect(sessionCookieOf(disabled.res)).toBeUndefined();

    // Without JavaScript the redirects end on /login with the error, on the same host.
    const form = await signIn('vera', 'nope', { host: `localhost:${port}` });
    expect(form.res.status).toBe(302);
    const page = (await request('GET', '/login?error=CredentialsSignin')).text;
    expect(page).toContain('Wrong username or password.');
    expect((await request('GET', '/login?error=user_disabled')).text).toContain('This user is disabled');
  });

  it('refuses a post without the CSRF token', async () => {
    const r = await request('POST', '/api/auth/callback/credentials', { form: { username: 'vera', password: 'password' } });
    expect(r.status).toBe(302);
    expect(sessionCookieOf(r)).toBeUndefined();
  });
});

describe('with the session', () => {
  it('cookie-authenticated writes must come from this origin; the live socket accepts the cookie', async () => {
    const { jar } = await signIn('vera', 'password');
    const same = await fetch(`http://127.0.0.1:${port}/api/v1/auth/tokens`, {
      method: 'POST',
      headers: { cookie: cookieHeader(jar), origin: `http://127.0.0.1:${port}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'from the browser' }),
    });
    expect(same.status).toBe(201);
    const cross = await fetch(`http://127.0.0.1:${port}/api/v1/auth/tokens`, {
      method: 'POST',
      headers: { cookie: cookieHeader(jar), origin: 'http://evil.test', 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'stolen' }),
    });
    expect(cross.status).toBe(403);

    const socket = connect(`http://127.0.0.1:${port}/live`, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie: cookieHeader(jar), origin: `http://127.0.0.1:${port}` } });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      expect(await socket.timeout(5000).emitWithAck('subscribe', { dashboard: true })).toEqual({ ok: true, room: 'dashboard' });
    } finally {
      socket.disconnect();
    }
  });

  it('signing out clears the cookie: the API and the pages refuse it afterwards', async () => {
    const { jar } = await signIn('vera', 'password');
    expect((await request('GET', '/api/v1/auth/me', { jar })).status).toBe(200);
    const copied: Jar = new Map(jar); // a cookie copied (or stolen) before sign-out
    const csrf = JSON.parse((await request('GET', '/api/auth/csrf', { jar })).text).csrfToken as string;
    const out = await request('POST', '/api/auth/signout', { jar, form: { csrfToken: csrf, callbackUrl: '/login', json: 'true' } });
    expect(out.status).toBe(200);
    expect(JSON.parse(out.text).url).toBe(`http://127.0.0.1:${port}/login`);
    expect([...jar.keys()].some((k) => k.endsWith('session-token'))).toBe(false);
    expect((await request('GET', '/api/v1/auth/me', { jar })).status).toBe(401);
    expect((await request('GET', '/workflows', { jar })).status).toBe(307);
    // The session itself ended: the copied cookie no longer works either.
    const stale = await request('GET', '/api/v1/auth/me', { jar: copied });
    expect(stale.status).toBe(401);
    expect(stale.text).toContain('signed out');
    // And signing in again works at once.
    const again = await signIn('vera', 'password');
    expect((await request('GET', '/api/v1/auth/me', { jar: again.jar })).status).toBe(200);
  });
});

describe('single sign-on (OIDC, COURSE_OIDC_*)', () => {
  /** The browser's round trip: sign-in POST → the provider → back to next-auth's callback. */
  async function ssoSignIn(identity: FakeOidc['next'], callbackUrl = '/workflows') {
    idp.next = identity;
    const jar: Jar = new Map();
    const csrfToken = JSON.parse((await request('GET', '/api/auth/csrf', { jar })).text).csrfToken as string;
    const start = await request('POST', '/api/auth/signin/oidc', { jar, form: { csrfToken, callbackUrl } });
    expect(start.status, start.text).toBe(302);
    const authorize = new URL(String(start.headers.location));
    expect(authorize.origin).toBe(idp.issuer);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`http://127.0.0.1:${port}/api/auth/callback/oidc`);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    const back = await fetch(authorize, { redirect: 'manual' });
    const callback = new URL(String(back.headers.get('location')));
    const done = await request('GET', `${callback.pathname}${callback.search}`, { jar });
    return { done, jar };
  }

  it('shows the provider on the sign-in page', async () => {
    expect((await request('GET', '/login')).text).toContain('Sign in with <!-- -->Acme SSO');
  });

  it('signs in the existing user the identity names (by preferred_username)', async () => {
    const before = idp.tokenRequests;
    const { done, jar } = await ssoSignIn({ sub: 'idp-vera', preferred_username: 'vera', email: 'someone@example.com' });
    expect(done.status, done.text).toBe(302);
    expect(done.headers.location).toBe(`http://127.0.0.1:${port}/workflows`);
    expect(idp.tokenRequests).toBe(before + 1);
    const me = await request('GET', '/api/v1/auth/me', { jar });
    expect(me.status, me.text).toBe(200);
    expect(JSON.parse(me.text)).toMatchObject({ username: 'vera', groups: [{ name: 'default', role: 'viewer' }] });
  });

  it('refuses an identity that matches no Course user, or a disabled one, with the reason', async () => {
    const unknown = await ssoSignIn({ sub: 'idp-zed', preferred_username: 'zed' });
    expect(unknown.done.status).toBe(302);
    expect(unknown.done.headers.location).toBe('/login?error=oidc_no_user');
    expect(sessionCookieOf(unknown.done)).toBeUndefined();
    expect((await request('GET', '/login?error=oidc_no_user')).text).toContain('No Course user matches your single sign-on identity');
    const disabled = await ssoSignIn({ sub: 'idp-dora', preferred_username: 'dora' });
    expect(disabled.done.headers.location).toBe('/login?error=user_disabled');
    expect(sessionCookieOf(disabled.done)).toBeUndefined();
  });
});
