// Starting a workflow makes a run: one Run row pinned to a version, one JobRun per job, and the
// `start` event applied at once (roots queued, nested workflows' child runs started), all in the
// caller's transaction.
import type { Tx } from '../db/client';
import { ApiError } from '../errors';
import { applyEvent, type RunRow } from './apply-event';
import type { PostCommit } from './post-commit';
import { resolveParams } from './params';
import { specOfVersion } from './spec-cache';
import { bufferTimeline } from './timeline';

export type Trigger = 'manual' | 'schedule' | 'rerun' | 'parent';

export interface NewRun {
  workflowId: number;
  /** Defaults to the workflow's current version. */
  versionId?: number;
  params?: Record<string, unknown>;
  trigger: Trigger;
  /** The fire time for scheduled runs, the trigger time otherwise. */
  nominalTime: number;
  /** Set for scheduled runs only: unique per workflow, so no tick is fired twice. */
  scheduledFor?: number;
  createdBy: string | null;
  parentJobRunId?: number;
  rootRunId?: number;
  rerunOf?: { runId: number; doneJobs: string[] };
  /** false: the run stays `new` (overlap `queue` keeps it pending until the previous run ends). */
  start?: boolean;
}

export async function createRun(tx: Tx, input: NewRun, now: number, post: PostCommit): Promise<number> {
  const versionId = input.versionId ?? (await currentVersionId(tx, input.workflowId));
  const spec = await specOfVersion(tx, versionId);
  const params = resolveParams(spec.params, input.params);
  const run = await tx.run.create({
    data: {
      workflowId: input.workflowId,
      versionId,
      state: 'new',
      trigger: input.trigger,
      nominalTime: new Date(input.nominalTime),
      scheduledFor: input.scheduledFor !== undefined ? new Date(input.scheduledFor) : null,
      params: JSON.stringify(params),
      createdAt: new Date(now),
      createdBy: input.createdBy,
      parentJobRunId: input.parentJobRunId ?? null,
      rootRunId: input.rootRunId ?? null,
      rerunOfId: input.rerunOf?.runId ?? null,
    },
    select: { id: true },
  });
  const done = new Set(input.rerunOf?.doneJobs ?? []);
  const jobNames = Object.keys(spec.jobs);
  if (jobNames.length > 0) {
    await tx.jobRun.createMany({
      data: jobNames.map((job) => ({
        runId: run.id,
        job,
        state: done.has(job) ? 'success' : 'new',
        reason: done.has(job) ? `done in run ${input.rerunOf!.runId}` : null,
        runsOn: [...spec.jobs[job].runsOn].sort().join(','),
      })),
    });
  }
  bufferTimeline(post, run.id, now, [
    {
      kind: 'run.created',
      message: `run created (${input.trigger}${input.createdBy ? ` by ${input.createdBy}` : ''}) from version ${await versionNumber(tx, versionId)}`,
      data: { trigger: input.trigger, nominalTime: new Date(input.nominalTime).toISOString(), ...(input.rerunOf && { rerunOf: input.rerunOf.runId }) },
    },
  ]);
  // Watchers of the workflow hear of the new run even while it stays `new` (overlap: queue).
  post.runs.add(run.id);
  if (input.start !== false) await startRun(tx, run.id, now, post);
  return run.id;
}

export async function startRun(tx: Tx, runId: number, now: number, post: PostCommit): Promise<void> {
  const r = await applyEvent(tx, runId, { type: 'start' }, now, post);
  if (!r.ok) throw new Error(`starting run ${runId}: ${r.error}`);
}

async function currentVersionId(tx: Tx, workflowId: number): Promise<number> {
  const wf = await tx.workflow.findUniqueOrThrow({ where: { id: workflowId }, select: { id: true, currentVersion: true } });
  const v = await tx.workflowVersion.findUniqueOrThrow({ where: { workflowId_version: { workflowId: wf.id, version: wf.currentVersion } }, select: { id: true } });
  return v.id;
}

async function versionNumber(tx: Tx, versionId: number): Promise<number> {
  const v = await tx.workflowVersion.findUniqueOrThrow({ where: { id: versionId }, select: { version: true } });
  return v.version;
}

/** The apply hook for `workflow:` jobs: a child run of the named workflow's current version. */
export async function startChildRun(tx: Tx, parent: RunRow, jobRunId: number, workflow: string, now: number, post: PostCommit): Promise<number> {
  const child = await tx.workflow.findUnique({ where: { name: workflow }, select: { id: true } });
  if (!child) throw new ApiError(422, 'unknown_workflow', `nested workflow '${workflow}' is no longer saved`);
  return createRun(
    tx,
    {
      workflowId: child.id,
      trigger: 'parent',
      nominalTime: parent.nominalTime.getTime(),
      createdBy: null,
      parentJobRunId: jobRunId,
      rootRunId: parent.rootRunId ?? parent.id,
      // A child run gets the parent's params that it declares; the rest it defaults.
      params: pickDeclared(JSON.parse(parent.params) as Record<string, string>, (await specOfVersion(tx, await currentVersionId(tx, child.id))).params),
    },
    now,
    post,
  );
}

function pickDeclared(params: Record<string, string>, declared: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(params).filter(([k]) => k in declared));
}
