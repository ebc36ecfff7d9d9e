// Firing schedules (DESIGN.md, "Schedules"). Each schedule's next fire time is persisted; the
// worker fires what is due. A scheduled run records its nominal time, unique per workflow
// (Run.scheduledFor), so a tick is never fired twice, even by two workers or after a clock step.
//
// Two passes at once (two workers on PostgreSQL) may both read a schedule as due. Each claims it
// before firing: a compare-and-set on the Schedule row (the fields it planned from), which on
// PostgreSQL waits for the other pass's row lock and then matches nothing. The loser passes the
// schedule over instead of running into the unique key (which would abort its whole transaction).
import { ApiError } from '../errors';
import { parseCron, planFires, nextFireTime } from '../../domain/schedule';
import type { CatchupPolicy, OverlapPolicy } from '../../domain/types';
import type { Tx } from '../db/client';
import { createRun, startRun } from '../runs/create-run';
import { resolveParams } from '../runs/params';
import { specOfVersion } from '../runs/spec-cache';
import type { PostCommit } from '../runs/post-commit';

export interface FireOutcome {
  workflow: string;
  fired: number[];
  skipped: { at: number; why: string }[];
}

const ACTIVE = ['new', 'executing'];

export async function fireDueSchedules(tx: Tx, now: number, graceMs: number, post: PostCommit): Promise<FireOutcome[]> {
  await repairClockStepBack(tx, now);
  const due = await tx.schedule.findMany({
    where: { enabled: true, nextFireAt: { lte: new Date(now) } },
    select: { id: true, workflowId: true, cron: true, timezone: true, catchup: true, catchupLimit: true, overlap: true, countFrom: true, lastFireAt: true, nextFireAt: true, workflow: { select: { name: true } } },
    // One order for every pass, so two passes claim schedules in the same order (no deadlock).
    orderBy: { id: 'asc' },
    take: 100,
  });
  const outcomes: FireOutcome[] = [];
  for (const s of due) {
    const parsed = parseCron(s.cron);
    if (!parsed.ok) continue; // refused at save; cannot happen unless the parser changed
    const plan = planFires({
      expr: parsed.value,
      timezone: s.timezone,
      catchup: s.catchup as CatchupPolicy,
      catchupLimit: s.catchupLimit,
      countFromMs: s.countFrom.getTime(),
      lastFireAtMs: s.lastFireAt ? s.lastFireAt.getTime() : null,
      nowMs: now,
      graceMs,
    });
    const claimed = await tx.schedule.updateMany({
      where: { id: s.id, enabled: true, countFrom: s.countFrom, lastFireAt: s.lastFireAt, nextFireAt: s.nextFireAt },
      data: { lastFireAt: new Date(plan.lastHandledMs), nextFireAt: plan.nextFireAtMs === null ? null : new Date(plan.nextFireAtMs) },
    });
    // Another pass fired it meanwhile, or a save changed it: the next pass reads it afresh.
    if (claimed.count !== 1) continue;
    const outcome: FireOutcome = { workflow: s.workflow.name, fired: [], skipped: [] };
    for (const at of plan.fire) {
      const why = await fireOne(tx, s.workflowId, s.overlap as OverlapPolicy, at, now, post);
      if (why === null) outcome.fired.push(at);
      else outcome.skipped.push({ at, why });
    }
    outcomes.push(outcome);
  }
  return outcomes;
}

/** Fires one nominal time; returns why it was not fired, or null. */
async function fireOne(tx: Tx, workflowId: number, overlap: OverlapPolicy, at: number, now: number, post: PostCommit): Promise<string | null> {
  const existing = await tx.run.findUnique({ where: { workflowId_scheduledFor: { workflowId, scheduledFor: new Date(at) } }, select: { id: true } });
  if (existing) return `already fired (run ${existing.id})`;
  // A run that cannot be made (a param without a default: nobody passes params to a scheduled
  // run) is a skipped tick, checked before any write: thrown, it would roll back the whole pass
  // and stop every other schedule from firing, pass after pass.
  const versionId = await currentVersionId(tx, workflowId);
  try {
    resolveParams((await specOfVersion(tx, versionId)).params, undefined);
  } catch (e) {
    if (e instanceof ApiError) return e.message;
    throw e;
  }
  let start = true;
  if (overlap !== 'allow') {
    const active = await tx.run.findMany({ where: { workflowId, state: { in: ACTIVE }, parentJobRunId: null }, select: { id: true, state: true } });
    if (active.length > 0) {
      if (overlap === 'skip') return `run ${active[0].id} still ${active[0].state} (overlap: skip)`;
      // queue: at most one pending run waits for the executing one.
      if (active.some((r) => r.state === 'new')) return 'a run is already pending (overlap: queue keeps one)';
      start = false;
    }
  }
  await createRun(tx, { workflowId, versionId, trigger: 'schedule', nominalTime: at, scheduledFor: at, createdBy: null, start }, now, post);
  return null;
}

async function currentVersionId(tx: Tx, workflowId: number): Promise<number> {
  const wf = await tx.workflow.findUniqueOrThrow({ where: { id: workflowId }, select: { currentVersion: true } });
  const v = await tx.workflowVersion.findUniqueOrThrow({ where: { workflowId_version: { workflowId, version: wf.currentVersion } }, select: { id: true } });
  return v.id;
}

/**
 * A wall clock stepped back leaves nextFireAt far ahead of the clock. CONTRACT.md: the schedule
 * keeps firing at the wall clock's next matching minute, so re-plan from now (nominal times fired
 * before the step are not fired again: Run.scheduledFor is unique).
 */
async function repairClockStepBack(tx: Tx, now: number): Promise<void> {
  const behind = await tx.schedule.findMany({ where: { enabled: true, lastFireAt: { gt: new Date(now) } }, select: { id: true, cron: true, timezone: true, lastFireAt: true, nextFireAt: true } });
  for (const s of behind) {
    const parsed = parseCron(s.cron);
    if (!parsed.ok) continue;
    const next = nextFireTime(parsed.value, s.timezone, now);
    if (next !== null && (s.nextFireAt === null || next < s.nextFireAt.getTime())) {
      // lastFireAt moves back with the clock, so the planner's window starts at now.
      // Compare-and-set like the claim above: a pass that fired it meanwhile wins.
      await tx.schedule.updateMany({ where: { id: s.id, lastFireAt: s.lastFireAt, nextFireAt: s.nextFireAt }, data: { nextFireAt: new Date(next), lastFireAt: new Date(now) } });
    }
  }
}

/** overlap: queue — a pending scheduled run starts once its workflow has no executing run. */
export async function startPendingRuns(tx: Tx, now: number, post: PostCommit): Promise<number> {
  const pending = await tx.run.findMany({ where: { state: 'new', trigger: 'schedule' }, orderBy: { id: 'asc' }, select: { id: true, workflowId: true } });
  let started = 0;
  for (const p of pending) {
    const busy = await tx.run.count({ where: { workflowId: p.workflowId, state: 'executing', parentJobRunId: null } });
    if (busy === 0) {
      await startRun(tx, p.id, now, post);
      started++;
    }
  }
  return started;
}

export async function nextScheduleAt(tx: Tx): Promise<number | null> {
  const s = await tx.schedule.findFirst({ where: { enabled: true, nextFireAt: { not: null } }, orderBy: { nextFireAt: 'asc' }, select: { nextFireAt: true } });
  return s?.nextFireAt?.getTime() ?? null;
}
