// One pass of the worker's duties (DESIGN.md, "Processes"): fire due schedules, start runs that
// waited for overlap, fire due retries and run timeouts, expire executor leases. Each duty is its
// own short transaction, so one slow duty never holds the write lock for the others.
import type { Config } from '../lib/server/config';
import type { Database } from '../lib/server/db/client';
import { enqueueLongRunning } from '../lib/server/notify';
import { expireLeases, fireDueRetries, fireRunTimeouts, nextTimerAt, transact, type Nudger } from '../lib/server/runs';
import { fireDueSchedules, nextScheduleAt, startPendingRuns } from '../lib/server/schedules/fire';

export interface PassResult {
  fired: number;
  retries: number;
  timeouts: number;
  lost: number;
  started: number;
  /** The earliest deadline known after the pass (ms), or null. */
  nextAt: number | null;
}

export async function supervisePass(db: Database, config: Config, nudger: Nudger, now: () => number): Promise<PassResult> {
  const outcomes = await transact(db, nudger, (tx, post) => fireDueSchedules(tx, now(), config.pollMs * 2 + 1000, post));
  for (const o of outcomes) {
    for (const s of o.skipped) console.log(`worker: ${o.workflow} at ${new Date(s.at).toISOString()} not fired: ${s.why}`);
  }
  const started = await transact(db, nudger, (tx, post) => startPendingRuns(tx, now(), post));
  const retries = await transact(db, nudger, (tx, post) => fireDueRetries(tx, now(), post));
  const timeouts = await transact(db, nudger, (tx, post) => fireRunTimeouts(tx, now(), post));
  const lost = await transact(db, nudger, (tx, post) => expireLeases(tx, now(), config.leaseMs, post));
  const longRunning = await enqueueLongRunning(db, nudger, now()); // notify.onLongRunning: outbox rows, delivered by worker/outbox.ts
  const [timerAt, scheduleAt] = await Promise.all([nextTimerAt(db.prisma), nextScheduleAt(db.prisma)]);
  const deadlines = [timerAt, scheduleAt, longRunning.nextAt].filter((t): t is number => t !== null);
  return {
    fired: outcomes.reduce((n, o) => n + o.fired.length, 0),
    retries,
    timeouts,
    lost,
    started,
    nextAt: deadlines.length ? Math.min(...deadlines) : null,
  };
}
