// A real Course for integration tests: the web process (API and sockets, no pages), the worker
// and executors as child processes on a fresh database, with an admin token for the API. Each
// process can be stopped, killed with -9 and started again, as the tests of recovery need.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ensureAdmin } from '../bootstrap';
import { hashSecret, newSecret } from '../auth/tokens';
import { openDatabase, type Database } from '../db/client';
import { freePort } from './postgres';

const root = path.resolve(import.meta.dirname, '../../..');

export interface ClusterOptions {
  databaseUrl: string;
  env?: Record<string, string>;
  /** Executors to start: capacity and labels each (default one of capacity 2). */
  executors?: { capacity?: number; labels?: string[]; name?: string }[];
  /** Start the worker (default true). */
  worker?: boolean;
  quiet?: boolean;
}

export interface Proc {
  name: string;
  child: ChildProcess;
  output: string[];
  exited: Promise<number | null>;
}

export class Cluster {
  port = 0;
  url = '';
  token = '';
  db!: Database;
  web?: Proc;
  worker?: Proc;
  executors: Proc[] = [];
  private executorTokens = new Map<string, string>();

  constructor(readonly opts: ClusterOptions) {}

  get env(): Record<string, string> {
    return {
      ...(process.env as Record<string, string>),
      DATABASE_URL: this.opts.databaseUrl,
      PORT: String(this.port),
      COURSE_WEB_PAGES: 'off',
      COURSE_HEARTBEAT_MS: '400',
      COURSE_LEASE_MS: '3000',
      COURSE_POLL_MS: '200',
      COURSE_KILL_GRACE_MS: '500',
      COURSE_SECRET: 'test-secret-0123456789abcdef',
      ...this.opts.env,
    };
  }

  async start(): Promise<this> {
    this.port = await freePort();
    this.url = `http://127.0.0.1:${this.port}`;
    this.db = await openDatabase(this.opts.databaseUrl);
    await ensureAdmin(this.db, { password: 'admin-password' });
    await this.startWeb();
    this.token = await this.login('admin', 'admin-password');
    if (this.opts.worker !== false) await this.startWorker();
    for (const e of this.opts.executors ?? [{}]) await this.startExecutor(e);
    return this;
  }

  spawnProc(name: string, args: string[], env: Record<string, string> = {}): Proc {
    // node --import tsx, not the tsx CLI: the CLI runs the script in a child of its own, so a
    // SIGKILL meant for the process would miss it.
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: root, env: { ...this.env, ...env } as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    const keep = (d: Buffer) => {
      output.push(d.toString());
      if (output.length > 2000) output.shift();
      if (!this.opts.quiet && process.env.COURSE_TEST_VERBOSE) process.stderr.write(`[${name}] ${d}`);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code: number | null) => resolve(code)));
    return { name, child, output, exited };
  }

  async startWeb(): Promise<void> {
    this.web = this.spawnProc('web', ['server.ts']);
    await this.waitFor(async () => {
      if (this.web!.child.exitCode !== null) throw new Error(`web exited:\n${this.web!.output.join('')}`);
      try {
        const r = await fetch(`${this.url}/api/v1/openapi.json`);
        return r.status === 200;
      } catch {
        return false;
      }
    }, 30_000, 'web to answer');
  }

  async startWorker(): Promise<void> {
    this.worker = this.spawnProc('worker', ['worker/main.ts']);
  }

  async startExecutor(e: { capacity?: number; labels?: string[]; name?: string } = {}): Promise<Proc> {
    const name = e.name ?? `exec-${this.executors.length + 1}`;
    let token = this.executorTokens.get(name);
    if (!token) {
      token = newSecret();
      await this.db.prisma.executor.create({ data: { name, tokenHash: hashSecret(token), labels: (e.labels ?? []).join(','), capacity: e.capacity ?? 2 } });
      this.executorTokens.set(name, token);
    }
    const args = ['executor/main.ts', '--url', this.url, '--token', token, '--name', name, '--capacity', String(e.capacity ?? 2)];
    for (const l of e.labels ?? []) args.push('--label', l);
    const proc = this.spawnProc(name, args);
    this.executors.push(proc);
    await this.waitFor(async () => {
      if (proc.child.exitCode !== null) throw new Error(`${name} exited:\n${proc.output.join('')}`);
      const row = await this.db.prisma.executor.findFirst({ where: { name }, select: { state: true, lastSeenAt: true } });
      return !!row && row.state === 'online' && row.lastSeenAt.getTime() > Date.now() - 5000 && proc.output.join('').length > 0;
    }, 30_000, `${name} to connect`);
    return proc;
  }

  async login(username: string, password: string): Promise<string> {
    const r = await fetch(`${this.url}/api/v1/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    if (r.status !== 201) throw new Error(`login failed: ${r.status} ${await r.text()}`);
    return ((await r.json()) as { token: string }).token;
  }

  async api<T = any>(method: string, pathname: string, body?: unknown, opts: { token?: string; contentType?: string } = {}): Promise<{ status: number; body: T; text: string }> {
    const headers: Record<string, string> = { authorization: `Bearer ${opts.token ?? this.token}` };
    let payload: string | undefined;
    if (body !== undefined) {
      headers['content-type'] = opts.contentType ?? 'application/json';
      payload = typeof body === 'string' ? body : JSON.stringify(body);
    }
    const r = await fetch(`${this.url}/api/v1${pathname}`, { method, headers, body: payload });
    const text = await r.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* a text answer */
    }
    return { status: r.status, body: parsed as T, text };
  }

  async apply(definition: object): Promise<void> {
    const name = (definition as { name: string }).name;
    const r = await this.api('PUT', `/workflows/${name}`, definition);
    if (r.status !== 200 && r.status !== 201) throw new Error(`apply ${name}: ${r.status} ${r.text}`);
  }

  async trigger(workflow: string, params?: Record<string, string>): Promise<number> {
    const r = await this.api('POST', `/workflows/${workflow}/runs`, params ? { params } : {});
    if (r.status !== 201) throw new Error(`trigger ${workflow}: ${r.status} ${r.text}`);
    return r.body.id;
  }

  async run(id: number) {
    const r = await this.api('GET', `/runs/${id}`);
    if (r.status !== 200) throw new Error(`run ${id}: ${r.status} ${r.text}`);
    return r.body;
  }

  async waitForRun(id: number, timeoutMs = 60_000, until: (run: any) => boolean = (r) => ['success', 'failure', 'cancelled'].includes(r.state)) {
    let last: any;
    await this.waitFor(async () => {
      last = await this.run(id);
      return until(last);
    }, timeoutMs, `run ${id} (last: ${JSON.stringify(last?.state)})`);
    return last;
  }

  async waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string, everyMs = 50): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await check()) return;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${this.logs()}`);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  }

  logs(): string {
    return [this.web, this.worker, ...this.executors]
      .filter((p): p is Proc => !!p)
      .map((p) => `--- ${p.name} ---\n${p.output.join('').slice(-4000)}`)
      .join('\n');
  }

  async stopProc(p: Proc | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return;
    p.child.kill(signal);
    await p.exited;
  }

  async stop(): Promise<void> {
    for (const e of this.executors) await this.stopProc(e);
    await this.stopProc(this.worker);
    await this.stopProc(this.web);
    await this.db?.close();
  }
}
