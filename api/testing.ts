// For the API's integration tests: the router on an ephemeral port over a fresh, migrated
// database (SQLite file or PostgreSQL), users with roles, tokens, and a snapshot of every table
// to prove a refused request changed nothing.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hashPassword } from '../lib/server/auth/passwords';
import { issueToken } from '../lib/server/auth/tokens';
import { openDatabase, type Database } from '../lib/server/db/client';
import { writeTx } from '../lib/server/db/write';
import { freshDatabaseUrl, type TestProvider } from '../lib/server/testing/postgres';
import type { Role } from '../lib/contracts/api';
import { createApiHandler } from './router';
import type { AnyRoute } from './route';

export interface TestApi {
  /** http://127.0.0.1:PORT/api/v1 */
  base: string;
  origin: string;
  db: Database;
  /** The site secret the API decodes session cookies with (lib/server/testing/sessions.ts mints them). */
  secret: string;
  /** The fake clock the API reads (ms); tests move it. */
  clock: { now: number };
  /** 5xx errors the router logged (a test ends by checking there are none). */
  logged: { message: string; error: unknown }[];
  close(): Promise<void>;
}

export const TEST_SECRET = 'test-site-secret-0123456789abcdef';

export async function startTestApi(
  opts: { provider?: TestProvider; routes?: AnyRoute[]; start?: number; onAccessChanged?: (userIds: number[]) => void } = {},
): Promise<TestApi> {
  const db = await openDatabase(await freshDatabaseUrl(opts.provider ?? 'sqlite'));
  const clock = { now: opts.start ?? Date.parse('2026-06-01T12:00:00Z') };
  const logged: TestApi['logged'] = [];
  const handler = createApiHandler({
    db,
    now: () => clock.now,
    publicUrl: 'http://course.test',
    secret: TEST_SECRET,
    onAccessChanged: opts.onAccessChanged,
    routes: opts.routes,
    checkResponses: true,
    log: (message, error) => logged.push({ message, error }),
  });
  const server: Server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    base: `${origin}/api/v1`,
    origin,
    db,
    secret: TEST_SECRET,
    clock,
    logged,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
    },
  };
}

export async function ensureTestGroup(db: Database, name: string): Promise<number> {
  return writeTx(db, async (tx) => (await tx.group.upsert({ where: { name }, create: { name }, update: {}, select: { id: true } })).id);
}

let cheapHash: Promise<string> | undefined;

/**
 * A user with roles in groups (groups made as needed). Every test user's password is
 * `password`, hashed once per process (scrypt is slow on purpose).
 */
export async function createTestUser(
  db: Database,
  username: string,
  opts: { groups?: Record<string, Role>; siteAdmin?: boolean; disabled?: boolean } = {},
): Promise<number> {
  cheapHash ??= hashPassword('password');
  const passwordHash = await cheapHash;
  const groupIds: [number, Role][] = [];
  for (const [name, role] of Object.entries(opts.groups ?? {})) groupIds.push([await ensureTestGroup(db, name), role]);
  return writeTx(db, async (tx) => {
    const user = await tx.user.create({
      data: { username, passwordHash, isSiteAdmin: opts.siteAdmin ?? false, disabled: opts.disabled ?? false },
      select: { id: true },
    });
    for (const [groupId, role] of groupIds) await tx.membership.create({ data: { userId: user.id, groupId, role } });
    return user.id;
  });
}

/** A user and a Bearer token for them. */
export async function userWithToken(api: TestApi, username: string, opts: Parameters<typeof createTestUser>[2] = {}): Promise<string> {
  const id = await createTestUser(api.db, username, opts);
  return (await issueToken(api.db, id, { name: 'test', now: api.clock.now })).token;
}

const MODELS = [
  'user',
  'group',
  'membership',
  'apiToken',
  'workflow',
  'workflowVersion',
  'job',
  'jobNeed',
  'schedule',
  'run',
  'jobRun',
  'attempt',
  'outputChunk',
  'executor',
  'runEvent',
  'setting',
  'auditEntry',
] as const;

/** Row counts of every table, plus the workflows' and schedules' state: equal snapshots mean nothing was written. */
export async function snapshot(db: Database): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const model of MODELS) {
    out[model] = await (db.prisma[model] as unknown as { count(): Promise<number> }).count();
  }
  out.workflows = await db.prisma.workflow.findMany({ orderBy: { id: 'asc' }, select: { name: true, groupId: true, currentVersion: true, updatedAt: true } });
  out.schedules = await db.prisma.schedule.findMany({ orderBy: { id: 'asc' } });
  return out;
}

export interface Call {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
}

/** A request to the API; `body` objects go as JSON unless a content type is given. */
export async function call(
  api: TestApi,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; contentType?: string; headers?: Record<string, string>; cookie?: string } = {},
): Promise<Call> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.cookie) headers.cookie = opts.cookie;
  let body: string | Uint8Array<ArrayBuffer> | undefined;
  if (opts.body !== undefined) {
    body = typeof opts.body === "string" ? opts.body : Buffer.isBuffer(opts.body) ? new Uint8Array(opts.body) : JSON.stringify(opts.body);
    headers['content-type'] = opts.contentType ?? (typeof opts.body === 'string' ? 'application/yaml' : 'application/json');
  } else if (opts.contentType) {
    headers['content-type'] = opts.contentType;
  }
  const res = await fetch(`${api.base}${path}`, { method, headers, body, redirect: 'manual' });
  const text = await res.text();
  let parsed: unknown = undefined;
  if ((res.headers.get('content-type') ?? '').startsWith('application/json')) parsed = JSON.parse(text);
  return { status: res.status, headers: res.headers, body: parsed, text };
}
