// Executor liveness. A heartbeat renews the lease of every attempt the executor still runs and
// tells it which of its attempts it must kill (cancelled, or no longer its own). An attempt whose
// lease ran out is failed with reason `executor lost` and retried per `retries`; its executor is
// marked lost until it is heard from again.
import type { Tx } from '../db/client';
import { executorsCouldHeartbeat } from '../liveness';
import { applyEvent } from './apply-event';
import type { PostCommit } from './post-commit';
import { bufferTimeline } from './timeline';

export async function heartbeat(tx: Tx, executorId: number, running: number[], now: number, leaseMs: number): Promise<number[]> {
  await tx.executor.update({ where: { id: executorId }, data: { lastSeenAt: new Date(now), state: 'online' } });
  if (running.length === 0) return [];
  await tx.attempt.updateMany({
    where: { id: { in: running }, executorId, state: 'executing' },
    data: { leaseExpiresAt: new Date(now + leaseMs) },
  });
  const live = await tx.attempt.findMany({ where: { id: { in: running }, executorId, state: 'executing' }, select: { id: true } });
  const liveIds = new Set(live.map((a) => a.id));
  return running.filter((id) => !liveIds.has(id));
}

/** Fails every attempt whose lease has expired; returns how many. */
export async function expireLeases(tx: Tx, now: number, leaseMs: number, post: PostCommit): Promise<number> {
  // A web restart silences every executor at once; that is not their loss.
  if (!(await executorsCouldHeartbeat(tx, now, leaseMs))) return 0;
  const expired = await tx.attempt.findMany({
    where: { state: 'executing', leaseExpiresAt: { lt: new Date(now) } },
    select: { id: true, number: true, executorId: true, jobRun: { select: { runId: true, job: true } } },
    take: 200,
  });
  for (const a of expired) {
    await tx.attempt.update({ where: { id: a.id }, data: { state: 'lost', reason: 'executor lost', endedAt: new Date(now), leaseExpiresAt: null } });
    bufferTimeline(post, a.jobRun.runId, now, [
      { kind: 'attempt.lost', job: a.jobRun.job, attempt: a.number, message: `${a.jobRun.job} attempt ${a.number}: executor lost (no heartbeat)`, data: { executorId: a.executorId } },
    ]);
    const r = await applyEvent(tx, a.jobRun.runId, { type: 'attempt-failed', job: a.jobRun.job, reason: 'executor lost' }, now, post);
    if (!r.ok) throw new Error(`expiring attempt ${a.id}: ${r.error}`);
    post.kills.push({ attemptId: a.id, executorId: a.executorId, reason: 'executor lost' });
  }
  await tx.executor.updateMany({ where: { state: 'online', lastSeenAt: { lt: new Date(now - leaseMs) } }, data: { state: 'lost' } });
  return expired.length;
}
