// The worker's long-running check: a run (workflow `notify.onLongRunning`) or a job (the job's own
// `notify.onLongRunning`) still executing `longRunningAfter` after it started raises
// run.long-running / job.long-running, once per run or job run. The threshold lives in the
// pinned definition, so the check looks only at versions of executing runs that have such a rule,
// and returns the next instant one will be due so the worker wakes for it.
import type { Database, Tx } from '../db/client';
import type { Nudger } from '../runs/post-commit';
import { specOfVersion } from '../runs/spec-cache';
import { recordTimeline, type TimelineEntry } from '../runs/timeline';
import { transact } from '../runs/transact';
import { jobFacts, jobsConcerned, jobsFacts, loadRunContext, runFacts } from './content';
import { writeDeliveries } from './enqueue';
import { buildPayload, MAX_JOBS_IN_FULL } from './payload';
import { eventIdFor, jobLongRunningRules, runLongRunningRule, type LongRunningRule } from './rules';

interface Candidate {
  eventId: string;
  event: 'run.long-running' | 'job.long-running';
  runId: number;
  versionId: number;
  job?: string;
  rule: LongRunningRule;
  startedAt: number;
}

/** Event ids known to be enqueued already (saves a query per pass; the database stays the judge). */
const known = new Set<string>();

export interface LongRunningResult {
  enqueued: number;
  /** When the next long-running notice falls due, or null. */
  nextAt: number | null;
}

export async function enqueueLongRunning(db: Database, nudger: Nudger, now: number): Promise<LongRunningResult> {
  const p = db.prisma;
  const versions = await p.run.findMany({ where: { state: 'executing' }, distinct: ['versionId'], select: { versionId: true } });
  const due: Candidate[] = [];
  let nextAt: number | null = null;
  const later = (t: number) => {
    nextAt = nextAt === null ? t : Math.min(nextAt, t);
  };
  for (const { versionId } of versions) {
    const spec = await specOfVersion(p as unknown as Tx, versionId);
    const runRule = runLongRunningRule(spec);
    const jobRules = jobLongRunningRules(spec);
    if (runRule) {
      const runs = await p.run.findMany({ where: { versionId, state: 'executing', startedAt: { not: null } }, select: { id: true, createdAt: true, startedAt: true } });
      for (const r of runs) {
        const at = r.startedAt!.getTime() + runRule.afterMs;
        if (at > now) later(at);
        else due.push({ eventId: eventIdFor(r, 'run.long-running'), event: 'run.long-running', runId: r.id, versionId, rule: runRule, startedAt: r.startedAt!.getTime() });
      }
    }
    if (jobRules.size > 0) {
      const jobRuns = await p.jobRun.findMany({
        where: { state: 'executing', job: { in: [...jobRules.keys()] }, run: { versionId, state: 'executing' } },
        select: { job: true, runId: true, childRunId: true, run: { select: { createdAt: true } }, attemptRows: { where: { number: 1 }, select: { startedAt: true } } },
      });
      const childIds = jobRuns.map((j) => j.childRunId).filter((id): id is number => id !== null);
      const childStarts = new Map(
        childIds.length ? (await p.run.findMany({ where: { id: { in: childIds } }, select: { id: true, startedAt: true } })).map((r) => [r.id, r.startedAt] as const) : [],
      );
      for (const j of jobRuns) {
        const started = j.attemptRows[0]?.startedAt ?? (j.childRunId !== null ? childStarts.get(j.childRunId) : null) ?? null;
        if (!started) continue;
        const rule = jobRules.get(j.job)!;
        const at = started.getTime() + rule.afterMs;
        if (at > now) later(at);
        else due.push({ eventId: eventIdFor({ id: j.runId, createdAt: j.run.createdAt }, 'job.long-running', j.job), event: 'job.long-running', runId: j.runId, versionId, job: j.job, rule, startedAt: started.getTime() });
      }
    }
  }
  const fresh = due.filter((c) => !known.has(c.eventId));
  if (fresh.length > 0) {
    const existing = await p.notification.findMany({ where: { eventId: { in: fresh.map((c) => c.eventId) } }, distinct: ['eventId'], select: { eventId: true } });
    for (const e of existing) known.add(e.eventId);
  }
  let enqueued = 0;
  for (const c of fresh) {
    if (known.has(c.eventId)) continue;
    try {
      enqueued += await transact(db, nudger, (tx) => enqueueOne(tx, c, now));
    } catch (e) {
      // P2002: another worker enqueued the same event first (the unique (eventId, target) index).
      // Anything else is logged and tried again next pass: one bad run never stops the check.
      if (!(e instanceof Error && 'code' in e && (e as { code: string }).code === 'P2002')) {
        console.error(`notify: long-running check of run ${c.runId}${c.job ? ` job ${c.job}` : ''} failed (will retry)`, e);
        continue;
      }
    }
    known.add(c.eventId);
  }
  // Forget what no longer matters: only events of runs still executing can come up again.
  if (known.size > 10_000) known.clear();
  return { enqueued, nextAt };
}

async function enqueueOne(tx: Tx, c: Candidate, now: number): Promise<number> {
  // Checked again inside the write transaction: the run or job may have ended since the scan.
  if (await tx.notification.findFirst({ where: { eventId: c.eventId }, select: { id: true } })) return 0;
  const ctx = await loadRunContext(tx, c.runId);
  if (ctx.state !== 'executing') return 0;
  const spec = await specOfVersion(tx, c.versionId);
  const longRunning = { afterMs: c.rule.afterMs, runningForMs: now - c.startedAt };
  let jobs;
  let concerned: number;
  if (c.job !== undefined) {
    const jobRun = ctx.jobRuns.find((j) => j.job === c.job);
    if (!jobRun || jobRun.state !== 'executing') return 0;
    jobs = [await jobFacts(tx, ctx, jobRun, spec.jobs[c.job], now)];
    concerned = 1;
  } else {
    const rows = jobsConcerned(ctx, 'run.long-running');
    jobs = await jobsFacts(tx, ctx, rows, spec, now, MAX_JOBS_IN_FULL);
    concerned = rows.length;
  }
  const payload = buildPayload({ id: c.eventId, event: c.event, at: now, workflow: ctx.workflow, run: runFacts(ctx, now), jobs, jobsConcerned: concerned, longRunning });
  const timeline: TimelineEntry[] = [];
  const n = await writeDeliveries(tx, { eventId: c.eventId, event: c.event, runId: c.runId, ...(c.job !== undefined && { job: c.job }), targets: c.rule.targets, payload }, now, timeline);
  await recordTimeline(tx, c.runId, now, timeline);
  return n;
}
