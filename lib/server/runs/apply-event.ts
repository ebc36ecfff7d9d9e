// The one place that writes run and job-run state (DESIGN.md, "Run supervision"): load the run's
// snapshot, ask the pure state machine, write every change in the caller's transaction guarded
// by the run's lockVersion, and carry out the effects that are writes too (child runs, the
// parent's job when a child run ends, the timeline) in that same transaction. Success hands off
// to dependants here, in the transaction that records it: no poll sits between the two.
import { decide, isEnded, type Effect, type JobRunView, type RunEvent, type RunView } from '../../domain/run';
import type { JobSpec, JobState, RunState, WorkflowSpec } from '../../domain/types';
import type { Tx } from '../db/client';
import { enqueueForEffect } from '../notify/enqueue';
import { WriteConflict } from './conflict';
// create-run imports this module too; the cycle is between functions only, called long after load.
import { startChildRun } from './create-run';
import type { PostCommit } from './post-commit';
import { specOfVersion } from './spec-cache';
import { findSnapshot, type JobRunRow } from './snapshot-cache';
import { bufferTimeline, type TimelineEntry } from './timeline';

export type ApplyResult = { ok: true; effects: Effect[]; run: RunRow; spec: WorkflowSpec; jobRuns: ReadonlyMap<string, JobRunRow> } | { ok: false; error: string };

export interface RunRow {
  id: number;
  workflowId: number;
  versionId: number;
  state: string;
  reason: string | null;
  lockVersion: number;
  parentJobRunId: number | null;
  rootRunId: number | null;
  nominalTime: Date;
  params: string;
}

export async function loadRun(tx: Tx, runId: number): Promise<RunRow | null> {
  return tx.run.findUnique({
    where: { id: runId },
    select: { id: true, workflowId: true, versionId: true, state: true, reason: true, lockVersion: true, parentJobRunId: true, rootRunId: true, nominalTime: true, params: true },
  });
}


async function loadJobRuns(tx: Tx, runId: number): Promise<Map<string, JobRunRow>> {
  const rows = await tx.jobRun.findMany({
    where: { runId },
    select: { id: true, job: true, state: true, reason: true, attempts: true, retryAt: true, childRunId: true },
  });
  const byJob = new Map<string, JobRunRow>();
  for (const r of rows) {
    byJob.set(r.job, {
      id: r.id,
      job: r.job,
      state: r.state as JobState,
      reason: r.reason,
      attempts: r.attempts,
      retryAt: r.retryAt ? r.retryAt.getTime() : null,
      childRunId: r.childRunId,
    });
  }
  return byJob;
}

export async function applyEvent(tx: Tx, runId: number, event: RunEvent, now: number, post: PostCommit): Promise<ApplyResult> {
  // PostgreSQL: two transactions on one run (both of an executor's slots reporting) would both
  // read, then one would lose the lockVersion check and redo everything; waiting for the row lock
  // instead serialises them cheaply. The check stays as the guard. (SQLite holds one write lock.)
  if (post.provider === 'postgresql') await tx.$executeRaw`SELECT id FROM "Run" WHERE id = ${runId} FOR UPDATE`;
  const run = await loadRun(tx, runId);
  if (!run) return { ok: false, error: `run ${runId} does not exist` };
  const spec = await specOfVersion(tx, run.versionId);
  const jobRuns = findSnapshot(post.snapshots, runId, run.lockVersion)?.jobRuns ?? (await loadJobRuns(tx, runId));
  const view: RunView = {
    state: run.state as RunState,
    reason: run.reason,
    jobs: spec.jobs,
    jobRuns: Object.fromEntries([...jobRuns].map(([job, r]) => [job, r])),
    ...(event.type === 'start' && { doneJobs: [...jobRuns.values()].filter((r) => r.state === 'success').map((r) => r.job) }),
  };
  const result = decide(view, event, now);
  if (!result.ok) return result;
  const { decision } = result;

  // The run row first: its compare-and-set is what makes this whole snapshot's writes safe.
  const runData: Record<string, unknown> = { lockVersion: { increment: 1 } };
  if (decision.run.state !== undefined) runData.state = decision.run.state;
  if (decision.run.reason !== undefined) runData.reason = decision.run.reason;
  for (const e of decision.effects) {
    if (e.type === 'run-started') {
      runData.startedAt = new Date(now);
      if (spec.timeoutMs !== undefined) runData.timeoutAt = new Date(now + spec.timeoutMs);
    }
    if (e.type === 'run-ended') {
      runData.endedAt = new Date(now);
      runData.timeoutAt = null;
    }
  }
  const written = await tx.run.updateMany({ where: { id: runId, lockVersion: run.lockVersion }, data: runData });
  if (written.count !== 1) throw new WriteConflict(`run ${runId}`);

  const queued = new Set(decision.effects.filter((e) => e.type === 'queue').map((e) => (e as { job: string }).job));
  for (const [job, change] of Object.entries(decision.jobRuns)) {
    const row = jobRuns.get(job);
    if (!row) throw new Error(`state machine changed unknown job ${job}`);
    const data: Record<string, unknown> = {};
    if (change.state !== undefined) data.state = change.state;
    if (change.reason !== undefined) data.reason = change.reason;
    if (change.attempts !== undefined) data.attempts = change.attempts;
    if (change.retryAt !== undefined) data.retryAt = change.retryAt === null ? null : new Date(change.retryAt);
    if (change.childRunId !== undefined) data.childRunId = change.childRunId;
    if (queued.has(job)) data.queuedAt = new Date(now);
    if (Object.keys(data).length > 0) await tx.jobRun.updateMany({ where: { id: row.id }, data });
  }

  // The job runs as this transaction leaves them, for the next event on this run.
  const next = new Map(jobRuns);
  for (const [job, change] of Object.entries(decision.jobRuns)) next.set(job, { ...next.get(job)!, ...change });
  post.snapshots.set(runId, { lockVersion: run.lockVersion + 1, jobRuns: next });

  post.runs.add(runId);
  const timeline: TimelineEntry[] = [];
  for (const effect of decision.effects) {
    await carryOut(tx, run, spec.jobs, next, effect, event, now, post, timeline);
    // job-ended / job-retry / run-ended that the notify rules ask about: outbox rows, same transaction.
    await enqueueForEffect(tx, run, effect, now, post, timeline);
  }
  bufferTimeline(post, runId, now, timeline);
  return { ok: true, effects: decision.effects, run, spec, jobRuns: next };
}

async function carryOut(
  tx: Tx,
  run: RunRow,
  jobs: Record<string, JobSpec>,
  jobRuns: Map<string, JobRunRow>,
  effect: Effect,
  event: RunEvent,
  now: number,
  post: PostCommit,
  timeline: TimelineEntry[],
): Promise<void> {
  switch (effect.type) {
    case 'queue':
      post.executors = true;
      post.queued++;
      timeline.push({ kind: 'job.queued', job: effect.job, message: `${effect.job} queued` });
      return;
    case 'schedule-retry':
      post.worker = true;
      return;
    case 'job-retry':
      // effect.attempt is the attempt to come; the one that failed is the one before it.
      timeline.push({
        kind: 'job.retry',
        job: effect.job,
        attempt: effect.failedAttempt ?? effect.attempt - 1,
        message: `${effect.job} attempt ${effect.failedAttempt ?? effect.attempt - 1} failed (${effect.reason}); attempt ${effect.attempt} at ${new Date(effect.at).toISOString()}`,
        data: { reason: effect.reason, retryAt: new Date(effect.at).toISOString() },
      });
      return;
    case 'start-child-run': {
      const jobRun = jobRuns.get(effect.job)!;
      const childId = await startChildRun(tx, run, jobRun.id, effect.workflow, now, post);
      await tx.jobRun.updateMany({ where: { id: jobRun.id }, data: { childRunId: childId } });
      // Not a state change, so no lockVersion bump: the snapshot is patched to match instead.
      jobRuns.set(effect.job, { ...jobRuns.get(effect.job)!, childRunId: childId });
      // A child run that ended at once (an empty workflow) has already written a newer snapshot.
      const latest = post.snapshots.get(run.id)?.jobRuns as Map<string, JobRunRow> | undefined;
      if (latest && latest !== jobRuns) latest.set(effect.job, { ...latest.get(effect.job)!, childRunId: childId });
      timeline.push({ kind: 'job.child-run', job: effect.job, message: `${effect.job} started run ${childId} of ${effect.workflow}`, data: { childRunId: childId } });
      return;
    }
    case 'kill-attempt': {
      const jobRun = jobRuns.get(effect.job)!;
      const attempts = await tx.attempt.findMany({ where: { jobRunId: jobRun.id, state: 'executing' }, select: { id: true, executorId: true, number: true } });
      for (const a of attempts) {
        await tx.attempt.update({ where: { id: a.id }, data: { state: 'cancelled', reason: effect.reason, endedAt: new Date(now), leaseExpiresAt: null } });
        post.kills.push({ attemptId: a.id, executorId: a.executorId, reason: effect.reason });
      }
      return;
    }
    case 'cancel-child-run': {
      const by = event.type === 'cancel-requested' ? event.by : 'parent run';
      const child = await loadRun(tx, effect.childRunId);
      if (child && !isEnded(child.state as RunState)) {
        const r = await applyEvent(tx, effect.childRunId, event.type === 'run-timed-out' ? { type: 'cancel-requested', by: `timeout of run ${run.id}` } : { type: 'cancel-requested', by }, now, post);
        if (!r.ok) throw new Error(`cancel of child run ${effect.childRunId}: ${r.error}`);
      }
      return;
    }
    case 'job-ended':
      timeline.push({
        kind: `job.${effect.state}`,
        job: effect.job,
        message: effect.reason ? `${effect.job} ${effect.state}: ${effect.reason}` : `${effect.job} ${effect.state}`,
        ...(effect.reason ? { data: { reason: effect.reason } } : {}),
      });
      return;
    case 'run-started':
      timeline.push({ kind: 'run.executing', message: 'run started' });
      return;
    case 'run-ended': {
      post.worker = true;
      timeline.push({ kind: `run.${effect.state}`, message: effect.reason ? `run ${effect.state}: ${effect.reason}` : `run ${effect.state}`, ...(effect.reason ? { data: { reason: effect.reason } } : {}) });
      if (run.parentJobRunId !== null) {
        // The state machine says "child run N failed: …" itself; pass only the child's own reason.
        const why = effect.reason;
        await endParentJob(tx, run.parentJobRunId, effect.state, why, now, post);
      }
      return;
    }
  }
}

/** A child run ended: its end state becomes its parent job's, in the same transaction. */
async function endParentJob(tx: Tx, parentJobRunId: number, state: RunState, reason: string | null, now: number, post: PostCommit): Promise<void> {
  const parentJob = await tx.jobRun.findUnique({ where: { id: parentJobRunId }, select: { runId: true, job: true, state: true } });
  if (!parentJob || parentJob.state !== 'executing') return; // the parent job was cancelled first
  const ended = state === 'success' || state === 'failure' || state === 'cancelled' ? state : 'failure';
  const r = await applyEvent(tx, parentJob.runId, { type: 'child-run-ended', job: parentJob.job, state: ended, reason }, now, post);
  if (!r.ok) throw new Error(`ending parent job ${parentJob.job}: ${r.error}`);
}
