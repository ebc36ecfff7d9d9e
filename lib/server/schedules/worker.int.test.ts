// The worker as a process (worker/main.ts) firing a schedule on a SQLite file: a due tick makes a
// run within seconds, SIGTERM ends the worker with exit code 0, and a restarted worker does not
// fire that tick again. The web process is absent (PORT points at nothing): the worker tolerates it.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../auth';
import { ensureAdmin } from '../bootstrap';
import { openDatabase, type Database } from '../db/client';
import { freePort, freshDatabaseUrl } from '../testing/postgres';
import { saveWorkflow } from '../workflows';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const MIN = 60_000;

interface Worker {
  child: ChildProcess;
  startedAt: number;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startWorker(databaseUrl: string, port: number): Worker {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, COURSE_POLL_MS: '200', PORT: String(port) };
  delete env.COURSE_WEB_URL; // the web is http://127.0.0.1:PORT: nothing
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, startedAt: Date.now(), output: () => out, exited };
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | null | undefined>, worker: Worker): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== null && v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; worker output:\n${worker.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stop(worker: Worker): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  worker.child.kill('SIGTERM');
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`worker did not exit within 10 s of SIGTERM:\n${worker.output()}`)), 10_000));
  return Promise.race([worker.exited, timeout]);
}

describe('the worker process fires schedules (sqlite)', () => {
  let url: string;
  let db: Database;
  let admin: Principal;
  const workers: Worker[] = [];

  beforeAll(async () => {
    url = await freshDatabaseUrl('sqlite');
    db = await openDatabase(url);
    await ensureAdmin(db, { password: 'pw-for-tests' });
    const user = await db.prisma.user.findUniqueOrThrow({ where: { username: 'admin' } });
    admin = { userId: user.id, username: 'admin', isSiteAdmin: true, via: 'token', tokenId: 0 };
  });
  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    await db?.close();
  });

  it('fires a due tick within seconds, stops on SIGTERM with 0, and a restart does not fire it again', async () => {
    // Saved 90 s ago: at least one minute boundary lies between the save and now, so a fire is due.
    const savedAt = Date.now() - 90_000;
    await saveWorkflow(db, admin, 'every-minute', { schedule: { cron: '* * * * *', overlap: 'allow' }, jobs: { j: { command: 'true' } } }, savedAt);
    const before = await db.prisma.schedule.findFirstOrThrow({ where: { workflow: { name: 'every-minute' } } });
    expect(before.nextFireAt!.getTime()).toBeLessThanOrEqual(Date.now());
    const port = await freePort(); // nothing listens there

    const first = startWorker(url, port);
    workers.push(first);
    const run = await waitFor('the first scheduled run', 15_000, () => db.prisma.run.findFirst({ where: { workflow: { name: 'every-minute' } }, orderBy: { id: 'asc' } }), first);
    const seenAfterMs = Date.now() - first.startedAt;
    expect(seenAfterMs).toBeLessThan(15_000);
    expect(run.trigger).toBe('schedule');
    const tick = run.scheduledFor!.getTime();
    expect(tick % MIN).toBe(0);
    expect(tick).toBeGreaterThan(savedAt);
    expect(tick).toBeLessThanOrEqual(Date.now());
    // catchup: latest, so the most recent minute boundary before the worker's pass.
    expect(tick).toBeGreaterThan(first.startedAt - MIN);
    expect(run.nominalTime.getTime()).toBe(tick);

    expect(await stop(first)).toEqual({ code: 0, signal: null });
    expect(first.output()).toContain('course worker started');
    const persisted = await db.prisma.schedule.findFirstOrThrow({ where: { workflow: { name: 'every-minute' } } });
    expect(persisted.lastFireAt!.getTime()).toBeGreaterThanOrEqual(tick);
    expect(persisted.nextFireAt!.getTime()).toBeGreaterThan(tick);

    // Restart; wait for a whole pass (the heartbeat is written after one), then stop again.
    const second = startWorker(url, port);
    workers.push(second);
    await waitFor(
      'a pass of the restarted worker',
      15_000,
      async () => {
        const hb = await db.prisma.setting.findUnique({ where: { key: 'worker.heartbeat' } });
        return hb && Date.parse(hb.value) > second.startedAt ? hb : null;
      },
      second,
    );
    // A few more passes at 200 ms.
    await new Promise((r) => setTimeout(r, 1000));
    expect(await stop(second)).toEqual({ code: 0, signal: null });

    const runs = await db.prisma.run.findMany({ where: { workflow: { name: 'every-minute' } }, orderBy: { id: 'asc' } });
    expect(runs[0].id).toBe(run.id);
    // Only later minutes may have fired since (if a minute boundary passed during the test).
    for (const later of runs.slice(1)) expect(later.scheduledFor!.getTime()).toBeGreaterThan(tick);
    expect(runs.length).toBeLessThanOrEqual(1 + Math.ceil((Date.now() - tick) / MIN));
    // The restarted worker knew the tick was handled; it did not plan it again and run into the
    // unique key ("already fired").
    expect(second.output()).not.toContain('already fired');
    expect(second.output()).not.toContain('pass failed');
    expect(first.output()).not.toContain('pass failed');
  });
});
