// Run supervision end to end, for real: the web process, the worker and executors as child
// processes, real shell commands, on SQLite and on a throwaway PostgreSQL server.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from '../testing/cluster';
import { freshDatabaseUrl, type TestProvider } from '../testing/postgres';

const ENDED = ['success', 'failure', 'cancelled'];
const jobOf = (run: any, job: string) => run.jobRuns.find((j: any) => j.job === job);
const pidAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
function assertEndedCleanly(run: any) {
  expect(ENDED).toContain(run.state);
  for (const j of run.jobRuns) expect(['new', 'queued', 'executing']).not.toContain(j.state);
}

for (const provider of ['sqlite', 'postgresql'] as TestProvider[]) {
  describe(`run supervision on ${provider}`, () => {
    let c: Cluster;
    const dir = mkdtempSync(path.join(tmpdir(), 'course-sup-'));

    beforeAll(async () => {
      c = await new Cluster({ databaseUrl: await freshDatabaseUrl(provider), executors: [{ capacity: 4, name: 'e1' }] }).start();
    });
    afterAll(async () => {
      await c?.stop();
    });

    it('diamond: b and c run concurrently after a, d after both', async () => {
      const log = path.join(dir, 'diamond.log');
      const stamp = (name: string, extra = '') => `echo "${name} start $(date +%s%N)" >> "$LOG"; ${extra} echo "${name} end $(date +%s%N)" >> "$LOG"`;
      await c.apply({
        name: 'diamond',
        jobs: {
          a: { command: stamp('a'), env: { LOG: log } },
          b: { command: stamp('b', 'sleep 0.6;'), needs: ['a'], env: { LOG: log } },
          c: { command: stamp('c', 'sleep 0.6;'), needs: ['a'], env: { LOG: log } },
          d: { command: stamp('d'), needs: ['b', 'c'], env: { LOG: log } },
        },
      });
      const run = await c.waitForRun(await c.trigger('diamond'));
      expect(run.state).toBe('success');
      const t = Object.fromEntries(
        readFileSync(log, 'utf8')
          .trim()
          .split('\n')
          .map((l) => {
            const [name, what, ns] = l.split(' ');
            return [`${name}.${what}`, Number(BigInt(ns) / 1_000_000n)];
          }),
      );
      expect(t['b.start']).toBeGreaterThanOrEqual(t['a.end']);
      expect(t['c.start']).toBeGreaterThanOrEqual(t['a.end']);
      // Concurrent: each started before the other ended.
      expect(t['b.start']).toBeLessThan(t['c.end']);
      expect(t['c.start']).toBeLessThan(t['b.end']);
      expect(t['d.start']).toBeGreaterThanOrEqual(Math.max(t['b.end'], t['c.end']));
    });

    it('diamond with c failing: b completes, d skipped naming c, the run fails', async () => {
      await c.apply({
        name: 'diamond-fail',
        jobs: {
          a: { command: 'true' },
          b: { command: 'sleep 0.5; echo b done' },
          c: { command: 'echo oops >&2; exit 3', needs: ['a'] },
          d: { command: 'true', needs: ['b', 'c'] },
        },
      });
      const run = await c.waitForRun(await c.trigger('diamond-fail'));
      assertEndedCleanly(run);
      expect(run.state).toBe('failure');
      expect(jobOf(run, 'b').state).toBe('success');
      expect(jobOf(run, 'c').state).toBe('failure');
      expect(jobOf(run, 'c').reason).toBe('exit code 3');
      expect(jobOf(run, 'c').attempts[0].exitCode).toBe(3);
      expect(jobOf(run, 'd').state).toBe('skipped');
      expect(jobOf(run, 'd').reason).toContain('c');
      expect(run.reason).toContain('c');
      const out = await c.api('GET', `/runs/${run.id}/jobs/c/output`);
      expect(out.status).toBe(200);
      expect(out.text).toContain('oops');
    });

    it('retries: at most N+1 attempts, the delay honoured, a later success succeeds', async () => {
      const counter = path.join(dir, 'count');
      await c.apply({
        name: 'retrying',
        jobs: {
          flaky: { command: 'n=$(cat "$F" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "$F"; [ $n -ge 3 ]', env: { F: counter }, retries: 4, retryDelay: '700ms' },
          never: { command: 'exit 1', retries: 2, retryDelay: '300ms' },
        },
      });
      const run = await c.waitForRun(await c.trigger('retrying'));
      assertEndedCleanly(run);
      const flaky = jobOf(run, 'flaky');
      expect(flaky.state).toBe('success');
      expect(flaky.attempts.map((a: any) => a.number)).toEqual([1, 2, 3]);
      for (let i = 1; i < flaky.attempts.length; i++) {
        const gap = Date.parse(flaky.attempts[i].startedAt) - Date.parse(flaky.attempts[i - 1].endedAt);
        expect(gap).toBeGreaterThanOrEqual(700);
      }
      const never = jobOf(run, 'never');
      expect(never.state).toBe('failure');
      expect(never.attempts).toHaveLength(3);
      expect(run.state).toBe('failure');
    });

    it('a timeout kills the whole process tree, a child ignoring SIGTERM included', async () => {
      const pidFile = path.join(dir, 'tree.pids');
      await c.apply({
        name: 'timeout',
        jobs: {
          slow: {
            command: `sh -c 'trap "" TERM; echo $$ >> "$P"; sleep 60' & echo $! >> "$P"; sleep 60 & echo $! >> "$P"; wait`,
            env: { P: pidFile },
            timeout: '1s',
            killGrace: '300ms',
          },
        },
      });
      const run = await c.waitForRun(await c.trigger('timeout'), 20_000);
      assertEndedCleanly(run);
      expect(jobOf(run, 'slow').state).toBe('failure');
      expect(jobOf(run, 'slow').reason).toBe('timeout');
      const pids = readFileSync(pidFile, 'utf8').trim().split('\n').map(Number);
      expect(pids.length).toBeGreaterThanOrEqual(3);
      await c.waitFor(async () => pids.every((p) => !pidAlive(p)), 3000, 'the tree to die');
    });

    it('50 MB of output on stdout and stderr at once, and non-UTF-8 bytes, neither block nor break a run', async () => {
      await c.apply({
        name: 'noisy',
        jobs: {
          big: { command: "head -c 26214400 /dev/zero | tr '\\0' 'o' & head -c 26214400 /dev/zero | tr '\\0' 'e' >&2 & wait; echo END" },
          bytes: { command: "printf 'caf\\351 \\377\\376 na\\303\\257ve\\n'" },
        },
      });
      const run = await c.waitForRun(await c.trigger('noisy'), 120_000);
      expect(run.state).toBe('success');
      const big = jobOf(run, 'big');
      expect(big.attempts[0].droppedBytes).toBeGreaterThan(0);
      const out = await fetch(`${c.url}/api/v1/runs/${run.id}/jobs/bytes/output`, { headers: { authorization: `Bearer ${c.token}` } });
      const bytes = Buffer.from(await out.arrayBuffer());
      expect(bytes.equals(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0xff, 0xfe, 0x20, 0x6e, 0x61, 0xc3, 0xaf, 0x76, 0x65, 0x0a]))).toBe(true);
      const bigOut = await c.api('GET', `/runs/${run.id}/jobs/big/output`);
      expect(bigOut.text).toContain('END');
    });

    it('nested: the child run is a step of the parent; failure fails the job; dependants wait for the whole child', async () => {
      const log = path.join(dir, 'nested.log');
      await c.apply({ name: 'empty-child', jobs: {} });
      await c.apply({ name: 'child-ok', jobs: { one: { command: 'sleep 0.4; echo child >> "$L"', env: { L: log } }, two: { command: 'echo child2 >> "$L"', needs: ['one'], env: { L: log } } } });
      await c.apply({ name: 'child-bad', jobs: { boom: { command: 'exit 7' } } });
      await c.apply({
        name: 'parent',
        jobs: {
          first: { workflow: 'child-ok' },
          again: { workflow: 'child-ok' },
          nothing: { workflow: 'empty-child' },
          after: { command: 'echo after >> "$L"', needs: ['first', 'again', 'nothing'], env: { L: log } },
        },
      });
      const run = await c.waitForRun(await c.trigger('parent'));
      expect(run.state).toBe('success');
      const lines = readFileSync(log, 'utf8').trim().split('\n');
      expect(lines.filter((l) => l === 'child2')).toHaveLength(2);
      expect(lines[lines.length - 1]).toBe('after');
      const child = await c.run(jobOf(run, 'first').childRunId);
      expect(child.parentRunId).toBe(run.id);
      expect(child.trigger).toBe('parent');
      expect(child.state).toBe('success');
      expect(jobOf(run, 'first').childRunId).not.toBe(jobOf(run, 'again').childRunId);

      await c.apply({ name: 'parent-bad', jobs: { sub: { workflow: 'child-bad' }, later: { command: 'true', needs: ['sub'] } } });
      const bad = await c.waitForRun(await c.trigger('parent-bad'));
      assertEndedCleanly(bad);
      expect(bad.state).toBe('failure');
      expect(jobOf(bad, 'sub').state).toBe('failure');
      expect(jobOf(bad, 'later').state).toBe('skipped');
      expect((await c.run(jobOf(bad, 'sub').childRunId)).state).toBe('failure');

      // A containment cycle is refused at save, with its path.
      await c.apply({ name: 'loop-a', jobs: { x: { command: 'true' } } });
      await c.apply({ name: 'loop-b', jobs: { y: { workflow: 'loop-a' } } });
      const cyc = await c.api('PUT', '/workflows/loop-a', { name: 'loop-a', jobs: { z: { workflow: 'loop-b' } } });
      expect(cyc.status).toBe(422);
      expect(cyc.text).toMatch(/loop-a.*loop-b.*loop-a/);
    });

    it('cancel kills running tasks, retries nothing, and cancels jobs not started and child runs', async () => {
      const pidFile = path.join(dir, 'cancel.pid');
      await c.apply({ name: 'cancel-child', jobs: { wait: { command: 'sleep 60' } } });
      await c.apply({
        name: 'cancel-me',
        jobs: {
          long: { command: 'echo $$ > "$P"; sleep 60', env: { P: pidFile }, retries: 3 },
          sub: { workflow: 'cancel-child' },
          later: { command: 'true', needs: ['long'] },
        },
      });
      const id = await c.trigger('cancel-me');
      await c.waitFor(async () => existsSync(pidFile), 10_000, 'the task to start');
      const child = await c.waitForRun(id, 10_000, (r) => jobOf(r, 'sub').childRunId !== null);
      const childId = jobOf(child, 'sub').childRunId;
      await c.waitForRun(childId, 10_000, (r) => jobOf(r, 'wait').state === 'executing');
      const r = await c.api('POST', `/runs/${id}/cancel`);
      expect(r.status).toBe(202);
      const run = await c.waitForRun(id, 10_000);
      assertEndedCleanly(run);
      expect(run.state).toBe('cancelled');
      expect(jobOf(run, 'long').state).toBe('cancelled');
      expect(jobOf(run, 'long').attempts).toHaveLength(1);
      expect(jobOf(run, 'later').state).toBe('cancelled');
      expect((await c.waitForRun(childId, 10_000)).state).toBe('cancelled');
      const pid = Number(readFileSync(pidFile, 'utf8'));
      await c.waitFor(async () => !pidAlive(pid), 5000, 'the cancelled task to die');
      const again = await c.api('POST', `/runs/${id}/cancel`);
      expect(again.status).toBe(409);
    });

    it('rerun: successful jobs count as done, the rest run again', async () => {
      const flag = path.join(dir, 'rerun.flag');
      await c.apply({ name: 'rerunnable', jobs: { ok: { command: 'echo ok >> "$F.ok"', env: { F: flag } }, picky: { command: '[ -e "$F" ]', needs: ['ok'], env: { F: flag } } } });
      const first = await c.waitForRun(await c.trigger('rerunnable'));
      expect(first.state).toBe('failure');
      execFileSync('touch', [flag]);
      const r = await c.api('POST', `/runs/${first.id}/rerun`);
      expect(r.status).toBe(201);
      const second = await c.waitForRun(r.body.id);
      expect(second.state).toBe('success');
      expect(second.trigger).toBe('rerun');
      expect(jobOf(second, 'ok').attempts).toHaveLength(0);
      expect(readFileSync(`${flag}.ok`, 'utf8').trim().split('\n')).toHaveLength(1);
    });

    it('kill -9 of the worker mid-run, then restart: the run completes and no job runs twice', async () => {
      const log = path.join(dir, 'worker-kill.log');
      await c.apply({
        name: 'survive-worker',
        jobs: {
          a: { command: 'echo a >> "$L"', env: { L: log } },
          b: { command: 'sleep 0.3; exit 1', retries: 1, retryDelay: '1500ms', needs: ['a'] },
          c: { command: 'sleep 1; echo c >> "$L"', needs: ['a'], env: { L: log } },
          d: { command: 'echo d >> "$L"', needs: ['c'], env: { L: log } },
        },
      });
      const id = await c.trigger('survive-worker');
      await c.waitForRun(id, 10_000, (r) => jobOf(r, 'b').retryAt !== null);
      await c.stopProc(c.worker, 'SIGKILL');
      await new Promise((r) => setTimeout(r, 2000));
      await c.startWorker();
      const run = await c.waitForRun(id, 30_000);
      assertEndedCleanly(run);
      expect(jobOf(run, 'b').attempts).toHaveLength(2);
      expect(jobOf(run, 'd').state).toBe('success');
      expect(readFileSync(log, 'utf8').trim().split('\n').sort()).toEqual(['a', 'c', 'd']);
    });

    it('kill -9 of the web mid-task, down longer than the lease, then restart: running tasks are not lost', async () => {
      await c.apply({ name: 'survive-web', jobs: { work: { command: 'sleep 4; echo done' }, after: { command: 'echo after', needs: ['work'] } } });
      const id = await c.trigger('survive-web');
      await c.waitForRun(id, 10_000, (r) => jobOf(r, 'work').attempts.length === 1);
      await c.stopProc(c.web, 'SIGKILL');
      await new Promise((r) => setTimeout(r, 3500)); // past the 3 s lease
      await c.startWeb();
      const run = await c.waitForRun(id, 30_000);
      expect(run.state).toBe('success');
      expect(jobOf(run, 'work').attempts).toHaveLength(1);
      expect(jobOf(run, 'work').attempts[0].state).toBe('success');
    });

    it('kill -9 of an executor mid-task: its task dies with it, the attempt is lost and retried on another executor', async () => {
      const pidFile = path.join(dir, 'exec-kill.pid');
      await c.startExecutor({ name: 'e2', capacity: 1, labels: ['spare'] });
      await c.apply({
        name: 'survive-executor',
        jobs: { work: { command: 'if [ "$COURSE_ATTEMPT" = 1 ]; then echo $$ > "$P"; sleep 60; fi; echo done', env: { P: pidFile }, retries: 1 } },
      });
      const id = await c.trigger('survive-executor');
      await c.waitFor(async () => existsSync(pidFile), 10_000, 'the first attempt to start');
      const first = await c.run(id);
      const holder = jobOf(first, 'work').attempts[0].executor;
      const proc = c.executors.find((e) => e.name === holder)!;
      const taskPid = Number(readFileSync(pidFile, 'utf8'));
      const t0 = Date.now();
      await c.stopProc(proc, 'SIGKILL');
      await c.waitFor(async () => !pidAlive(taskPid), 3000, 'the orphaned task to die');
      const run = await c.waitForRun(id, 20_000);
      expect(run.state).toBe('success');
      const attempts = jobOf(run, 'work').attempts;
      expect(attempts).toHaveLength(2);
      expect(attempts[0].state).toBe('lost');
      expect(attempts[0].reason).toBe('executor lost');
      expect(attempts[1].executor).not.toBe(holder);
      // Declared lost within the lease time (3 s here) plus a poll and the retry's start.
      expect(Date.parse(attempts[1].startedAt) - t0).toBeLessThan(3000 + 1500);
    });
  });
}
