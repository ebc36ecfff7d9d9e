// Starts a real Course for the browser tests: `node --import tsx scripts/start.ts` (web with the
// built pages, worker, one local executor) on a free port and a fresh SQLite database in a temp
// directory, waits until the API, the worker and the executor are up, then creates the test
// groups and users through the API as the site admin. Returns the teardown, which stops Course
// (its whole process group) and removes the directory.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ADMIN_PASSWORD, GROUPS, USERS } from './env';

const root = path.resolve(import.meta.dirname, '..');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

async function waitFor<T>(what: string, ms: number, probe: () => Promise<T | undefined>, child: ChildProcess): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`Course exited (code ${child.exitCode}) while waiting for ${what}; see e2e-artifacts/course.log`);
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}; see e2e-artifacts/course.log`);
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!existsSync(path.join(root, '.next/BUILD_ID'))) {
    throw new Error('no Next build: run `NEXT_TELEMETRY_DISABLED=1 npx next build` first (npm test does)');
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'course-e2e-'));
  const artifacts = path.join(root, 'e2e-artifacts');
  mkdirSync(artifacts, { recursive: true });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const log = createWriteStream(path.join(artifacts, 'course.log'));
  const env: Record<string, string | undefined> = {
    ...process.env,
    PORT: String(port),
    DATABASE_URL: `file:${path.join(dir, 'course.db')}`,
    COURSE_ADMIN_PASSWORD: ADMIN_PASSWORD,
    COURSE_POLL_MS: '500',
    NEXT_TELEMETRY_DISABLED: '1',
  };
  delete env.NODE_ENV;
  delete env.COURSE_SECRET;
  delete env.NEXTAUTH_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { cwd: root, env: env as NodeJS.ProcessEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // already gone
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      }, 20_000);
      await exited;
      clearTimeout(timer);
    }
    log.end();
    rmSync(dir, { recursive: true, force: true });
  };

  let token = '';
  try {
    await waitFor('the API', 180_000, async () => ((await fetch(`${url}/api/v1/openapi.json`)).ok ? true : undefined), child);
    token = await waitFor(
      'the admin token',
      30_000,
      async () => {
        const r = await fetch(`${url}/api/v1/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) });
        return r.ok ? ((await r.json()) as { token: string }).token : undefined;
      },
      child,
    );
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    await waitFor(
      'the worker and an executor',
      60_000,
      async () => {
        const h = (await (await fetch(`${url}/api/v1/health`, { headers: auth })).json()) as { worker?: { state: string }; executors?: { online: number } };
        return h.worker?.state === 'ok' && (h.executors?.online ?? 0) > 0 ? true : undefined;
      },
      child,
    );
    for (const name of GROUPS) {
      const r = await fetch(`${url}/api/v1/admin/groups`, { method: 'POST', headers: auth, body: JSON.stringify({ name }) });
      if (!r.ok && r.status !== 409) throw new Error(`creating group ${name}: ${r.status} ${await r.text()}`);
    }
    for (const u of Object.values(USERS)) {
      const r = await fetch(`${url}/api/v1/admin/users`, { method: 'POST', headers: auth, body: JSON.stringify({ username: u.username, password: u.password, groups: u.groups }) });
      if (!r.ok && r.status !== 409) throw new Error(`creating user ${u.username}: ${r.status} ${await r.text()}`);
    }
  } catch (e) {
    await stop();
    throw e;
  }

  process.env.COURSE_E2E_URL = url;
  process.env.COURSE_E2E_ADMIN_TOKEN = token;
  return stop;
}
