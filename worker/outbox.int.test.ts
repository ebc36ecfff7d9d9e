// The outbox delivery loop in-process against a real database (SQLite and PostgreSQL): two loops
// (two workers) never send the same delivery at once, in-flight sends stay within the bound, a
// silent receiver costs one slot for its timeout, a crashed worker's claim comes back after its
// lease, and a stop hands in-flight deliveries back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../lib/server/db/client';
import { claimDue, readNotifySettings, type NotifySettings } from '../lib/server/notify';
import { LEASE_MARGIN_MS } from '../lib/server/notify/outbox';
import { WebhookReceiver } from '../lib/server/notify/test-servers';
import { freshDatabaseUrl, type TestProvider } from '../lib/server/testing/postgres';
import { startOutbox, type Outbox } from './outbox';

async function makeRun(db: Database): Promise<number> {
  const p = db.prisma;
  const g = await p.group.upsert({ where: { name: 'default' }, create: { name: 'default' }, update: {} });
  const name = `wf-${Math.random().toString(36).slice(2)}`;
  const wf = await p.workflow.create({ data: { name, groupId: g.id, currentVersion: 1 } });
  const v = await p.workflowVersion.create({ data: { workflowId: wf.id, version: 1, definition: JSON.stringify({ name, jobs: {} }) } });
  const run = await p.run.create({ data: { workflowId: wf.id, versionId: v.id, state: 'success', trigger: 'manual', nominalTime: new Date() } });
  return run.id;
}

async function enqueue(db: Database, runId: number, urls: string[], opts: { timeoutMs?: number } = {}): Promise<void> {
  const now = new Date();
  await db.prisma.notification.createMany({
    data: urls.map((url, i) => ({
      eventId: `evt-${runId}-${i}`,
      event: 'run.success',
      runId,
      channel: 'webhook',
      target: url,
      targetKey: `${runId}-${i}`,
      timeoutMs: opts.timeoutMs ?? null,
      payload: JSON.stringify({ i }),
      nextAttemptAt: now,
      createdAt: now,
    })),
  });
}

const states = async (db: Database, runId: number) => db.prisma.notification.findMany({ where: { runId }, orderBy: { id: 'asc' } });

async function waitFor(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

for (const provider of ['sqlite', 'postgresql'] as TestProvider[]) {
  describe(`outbox loop on ${provider}`, () => {
    let url: string;
    let db1: Database;
    let db2: Database;
    let hooks: WebhookReceiver;
    const settings: NotifySettings = { ...readNotifySettings({ COURSE_OUTBOX_BACKOFF: '100ms,100ms/5s', COURSE_OUTBOX_CONCURRENCY: '3' }) };
    const loops: Outbox[] = [];
    const quiet = () => undefined;

    beforeAll(async () => {
      url = await freshDatabaseUrl(provider);
      db1 = await openDatabase(url);
      db2 = await openDatabase(url);
      hooks = await new WebhookReceiver().start();
    });
    afterAll(async () => {
      for (const l of loops) await l.stop(0);
      await hooks?.stop();
      await db1?.close();
      await db2?.close();
    });

    it('two workers deliver 30 deliveries, each sent once, never more than the bound in flight', async () => {
      let inFlight = 0;
      let peak = 0;
      hooks.answer('/many', () => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        setTimeout(() => inFlight--, 80);
        return { status: 200, delayMs: 80 };
      });
      const runId = await makeRun(db1);
      await enqueue(db1, runId, Array.from({ length: 30 }, () => hooks.url('/many')));
      const a = startOutbox({ db: db1, config: { pollMs: 100 }, settings, log: quiet });
      const b = startOutbox({ db: db2, config: { pollMs: 100 }, settings, log: quiet });
      loops.push(a, b);
      let maxA = 0;
      let maxB = 0;
      await waitFor(async () => {
        maxA = Math.max(maxA, a.inFlight());
        maxB = Math.max(maxB, b.inFlight());
        return (await states(db1, runId)).every((d) => d.state === 'delivered');
      }, 30_000, 'all delivered');
      await a.stop();
      await b.stop();
      const seen = hooks.at('/many').map((r) => r.headers['idempotency-key']);
      expect(seen).toHaveLength(30);
      expect(new Set(seen).size).toBe(30);
      expect(maxA).toBeLessThanOrEqual(3);
      expect(maxB).toBeLessThanOrEqual(3);
      expect(peak).toBeLessThanOrEqual(6);
      for (const d of await states(db1, runId)) expect(d.attempts).toBe(1);
    });

    it('a silent receiver: the send gives up at its timeout and is retried; the others go through meanwhile', async () => {
      hooks.answer('/silent', () => 'hang');
      const runId = await makeRun(db1);
      await enqueue(db1, runId, [hooks.url('/silent'), hooks.url('/fine-1'), hooks.url('/fine-2')], { timeoutMs: 300 });
      const loop = startOutbox({ db: db1, config: { pollMs: 100 }, settings: { ...settings, concurrency: 2 }, log: quiet });
      loops.push(loop);
      await waitFor(async () => hooks.at('/fine-1').length + hooks.at('/fine-2').length === 2, 5000, 'the others');
      await waitFor(async () => (await states(db1, runId))[0].attempts >= 2, 5000, 'a retry of the silent one');
      const [silent] = await states(db1, runId);
      expect(silent.lastError).toBe('no answer within 300 ms (the webhook\'s timeout)');
      await loop.stop(0);
      await db1.prisma.notification.deleteMany({ where: { runId } });
    });

    it("a crashed worker's claim comes back once its lease lapses; a stop hands in-flight sends back at once", async () => {
      const runId = await makeRun(db1);
      await enqueue(db1, runId, [hooks.url('/after-crash')], { timeoutMs: 500 });
      // A worker claims and dies without a word.
      const claimed = await claimDue(db2, Date.now(), 10, settings);
      expect(claimed.map((d) => d.runId)).toEqual([runId]);
      const lease = (await states(db1, runId))[0].nextAttemptAt.getTime() - Date.now();
      expect(lease).toBeGreaterThan(500);
      expect(lease).toBeLessThanOrEqual(500 + LEASE_MARGIN_MS);
      // Another worker, whose clock is past the lease, takes it over; the dead one can no longer record.
      const loop = startOutbox({ db: db1, config: { pollMs: 100 }, settings, now: () => Date.now() + 500 + LEASE_MARGIN_MS + 100, log: quiet });
      loops.push(loop);
      await waitFor(async () => (await states(db1, runId))[0].state === 'delivered', 5000, 'the takeover');
      await loop.stop();
      expect((await states(db1, runId))[0].attempts).toBe(2);

      hooks.answer('/stuck', () => ({ status: 200, delayMs: 3000 }));
      const run2 = await makeRun(db1);
      await enqueue(db1, run2, [hooks.url('/stuck')], { timeoutMs: 5000 });
      const stopping = startOutbox({ db: db1, config: { pollMs: 100 }, settings, log: quiet });
      loops.push(stopping);
      await waitFor(async () => hooks.at('/stuck').length === 1, 5000, 'the send to start');
      const t0 = Date.now();
      await stopping.stop(200);
      expect(Date.now() - t0).toBeLessThan(2000);
      const [d] = await states(db1, run2);
      expect(d).toMatchObject({ state: 'pending', claimToken: null, lastError: 'interrupted: the worker stopped during the delivery' });
      expect(d.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now());
      const events = await db1.prisma.runEvent.findMany({ where: { runId: run2 } });
      expect(events.map((e) => e.kind)).toEqual(['notification.interrupted']);
    });
  });
}
