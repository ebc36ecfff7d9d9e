// An executor's report that an attempt ended. Fenced: only the executor that holds the attempt,
// and only while the attempt is still executing, may end it; a report for an attempt that was
// declared lost, cancelled or reassigned is refused, so a stale executor cannot overwrite a retry.
import type { Report } from '../../contracts/executor-protocol';
import type { Tx } from '../db/client';
import { applyEvent } from './apply-event';
import type { PostCommit } from './post-commit';
import { bufferTimeline } from './timeline';

export type ReportResult = { ok: true } | { ok: false; error: string };

export function failureReason(r: Pick<Report, 'exitCode' | 'signal' | 'reason'>): string | null {
  if (r.reason) return r.reason;
  if (r.exitCode === 0) return null;
  if (r.exitCode !== null) return `exit code ${r.exitCode}`;
  return `killed by signal ${r.signal ?? 'unknown'}`;
}

export async function reportAttempt(tx: Tx, executorId: number, report: Report, now: number, post: PostCommit): Promise<ReportResult> {
  const attempt = await tx.attempt.findUnique({
    where: { id: report.attemptId },
    select: { id: true, number: true, state: true, executorId: true, jobRun: { select: { runId: true, job: true } } },
  });
  if (!attempt || attempt.executorId !== executorId) return { ok: false, error: `attempt ${report.attemptId} is not held by this executor` };
  if (attempt.state !== 'executing') return { ok: false, error: `attempt ${report.attemptId} already ended (${attempt.state}); report refused` };
  const reason = failureReason(report);
  const { runId, job } = attempt.jobRun;
  await tx.attempt.updateMany({
    where: { id: attempt.id },
    data: {
      state: reason === null ? 'success' : 'failure',
      exitCode: report.exitCode,
      signal: report.signal,
      reason,
      startedAt: new Date(report.spawnedAt),
      endedAt: new Date(report.exitedAt),
      leaseExpiresAt: null,
      droppedBytes: report.droppedBytes,
    },
  });
  bufferTimeline(post, runId, now, [
    {
      kind: 'attempt.ended',
      job,
      attempt: attempt.number,
      message: `${job} attempt ${attempt.number} ended: ${reason ?? 'exit code 0'} after ${report.exitedAt - report.spawnedAt} ms`,
      data: { exitCode: report.exitCode, signal: report.signal, durationMs: report.exitedAt - report.spawnedAt, droppedBytes: report.droppedBytes },
    },
  ]);
  const event = reason === null ? ({ type: 'attempt-succeeded', job } as const) : ({ type: 'attempt-failed', job, reason } as const);
  const applied = await applyEvent(tx, runId, event, now, post);
  if (!applied.ok) return { ok: false, error: applied.error };
  return { ok: true };
}
