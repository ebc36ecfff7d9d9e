// A tiny stand-in for the Course API, for the CLI's integration tests: just enough of CONTRACT.md
// to drive every command through real HTTP. Runs advance one step per GET, so tests do not
// depend on timing.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JobRun, Run } from './types';

export const TOKEN = 'secret-token';

/** Per workflow name: the snapshots a run of it goes through, one per GET /runs/{id}. */
type Script = (id: number) => Array<Pick<Run, 'state' | 'reason'> & { jobRuns: JobRun[] }>;

const jr = (job: string, state: string, over: Partial<JobRun> = {}): JobRun => ({ job, state, reason: null, retryAt: null, childRunId: null, attempts: [], ...over });
const att = (number: number, exitCode: number | null) => ({ number, executor: 'local', exitCode, startedAt: '2026-01-01T00:00:00Z', endedAt: exitCode === null ? null : '2026-01-01T00:00:01Z' });

const SCRIPTS: Record<string, Script> = {
  good: () => [
    { state: 'executing', reason: null, jobRuns: [jr('ingest', 'queued'), jr('report', 'new')] },
    { state: 'executing', reason: null, jobRuns: [jr('ingest', 'executing', { attempts: [att(1, null)] }), jr('report', 'new')] },
    { state: 'executing', reason: null, jobRuns: [jr('ingest', 'success', { attempts: [att(1, 0)] }), jr('report', 'executing', { attempts: [att(1, null)] })] },
    { state: 'success', reason: null, jobRuns: [jr('ingest', 'success', { attempts: [att(1, 0)] }), jr('report', 'success', { attempts: [att(1, 0)] })] },
  ],
  bad: () => [
    { state: 'executing', reason: null, jobRuns: [jr('ingest', 'executing', { attempts: [att(1, null)] }), jr('report', 'new')] },
    { state: 'executing', reason: null, jobRuns: [jr('ingest', 'executing', { attempts: [att(1, 3)], retryAt: '2026-01-01T00:00:05Z' }), jr('report', 'new')] },
    {
      state: 'failure',
      reason: 'job ingest failed',
      jobRuns: [jr('ingest', 'failure', { reason: 'exit code 3', attempts: [att(1, 3), att(2, 3)] }), jr('report', 'skipped', { reason: 'dependency ingest failed' })],
    },
  ],
  stopped: () => [
    { state: 'executing', reason: null, jobRuns: [jr('sleep', 'executing', { attempts: [att(1, null)] })] },
    { state: 'cancelled', reason: 'cancelled by admin', jobRuns: [jr('sleep', 'cancelled', { reason: 'cancelled by admin', attempts: [att(1, null)] })] },
  ],
};

export interface FakeServer {
  url: string;
  /** Every request seen, as `METHOD /path?query` with its body. */
  requests: Array<{ method: string; url: string; contentType?: string; body: string }>;
  /** For logs --follow: resolve it to let the stream go on after its first line. */
  releaseFollow: () => void;
  close(): Promise<void>;
}

export async function startFakeServer(): Promise<FakeServer> {
  const runs = new Map<number, { run: Run; step: number; script: ReturnType<Script> }>();
  const saved = new Map<string, number>();
  const requests: FakeServer['requests'] = [];
  let nextId = 42;
  let release!: () => void;
  const followGate = new Promise<void>((r) => (release = r));

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const fail = (res: ServerResponse, status: number, code: string, message: string, details?: unknown) => send(res, status, { error: { code, message, details } });

  const newRun = (workflow: string, script: ReturnType<Script>): Run => {
    const id = nextId++;
    const run: Run = {
      id,
      workflow,
      version: saved.get(workflow) ?? 1,
      trigger: 'manual',
      nominalTime: '2026-01-01T00:00:00Z',
      createdAt: '2026-01-01T00:00:00Z',
      startedAt: null,
      endedAt: null,
      parentRunId: null,
      state: 'new',
      reason: null,
      jobRuns: [],
    };
    runs.set(id, { run, step: 0, script });
    return run;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, body: string) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const p = url.pathname.replace(/^\/api\/v1/, '');
    let m: RegExpExecArray | null;
    if (req.method === 'POST' && p === '/auth/token') {
      const { username, password } = JSON.parse(body);
      if (username === 'admin' && password === 'pw') return send(res, 201, { token: TOKEN, expiresAt: '2027-01-01T00:00:00.000Z' });
      return fail(res, 401, 'unauthorized', 'wrong username or password');
    }
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return fail(res, 401, 'unauthorized', 'sign in first');

    if (req.method === 'PUT' && (m = /^\/workflows\/([^/]+)$/.exec(p))) {
      const name = decodeURIComponent(m[1]);
      if (body.includes('nonsense')) {
        return fail(res, 422, 'invalid_definition', `workflow '${name}' has 2 problems`, [
          { path: 'jobs.build.nonsense', message: "unknown key 'nonsense' in job 'build'" },
          { path: 'schedule.cron', message: 'cron must have 5 fields' },
        ]);
      }
      const version = (saved.get(name) ?? 0) + 1;
      saved.set(name, version);
      return send(res, version === 1 ? 201 : 200, { name, group: 'default', version });
    }
    if (req.method === 'POST' && (m = /^\/workflows\/([^/]+)\/runs$/.exec(p))) {
      const name = decodeURIComponent(m[1]);
      const script = SCRIPTS[name];
      if (!script) return fail(res, 404, 'not_found', `no workflow '${name}'`);
      return send(res, 201, newRun(name, script(nextId)));
    }
    if (req.method === 'GET' && p === '/runs') {
      const list = [...runs.values()].map((r) => r.run).filter((r) => !url.searchParams.get('workflow') || r.workflow === url.searchParams.get('workflow'));
      return send(res, 200, list.slice(0, Number(url.searchParams.get('limit') ?? 50)));
    }
    if ((m = /^\/runs\/(\d+)(\/.*)?$/.exec(p))) {
      const entry = runs.get(Number(m[1]));
      if (!entry) return fail(res, 404, 'not_found', `no run ${m[1]}`);
      const rest = m[2] ?? '';
      if (req.method === 'GET' && rest === '') {
        const snap = entry.script[Math.min(entry.step++, entry.script.length - 1)];
        const ended = ['success', 'failure', 'cancelled'].includes(snap.state);
        Object.assign(entry.run, snap, { startedAt: '2026-01-01T00:00:00Z', endedAt: ended ? '2026-01-01T00:00:03Z' : null });
        return send(res, 200, entry.run);
      }
      if (req.method === 'POST' && rest === '/cancel') return send(res, 202, entry.run);
      if (req.method === 'POST' && rest === '/rerun') return send(res, 201, newRun(entry.run.workflow, SCRIPTS.good(0)));
      if (req.method === 'GET' && (m = /^\/jobs\/([^/]+)\/output$/.exec(rest))) {
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
        if (url.searchParams.get('follow') !== '1') return res.end(`all of ${m[1]}, attempt ${url.searchParams.get('attempt') ?? 'latest'}\n`);
        res.write('first line\n');
        await followGate;
        // Bytes that are not UTF-8 must reach stdout unchanged.
        res.end(Buffer.from([0x73, 0x65, 0x63, 0x6f, 0x6e, 0x64, 0xff, 0x0a]));
        return;
      }
    }
    fail(res, 404, 'not_found', `no route ${req.method} ${p}`);
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? '', url: req.url ?? '', contentType: req.headers['content-type'], body });
      handle(req, res, body).catch((e) => {
        res.writeHead(500);
        res.end(String(e));
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    releaseFollow: release,
    close: () =>
      new Promise<void>((r) => {
        release();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
