// The browsers' live socket (/live) against the real web process (API, hubs, nudger; pages off)
// on a random port, with real socket.io clients: a socket sees only what its user may see, gets
// `run` nudges for runs it subscribed to (from the web's own commits and from the worker's,
// through the internal hub), is throttled per run, and follows changes to its user's access.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestUser } from '../api/testing';
import type { LiveAck, RunNudge } from '../lib/contracts/live';
import { issueToken } from '../lib/server/auth/tokens';
import { ensureSecret } from '../lib/server/bootstrap';
import { readConfig } from '../lib/server/config';
import { writeTx } from '../lib/server/db/write';
import { freshDatabaseUrl } from '../lib/server/testing/postgres';
import { sessionCookie } from '../lib/server/testing/sessions';
import { attachLiveHub } from './live-hub';
import { startWeb, type Web } from './start-web';

let web: Web;
let base: string;
let secret: string;
const tokens: Record<string, string> = {};
const ids: Record<string, number> = {};
const sockets: Socket[] = [];

async function api(method: string, path: string, token: string, body?: unknown) {
  const r = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': typeof body === 'string' ? 'application/yaml' : 'application/json' }) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : undefined, text };
}

interface Watcher {
  socket: Socket;
  runs: RunNudge[];
  events: { event: string; payload: unknown }[];
}

function open(opts: { token?: string; cookie?: string; origin?: string; namespace?: string; url?: string; auth?: Record<string, string> } = {}): Watcher {
  const socket = connect(`${opts.url ?? base}${opts.namespace ?? '/live'}`, {
    transports: ['websocket'],
    reconnection: false,
    auth: opts.auth ?? (opts.token ? { token: opts.token } : {}),
    extraHeaders: { ...(opts.cookie && { cookie: opts.cookie }), ...(opts.origin && { origin: opts.origin }) },
  });
  sockets.push(socket);
  const w: Watcher = { socket, runs: [], events: [] };
  socket.on('run', (n: RunNudge) => w.runs.push(n));
  socket.onAny((event: string, payload: unknown) => w.events.push({ event, payload }));
  return w;
}

function connected(w: Watcher): Promise<void> {
  return new Promise((resolve, reject) => {
    if (w.socket.connected) return resolve();
    w.socket.once('connect', () => resolve());
    w.socket.once('connect_error', (e) => reject(e));
  });
}

function refused(w: Watcher): Promise<string> {
  return new Promise((resolve, reject) => {
    w.socket.once('connect', () => reject(new Error('connected, but should have been refused')));
    w.socket.once('connect_error', (e) => resolve(e.message));
  });
}

function subscribe(w: Watcher, sub: unknown, event = 'subscribe'): Promise<LiveAck> {
  return w.socket.timeout(5000).emitWithAck(event, sub);
}

async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const settle = (ms = 400) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  const config = { ...readConfig({ ...process.env, PORT: '0' }), databaseUrl: await freshDatabaseUrl('sqlite') };
  web = await startWeb({ config, next: false });
  base = `http://127.0.0.1:${web.port}`;
  secret = await ensureSecret(web.db);
  const users: [string, Parameters<typeof createTestUser>[2]][] = [
    ['vera', { groups: { team: 'viewer' } }],
    ['olga', { groups: { team: 'operator' } }],
    ['eddy', { groups: { team: 'editor' } }],
    ['otto', { groups: { other: 'admin' } }],
    ['root', { siteAdmin: true }],
  ];
  for (const [name, opts] of users) {
    ids[name] = await createTestUser(web.db, name, opts);
    tokens[name] = (await issueToken(web.db, ids[name], { name: 'test', now: Date.now() })).token;
  }
  const saved = await api('PUT', '/workflows/etl', tokens.eddy, 'group: team\njobs:\n  a: { command: "sleep 60" }\n');
  expect(saved.status, saved.text).toBe(201);
});

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await web?.close();
});

describe('the handshake', () => {
  it('is refused without credentials, with a wrong token, and for a cookie from another origin', async () => {
    expect(await refused(open())).toMatch(/sign in first/);
    expect(await refused(open({ token: 'x'.repeat(43) }))).toMatch(/token is not valid/);
    const cookie = await sessionCookie(secret, { id: ids.vera, username: 'vera' });
    expect(await refused(open({ cookie, origin: 'http://evil.test' }))).toMatch(/must come from this site’s own pages/);
    expect(await refused(open({ cookie: await sessionCookie('wrong-secret', { id: ids.vera, username: 'vera' }) }))).toMatch(/session is not valid/);
  });

  it('accepts the browser’s next-auth session cookie (same origin) and an API token', async () => {
    const cookie = await sessionCookie(secret, { id: ids.vera, username: 'vera' });
    const browser = open({ cookie, origin: base });
    await connected(browser);
    const script = open({ token: tokens.vera });
    await connected(script);
  });
});

describe('subscriptions and nudges', () => {
  it('a viewer gets `run` nudges for a run of its group; another group’s user is refused and hears nothing', async () => {
    const run = await api('POST', '/workflows/etl/runs', tokens.olga, {});
    expect(run.status, run.text).toBe(201);
    const id: number = run.body.id;

    const vera = open({ cookie: await sessionCookie(secret, { id: ids.vera, username: 'vera' }), origin: base });
    const otto = open({ token: tokens.otto });
    await Promise.all([connected(vera), connected(otto)]);
    expect(await subscribe(vera, { run: id })).toEqual({ ok: true, room: `run:${id}` });
    expect(await subscribe(otto, { run: id })).toEqual({ ok: false, error: { code: 'run_not_found', message: `run ${id} not found` } });
    expect(await subscribe(otto, { workflow: 'etl' })).toEqual({ ok: false, error: { code: 'workflow_not_found', message: "workflow 'etl' not found" } });
    expect(await subscribe(otto, { run: 999_999 })).toMatchObject({ ok: false, error: { code: 'run_not_found' } });
    expect(await subscribe(otto, { dashboard: true })).toEqual({ ok: true, room: 'dashboard' });
    expect(await subscribe(otto, { jobs: 'all' })).toMatchObject({ ok: false, error: { code: 'invalid_subscription' } });

    expect((await api('POST', `/runs/${id}/cancel`, tokens.olga)).status).toBe(202);
    await until(() => vera.runs.some((n) => n.state === 'cancelled'), 'the cancelled nudge');
    const last = vera.runs.at(-1)!;
    expect(last).toMatchObject({ id, workflow: 'etl', state: 'cancelled', parentRunId: null, rootRunId: null });
    expect(last.version).toBeGreaterThan(0);
    expect(Date.parse(last.at)).toBeGreaterThan(Date.now() - 10_000);
    await settle();
    expect(otto.runs).toEqual([]);
    expect(otto.events.filter((e) => e.event === 'dashboard')).toEqual([]);
  });

  it('a workflow room hears of new runs and their changes; the dashboard room of the user’s groups too', async () => {
    const vera = open({ token: tokens.vera });
    const root = open({ token: tokens.root });
    await Promise.all([connected(vera), connected(root)]);
    expect(await subscribe(vera, { workflow: 'etl' })).toEqual({ ok: true, room: 'workflow:etl' });
    expect(await subscribe(vera, { dashboard: true })).toEqual({ ok: true, room: 'dashboard' });
    expect(await subscribe(root, { dashboard: true })).toEqual({ ok: true, room: 'dashboard' });
    const run = await api('POST', '/workflows/etl/runs', tokens.olga, {});
    await until(() => vera.runs.some((n) => n.id === run.body.id), 'the new run in the workflow room');
    expect(vera.runs.find((n) => n.id === run.body.id)).toMatchObject({ workflow: 'etl', state: 'executing' });
    const dash = (w: Watcher) => w.events.filter((e) => e.event === 'dashboard').flatMap((e) => (e.payload as { runs: { id: number }[] }).runs.map((r) => r.id));
    await until(() => dash(vera).includes(run.body.id) && dash(root).includes(run.body.id), 'dashboard nudges');
    // Unsubscribed: no more.
    expect(await subscribe(vera, { workflow: 'etl' }, 'unsubscribe')).toEqual({ ok: true, room: 'workflow:etl' });
    expect(await subscribe(vera, { dashboard: true }, 'unsubscribe')).toEqual({ ok: true, room: 'dashboard' });
    const seen = vera.events.length;
    expect((await api('POST', `/runs/${run.body.id}/cancel`, tokens.olga)).status).toBe(202);
    await until(() => dash(root).length >= 2, 'the cancel on the site admin’s dashboard');
    await settle();
    expect(vera.events.length).toBe(seen);
  });

  it('the worker’s commits reach watchers too, through the internal hub', async () => {
    const run = await api('POST', '/workflows/etl/runs', tokens.olga, {});
    const vera = open({ token: tokens.vera });
    await connected(vera);
    expect(await subscribe(vera, { run: run.body.id })).toMatchObject({ ok: true });
    const worker = open({ namespace: '/internal', auth: { secret } });
    await connected(worker);
    worker.socket.emit('post', { executors: false, worker: false, runs: [run.body.id], kills: [] });
    await until(() => vera.runs.some((n) => n.id === run.body.id), 'the worker’s nudge');
    await api('POST', `/runs/${run.body.id}/cancel`, tokens.olga);
  });
});

describe('throttling', () => {
  it('sends the first change at once and folds a burst into one trailing nudge with the latest state', async () => {
    // A hub of its own on a server of its own (same database), so the burst is counted exactly.
    const http = createServer();
    const io = new Server(http);
    const hub = attachLiveHub(io, web.db, { secret, throttleMs: 100 });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    try {
      const run = await api('POST', '/workflows/etl/runs', tokens.olga, {});
      const id: number = run.body.id;
      const w = open({ url, token: tokens.vera });
      await connected(w);
      expect(await subscribe(w, { run: id })).toMatchObject({ ok: true });

      const start = Date.now();
      hub.publish([id]);
      await until(() => w.runs.length === 1, 'the leading nudge', 2000);
      expect(Date.now() - start).toBeLessThan(100);
      // 500 job changes within ~200 ms: a nudge per change would be 500 emits.
      for (let i = 0; i < 500; i++) {
        hub.publish([id]);
        if (i % 50 === 0) await new Promise((r) => setTimeout(r, 20));
      }
      await writeTx(web.db, (tx) => tx.run.update({ where: { id }, data: { lockVersion: { increment: 100 } } }));
      const final = (await web.db.prisma.run.findUniqueOrThrow({ where: { id } })).lockVersion;
      hub.publish([id]);
      await until(() => w.runs.some((n) => n.version === final), 'the trailing nudge with the latest version', 3000);
      await settle(300);
      const elapsed = Date.now() - start;
      expect(w.runs.length).toBeLessThanOrEqual(Math.ceil(elapsed / 100) + 1);
      expect(w.runs.length).toBeLessThan(10);
      const gaps = w.runs.slice(1).map((n, i) => Date.parse(n.at) - Date.parse(w.runs[i].at));
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(95);
      await api('POST', `/runs/${id}/cancel`, tokens.olga);
    } finally {
      hub.close();
      io.close();
      await new Promise((r) => http.close(r));
    }
  });
});

describe('changes to a user’s access', () => {
  it('removing a member leaves their subscriptions of that group (told, then resync); disabling drops their sockets', async () => {
    const run = await api('POST', '/workflows/etl/runs', tokens.olga, {});
    const id: number = run.body.id;
    const pia = await createTestUser(web.db, 'pia', { groups: { team: 'viewer' } });
    const piaToken = (await issueToken(web.db, pia, { name: 'test', now: Date.now() })).token;
    const w = open({ token: piaToken });
    await connected(w);
    expect(await subscribe(w, { run: id })).toMatchObject({ ok: true });
    expect(await subscribe(w, { dashboard: true })).toMatchObject({ ok: true });

    const rm = await api('DELETE', '/admin/groups/team/members/pia', tokens.root);
    expect(rm.status, rm.text).toBe(204);
    await until(() => w.events.some((e) => e.event === 'resync'), 'resync');
    expect(w.events.find((e) => e.event === 'unsubscribed')?.payload).toEqual({ room: `run:${id}`, error: { code: 'run_not_found', message: `run ${id} not found` } });
    expect(w.socket.connected).toBe(true);
    const before = w.runs.length;
    expect((await api('POST', `/runs/${id}/cancel`, tokens.olga)).status).toBe(202);
    await settle();
    expect(w.runs.length).toBe(before);
    expect(w.events.filter((e) => e.event === 'dashboard')).toEqual([]);
    // Subscribing again goes through the check.
    expect(await subscribe(w, { run: id })).toMatchObject({ ok: false, error: { code: 'run_not_found' } });

    const disconnected = new Promise<string>((r) => w.socket.once('disconnect', (reason) => r(reason)));
    expect((await api('PATCH', '/admin/users/pia', tokens.root, { disabled: true })).status).toBe(200);
    expect(await disconnected).toBe('io server disconnect');
  });

  it('revoking the token a socket connected with drops the socket', async () => {
    const made = await api('POST', '/auth/tokens', tokens.vera, { name: 'for the socket' });
    expect(made.status, made.text).toBe(201);
    const w = open({ token: made.body.token });
    await connected(w);
    const disconnected = new Promise<string>((r) => w.socket.once('disconnect', (reason) => r(reason)));
    expect((await api('DELETE', `/auth/tokens/${made.body.id}`, tokens.vera)).status).toBe(204);
    expect(await disconnected).toBe('io server disconnect');
  });
});
