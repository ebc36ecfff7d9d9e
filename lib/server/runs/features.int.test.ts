// More of run supervision, for real: executor labels and capacity, a whole run's timeout, output
// followed live, the timeline, and the CLI against a real server.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from '../testing/cluster';
import { freshDatabaseUrl, type TestProvider } from '../testing/postgres';

const root = path.resolve(import.meta.dirname, '../../..');
const jobOf = (run: any, job: string) => run.jobRuns.find((j: any) => j.job === job);

function cli(c: Cluster, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'cli/main.ts', ...args], {
      cwd: root,
      env: { ...process.env, COURSE_URL: c.url, COURSE_TOKEN: c.token, COURSE_CLI_POLL_MS: '100' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

for (const provider of ['sqlite', 'postgresql'] as TestProvider[]) {
  describe(`run features on ${provider}`, () => {
    let c: Cluster;
    beforeAll(async () => {
      c = await new Cluster({ databaseUrl: await freshDatabaseUrl(provider), executors: [{ name: 'plain', capacity: 1 }, { name: 'gpu-box', capacity: 2, labels: ['gpu', 'linux'] }] }).start();
    });
    afterAll(async () => {
      await c?.stop();
    });

    it('runsOn sends a job only to an executor with every label; capacity bounds concurrency', async () => {
      await c.apply({
        name: 'placed',
        jobs: {
          g1: { command: 'sleep 0.3', runsOn: ['gpu'] },
          g2: { command: 'sleep 0.3', runsOn: ['gpu', 'linux'] },
          p1: { command: 'sleep 0.4' },
          p2: { command: 'sleep 0.4' },
          p3: { command: 'sleep 0.4' },
        },
      });
      const run = await c.waitForRun(await c.trigger('placed'));
      expect(run.state).toBe('success');
      expect(jobOf(run, 'g1').attempts[0].executor).toBe('gpu-box');
      expect(jobOf(run, 'g2').attempts[0].executor).toBe('gpu-box');
      // Never more tasks at once on an executor than its capacity.
      const spans = run.jobRuns.map((j: any) => ({ ex: j.attempts[0].executor, s: Date.parse(j.attempts[0].startedAt), e: Date.parse(j.attempts[0].endedAt) }));
      for (const [ex, cap] of [['plain', 1], ['gpu-box', 2]] as const) {
        const mine = spans.filter((x: any) => x.ex === ex);
        for (const a of mine) expect(mine.filter((b: any) => b.s <= a.s && a.s < b.e).length).toBeLessThanOrEqual(cap);
      }
    });

    it('a job with a label no executor has waits queued, and cancel ends it', async () => {
      await c.apply({ name: 'unplaceable', jobs: { x: { command: 'true', runsOn: ['nowhere'] } } });
      const id = await c.trigger('unplaceable');
      await new Promise((r) => setTimeout(r, 800));
      expect(jobOf(await c.run(id), 'x').state).toBe('queued');
      expect((await c.api('POST', `/runs/${id}/cancel`)).status).toBe(202);
      const run = await c.waitForRun(id);
      expect(run.state).toBe('cancelled');
      expect(jobOf(run, 'x').reason).toBe('cancelled by admin');
    });

    it("a run's timeout ends it as failure and kills what runs", async () => {
      await c.apply({ name: 'run-timeout', timeout: '1s', jobs: { slow: { command: 'sleep 30' }, later: { command: 'true', needs: ['slow'] } } });
      const run = await c.waitForRun(await c.trigger('run-timeout'), 15_000);
      expect(run.state).toBe('failure');
      expect(run.reason).toBe('run timeout');
      expect(jobOf(run, 'later').state).not.toMatch(/new|queued|executing/);
      const took = Date.parse(run.endedAt) - Date.parse(run.startedAt);
      expect(took).toBeGreaterThanOrEqual(1000);
      expect(took).toBeLessThan(4000);
    });

    it('output followed live arrives while the job runs and the stream ends with the attempt', async () => {
      await c.apply({ name: 'talker', jobs: { talk: { command: 'for i in 1 2 3 4; do echo "line $i"; sleep 0.4; done' } } });
      const id = await c.trigger('talker');
      await c.waitForRun(id, 10_000, (r) => jobOf(r, 'talk').attempts.length > 0);
      const res = await fetch(`${c.url}/api/v1/runs/${id}/jobs/talk/output?follow=1`, { headers: { authorization: `Bearer ${c.token}` } });
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      const arrivals: { at: number; text: string }[] = [];
      const decoder = new TextDecoder();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        arrivals.push({ at: Date.now(), text: decoder.decode(value) });
      }
      const text = arrivals.map((a) => a.text).join('');
      expect(text).toBe('line 1\nline 2\nline 3\nline 4\n');
      // Streamed, not sent at the end: the first line came well before the last.
      const firstAt = arrivals.find((a) => a.text.includes('line 1'))!.at;
      const lastAt = arrivals.find((a) => a.text.includes('line 4'))!.at;
      expect(lastAt - firstAt).toBeGreaterThan(600);
      expect((await c.run(id)).state).toBe('success');
    });

    it('the timeline names every state change, the executor and the exit code', async () => {
      await c.apply({ name: 'narrated', jobs: { a: { command: 'exit 2', retries: 1 }, b: { command: 'true', needs: ['a'] } } });
      const run = await c.waitForRun(await c.trigger('narrated'));
      const t = await c.api('GET', `/runs/${run.id}/timeline`);
      expect(t.status).toBe(200);
      const messages = t.body.events.map((e: any) => e.message);
      expect(messages[0]).toMatch(/run created \(manual by admin\)/);
      expect(messages).toContain('a queued');
      expect(messages.some((m: string) => /a attempt 1 taken by executor (plain|gpu-box)/.test(m))).toBe(true);
      expect(messages.some((m: string) => /a attempt 1 ended: exit code 2/.test(m))).toBe(true);
      expect(messages.some((m: string) => /a attempt 1 failed \(exit code 2\); attempt 2 at /.test(m))).toBe(true);
      expect(messages).toContain('a failure: exit code 2');
      expect(messages).toContain('b skipped: dependency a failed');
      expect(messages[messages.length - 1]).toMatch(/^run failure: job a failed: exit code 2/);
      const times = t.body.events.map((e: any) => Date.parse(e.at));
      expect([...times].sort((x, y) => x - y)).toEqual(times);
    });

    it('a 1,500-job workflow saves quickly, and its run can be started, shown and cancelled', async () => {
      const jobs: Record<string, unknown> = { root: { command: 'sleep 5' } };
      for (let i = 0; i < 1499; i++) jobs[`j${i}`] = { command: 'true', needs: ['root'] };
      const t0 = Date.now();
      await c.apply({ name: 'wide', jobs });
      expect(Date.now() - t0).toBeLessThan(10_000);
      const started = await c.api('POST', '/workflows/wide/runs', {});
      expect(started.status, started.text).toBe(201);
      expect(started.body.jobRuns).toHaveLength(1500);
      const shown = await c.api('GET', `/runs/${started.body.id}`);
      expect(shown.status, shown.text).toBe(200);
      expect((await c.api('POST', `/runs/${started.body.id}/cancel`)).status).toBe(202);
      const run = await c.waitForRun(started.body.id);
      expect(run.state).toBe('cancelled');
      const tooBig: Record<string, unknown> = {};
      for (let i = 0; i < 2001; i++) tooBig[`j${i}`] = { command: 'true' };
      const refused = await c.api('PUT', '/workflows/too-big', { name: 'too-big', jobs: tooBig });
      expect(refused.status).toBe(422);
      expect(refused.text).toContain('at most 2000 jobs');
    });

    it('the CLI runs a workflow with --wait: exit 0 on success, non-zero on failure; logs prints the output', async () => {
      await c.apply({ name: 'cli-ok', params: { WHO: { default: 'world' } }, jobs: { hello: { command: 'echo "hello $WHO"' } } });
      await c.apply({ name: 'cli-bad', jobs: { boom: { command: 'echo about to fail; exit 4' } } });
      const ok = await cli(c, ['run', 'cli-ok', '--param', 'WHO=course', '--wait']);
      expect(ok.code).toBe(0);
      const okId = Number(/run (\d+)/.exec(ok.stdout + ok.stderr)![1]);
      const logs = await cli(c, ['logs', String(okId), 'hello']);
      expect(logs.stdout).toBe('hello course\n');
      const bad = await cli(c, ['run', 'cli-bad', '--wait']);
      expect(bad.code).toBe(1);
      expect(bad.stdout + bad.stderr).toMatch(/failure/);
      // An empty POST starts a run with the params' defaults (the body is optional).
      const bare = await c.api('POST', '/workflows/cli-ok/runs');
      expect(bare.status, bare.text).toBe(201);
      expect(bare.body.params).toEqual({ WHO: 'world' });
      const unknownParam = await cli(c, ['run', 'cli-ok', '--param', 'NOPE=1']);
      expect(unknownParam.code).toBe(1);
      expect(unknownParam.stdout + unknownParam.stderr).toMatch(/unknown param 'NOPE'/);
    });
  });
}
