// An executor's claim of queued job runs: each claimed job run becomes `executing` through the
// state machine and gets an Attempt row whose id is the fencing token of every later call about
// it. Atomic on both providers: SQLite holds the write lock for the whole transaction; PostgreSQL
// locks the candidate rows with FOR UPDATE SKIP LOCKED, so two executors never take the same row.
import type { Task } from '../../contracts/executor-protocol';
import type { Tx } from '../db/client';
import { applyEvent } from './apply-event';
import type { PostCommit } from './post-commit';
import { taskEnvironment } from './task-env';
import { bufferTimeline } from './timeline';

export interface ClaimingExecutor {
  id: number;
  name: string;
  labels: string[];
}

export interface ClaimSettings {
  leaseMs: number;
  defaultKillGraceMs: number;
}

export async function claimTasks(tx: Tx, provider: 'sqlite' | 'postgresql', executor: ClaimingExecutor, max: number, now: number, settings: ClaimSettings, post: PostCommit): Promise<Task[]> {
  if (max <= 0) return [];
  const tasks: Task[] = [];
  const labels = new Set(executor.labels);
  // Look a little beyond `max`: some candidates may need labels this executor lacks.
  const candidates = await queuedCandidates(tx, provider, max * 4 + 16);
  for (const c of candidates) {
    if (tasks.length >= max) break;
    if (c.runsOn !== '' && !c.runsOn.split(',').every((l) => labels.has(l))) continue;
    const task = await claimOne(tx, c, executor, now, settings, post);
    if (task) tasks.push(task);
  }
  return tasks;
}

interface Candidate {
  id: number;
  runId: number;
  job: string;
  runsOn: string;
}

async function queuedCandidates(tx: Tx, provider: 'sqlite' | 'postgresql', limit: number): Promise<Candidate[]> {
  if (provider === 'postgresql') {
    return tx.$queryRaw<Candidate[]>`SELECT id, "runId", job, "runsOn" FROM "JobRun" WHERE state = 'queued' ORDER BY "queuedAt", id LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
  }
  return tx.jobRun.findMany({
    where: { state: 'queued' },
    orderBy: [{ queuedAt: 'asc' }, { id: 'asc' }],
    take: limit,
    select: { id: true, runId: true, job: true, runsOn: true },
  });
}

async function claimOne(tx: Tx, c: Candidate, executor: ClaimingExecutor, now: number, settings: ClaimSettings, post: PostCommit): Promise<Task | null> {
  const applied = await applyEvent(tx, c.runId, { type: 'attempt-started', job: c.job }, now, post);
  if (!applied.ok) return null; // cancelled meanwhile: nothing to run
  // Everything the task needs came back with the event: no re-reads on the hot path.
  const { run, spec } = applied;
  const jobRun = applied.jobRuns.get(c.job)!;
  const workflowName = spec.name;
  const job = spec.jobs[c.job];
  const attempt = await tx.attempt.create({
    data: {
      jobRunId: c.id,
      number: jobRun.attempts,
      executorId: executor.id,
      state: 'executing',
      startedAt: new Date(now),
      leaseExpiresAt: new Date(now + settings.leaseMs),
    },
    select: { id: true },
  });
  bufferTimeline(post, c.runId, now, [
    { kind: 'attempt.claimed', job: c.job, attempt: jobRun.attempts, message: `${c.job} attempt ${jobRun.attempts} taken by executor ${executor.name}`, data: { executor: executor.name } },
  ]);
  return {
    attemptId: attempt.id,
    runId: c.runId,
    workflow: workflowName,
    job: c.job,
    attempt: jobRun.attempts,
    command: job.command!,
    env: taskEnvironment({ runId: c.runId, workflow: workflowName, job, attempt: jobRun.attempts, nominalTime: run.nominalTime, params: JSON.parse(run.params) }),
    ...(job.workdir !== undefined && { workdir: job.workdir }),
    ...(job.timeoutMs !== undefined && { timeoutMs: job.timeoutMs }),
    killGraceMs: job.killGraceMs ?? settings.defaultKillGraceMs,
  };
}
