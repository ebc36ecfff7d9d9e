// Signing in and the permission check, over real HTTP and a real SQLite file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTx } from '../lib/server/db/write';
import { hashSecret } from '../lib/server/auth/tokens';
import { sessionCookie } from '../lib/server/testing/sessions';
import { call, createTestUser, snapshot, startTestApi, userWithToken, type TestApi } from './testing';

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
  await createTestUser(api.db, 'alice', { groups: { default: 'editor' } });
  await createTestUser(api.db, 'dora', { disabled: true, groups: { default: 'admin' } });
});
afterAll(async () => {
  expect(api.logged).toEqual([]);
  await api.close();
});

describe('POST /auth/token', () => {
  it('gives a token valid 30 days, stored only as its SHA-256', async () => {
    const r = await call(api, 'POST', '/auth/token', { body: { username: 'alice', password: 'password', name: 'laptop' } });
    expect(r.status).toBe(201);
    expect(r.body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(r.body.expiresAt) - api.clock.now).toBe(30 * 24 * 3600 * 1000);
    const row = await api.db.prisma.apiToken.findUniqueOrThrow({ where: { tokenHash: hashSecret(r.body.token) } });
    expect(row.name).toBe('laptop');
    expect(await api.db.prisma.apiToken.count({ where: { tokenHash: r.body.token } })).toBe(0);

    const me = await call(api, 'GET', '/auth/me', { token: r.body.token });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ username: 'alice', isSiteAdmin: false, groups: [{ name: 'default', role: 'editor' }] });
  });

  it.each([
    ['a wrong password', { username: 'alice', password: 'nope' }, 401, /wrong username or password/],
    ['an unknown user (same message)', { username: 'nobody', password: 'password' }, 401, /wrong username or password/],
    ['a disabled user', { username: 'dora', password: 'password' }, 401, /user 'dora' is disabled/],
    ['a missing password', { username: 'alice' }, 400, /body field password/],
  ])('refuses %s', async (_, body, status, message) => {
    const before = await snapshot(api.db);
    const r = await call(api, 'POST', '/auth/token', { body });
    expect(r.status).toBe(status);
    expect(r.body.error.message).toMatch(message);
    expect(await snapshot(api.db)).toEqual(before);
  });
});

describe('authenticating requests', () => {
  it('refuses a request without credentials, saying how to sign in', async () => {
    const r = await call(api, 'GET', '/workflows');
    expect(r.status).toBe(401);
    expect(r.body.error).toMatchObject({ code: 'unauthenticated', message: expect.stringContaining('Authorization: Bearer TOKEN') });
    expect(r.headers.get('www-authenticate')).toContain('Bearer');
  });

  it('refuses a malformed header and an unknown token', async () => {
    const malformed = await call(api, 'GET', '/workflows', { headers: { authorization: 'Token abc' } });
    expect(malformed.status).toBe(401);
    expect(malformed.body.error.message).toMatch(/Bearer TOKEN/);
    const unknown = await call(api, 'GET', '/workflows', { token: 'x'.repeat(43) });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error).toMatchObject({ code: 'invalid_token', message: expect.stringMatching(/not valid; get a new one/) });
  });

  it('refuses an expired token, naming when it expired', async () => {
    const token = (await call(api, 'POST', '/auth/token', { body: { username: 'alice', password: 'password' } })).body.token;
    expect((await call(api, 'GET', '/workflows', { token })).status).toBe(200);
    const start = api.clock.now;
    api.clock.now += 30 * 24 * 3600 * 1000;
    try {
      const r = await call(api, 'GET', '/workflows', { token });
      expect(r.status).toBe(401);
      expect(r.body.error).toMatchObject({ code: 'expired_token', message: expect.stringContaining(`expired at ${new Date(api.clock.now).toISOString()}`) });
    } finally {
      api.clock.now = start;
    }
  });

  it('refuses a revoked token (POST /auth/logout revokes the Bearer token sent)', async () => {
    const token = (await call(api, 'POST', '/auth/token', { body: { username: 'alice', password: 'password' } })).body.token;
    expect((await call(api, 'POST', '/auth/logout', { token })).status).toBe(204);
    const r = await call(api, 'GET', '/workflows', { token });
    expect(r.status).toBe(401);
    expect(r.body.error).toMatchObject({ code: 'revoked_token', message: expect.stringContaining('revoked') });
  });

  it('refuses the token of a user disabled since', async () => {
    const id = await createTestUser(api.db, 'ed', { groups: { default: 'viewer' } });
    const token = (await call(api, 'POST', '/auth/token', { body: { username: 'ed', password: 'password' } })).body.token;
    await writeTx(api.db, (tx) => tx.user.update({ where: { id }, data: { disabled: true } }));
    const r = await call(api, 'GET', '/workflows', { token });
    expect(r.status).toBe(401);
    expect(r.body.error.message).toMatch(/user 'ed' is disabled/);
  });
});

describe('the browser session (next-auth’s JWT cookie)', () => {
  let aliceId: number;
  beforeAll(async () => {
    aliceId = (await api.db.prisma.user.findUniqueOrThrow({ where: { username: 'alice' } })).id;
  });

  it('authenticates, and a cookie-authenticated change must come from this origin', async () => {
    const cookie = await sessionCookie(api.secret, { id: aliceId, username: 'alice' }, { signedInAt: api.clock.now });
    expect((await call(api, 'GET', '/auth/me', { cookie })).body).toEqual({ username: 'alice', isSiteAdmin: false, groups: [{ name: 'default', role: 'editor' }] });
    const before = await snapshot(api.db);
    const cross = await call(api, 'PUT', '/workflows/x', { cookie, body: 'jobs: {}\n', headers: { origin: 'http://evil.test' } });
    expect(cross.status).toBe(403);
    expect(cross.body.error.code).toBe('cross_origin');
    const otherPort = await call(api, 'PUT', '/workflows/x', { cookie, body: 'jobs: {}\n', headers: { origin: api.origin.replace(/:\d+$/, ':1') } });
    expect(otherPort.status).toBe(403);
    expect(await snapshot(api.db)).toEqual(before);
    const same = await call(api, 'PUT', '/workflows/cookie-made', { cookie, body: 'jobs: {}\n', headers: { origin: api.origin } });
    expect(same.status).toBe(201);
    // The __Secure- name (signed in over https) works the same.
    const secure = await sessionCookie(api.secret, { id: aliceId, username: 'alice' }, { signedInAt: api.clock.now, secure: true });
    expect((await call(api, 'GET', '/auth/me', { cookie: secure })).status).toBe(200);
  });

  it('refuses a cookie encrypted with another secret, or not a session at all', async () => {
    const forged = await sessionCookie('another-secret', { id: aliceId, username: 'alice' }, { signedInAt: api.clock.now });
    for (const cookie of [forged, 'next-auth.session-token=garbage']) {
      const r = await call(api, 'GET', '/auth/me', { cookie });
      expect(r.status).toBe(401);
      expect(r.body.error).toMatchObject({ code: 'invalid_session', message: expect.stringContaining('sign in again at /login') });
    }
  });

  it('ends COURSE_SESSION_HOURS (12) after sign-in, however often it was refreshed', async () => {
    const signedInAt = api.clock.now - 12 * 3600_000;
    const cookie = await sessionCookie(api.secret, { id: aliceId, username: 'alice' }, { signedInAt });
    const r = await call(api, 'GET', '/auth/me', { cookie });
    expect(r.status).toBe(401);
    expect(r.body.error).toMatchObject({ code: 'expired_session', message: `the session expired at ${new Date(api.clock.now).toISOString()}; sign in again at /login` });
  });

  it('ends for a disabled user and, after a password reset, for sessions signed in before it', async () => {
    const id = await createTestUser(api.db, 'sam', { groups: { default: 'viewer' } });
    const admin = await userWithToken(api, 'sessions-admin', { siteAdmin: true });
    const cookie = await sessionCookie(api.secret, { id, username: 'sam' }, { signedInAt: api.clock.now - 60_000 });
    expect((await call(api, 'GET', '/auth/me', { cookie })).status).toBe(200);
    expect((await call(api, 'PATCH', '/admin/users/sam', { token: admin, body: { password: 'a-new-password' } })).status).toBe(200);
    const after = await call(api, 'GET', '/auth/me', { cookie });
    expect(after.status).toBe(401);
    expect(after.body.error).toMatchObject({ code: 'session_ended', message: expect.stringContaining('password was reset') });
    const fresh = await sessionCookie(api.secret, { id, username: 'sam' }, { signedInAt: api.clock.now + 1 });
    expect((await call(api, 'GET', '/auth/me', { cookie: fresh })).status).toBe(200);
    expect((await call(api, 'PATCH', '/admin/users/sam', { token: admin, body: { disabled: true } })).status).toBe(200);
    const disabled = await call(api, 'GET', '/auth/me', { cookie: fresh });
    expect(disabled.status).toBe(401);
    expect(disabled.body.error.message).toMatch(/user 'sam' is disabled/);
  });

  it('the old course_session stopgap is gone', async () => {
    expect((await call(api, 'POST', '/auth/session', { body: { username: 'alice', password: 'password' } })).status).toBe(404);
  });
});

describe('permissions', () => {
  let outsider: string;
  let viewer: string;
  let operator: string;
  let editor: string;
  let siteAdmin: string;

  beforeAll(async () => {
    editor = await userWithToken(api, 'erin', { groups: { team: 'editor' } });
    viewer = await userWithToken(api, 'vic', { groups: { team: 'viewer' } });
    operator = await userWithToken(api, 'olga', { groups: { team: 'operator' } });
    outsider = await userWithToken(api, 'otto', { groups: { other: 'admin' } });
    siteAdmin = await userWithToken(api, 'root', { siteAdmin: true });
    const r = await call(api, 'PUT', '/workflows/secret', { token: editor, body: 'group: team\njobs: { a: { command: "true" } }\n' });
    expect(r.status).toBe(201);
  });

  it('a user of another group gets 404 for the workflow, as if it did not exist', async () => {
    for (const [method, path] of [
      ['GET', '/workflows/secret'],
      ['GET', '/workflows/secret/versions'],
      ['DELETE', '/workflows/secret'],
    ]) {
      const r = await call(api, method, path, { token: outsider });
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(r.body.error.message).toBe("workflow 'secret' not found");
    }
    expect((await call(api, 'GET', '/workflows', { token: outsider })).body.workflows).toEqual([]);
  });

  it('a viewer may read but gets 403 naming the role on PUT and DELETE', async () => {
    expect((await call(api, 'GET', '/workflows/secret', { token: viewer })).status).toBe(200);
    const before = await snapshot(api.db);
    const put = await call(api, 'PUT', '/workflows/secret', { token: viewer, body: 'group: team\njobs: { b: { command: "true" } }\n' });
    expect(put.status).toBe(403);
    expect(put.body.error).toMatchObject({ code: 'role_required', message: "you need the editor role in group 'team' to save workflows in it; you are a viewer" });
    const del = await call(api, 'DELETE', '/workflows/secret', { token: operator });
    expect(del.status).toBe(403);
    expect(del.body.error.message).toMatch(/you need the editor role in group 'team' to delete workflows; you are an operator/);
    expect(await snapshot(api.db)).toEqual(before);
  });

  it('a site admin passes every check; listings show only the caller’s groups', async () => {
    expect((await call(api, 'GET', '/workflows/secret', { token: siteAdmin })).status).toBe(200);
    const names = (t: string) => call(api, 'GET', '/workflows', { token: t }).then((r) => r.body.workflows.map((w: { name: string }) => w.name));
    expect(await names(siteAdmin)).toEqual(['cookie-made', 'secret']);
    expect(await names(viewer)).toEqual(['secret']);
  });

  it('saving into a group the caller is not in is reported like a missing group', async () => {
    const r = await call(api, 'PUT', '/workflows/sneaky', { token: outsider, body: 'group: team\njobs: {}\n' });
    expect(r.status).toBe(422);
    expect(r.body.error).toMatchObject({ code: 'unknown_group', message: expect.stringContaining("group 'team' does not exist or you are not a member of it") });
  });

  it('moving a workflow needs editor in the old group too; a name held in a hidden group is a 409', async () => {
    const r = await call(api, 'PUT', '/workflows/secret', { token: outsider, body: 'group: other\njobs: {}\n' });
    expect(r.status).toBe(409);
    expect(r.body.error.message).toMatch(/taken by a workflow you cannot see/);
    const both = await userWithToken(api, 'bea', { groups: { team: 'operator', other: 'editor' } });
    const moved = await call(api, 'PUT', '/workflows/secret', { token: both, body: 'group: other\njobs: {}\n' });
    expect(moved.status).toBe(403);
    expect(moved.body.error.message).toMatch(/editor role in group 'team' to move workflow 'secret' out of it/);
  });

  it('only a site admin creates executor tokens', async () => {
    const r = await call(api, 'POST', '/executors/tokens', { token: editor, body: { name: 'box' } });
    expect(r.status).toBe(403);
    expect(r.body.error.message).toBe('only a site admin may create executor tokens');
  });
});
