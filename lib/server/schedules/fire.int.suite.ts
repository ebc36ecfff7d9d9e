// The schedule-firing integration suite (fire.ts against a real database), shared by
// fire.sqlite.int.test.ts and fire.postgresql.int.test.ts. One file per provider on purpose:
// spec-cache.ts caches compiled definitions per process by WorkflowVersion id, and two fresh
// databases in one process both number their versions from 1, so a process must see only one.
//
// Every clock reading is an argument (no sleeping): a "pass" is one fireDueSchedules transaction
// at a given `now`, as the worker runs it. Unless a test is about overlap, schedules use
// `overlap: allow`, so that a duplicate fire could not hide behind `skip`.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../auth';
import { ensureAdmin } from '../bootstrap';
import { openDatabase, type Database, type Tx } from '../db/client';
import { applyEvent, requestCancel, silentNudger, transact } from '../runs';
import { freshDatabaseUrl, type TestProvider } from '../testing/postgres';
import { saveWorkflow } from '../workflows';
import { fireDueSchedules, nextScheduleAt, startPendingRuns, type FireOutcome } from './fire';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** What the worker passes with COURSE_POLL_MS=1000: pollMs * 2 + 1000. */
const GRACE = 3000;
const t = (iso: string) => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`bad date ${iso}`);
  return ms;
};
const iso = (ms: number) => new Date(ms).toISOString();

const formats = new Map<string, Intl.DateTimeFormat>();
/** "YYYY-MM-DD HH:MM": `ms` on the wall clock of `timeZone`. */
function wall(ms: number, timeZone: string): string {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formats.set(timeZone, format);
  }
  const parts = Object.fromEntries(
    format
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

/**
 * The instants in [fromMs, toMs) at which `timeZone`'s wall clock jumps over its local midnight
 * (a day that has no 00:00), found with Intl to the minute: each is the first instant of its day.
 */
function skippedMidnights(timeZone: string, fromMs: number, toMs: number): number[] {
  const out: number[] = [];
  const step = 15 * MIN;
  for (let a = fromMs; a < toMs; a += step) {
    const [da, db] = [wall(a, timeZone), wall(a + step, timeZone)];
    if (da.slice(0, 10) === db.slice(0, 10) || db.endsWith(' 00:00')) continue;
    // The local date changed within (a, a + step] without showing 00:00 at the sample: find the
    // first minute of the new day; it is a skipped midnight if that minute is not 00:00.
    let m = a + MIN;
    while (wall(m, timeZone).slice(0, 10) === da.slice(0, 10)) m += MIN;
    if (!wall(m, timeZone).endsWith(' 00:00')) out.push(m);
  }
  return out;
}

export function scheduleSuite(provider: TestProvider): void {
  describe(`schedules fire (${provider})`, () => {
    let url: string;
    let db: Database;
    let db2: Database;
    let admin: Principal;

    beforeAll(async () => {
      url = await freshDatabaseUrl(provider);
      db = await openDatabase(url);
      db2 = await openDatabase(url);
      await ensureAdmin(db, { password: 'pw-for-tests' });
      const user = await db.prisma.user.findUniqueOrThrow({ where: { username: 'admin' } });
      admin = { userId: user.id, username: 'admin', isSiteAdmin: true, via: 'token', tokenId: 0 };
    });
    afterAll(async () => {
      await db?.close();
      await db2?.close();
    });
    // A pass fires every due schedule in the database: each test starts with none.
    beforeEach(async () => {
      await db.prisma.workflow.deleteMany({});
    });

    type Schedule = { cron: string; timezone?: string; catchup?: string; catchupLimit?: number; overlap?: string; enabled?: boolean };
    async function save(name: string, schedule: Schedule, now: number, extra: Record<string, unknown> = {}) {
      return saveWorkflow(db, admin, name, { schedule: { overlap: 'allow', ...schedule }, jobs: { j: { command: 'true' } }, ...extra }, now);
    }
    async function pass(now: number, handle: Database = db, wrap: (tx: Tx) => Tx = (tx) => tx): Promise<FireOutcome[]> {
      return transact(handle, silentNudger, (tx, post) => fireDueSchedules(wrap(tx), now, GRACE, post));
    }
    /** Passes every `stepMs` from `fromMs` to `toMs` inclusive. */
    async function passes(fromMs: number, toMs: number, stepMs: number): Promise<void> {
      for (let now = fromMs; now <= toMs; now += stepMs) await pass(now);
    }
    async function runsOf(name: string) {
      return db.prisma.run.findMany({
        where: { workflow: { name } },
        orderBy: { id: 'asc' },
        select: { id: true, state: true, trigger: true, scheduledFor: true, nominalTime: true, createdAt: true },
      });
    }
    /** The nominal times fired for `name`, in the order the runs were made. */
    async function fired(name: string): Promise<string[]> {
      return (await runsOf(name)).map((r) => (r.scheduledFor ? iso(r.scheduledFor.getTime()) : 'none'));
    }
    async function scheduleRow(name: string) {
      return db.prisma.schedule.findFirstOrThrow({ where: { workflow: { name } } });
    }
    const nextAt = () => db.prisma.$transaction((tx) => nextScheduleAt(tx));

    it('fires at the next fire time exactly once, however often and late the passes come', async () => {
      await save('hourly', { cron: '0 * * * *' }, t('2026-05-01T10:00:30Z'));
      expect(iso((await scheduleRow('hourly')).nextFireAt!.getTime())).toBe('2026-05-01T11:00:00.000Z');
      expect(await nextAt()).toBe(t('2026-05-01T11:00:00Z'));

      await pass(t('2026-05-01T10:59:59.999Z'));
      expect(await fired('hourly')).toEqual([]);

      const first = await pass(t('2026-05-01T11:00:00Z'));
      expect(first).toEqual([{ workflow: 'hourly', fired: [t('2026-05-01T11:00:00Z')], skipped: [] }]);
      for (let i = 0; i < 5; i++) await pass(t('2026-05-01T11:00:00Z'));
      for (const s of ['11:00:00.001', '11:00:01', '11:30:00', '11:59:59.999']) await pass(t(`2026-05-01T${s}Z`));
      const runs = await runsOf('hourly');
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({ trigger: 'schedule', state: 'executing' });
      expect(runs[0].scheduledFor!.getTime()).toBe(t('2026-05-01T11:00:00Z'));
      expect(runs[0].nominalTime.getTime()).toBe(t('2026-05-01T11:00:00Z'));
      expect(runs[0].createdAt.getTime()).toBe(t('2026-05-01T11:00:00Z'));
      expect(await nextAt()).toBe(t('2026-05-01T12:00:00Z'));

      await pass(t('2026-05-01T12:00:02Z'));
      await pass(t('2026-05-01T12:00:02Z'));
      expect(await fired('hourly')).toEqual(['2026-05-01T11:00:00.000Z', '2026-05-01T12:00:00.000Z']);
    });

    it('two passes racing on two connections make one run per tick', async () => {
      await save('raced', { cron: '*/5 * * * *' }, t('2026-05-02T00:00:30Z'));
      await save('raced-too', { cron: '*/5 * * * *', catchup: 'all' }, t('2026-05-02T00:00:30Z'));
      // PostgreSQL: hold each transaction after it has read the due schedules until the other has
      // read them too, so both plan the same tick before either writes. (SQLite: the write lock
      // taken at BEGIN serializes them; a barrier there would only wait for its timeout.)
      const ticks: number[] = [];
      for (let round = 1; round <= 4; round++) {
        const now = t('2026-05-02T00:00:00Z') + round * 5 * MIN;
        ticks.push(now);
        const meet = barrier(2, provider === 'postgresql' ? 5000 : 0);
        const wrap = (tx: Tx) => holdAfterDueRead(tx, meet);
        const results = await Promise.allSettled([pass(now, db, wrap), pass(now, db2, wrap)]);
        expect(results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'ok'))).toEqual(['ok', 'ok']);
        if (provider === 'postgresql') expect(meet.met()).toBe(true);
        const firedNow = results.flatMap((r) => (r.status === 'fulfilled' ? r.value.flatMap((o) => o.fired) : []));
        expect(firedNow).toEqual([now, now]); // one per workflow, from whichever pass won
      }
      expect(await fired('raced')).toEqual(ticks.map(iso));
      expect(await fired('raced-too')).toEqual(ticks.map(iso));
    });

    it('a new schedule counts from its save: no runs for earlier times, whatever the catch-up', async () => {
      const saved = t('2026-05-03T10:10:00Z'); // exactly on a fire time: that one is earlier too
      await save('since-save-all', { cron: '*/10 * * * *', catchup: 'all' }, saved);
      await save('since-save-latest', { cron: '*/10 * * * *', catchup: 'latest' }, saved);
      expect((await scheduleRow('since-save-all')).countFrom.getTime()).toBe(saved);
      await pass(saved);
      await pass(saved + 1000);
      expect(await fired('since-save-all')).toEqual([]);
      expect(await fired('since-save-latest')).toEqual([]);
      await pass(t('2026-05-03T10:35:00Z'));
      expect(await fired('since-save-all')).toEqual(['2026-05-03T10:20:00.000Z', '2026-05-03T10:30:00.000Z']);
      expect(await fired('since-save-latest')).toEqual(['2026-05-03T10:30:00.000Z']);
    });

    it('downtime across several fire times: none fires no missed run, latest the most recent, all each in order up to catchupLimit', async () => {
      const saved = t('2026-05-04T00:30:00Z');
      await save('down-none', { cron: '0 * * * *', catchup: 'none' }, saved);
      await save('down-latest', { cron: '0 * * * *', catchup: 'latest' }, saved);
      await save('down-all', { cron: '0 * * * *', catchup: 'all' }, saved);
      await save('down-all-3', { cron: '0 * * * *', catchup: 'all', catchupLimit: 3 }, saved);
      await pass(t('2026-05-04T01:00:01Z')); // on time: every policy fires it
      for (const w of ['down-none', 'down-latest', 'down-all', 'down-all-3']) expect(await fired(w)).toEqual(['2026-05-04T01:00:00.000Z']);

      // Down from 01:00:01 to 05:20: 02:00 … 05:00 were missed.
      await pass(t('2026-05-04T05:20:00Z'));
      await pass(t('2026-05-04T05:20:01Z'));
      await pass(t('2026-05-04T05:59:59Z'));
      expect(await fired('down-none')).toEqual(['2026-05-04T01:00:00.000Z']);
      expect(await fired('down-latest')).toEqual(['2026-05-04T01:00:00.000Z', '2026-05-04T05:00:00.000Z']);
      expect(await fired('down-all')).toEqual(['01', '02', '03', '04', '05'].map((h) => `2026-05-04T${h}:00:00.000Z`));
      expect(await fired('down-all-3')).toEqual(['01', '03', '04', '05'].map((h) => `2026-05-04T${h}:00:00.000Z`));
      for (const w of ['down-none', 'down-latest', 'down-all', 'down-all-3']) {
        expect(iso((await scheduleRow(w)).nextFireAt!.getTime())).toBe('2026-05-04T06:00:00.000Z');
      }

      // Then every policy is back to one run per tick.
      await pass(t('2026-05-04T06:00:02Z'));
      expect((await fired('down-none')).slice(1)).toEqual(['2026-05-04T06:00:00.000Z']);
      expect((await fired('down-latest')).slice(2)).toEqual(['2026-05-04T06:00:00.000Z']);
      expect((await fired('down-all')).slice(5)).toEqual(['2026-05-04T06:00:00.000Z']);
      // none: a tick found later than the grace is missed too, even when it is the only one.
      await pass(t('2026-05-04T07:00:00Z') + GRACE + 1);
      expect(await fired('down-none')).toEqual(['2026-05-04T01:00:00.000Z', '2026-05-04T06:00:00.000Z']);
      expect((await fired('down-latest')).slice(-1)).toEqual(['2026-05-04T07:00:00.000Z']);
    });

    it('a first pass long after the save: all is capped to the most recent catchupLimit, none fires nothing', async () => {
      await save('late-all', { cron: '*/15 * * * *', catchup: 'all', catchupLimit: 4 }, t('2026-05-05T00:00:00Z'));
      await save('late-none', { cron: '*/15 * * * *', catchup: 'none' }, t('2026-05-05T00:00:00Z'));
      await pass(t('2026-05-05T12:07:00Z')); // 48 ticks missed
      expect(await fired('late-all')).toEqual(['11:15', '11:30', '11:45', '12:00'].map((h) => `2026-05-05T${h}:00.000Z`));
      expect(await fired('late-none')).toEqual([]);
      await pass(t('2026-05-05T12:15:00Z'));
      expect((await fired('late-none'))).toEqual(['2026-05-05T12:15:00.000Z']);
    });

    it('a clock stepped forward 5 hours is downtime: no burst beyond the catch-up policy', async () => {
      const saved = t('2026-05-06T08:50:00Z');
      const policies = { 'fwd-none': { catchup: 'none' }, 'fwd-latest': { catchup: 'latest' }, 'fwd-all': { catchup: 'all', catchupLimit: 4 } };
      for (const [name, p] of Object.entries(policies)) await save(name, { cron: '*/15 * * * *', ...p }, saved);
      await passes(t('2026-05-06T09:00:00Z'), t('2026-05-06T09:30:00Z'), MIN); // fires 09:00, 09:15, 09:30
      const before = ['09:00', '09:15', '09:30'].map((h) => `2026-05-06T${h}:00.000Z`);
      for (const name of Object.keys(policies)) expect(await fired(name)).toEqual(before);

      // The wall clock jumps from 09:30 to 14:30:01, then time goes on normally.
      await passes(t('2026-05-06T14:30:01Z'), t('2026-05-06T14:59:01Z'), MIN);
      const after = (name: string) => fired(name).then((f) => f.slice(before.length));
      expect(await after('fwd-none')).toEqual(['2026-05-06T14:30:00.000Z', '2026-05-06T14:45:00.000Z']);
      expect(await after('fwd-latest')).toEqual(['2026-05-06T14:30:00.000Z', '2026-05-06T14:45:00.000Z']);
      expect(await after('fwd-all')).toEqual(['13:45', '14:00', '14:15', '14:30', '14:45'].map((h) => `2026-05-06T${h}:00.000Z`));
    });

    it('a clock stepped back keeps firing at the next matching minute and never fires a nominal time twice', async () => {
      await save('back', { cron: '0 * * * *' }, t('2026-05-07T00:00:30Z'));
      await save('back-all', { cron: '0 * * * *', catchup: 'all', catchupLimit: 2 }, t('2026-05-07T00:00:30Z'));
      await pass(t('2026-05-07T01:00:01Z'));
      await pass(t('2026-05-07T12:00:01Z')); // after downtime: latest fires 12:00 only; all 11:00 and 12:00
      expect(await fired('back')).toEqual(['2026-05-07T01:00:00.000Z', '2026-05-07T12:00:00.000Z']);
      expect(await fired('back-all')).toEqual(['01', '11', '12'].map((h) => `2026-05-07T${h}:00:00.000Z`));

      // The wall clock is set back 3 hours, to 09:00:01.
      await pass(t('2026-05-07T09:00:01Z'));
      expect(await nextAt()).toBe(t('2026-05-07T10:00:00Z')); // not 13:00: the schedule is not silenced
      expect(await fired('back')).toHaveLength(2);
      await pass(t('2026-05-07T09:59:59Z'));
      expect(await fired('back')).toHaveLength(2);

      const outcomes: FireOutcome[] = [];
      for (const h of ['10', '11', '12', '13']) outcomes.push(...(await pass(t(`2026-05-07T${h}:00:01Z`))));
      await pass(t('2026-05-07T13:30:00Z'));
      expect(await fired('back')).toEqual(['01', '12', '10', '11', '13'].map((h) => `2026-05-07T${h}:00:00.000Z`));
      expect(await fired('back-all')).toEqual(['01', '11', '12', '10', '13'].map((h) => `2026-05-07T${h}:00:00.000Z`));
      // The second 12:00 (and, for back-all, 11:00) came round and was passed over, not refused by the database mid-pass.
      const skippedAt = (w: string) => outcomes.filter((o) => o.workflow === w).flatMap((o) => o.skipped.map((s) => iso(s.at)));
      expect(skippedAt('back')).toEqual(['2026-05-07T12:00:00.000Z']);
      expect(skippedAt('back-all')).toEqual(['2026-05-07T11:00:00.000Z', '2026-05-07T12:00:00.000Z']);
      expect(await nextAt()).toBe(t('2026-05-07T14:00:00Z'));
    });

    it('a clock stepped back to just before a tick already fired waits for the following one', async () => {
      await save('back-short', { cron: '*/30 * * * *', overlap: 'allow' }, t('2026-05-08T00:00:30Z'));
      await pass(t('2026-05-08T00:30:00Z'));
      await pass(t('2026-05-08T00:29:00Z')); // stepped back a minute
      await passes(t('2026-05-08T00:29:30Z'), t('2026-05-08T01:00:30Z'), 30_000);
      expect(await fired('back-short')).toEqual(['2026-05-08T00:30:00.000Z', '2026-05-08T01:00:00.000Z']);
    });

    it('overlap skip: a tick while a run is still executing is skipped, not fired later', async () => {
      await save('ov-skip', { cron: '0 * * * *', overlap: 'skip' }, t('2026-05-09T00:30:00Z'));
      await pass(t('2026-05-09T01:00:01Z'));
      const [first] = await runsOf('ov-skip');
      expect(first.state).toBe('executing');
      const skippedPass = await pass(t('2026-05-09T02:00:01Z'));
      expect(skippedPass[0].fired).toEqual([]);
      expect(skippedPass[0].skipped).toEqual([{ at: t('2026-05-09T02:00:00Z'), why: expect.stringContaining(`run ${first.id} still executing`) }]);
      await transact(db, silentNudger, (tx, post) => requestCancel(tx, first.id, 'admin', t('2026-05-09T02:10:00Z'), post));
      await pass(t('2026-05-09T02:30:00Z'));
      expect(await fired('ov-skip')).toEqual(['2026-05-09T01:00:00.000Z']);
      await pass(t('2026-05-09T03:00:01Z'));
      expect(await fired('ov-skip')).toEqual(['2026-05-09T01:00:00.000Z', '2026-05-09T03:00:00.000Z']);
      expect((await runsOf('ov-skip')).map((r) => r.state)).toEqual(['cancelled', 'executing']);
    });

    it('overlap allow: runs overlap', async () => {
      await save('ov-allow', { cron: '0 * * * *', overlap: 'allow' }, t('2026-05-10T00:30:00Z'));
      await pass(t('2026-05-10T01:00:01Z'));
      await pass(t('2026-05-10T02:00:01Z'));
      expect((await runsOf('ov-allow')).map((r) => r.state)).toEqual(['executing', 'executing']);
    });

    it('overlap queue: one pending run, further ticks dropped, started once the executing run ends', async () => {
      await save('ov-queue', { cron: '0 * * * *', overlap: 'queue' }, t('2026-05-11T00:30:00Z'));
      const startPending = (now: number) => transact(db, silentNudger, (tx, post) => startPendingRuns(tx, now, post));
      await pass(t('2026-05-11T01:00:01Z'));
      await pass(t('2026-05-11T02:00:01Z'));
      const [a, b] = await runsOf('ov-queue');
      expect([a.state, b.state]).toEqual(['executing', 'new']);
      const third = await pass(t('2026-05-11T03:00:01Z'));
      expect(third[0].skipped).toEqual([{ at: t('2026-05-11T03:00:00Z'), why: expect.stringContaining('pending') }]);
      expect(await startPending(t('2026-05-11T03:10:00Z'))).toBe(0);
      expect((await runsOf('ov-queue')).map((r) => r.state)).toEqual(['executing', 'new']);

      // The executing run ends: its one job is claimed and succeeds.
      for (const event of [{ type: 'attempt-started', job: 'j' }, { type: 'attempt-succeeded', job: 'j' }] as const) {
        const r = await transact(db, silentNudger, (tx, post) => applyEvent(tx, a.id, event, t('2026-05-11T03:20:00Z'), post));
        expect(r.ok).toBe(true);
      }
      expect(await startPending(t('2026-05-11T03:30:00Z'))).toBe(1);
      expect(await startPending(t('2026-05-11T03:31:00Z'))).toBe(0);
      const runs = await runsOf('ov-queue');
      expect(runs.map((r) => r.state)).toEqual(['success', 'executing']);
      expect(runs.map((r) => iso(r.scheduledFor!.getTime()))).toEqual(['2026-05-11T01:00:00.000Z', '2026-05-11T02:00:00.000Z']);
      const started = await db.prisma.run.findUniqueOrThrow({ where: { id: b.id }, select: { startedAt: true } });
      expect(started.startedAt!.getTime()).toBe(t('2026-05-11T03:30:00Z'));

      // And the queue keeps at most one pending again.
      await pass(t('2026-05-11T04:00:01Z'));
      await pass(t('2026-05-11T05:00:01Z'));
      expect((await runsOf('ov-queue')).map((r) => r.state)).toEqual(['success', 'executing', 'new']);
    });

    it('DST spring-forward: a time in the gap fires once, at the instant after it; others once as usual', async () => {
      // The real gaps, from Intl. Europe/London skips 01:00-01:59 (not 02:xx: its 30 2 * * * is
      // never in a gap); Europe/Berlin skips 02:00-02:59. Both on 29 March 2026 at 01:00 UTC.
      expect([wall(t('2026-03-29T00:59:00Z'), 'Europe/London'), wall(t('2026-03-29T01:00:00Z'), 'Europe/London')]).toEqual(['2026-03-29 00:59', '2026-03-29 02:00']);
      expect([wall(t('2026-03-29T00:59:00Z'), 'Europe/Berlin'), wall(t('2026-03-29T01:00:00Z'), 'Europe/Berlin')]).toEqual(['2026-03-29 01:59', '2026-03-29 03:00']);

      const saved = t('2026-03-27T12:00:00Z');
      await save('london-2-30', { cron: '30 2 * * *', timezone: 'Europe/London' }, saved);
      await save('london-1-30', { cron: '30 1 * * *', timezone: 'Europe/London' }, saved);
      await save('berlin-2-30', { cron: '30 2 * * *', timezone: 'Europe/Berlin' }, saved);
      await passes(saved, t('2026-03-30T12:00:00Z'), 10 * MIN);
      const local = async (name: string, zone: string) => (await fired(name)).map((s) => wall(t(s), zone));
      expect(await fired('london-2-30')).toEqual(['2026-03-28T02:30:00.000Z', '2026-03-29T01:30:00.000Z', '2026-03-30T01:30:00.000Z']);
      expect(await local('london-2-30', 'Europe/London')).toEqual(['2026-03-28 02:30', '2026-03-29 02:30', '2026-03-30 02:30']);
      expect(await fired('london-1-30')).toEqual(['2026-03-28T01:30:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-30T00:30:00.000Z']);
      expect(await local('london-1-30', 'Europe/London')).toEqual(['2026-03-28 01:30', '2026-03-29 02:00', '2026-03-30 01:30']);
      expect(await fired('berlin-2-30')).toEqual(['2026-03-28T01:30:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-30T00:30:00.000Z']);
      expect(await local('berlin-2-30', 'Europe/Berlin')).toEqual(['2026-03-28 02:30', '2026-03-29 03:00', '2026-03-30 02:30']);
    });

    it('DST fall-back: a time in the repeated hour fires once, on the first pass; others once as usual', async () => {
      // Europe/London repeats 01:00-01:59 on 25 October 2026, Europe/Berlin 02:00-02:59.
      expect([wall(t('2026-10-25T00:30:00Z'), 'Europe/London'), wall(t('2026-10-25T01:30:00Z'), 'Europe/London')]).toEqual(['2026-10-25 01:30', '2026-10-25 01:30']);
      expect([wall(t('2026-10-25T00:30:00Z'), 'Europe/Berlin'), wall(t('2026-10-25T01:30:00Z'), 'Europe/Berlin')]).toEqual(['2026-10-25 02:30', '2026-10-25 02:30']);

      const saved = t('2026-10-23T12:00:00Z');
      await save('london-2-30', { cron: '30 2 * * *', timezone: 'Europe/London' }, saved);
      await save('london-1-30', { cron: '30 1 * * *', timezone: 'Europe/London' }, saved);
      await save('berlin-2-30', { cron: '30 2 * * *', timezone: 'Europe/Berlin' }, saved);
      await passes(saved, t('2026-10-26T12:00:00Z'), 10 * MIN);
      expect(await fired('london-2-30')).toEqual(['2026-10-24T01:30:00.000Z', '2026-10-25T02:30:00.000Z', '2026-10-26T02:30:00.000Z']);
      expect(await fired('london-1-30')).toEqual(['2026-10-24T00:30:00.000Z', '2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']);
      expect(await fired('berlin-2-30')).toEqual(['2026-10-24T00:30:00.000Z', '2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']);
    });

    it('DST, midnight skipped: 0 0 * * * fires every day, at 01:00 on the day without a midnight', async () => {
      for (const [zone, from] of [
        ['America/Santiago', '2026-09-04T12:00:00Z'],
        ['America/Havana', '2026-03-06T12:00:00Z'],
      ] as const) {
        const start = t(from);
        const end = start + 4 * DAY;
        const gaps = skippedMidnights(zone, start, end);
        expect(gaps, `${zone} skips one midnight in ${from} + 4 days`).toHaveLength(1);
        expect(wall(gaps[0], zone).slice(11)).toBe('01:00');
        const name = `midnight-${zone.split('/')[1]}`;
        await save(name, { cron: '0 0 * * *', timezone: zone }, start);
        await passes(start, end, 10 * MIN);
        const got = await fired(name);
        expect(got.map((s) => wall(t(s), zone))).toEqual(
          [1, 2, 3, 4].map((d) => {
            const day = wall(start + d * DAY, zone).slice(0, 10);
            return `${day} ${day === wall(gaps[0], zone).slice(0, 10) ? '01:00' : '00:00'}`;
          }),
        );
        expect(got).toContain(iso(gaps[0]));
      }
    });

    it('a disabled schedule never fires; enabling it again counts from that save', async () => {
      const wf = (enabled: boolean) => ({ cron: '0 * * * *', catchup: 'all', enabled });
      await save('off-from-start', wf(false), t('2026-05-12T00:30:00Z'));
      expect((await scheduleRow('off-from-start')).nextFireAt).toBeNull();
      await save('switched', wf(true), t('2026-05-12T00:30:00Z'));
      await pass(t('2026-05-12T01:00:01Z'));
      await save('switched', wf(false), t('2026-05-12T01:30:00Z'));
      await passes(t('2026-05-12T02:00:01Z'), t('2026-05-12T05:00:01Z'), 30 * MIN);
      expect(await fired('off-from-start')).toEqual([]);
      expect(await fired('switched')).toEqual(['2026-05-12T01:00:00.000Z']);
      expect(await nextAt()).toBeNull();

      // Enabled again at 05:20 with catchup: all: nothing for 02:00 … 05:00, then on as usual.
      await save('off-from-start', wf(true), t('2026-05-12T05:20:00Z'));
      await save('switched', wf(true), t('2026-05-12T05:20:00Z'));
      expect((await scheduleRow('switched')).countFrom.getTime()).toBe(t('2026-05-12T05:20:00Z'));
      await pass(t('2026-05-12T05:20:01Z'));
      await pass(t('2026-05-12T05:59:00Z'));
      expect(await fired('off-from-start')).toEqual([]);
      expect(await fired('switched')).toEqual(['2026-05-12T01:00:00.000Z']);
      await pass(t('2026-05-12T06:00:01Z'));
      expect(await fired('off-from-start')).toEqual(['2026-05-12T06:00:00.000Z']);
      expect(await fired('switched')).toEqual(['2026-05-12T01:00:00.000Z', '2026-05-12T06:00:00.000Z']);
    });
  });
}

interface Barrier {
  arrive(): Promise<void>;
  met(): boolean;
}

/** Resolves arrivals once `n` have arrived, or each after `timeoutMs` (0: at once). */
function barrier(n: number, timeoutMs: number): Barrier {
  let arrived = 0;
  let release!: () => void;
  const all = new Promise<void>((r) => (release = r));
  return {
    async arrive() {
      if (++arrived >= n) release();
      if (timeoutMs === 0) return;
      await Promise.race([all, new Promise<void>((r) => setTimeout(r, timeoutMs))]);
    },
    met: () => arrived >= n,
  };
}

/** `tx` whose read of the due schedules (the findMany filtering on nextFireAt) waits at `meet` the first time. */
function holdAfterDueRead(tx: Tx, meet: Barrier): Tx {
  let held = false;
  const schedule = new Proxy(tx.schedule, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (prop !== 'findMany') return value;
      return async (args: { where?: { nextFireAt?: unknown } }) => {
        const rows = await (value as (a: unknown) => Promise<unknown>).call(target, args);
        if (!held && args?.where?.nextFireAt !== undefined) {
          held = true;
          await meet.arrive();
        }
        return rows;
      };
    },
  });
  return new Proxy(tx, { get: (target, prop, receiver) => (prop === 'schedule' ? schedule : Reflect.get(target, prop, receiver)) });
}
