// A run as the API shows it (CONTRACT.md, "API": the run shape).
import type { Tx } from '../db/client';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export interface RunJson {
  id: number;
  workflow: string;
  group: string;
  version: number;
  state: string;
  reason: string | null;
  trigger: string;
  params: Record<string, string>;
  nominalTime: string;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  parentRunId: number | null;
  rerunOf: number | null;
  createdBy: string | null;
  jobRuns: {
    job: string;
    state: string;
    reason: string | null;
    retryAt: string | null;
    childRunId: number | null;
    attempts: { number: number; executor: string | null; state: string; exitCode: number | null; reason: string | null; startedAt: string | null; endedAt: string | null; droppedBytes: number }[];
  }[];
}

const runSelect = {
  id: true,
  state: true,
  reason: true,
  trigger: true,
  params: true,
  nominalTime: true,
  createdAt: true,
  startedAt: true,
  endedAt: true,
  parentJobRunId: true,
  rerunOfId: true,
  createdBy: true,
  workflow: { select: { name: true, group: { select: { name: true } } } },
  version: { select: { version: true } },
} as const;

export async function runView(tx: Tx, runId: number): Promise<RunJson | null> {
  const run = await tx.run.findUnique({
    where: { id: runId },
    select: {
      ...runSelect,
      jobRuns: {
        orderBy: { id: 'asc' },
        select: {
          job: true,
          state: true,
          reason: true,
          retryAt: true,
          id: true,
          childRunId: true,
        },
      },
    },
  });
  if (!run) return null;
  // Attempts by a join on the run, not a nested include: an include lists every job run's id as a
  // query parameter, which a 1,000-job run pushes past SQLite's parameter limit.
  const attemptRows = await tx.attempt.findMany({
    where: { jobRun: { runId } },
    orderBy: [{ jobRunId: 'asc' }, { number: 'asc' }],
    select: { jobRunId: true, number: true, executorId: true, state: true, exitCode: true, reason: true, startedAt: true, endedAt: true, droppedBytes: true },
  });
  const attemptsOf = new Map<number, typeof attemptRows>();
  for (const a of attemptRows) {
    const list = attemptsOf.get(a.jobRunId);
    if (list) list.push(a);
    else attemptsOf.set(a.jobRunId, [a]);
  }
  const parentRunId = run.parentJobRunId === null ? null : ((await tx.jobRun.findUnique({ where: { id: run.parentJobRunId }, select: { runId: true } }))?.runId ?? null);
  const executorIds = [...new Set(attemptRows.map((a) => a.executorId).filter((id): id is number => id !== null))];
  const executors = new Map((await tx.executor.findMany({ where: { id: { in: executorIds } }, select: { id: true, name: true } })).map((e) => [e.id, e.name]));
  return {
    ...summary(run),
    parentRunId,
    jobRuns: run.jobRuns.map((j) => ({
      job: j.job,
      state: j.state,
      reason: j.reason,
      retryAt: iso(j.retryAt),
      childRunId: j.childRunId,
      attempts: (attemptsOf.get(j.id) ?? []).map((a) => ({
        number: a.number,
        executor: a.executorId === null ? null : (executors.get(a.executorId) ?? null),
        state: a.state,
        exitCode: a.exitCode,
        reason: a.reason,
        startedAt: iso(a.startedAt),
        endedAt: iso(a.endedAt),
        droppedBytes: a.droppedBytes,
      })),
    })),
  };
}

type SummaryRow = {
  id: number;
  state: string;
  reason: string | null;
  trigger: string;
  params: string;
  nominalTime: Date;
  createdAt: Date;
  startedAt: Date | null;
  endedAt: Date | null;
  rerunOfId: number | null;
  createdBy: string | null;
  workflow: { name: string; group: { name: string } };
  version: { version: number };
};

function summary(run: SummaryRow): Omit<RunJson, 'jobRuns' | 'parentRunId'> {
  return {
    id: run.id,
    workflow: run.workflow.name,
    group: run.workflow.group.name,
    version: run.version.version,
    state: run.state,
    reason: run.reason,
    trigger: run.trigger,
    params: JSON.parse(run.params),
    nominalTime: run.nominalTime.toISOString(),
    createdAt: run.createdAt.toISOString(),
    startedAt: iso(run.startedAt),
    endedAt: iso(run.endedAt),
    rerunOf: run.rerunOfId,
    createdBy: run.createdBy,
  };
}

export interface RunFilter {
  workflow?: string;
  state?: string;
  limit: number;
  /** Only runs of workflows in these groups (undefined: all, for site admins). */
  groups?: string[];
}

/** Runs newest first, each with its job runs' states (no attempts: a list stays light). */
export async function listRuns(tx: Tx, f: RunFilter) {
  const rows = await tx.run.findMany({
    where: {
      ...(f.state && { state: f.state }),
      workflow: { ...(f.workflow && { name: f.workflow }), ...(f.groups && { group: { name: { in: f.groups } } }) },
    },
    orderBy: { id: 'desc' },
    take: f.limit,
    select: { ...runSelect, jobRuns: { orderBy: { id: 'asc' }, select: { job: true, state: true, reason: true } } },
  });
  const parentJobRunIds = rows.map((r) => r.parentJobRunId).filter((id): id is number => id !== null);
  const parents = new Map(
    (parentJobRunIds.length ? await tx.jobRun.findMany({ where: { id: { in: parentJobRunIds } }, select: { id: true, runId: true } }) : []).map((j) => [j.id, j.runId]),
  );
  return rows.map((r) => ({ ...summary(r), parentRunId: r.parentJobRunId === null ? null : (parents.get(r.parentJobRunId) ?? null), jobRuns: r.jobRuns }));
}
