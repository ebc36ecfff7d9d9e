// Notifications end to end, for real: web, worker and an executor as processes, a real SMTP server
// (smtp-server) and real HTTP receivers, on SQLite and on a throwaway PostgreSQL server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestUser } from '../../../api/testing';
import { Cluster } from '../testing/cluster';
import { freePort, freshDatabaseUrl, type TestProvider } from '../testing/postgres';
import { verifySignature } from './signature';
import { TestSmtpServer, WebhookReceiver } from './test-servers';

const jobOf = (run: any, job: string) => run.jobRuns.find((j: any) => j.job === job);
const eighty = 'for i in $(seq 1 80); do echo "line $i"; done';

for (const provider of ['sqlite', 'postgresql'] as TestProvider[]) {
  describe(`notifications on ${provider}`, () => {
    let c: Cluster;
    let smtp: TestSmtpServer;
    let hooks: WebhookReceiver;

    const deliveries = async (runId: number) => {
      const r = await c.api('GET', `/runs/${runId}/notifications`);
      expect(r.status).toBe(200);
      return r.body.deliveries as any[];
    };
    const timeline = async (runId: number) => (await c.api('GET', `/runs/${runId}/timeline`)).body.events as any[];
    const allSettled = (runId: number, n: number) =>
      c.waitFor(async () => {
        const d = await deliveries(runId);
        return d.length === n && d.every((x) => x.state !== 'pending');
      }, 30_000, `${n} deliveries of run ${runId} to settle`);

    beforeAll(async () => {
      smtp = await new TestSmtpServer().start();
      hooks = await new WebhookReceiver().start();
      c = await new Cluster({
        databaseUrl: await freshDatabaseUrl(provider),
        executors: [{ capacity: 4, name: 'e1' }],
        env: {
          COURSE_SMTP_URL: smtp.url,
          COURSE_MAIL_FROM: 'Course Tests <course@tests.example>',
          COURSE_OUTBOX_BACKOFF: '300ms,300ms,300ms,1s/30s',
          COURSE_WEBHOOK_ALLOW: '127.0.0.1',
          COURSE_OUTBOX_CONCURRENCY: '4',
          COURSE_PUBLIC_URL: 'http://course.example.test',
        },
      }).start();
    });
    afterAll(async () => {
      await c?.stop();
      await hooks?.stop();
      await smtp?.stop();
    });

    it('failure notices only after the final retry; the email has the subject, reason and output tail; the webhook is signed', async () => {
      await c.apply({
        name: 'nightly-etl',
        notify: { onFailure: [{ email: 'ops@example.com' }, { webhook: hooks.url('/etl/fail'), secret: 'topsecret' }] },
        jobs: {
          extract: {
            command: `echo "attempt $COURSE_ATTEMPT"; ${eighty}; exit 3`,
            retries: 2,
            retryDelay: '200ms',
            notify: { onRetry: [{ webhook: hooks.url('/etl/retry') }], onFailure: [{ webhook: hooks.url('/etl/job-fail') }] },
          },
          load: { command: 'true', needs: ['extract'] },
        },
      });
      const run = await c.waitForRun(await c.trigger('nightly-etl'));
      expect(run.state).toBe('failure');
      expect(run.reason).toBe('job extract failed: exit code 3');
      await allSettled(run.id, 5); // 2 retries, 1 job failure, email + webhook for the run
      const attempts = jobOf(run, 'extract').attempts;
      expect(attempts).toHaveLength(3);

      // onRetry once per failed attempt but the last; failure notices once, after the last attempt.
      const retries = hooks.at('/etl/retry');
      expect(retries.map((r) => JSON.parse(r.body).jobs[0].attempt)).toEqual([1, 2]);
      expect(retries.every((r) => r.headers['x-course-event'] === 'job.retry')).toBe(true);
      expect(new Set(retries.map((r) => r.headers['idempotency-key'])).size).toBe(2);
      expect(hooks.at('/etl/job-fail')).toHaveLength(1);
      expect(hooks.at('/etl/fail')).toHaveLength(1);
      const events = await timeline(run.id);
      const lastEnd = events.findIndex((e) => e.kind === 'attempt.ended' && e.attempt === 3);
      const failureEnqueued = events.filter((e) => e.kind === 'notification.enqueued' && e.data.event !== 'job.retry');
      expect(failureEnqueued).toHaveLength(3);
      for (const e of failureEnqueued) expect(events.indexOf(e)).toBeGreaterThan(lastEnd);

      // The email.
      const mails = smtp.to('ops@example.com');
      expect(mails).toHaveLength(1);
      const mail = mails[0];
      expect(mail.user).toBe('course');
      expect(mail.from).toBe('course@tests.example');
      expect(mail.subject).toBe('[Course] nightly-etl failed: job extract failed: exit code 3');
      expect(mail.text).toContain('job extract failed: exit code 3');
      expect(mail.text).toContain(`http://course.example.test/runs/${run.id}`);
      expect(mail.text).toContain('attempt 3 of 3, exit code 3');
      expect(mail.text).toContain('  | line 80\n');
      expect(mail.text).toContain('  | line 31\n');
      expect(mail.text).not.toContain('  | line 30\n');
      expect(mail.headers['x-course-event']).toBe('run.failure');

      // The signed webhook: the signature verifies over the raw body with the secret.
      const hook = hooks.at('/etl/fail')[0];
      expect(hook.headers['content-type']).toBe('application/json');
      expect(hook.headers['x-course-event']).toBe('run.failure');
      expect(verifySignature('topsecret', hook.body, String(hook.headers['x-course-signature']))).toBe(true);
      expect(verifySignature('not-the-secret', hook.body, String(hook.headers['x-course-signature']))).toBe(false);
      const body = JSON.parse(hook.body);
      expect(body.id).toBe(hook.headers['idempotency-key']);
      expect(body).toMatchObject({ event: 'run.failure', workflow: 'nightly-etl', run: { id: run.id, state: 'failure', reason: 'job extract failed: exit code 3', url: `http://course.example.test/runs/${run.id}` } });
      expect(body.jobs).toHaveLength(1);
      expect(body.jobs[0]).toMatchObject({ job: 'extract', state: 'failure', reason: 'exit code 3', exitCode: 3, attempt: 3, maxAttempts: 3, executor: 'e1' });
      expect(body.jobs[0].durationMs).toBeGreaterThanOrEqual(0);
      expect(body.jobs[0].output.split('\n')).toHaveLength(50);
      expect(body.jobs[0].output.endsWith('line 80')).toBe(true);
      expect(body.summary).toEqual({ failure: 1, skipped: 1 });
      // Unsigned hooks carry no signature.
      expect(hooks.at('/etl/retry')[0].headers['x-course-signature']).toBeUndefined();

      // Status: every delivery delivered, secrets never shown.
      const list = await c.api('GET', `/runs/${run.id}/notifications`);
      expect(list.text).not.toContain('topsecret');
      for (const d of list.body.deliveries) expect(d).toMatchObject({ state: 'delivered', attempts: 1, lastError: null, nextAttemptAt: null });
      expect(list.body.deliveries.map((d: any) => d.event).sort()).toEqual(['job.failure', 'job.retry', 'job.retry', 'run.failure', 'run.failure']);
      expect(events.filter((e) => e.kind === 'notification.delivered')).toHaveLength(5);
    });

    it('a receiver answering 500 twice gets the third delivery, with the same Idempotency-Key all three times', async () => {
      hooks.answer('/flaky', (_r, nth) => ({ status: nth <= 2 ? 500 : 200 }));
      await c.apply({ name: 'flaky-hook', notify: { onSuccess: [{ webhook: hooks.url('/flaky') }] }, jobs: { a: { command: 'echo fine' } } });
      const run = await c.waitForRun(await c.trigger('flaky-hook'));
      expect(run.state).toBe('success');
      await allSettled(run.id, 1);
      const seen = hooks.at('/flaky');
      expect(seen).toHaveLength(3);
      expect(new Set(seen.map((r) => r.headers['idempotency-key'])).size).toBe(1);
      expect(seen.map((r) => r.headers['x-course-attempt'])).toEqual(['1', '2', '3']);
      expect(new Set(seen.map((r) => r.body)).size).toBe(1); // the same bytes each time
      expect(seen[1].at - seen[0].at).toBeGreaterThanOrEqual(250); // the back-off
      const [d] = await deliveries(run.id);
      expect(d).toMatchObject({ event: 'run.success', channel: 'webhook', target: hooks.url('/flaky'), state: 'delivered', attempts: 3, idempotencyKey: seen[0].headers['idempotency-key'] });
      expect(d.lastError).toMatch(/HTTP 500/);
      const kinds = (await timeline(run.id)).filter((e) => e.kind.startsWith('notification.')).map((e) => e.kind);
      expect(kinds).toEqual(['notification.enqueued', 'notification.failed', 'notification.failed', 'notification.delivered']);
    });

    it('a webhook URL refused by COURSE_WEBHOOK_ALLOW is dead at once with a clear error, never called', async () => {
      const port = hooks.port;
      await c.apply({ name: 'refused-hook', notify: { onSuccess: [{ webhook: `http://localhost:${port}/refused?token=abc` }] }, jobs: { a: { command: 'true' } } });
      const run = await c.waitForRun(await c.trigger('refused-hook'));
      await allSettled(run.id, 1);
      const [d] = await deliveries(run.id);
      expect(d.state).toBe('dead');
      expect(d.attempts).toBe(1);
      expect(d.lastError).toMatch(/not allowed by COURSE_WEBHOOK_ALLOW \(127\.0\.0\.1\)/);
      expect(d.target).toBe(`http://localhost:${port}/refused?token=***`);
      expect(hooks.at('/refused')).toHaveLength(0);
      const dead = (await timeline(run.id)).find((e) => e.kind === 'notification.dead');
      expect(dead.message).toMatch(/COURSE_WEBHOOK_ALLOW/);
      expect(JSON.stringify(await timeline(run.id))).not.toContain('abc');
    });

    it('the admin test email: 200 with the SMTP answer, 422 when the server refuses, 403 for others', async () => {
      const ok = await c.api('POST', '/admin/test-email', { to: 'admin@example.com' });
      expect(ok.status).toBe(200);
      expect(ok.body.ok).toBe(true);
      expect(ok.body.message).toMatch(/250/);
      expect(smtp.to('admin@example.com').at(-1)?.subject).toBe('[Course] test message');

      smtp.refuse.add('nobody@example.com');
      const refused = await c.api('POST', '/admin/test-email', { to: 'nobody@example.com' });
      expect(refused.status).toBe(422);
      expect(refused.body.error.code).toBe('smtp_failed');
      expect(refused.body.error.message).toMatch(/550/);

      expect((await c.api('POST', '/admin/test-email', { to: 'not an address' })).status).toBe(400);
      await createTestUser(c.db, `viewer-${provider}`, { groups: { default: 'viewer' } });
      const token = await c.login(`viewer-${provider}`, 'password');
      const forbidden = await c.api('POST', '/admin/test-email', { to: 'admin@example.com' }, { token });
      expect(forbidden.status).toBe(403);

      // An email the server refuses for good (5xx) is dead at once, with the server's answer.
      await c.apply({ name: 'refused-mail', notify: { onSuccess: [{ email: 'nobody@example.com' }] }, jobs: { a: { command: 'true' } } });
      const run = await c.waitForRun(await c.trigger('refused-mail'));
      await allSettled(run.id, 1);
      const [d] = await deliveries(run.id);
      expect(d).toMatchObject({ state: 'dead', attempts: 1, channel: 'email', target: 'nobody@example.com' });
      expect(d.lastError).toMatch(/550/);
    });

    it('long-running: a run and a job still executing past longRunningAfter are told about once', async () => {
      await c.apply({
        name: 'slowpoke',
        notify: { onLongRunning: [{ webhook: hooks.url('/slow/run') }], longRunningAfter: '600ms' },
        jobs: { nap: { command: 'sleep 4', notify: { onLongRunning: [{ webhook: hooks.url('/slow/job') }], longRunningAfter: '800ms' } } },
      });
      const id = await c.trigger('slowpoke');
      await c.waitFor(async () => hooks.at('/slow/run').length === 1 && hooks.at('/slow/job').length === 1, 10_000, 'long-running notices');
      const during = await c.run(id);
      expect(during.state).toBe('executing');
      const run = await c.waitForRun(id);
      expect(run.state).toBe('success');
      await new Promise((r) => setTimeout(r, 600));
      expect(hooks.at('/slow/run')).toHaveLength(1);
      expect(hooks.at('/slow/job')).toHaveLength(1);
      const runBody = JSON.parse(hooks.at('/slow/run')[0].body);
      expect(runBody.event).toBe('run.long-running');
      expect(runBody.run.state).toBe('executing');
      expect(runBody.longRunning.afterMs).toBe(600);
      expect(runBody.longRunning.runningForMs).toBeGreaterThanOrEqual(600);
      expect(hooks.at('/slow/run')[0].at - Date.parse(run.startedAt)).toBeGreaterThanOrEqual(600);
      const jobBody = JSON.parse(hooks.at('/slow/job')[0].body);
      expect(jobBody).toMatchObject({ event: 'job.long-running', jobs: [{ job: 'nap', state: 'executing' }] });
    });

    it('stop the worker with deliveries pending, start it again: every notification is delivered, none twice to a receiver that honours the key', async () => {
      const down = new WebhookReceiver();
      const downPort = await freePort();
      let slow = 5000;
      hooks.answer('/restart/slow', () => ({ status: 200, delayMs: slow }));
      await c.apply({
        name: 'restart-me',
        notify: { onSuccess: [{ webhook: hooks.url('/restart/slow') }, { webhook: `http://127.0.0.1:${downPort}/restart/down` }, { email: 'restart@example.com' }] },
        jobs: { a: { command: 'true', notify: { onSuccess: [{ webhook: hooks.url('/restart/slow') }, { webhook: `http://127.0.0.1:${downPort}/restart/down` }] } } },
      });
      const run = await c.waitForRun(await c.trigger('restart-me'));
      expect(run.state).toBe('success');
      // Both slow deliveries are in flight, the receiver-down ones have failed at least once.
      await c.waitFor(async () => hooks.at('/restart/slow').length === 2, 10_000, 'the slow receiver to get both');
      await c.waitFor(async () => (await deliveries(run.id)).filter((d) => d.target.includes(String(downPort)) && d.attempts >= 1 && !d.delivering).length === 2, 10_000, 'the down receiver to be tried');

      // A clean stop: in-flight sends get a grace, then are handed back.
      await c.stopProc(c.worker);
      const stopped = await deliveries(run.id);
      expect(stopped.filter((d) => d.state === 'pending').length).toBeGreaterThanOrEqual(4);
      expect(stopped.every((d) => !d.delivering)).toBe(true);
      expect((await timeline(run.id)).some((e) => e.kind === 'notification.interrupted')).toBe(true);

      await down.start(downPort);
      slow = 0;
      await c.startWorker();
      await allSettled(run.id, 5);
      for (const d of await deliveries(run.id)) expect(d.state).toBe('delivered');
      const keys = stopped.filter((d) => d.channel === 'webhook').map((d) => d.idempotencyKey);
      // The receiver saw the interrupted ones twice and processed each key once.
      expect(hooks.at('/restart/slow').length).toBeGreaterThanOrEqual(4);
      expect(hooks.at('/restart/slow').filter((r) => r.processed)).toHaveLength(2);
      expect(down.at('/restart/down').filter((r) => r.processed)).toHaveLength(2);
      for (const k of new Set(keys)) expect([hooks.processed.has(k), down.processed.has(k)]).toContain(true);
      expect(smtp.to('restart@example.com')).toHaveLength(1);

      // A crash (kill -9) in the middle of a send: the claim's lease lapses and the next worker sends again.
      slow = 1500;
      hooks.answer('/restart/crash', () => ({ status: 200, delayMs: slow }));
      await c.apply({ name: 'crash-me', notify: { onSuccess: [{ webhook: hooks.url('/restart/crash'), timeout: '2s' }] }, jobs: { a: { command: 'true' } } });
      const crashed = await c.waitForRun(await c.trigger('crash-me'));
      await c.waitFor(async () => hooks.at('/restart/crash').length === 1, 10_000, 'the send to start');
      await c.stopProc(c.worker, 'SIGKILL');
      slow = 0;
      await c.startWorker();
      await allSettled(crashed.id, 1);
      const [d] = await deliveries(crashed.id);
      expect(d.state).toBe('delivered');
      expect(d.attempts).toBe(2);
      expect(hooks.at('/restart/crash')).toHaveLength(2);
      expect(hooks.at('/restart/crash').filter((r) => r.processed)).toHaveLength(1);
      await down.stop();
    });

    it('a receiver that never answers holds up nothing: dependants start at once, timers fire on time', async () => {
      for (let i = 1; i <= 5; i++) hooks.answer(`/hang/${i}`, () => 'hang');
      await c.apply({
        name: 'hung-hooks',
        jobs: {
          first: { command: 'echo first', notify: { onSuccess: [1, 2, 3, 4, 5].map((i) => ({ webhook: hooks.url(`/hang/${i}`), timeout: '60s' })) } },
          second: { command: 'echo second', needs: ['first'] },
          third: { command: '[ "$COURSE_ATTEMPT" -ge 2 ]', needs: ['second'], retries: 1, retryDelay: '300ms' },
        },
      });
      const run = await c.waitForRun(await c.trigger('hung-hooks'));
      expect(run.state).toBe('success');
      const first = jobOf(run, 'first').attempts[0];
      const second = jobOf(run, 'second').attempts[0];
      const events = await timeline(run.id);
      // The dependant starts when the notifying job ends: the server's record of first's end
      // (the executor's report) to second's claim by an executor. The report carries the claim of
      // the next task, so this is ~0 ms; the five hanging deliveries are not in between.
      const ended = events.find((e) => e.kind === 'attempt.ended' && e.job === 'first');
      const claimed = events.find((e) => e.kind === 'attempt.claimed' && e.job === 'second');
      const handOff = Date.parse(claimed.at) - Date.parse(ended.at);
      expect(handOff).toBeLessThan(1000);
      // End to end (first's exit to second's spawn, executor clocks) adds the executor's report
      // and its own spawn of /bin/sh, which on a loaded 2-core machine alone can take seconds,
      // with or without notifications: bounded far below the hanging receivers' 60 s.
      const endToEnd = Date.parse(second.startedAt) - Date.parse(first.endedAt);
      expect(endToEnd).toBeLessThan(10_000);
      // And by construction: the dependant was queued in the very transaction that enqueued the
      // notifications (one timeline instant), so no delivery can stand between the two.
      const queued = events.find((e) => e.kind === 'job.queued' && e.job === 'second');
      const enqueued = events.filter((e) => e.kind === 'notification.enqueued' && e.job === 'first');
      expect(enqueued).toHaveLength(5);
      for (const e of enqueued) expect(e.at).toBe(queued.at);
      // The retry timer is the worker's: it fires on time while every delivery slot hangs.
      const failedAt = Date.parse(events.find((e) => e.kind === 'attempt.ended' && e.job === 'third' && e.attempt === 1).at);
      const retriedAt = Date.parse(events.find((e) => e.kind === 'attempt.claimed' && e.job === 'third' && e.attempt === 2).at);
      expect(retriedAt - failedAt).toBeGreaterThanOrEqual(300);
      expect(retriedAt - failedAt).toBeLessThan(10_000);
      // The run is over while the receivers still hang: every delivery slot (4) holds one, the
      // fifth waits its turn, none has given up yet (60 s).
      let pending = await deliveries(run.id);
      expect(pending).toHaveLength(5);
      expect(pending.every((d) => d.state === 'pending' && d.lastError === null)).toBe(true);
      await c.waitFor(async () => (pending = await deliveries(run.id)).filter((d) => d.delivering).length === 4, 10_000, 'four sends in flight');
      await new Promise((r) => setTimeout(r, 500));
      pending = await deliveries(run.id);
      expect(pending.filter((d) => d.delivering)).toHaveLength(4); // COURSE_OUTBOX_CONCURRENCY, no more
      expect(hooks.received.filter((r) => r.path.startsWith('/hang/'))).toHaveLength(4);
      console.log(`[${provider}] with 5 hanging webhooks: first's end → second's claim ${handOff} ms, exit → spawn ${endToEnd} ms, retry after ${retriedAt - failedAt} ms (delay 300 ms)`);
    });
  });
}
