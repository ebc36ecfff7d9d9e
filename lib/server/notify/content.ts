// Gathers what a notification tells, from the database, inside the transaction of the state
// change (so the content is the state as committed with the event): the run, its job runs, the
// attempt concerned with its exit code, duration and executor, and the last 50 lines of output.
import type { JobSpec, WorkflowSpec } from '../../domain/types';
import { readConfig } from '../config';
import type { Tx } from '../db/client';
import { OUTPUT_TAIL_LINES, tailLines, type JobFacts, type RunFacts } from './payload';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

let publicUrlCache: string | undefined;
/** COURSE_PUBLIC_URL of this process (links in notifications). */
export function publicUrl(): string {
  publicUrlCache ??= readConfig().publicUrl;
  return publicUrlCache;
}

export interface AttemptRow {
  id: number;
  number: number;
  exitCode: number | null;
  signal: string | null;
  reason: string | null;
  startedAt: Date | null;
  endedAt: Date | null;
  executorId: number | null;
}

export interface JobRunRow {
  id: number;
  job: string;
  state: string;
  reason: string | null;
  attempts: number;
  childRunId: number | null;
  attemptRows: AttemptRow[];
}

export interface RunContext {
  id: number;
  state: string;
  reason: string | null;
  trigger: string;
  nominalTime: Date;
  createdAt: Date;
  startedAt: Date | null;
  endedAt: Date | null;
  workflow: string;
  jobRuns: JobRunRow[];
  executors: Map<number, string>;
}

const TAIL_MAX_BYTES = 256 * 1024;

/**
 * The last `lines` lines of an attempt's output, reading chunks from the end only as far as
 * needed (at most 256 KiB): this runs inside the write transaction of the state change.
 */
export async function outputTail(tx: Tx, attemptId: number, lines: number): Promise<string> {
  const parts: Buffer[] = [];
  let bytes = 0;
  let newlines = 0;
  let beforeSeq: number | undefined;
  while (newlines <= lines && bytes < TAIL_MAX_BYTES) {
    const chunks = await tx.outputChunk.findMany({
      where: { attemptId, ...(beforeSeq !== undefined && { seq: { lt: beforeSeq } }) },
      orderBy: { seq: 'desc' },
      take: 4,
      select: { seq: true, data: true },
    });
    for (const c of chunks) {
      const b = Buffer.from(c.data);
      parts.unshift(b);
      bytes += b.length;
      for (let i = 0; i < b.length; i++) if (b[i] === 0x0a) newlines++;
    }
    if (chunks.length < 4) break;
    beforeSeq = chunks[chunks.length - 1].seq;
  }
  let all = Buffer.concat(parts);
  if (all.length > TAIL_MAX_BYTES) all = all.subarray(all.length - TAIL_MAX_BYTES);
  // Leniently decoded: a character cut at the start or invalid bytes become U+FFFD, never an error.
  return tailLines(all.toString('utf8'), lines);
}

/** The run and each job run with its latest attempt. */
export async function loadRunContext(tx: Tx, runId: number): Promise<RunContext> {
  const run = await tx.run.findUniqueOrThrow({
    where: { id: runId },
    select: {
      id: true,
      state: true,
      reason: true,
      trigger: true,
      nominalTime: true,
      createdAt: true,
      startedAt: true,
      endedAt: true,
      workflow: { select: { name: true } },
      jobRuns: {
        orderBy: { id: 'asc' },
        select: {
          id: true,
          job: true,
          state: true,
          reason: true,
          attempts: true,
          childRunId: true,
          attemptRows: { orderBy: { number: 'desc' }, take: 1, select: { id: true, number: true, exitCode: true, signal: true, reason: true, startedAt: true, endedAt: true, executorId: true } },
        },
      },
    },
  });
  const ids = [...new Set(run.jobRuns.flatMap((j) => j.attemptRows.map((a) => a.executorId)).filter((id): id is number => id !== null))];
  const executors = new Map(ids.length ? (await tx.executor.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })).map((e) => [e.id, e.name] as const) : []);
  return { ...run, workflow: run.workflow.name, executors };
}

export function runFacts(ctx: RunContext, now: number): RunFacts {
  const end = ctx.endedAt?.getTime() ?? null;
  const start = ctx.startedAt?.getTime() ?? null;
  return {
    id: ctx.id,
    state: ctx.state,
    reason: ctx.reason,
    trigger: ctx.trigger,
    nominalTime: ctx.nominalTime.toISOString(),
    startedAt: iso(ctx.startedAt),
    endedAt: iso(ctx.endedAt),
    durationMs: start === null ? null : (end ?? now) - start,
    url: `${publicUrl()}/runs/${ctx.id}`,
  };
}

export interface JobFactsOptions {
  /** Describe this attempt instead of the latest (job.retry: the one that failed). */
  reason?: string | null;
  state?: string;
  retry?: { attempt: number; at: number };
}

/** One job run as a notification describes it, its output tail read from the database. */
export async function jobFacts(tx: Tx, ctx: RunContext, jobRun: JobRunRow, spec: JobSpec | undefined, now: number, opts: JobFactsOptions = {}): Promise<JobFacts> {
  const a = jobRun.attemptRows[0];
  const output = a ? await outputTail(tx, a.id, OUTPUT_TAIL_LINES) : '';
  const start = a?.startedAt?.getTime() ?? null;
  const end = a?.endedAt?.getTime() ?? null;
  const facts: JobFacts = {
    job: jobRun.job,
    state: opts.state ?? jobRun.state,
    reason: opts.reason !== undefined ? opts.reason : jobRun.reason,
    attempt: a ? a.number : null,
    maxAttempts: spec?.workflow !== undefined ? 1 : (spec?.retries ?? 0) + 1,
    exitCode: a?.exitCode ?? null,
    signal: a?.signal ?? null,
    executor: a?.executorId != null ? (ctx.executors.get(a.executorId) ?? null) : null,
    startedAt: iso(a?.startedAt),
    endedAt: iso(a?.endedAt),
    durationMs: start === null ? null : (end ?? now) - start,
    childRunId: jobRun.childRunId,
    output,
    outputUrl: a ? `${publicUrl()}/api/v1/runs/${ctx.id}/jobs/${encodeURIComponent(jobRun.job)}/output?attempt=${a.number}` : null,
  };
  if (opts.retry) facts.retry = { attempt: opts.retry.attempt, at: new Date(opts.retry.at).toISOString() };
  return facts;
}

/** The jobs a run event describes: every job for a success; the failed ones (else the cancelled, else all not successful) for a failure. */
export function jobsConcerned(ctx: RunContext, event: 'run.success' | 'run.failure' | 'run.long-running'): JobRunRow[] {
  if (event === 'run.success') return ctx.jobRuns;
  if (event === 'run.long-running') return ctx.jobRuns.filter((j) => j.state === 'executing' || j.state === 'queued');
  for (const pick of [(j: JobRunRow) => j.state === 'failure', (j: JobRunRow) => j.state === 'cancelled', (j: JobRunRow) => j.state !== 'success']) {
    const found = ctx.jobRuns.filter(pick);
    if (found.length) return found;
  }
  return [];
}

export async function jobsFacts(tx: Tx, ctx: RunContext, rows: JobRunRow[], spec: WorkflowSpec, now: number, max: number): Promise<JobFacts[]> {
  const out: JobFacts[] = [];
  for (const r of rows.slice(0, max)) out.push(await jobFacts(tx, ctx, r, spec.jobs[r.job], now));
  return out;
}
