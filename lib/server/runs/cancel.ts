// Cancel and rerun, as the API offers them.
import { isEnded } from '../../domain/run';
import type { RunState } from '../../domain/types';
import type { Tx } from '../db/client';
import { ApiError } from '../errors';
import { applyEvent } from './apply-event';
import { createRun } from './create-run';
import type { PostCommit } from './post-commit';

export async function requestCancel(tx: Tx, runId: number, by: string, now: number, post: PostCommit): Promise<void> {
  const run = await tx.run.findUnique({ where: { id: runId }, select: { state: true } });
  if (!run) throw new ApiError(404, 'not_found', `run ${runId} does not exist`);
  if (isEnded(run.state as RunState)) throw new ApiError(409, 'run_ended', `run ${runId} already ended (${run.state}); nothing to cancel`);
  await tx.run.update({ where: { id: runId }, data: { cancelRequestedBy: by } });
  const r = await applyEvent(tx, runId, { type: 'cancel-requested', by }, now, post);
  if (!r.ok) throw new ApiError(409, 'cannot_cancel', r.error);
}

/** A new run of the same version in which the original's successful jobs count as done. */
export async function rerun(tx: Tx, runId: number, by: string, now: number, post: PostCommit): Promise<number> {
  const run = await tx.run.findUnique({
    where: { id: runId },
    select: { id: true, state: true, workflowId: true, versionId: true, params: true, nominalTime: true, parentJobRunId: true, jobRuns: { select: { job: true, state: true } } },
  });
  if (!run) throw new ApiError(404, 'not_found', `run ${runId} does not exist`);
  if (!isEnded(run.state as RunState)) throw new ApiError(409, 'run_not_ended', `run ${runId} is still ${run.state}; cancel it or wait for it to end before a rerun`);
  if (run.state === 'success') throw new ApiError(409, 'nothing_to_rerun', `run ${runId} succeeded: every job is done, nothing to rerun; start a new run instead`);
  return createRun(
    tx,
    {
      workflowId: run.workflowId,
      versionId: run.versionId,
      params: JSON.parse(run.params),
      trigger: 'rerun',
      // The original's nominal time: jobs that share files by it find what the done jobs left.
      nominalTime: run.nominalTime.getTime(),
      createdBy: by,
      rerunOf: { runId: run.id, doneJobs: run.jobRuns.filter((j) => j.state === 'success').map((j) => j.job) },
    },
    now,
    post,
  );
}
