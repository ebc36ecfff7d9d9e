// The server-side timers the worker owns (DESIGN.md, "Processes"): retry delays and run timeouts.
// Their deadlines live in the database (JobRun.retryAt, Run.timeoutAt), so a restart loses none;
// the worker only decides when to look.
import type { Tx } from '../db/client';
import { applyEvent } from './apply-event';
import type { PostCommit } from './post-commit';

export async function fireDueRetries(tx: Tx, now: number, post: PostCommit): Promise<number> {
  const due = await tx.jobRun.findMany({
    where: { state: 'executing', retryAt: { lte: new Date(now) } },
    select: { runId: true, job: true },
    take: 500,
  });
  for (const d of due) {
    const r = await applyEvent(tx, d.runId, { type: 'retry-due', job: d.job }, now, post);
    if (!r.ok) throw new Error(`retry of ${d.job} in run ${d.runId}: ${r.error}`);
  }
  return due.length;
}

export async function fireRunTimeouts(tx: Tx, now: number, post: PostCommit): Promise<number> {
  const due = await tx.run.findMany({ where: { state: 'executing', timeoutAt: { lte: new Date(now) } }, select: { id: true }, take: 100 });
  for (const d of due) {
    const r = await applyEvent(tx, d.id, { type: 'run-timed-out' }, now, post);
    if (!r.ok) throw new Error(`timeout of run ${d.id}: ${r.error}`);
  }
  return due.length;
}

/** The earliest timer deadline, so the worker can wake for it instead of waiting a poll. */
export async function nextTimerAt(tx: Tx): Promise<number | null> {
  const [retry, timeout] = await Promise.all([
    tx.jobRun.findFirst({ where: { state: 'executing', retryAt: { not: null } }, orderBy: { retryAt: 'asc' }, select: { retryAt: true } }),
    tx.run.findFirst({ where: { state: 'executing', timeoutAt: { not: null } }, orderBy: { timeoutAt: 'asc' }, select: { timeoutAt: true } }),
  ]);
  const times = [retry?.retryAt?.getTime(), timeout?.timeoutAt?.getTime()].filter((t): t is number => t !== undefined);
  return times.length ? Math.min(...times) : null;
}
