// The router itself (404/405, extra routes, streams, 500s), schedule preview, health, executors
// and the OpenAPI document, over real HTTP and a real SQLite file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { writeTx } from '../lib/server/db/write';
import { hashSecret } from '../lib/server/auth/tokens';
import { badRequest } from '../lib/server/errors';
import { defineRoute } from './route';
import { call, snapshot, startTestApi, userWithToken, type TestApi } from './testing';

let released: () => void = () => undefined;
let streamEnded: Promise<'done' | 'aborted'> = Promise.resolve('done');

const extraRoutes = [
  defineRoute({
    method: 'GET',
    path: '/things/:id',
    auth: 'user',
    summary: 'A test route with typed params',
    params: z.object({ id: z.coerce.number().int().positive() }),
    query: z.object({ n: z.coerce.number().int().max(3).default(1) }),
    response: z.object({ id: z.number(), n: z.number(), user: z.string() }),
    async handler(_ctx, req) {
      return { status: 200, body: { id: req.params.id, n: req.query.n, user: req.principal.username } };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/things/:id',
    auth: 'user',
    summary: 'Throws',
    body: z.object({ fail: z.enum(['api', 'bug']) }),
    async handler(_ctx, req) {
      if (req.body.fail === 'api') throw badRequest('you asked for it');
      throw new Error('a bug');
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/things/special',
    auth: 'public',
    summary: 'A literal segment beats a parameter',
    async handler() {
      return { status: 200, text: 'special' };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/stream',
    auth: 'public',
    summary: 'Streams until released or the client leaves',
    produces: 'text/plain',
    async handler(_ctx, req) {
      let resolveEnd: (v: 'done' | 'aborted') => void = () => undefined;
      streamEnded = new Promise((r) => (resolveEnd = r));
      const release = new Promise<void>((r) => (released = r));
      async function* chunks() {
        yield 'first\n';
        const aborted = new Promise<'aborted'>((r) => req.signal.addEventListener('abort', () => r('aborted')));
        const why = await Promise.race([release.then(() => 'done' as const), aborted]);
        if (why === 'done') yield 'second\n';
        resolveEnd(why);
      }
      return { status: 200, stream: chunks() };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/bad-response',
    auth: 'public',
    summary: 'Answers against its own schema',
    response: z.object({ ok: z.boolean() }),
    async handler() {
      return { status: 200, body: { ok: 'yes' } };
    },
  }),
];

let api: TestApi;
let user: string;
let admin: string;

beforeAll(async () => {
  api = await startTestApi({ routes: extraRoutes });
  user = await userWithToken(api, 'uma', { groups: { default: 'operator' } });
  admin = await userWithToken(api, 'root', { siteAdmin: true });
});
afterAll(async () => {
  await api.close();
});

describe('routing', () => {
  it('answers 404 for an unknown path and 405 with Allow for a wrong method', async () => {
    const missing = await call(api, 'GET', '/nope', { token: user });
    expect(missing.status).toBe(404);
    expect(missing.body.error).toEqual({ code: 'no_route', message: 'no such path: /api/v1/nope; see /api/v1/openapi.json' });
    const wrong = await call(api, 'PATCH', '/workflows/x', { token: user });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET, PUT, DELETE');
    expect(wrong.body.error.message).toBe('PATCH is not allowed here; allowed: GET, PUT, DELETE');
    expect((await call(api, 'GET', '/workflows/', { token: user })).status).toBe(200);
  });

  it('serves extra routes with typed params and query, literal segments first', async () => {
    expect((await call(api, 'GET', '/things/7?n=2', { token: user })).body).toEqual({ id: 7, n: 2, user: 'uma' });
    expect((await call(api, 'GET', '/things/special')).text).toBe('special');
    expect((await call(api, 'GET', '/things/abc', { token: user })).status).toBe(404);
    const q = await call(api, 'GET', '/things/7?n=9', { token: user });
    expect(q.status).toBe(400);
    expect(q.body.error.message).toMatch(/^query parameter n: /);
  });

  it('maps an ApiError to its status and anything else to a logged 500', async () => {
    const ok = await call(api, 'POST', '/things/1', { token: user, body: { fail: 'api' } });
    expect(ok.status).toBe(400);
    expect(ok.body.error).toEqual({ code: 'bad_request', message: 'you asked for it' });
    const bug = await call(api, 'POST', '/things/1', { token: user, body: { fail: 'bug' } });
    expect(bug.status).toBe(500);
    expect(bug.body.error.code).toBe('internal');
    expect(bug.body.error.message).toMatch(/^internal error \(logged as [0-9a-f-]{36}\); this is a bug in Course$/);
    expect(api.logged.pop()!.error).toMatchObject({ message: 'a bug' });
    const body = await call(api, 'POST', '/things/1', { token: user, body: { fail: 'nope' } });
    expect(body.status).toBe(400);
    expect(body.body.error.message).toMatch(/^body field fail: /);
    expect(body.body.error.details[0].path).toBe('fail');
  });

  it('checks responses against their schema when asked (a mismatch is a bug)', async () => {
    expect((await call(api, 'GET', '/bad-response')).status).toBe(500);
    expect(String(api.logged.pop()!.error)).toMatch(/does not match its schema/);
  });

  it('streams a text answer chunk by chunk, and stops when the client leaves', async () => {
    const res = await fetch(`${api.base}/stream`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const reader = res.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('first\n');
    released();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('second\n');
    expect((await reader.read()).done).toBe(true);
    expect(await streamEnded).toBe('done');

    const ac = new AbortController();
    const again = await fetch(`${api.base}/stream`, { signal: ac.signal });
    const r2 = again.body!.getReader();
    await r2.read();
    ac.abort();
    expect(await streamEnded).toBe('aborted');
  });
});

describe('GET /schedules/preview', () => {
  it('gives the next fire times in UTC and local time, across a DST change', async () => {
    const r = await call(api, 'GET', `/schedules/preview?cron=${encodeURIComponent('30 2 * * *')}&timezone=Europe/Berlin&after=2026-03-27T12:00:00Z&count=3`, { token: user });
    expect(r.status).toBe(200);
    expect(r.body.fireTimes).toEqual([
      { utc: '2026-03-28T01:30:00Z', local: '2026-03-28T02:30:00+01:00' },
      // 02:30 does not exist on 29 March in Berlin: a fixed-time job runs right after the change.
      { utc: '2026-03-29T01:00:00Z', local: '2026-03-29T03:00:00+02:00' },
      { utc: '2026-03-30T00:30:00Z', local: '2026-03-30T02:30:00+02:00' },
    ]);
  });

  it('defaults to UTC, 5 times, after now', async () => {
    const r = await call(api, 'GET', '/schedules/preview?cron=@hourly', { token: user });
    expect(r.body.fireTimes).toHaveLength(5);
    expect(r.body.fireTimes[0]).toEqual({ utc: '2026-06-01T13:00:00Z', local: '2026-06-01T13:00:00+00:00' });
  });

  it.each([
    ['cron=61+*+*+*+*', /^cron: minute field '61'/, 'invalid_schedule'],
    ['cron=0+0+30+2+*', /can never fire/, 'invalid_schedule'],
    ['cron=@daily&timezone=Mars/Olympus', /^timezone: unknown time zone "Mars\/Olympus"/, 'invalid_schedule'],
    ['cron=@daily&count=0', /^query parameter count: /, 'invalid_query'],
    ['cron=@daily&count=101', /^query parameter count: /, 'invalid_query'],
    ['cron=@daily&after=yesterday', /^query parameter after: after must be an ISO 8601 instant/, 'invalid_query'],
    ['timezone=UTC', /^query parameter cron: /, 'invalid_query'],
  ])('refuses %s with a 400', async (query, message, code) => {
    const r = await call(api, 'GET', `/schedules/preview?${query}`, { token: user });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(message);
    expect(r.body.error.code).toBe(code);
  });
});

describe('GET /health', () => {
  it('reports web, database, worker and executors without signing in', async () => {
    let r = await call(api, 'GET', '/health');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ web: 'ok', database: 'ok', worker: { state: 'unknown', lastSeenAt: null }, executors: { online: 0, lost: 0 } });

    const beat = new Date(api.clock.now - 1000).toISOString();
    await writeTx(api.db, (tx) => tx.setting.create({ data: { key: 'worker.heartbeat', value: beat } }));
    r = await call(api, 'GET', '/health');
    expect(r.body.worker).toEqual({ state: 'ok', lastSeenAt: beat });
    api.clock.now += 60_000;
    r = await call(api, 'GET', '/health');
    expect(r.body.worker.state).toBe('stale');
    api.clock.now -= 60_000;
  });
});

describe('executors', () => {
  it('a site admin creates a token, shown once and stored hashed; the list shows the executor', async () => {
    const before = await snapshot(api.db);
    const bad = await call(api, 'POST', '/executors/tokens', { token: admin, body: { name: 'bad name!' } });
    expect(bad.status).toBe(400);
    expect(await snapshot(api.db)).toEqual(before);

    const r = await call(api, 'POST', '/executors/tokens', { token: admin, body: { name: 'gpu-box', labels: ['linux', 'gpu'], capacity: 4 } });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ name: 'gpu-box', labels: ['gpu', 'linux'], capacity: 4, token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    const row = await api.db.prisma.executor.findUniqueOrThrow({ where: { tokenHash: hashSecret(r.body.token) } });
    expect(row).toMatchObject({ name: 'gpu-box', labels: 'gpu,linux', capacity: 4, state: 'lost' });

    const list = await call(api, 'GET', '/executors', { token: user });
    expect(list.status).toBe(200);
    expect(list.body.executors).toEqual([
      { id: row.id, name: 'gpu-box', state: 'lost', labels: ['gpu', 'linux'], capacity: 4, lastSeenAt: new Date(api.clock.now).toISOString(), createdAt: new Date(api.clock.now).toISOString(), running: [] },
    ]);
    expect((await call(api, 'GET', '/health')).body.executors).toEqual({ online: 0, lost: 1 });
  });
});

describe('GET /openapi.json', () => {
  it('is public OpenAPI 3.1 listing every route, the extra ones included', async () => {
    const r = await call(api, 'GET', '/openapi.json');
    expect(r.status).toBe(200);
    expect(r.body.openapi).toBe('3.1.0');
    const listed = Object.entries(r.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(listed.sort()).toEqual(
      [
        'POST /api/v1/auth/token',
        'POST /api/v1/auth/logout',
        'GET /api/v1/auth/me',
        'GET /api/v1/auth/tokens',
        'POST /api/v1/auth/tokens',
        'DELETE /api/v1/auth/tokens/{id}',
        'GET /api/v1/admin/users',
        'POST /api/v1/admin/users',
        'GET /api/v1/admin/users/{username}',
        'PATCH /api/v1/admin/users/{username}',
        'GET /api/v1/admin/groups',
        'POST /api/v1/admin/groups',
        'DELETE /api/v1/admin/groups/{group}',
        'GET /api/v1/admin/groups/{group}/members',
        'POST /api/v1/admin/groups/{group}/members',
        'PATCH /api/v1/admin/groups/{group}/members/{username}',
        'DELETE /api/v1/admin/groups/{group}/members/{username}',
        'GET /api/v1/audit',
        'POST /api/v1/admin/test-email',
        'GET /api/v1/workflows',
        'GET /api/v1/workflows/{name}',
        'PUT /api/v1/workflows/{name}',
        'DELETE /api/v1/workflows/{name}',
        'GET /api/v1/workflows/{name}/versions',
        'GET /api/v1/schedules/preview',
        'GET /api/v1/health',
        'GET /api/v1/openapi.json',
        'GET /api/v1/executors',
        'POST /api/v1/executors/tokens',
        'GET /api/v1/things/{id}',
        'POST /api/v1/things/{id}',
        'GET /api/v1/things/special',
        'GET /api/v1/stream',
        'GET /api/v1/bad-response',
      ].sort(),
    );
    const put = r.body.paths['/api/v1/workflows/{name}'].put;
    expect(Object.keys(put.requestBody.content)).toEqual(['application/yaml', 'application/x-yaml', 'text/yaml', 'application/json']);
    expect(put.responses['422'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
    expect(put.security).toEqual([{ bearerAuth: [] }, { sessionCookie: [] }]);
    const preview = r.body.paths['/api/v1/schedules/preview'].get;
    expect(preview.parameters.map((p: { name: string; required: boolean }) => [p.name, p.required])).toEqual([
      ['cron', true],
      ['timezone', false],
      ['after', false],
      ['count', false],
    ]);
    expect(r.body.paths['/api/v1/things/{id}'].get.parameters[0]).toMatchObject({ name: 'id', in: 'path', required: true, schema: { type: 'integer' } });
    expect(r.body.paths['/api/v1/auth/token'].post.security).toEqual([]);
    expect(r.body.paths['/api/v1/workflows/{name}'].get.responses['200'].content['application/json'].schema.properties.nextFireTimes).toBeDefined();
  });
});
