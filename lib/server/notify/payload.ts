// What a notification says (pure). The webhook body is the payload as JSON; the email is written
// from the same payload, so both channels always tell the same thing (CONTRACT.md, "Webhooks and
// email": the workflow, the run with its link, and each job concerned with its state, reason, exit
// code, attempt, duration and last 50 lines of output).
import type { NotifyEvent } from './rules';

export const OUTPUT_TAIL_LINES = 50;
/** A tail longer than this (characters) keeps only its end: fifty very long lines stay readable. */
export const OUTPUT_TAIL_MAX_CHARS = 16_000;
/** Run events describe at most this many jobs in full (the rest are counted in `moreJobs`). */
export const MAX_JOBS_IN_FULL = 20;

export interface JobFacts {
  job: string;
  state: string;
  reason: string | null;
  /** The attempt described (the last one; for job.retry the one that failed); null before any. */
  attempt: number | null;
  /** Attempts allowed in all: retries + 1. */
  maxAttempts: number;
  exitCode: number | null;
  signal: string | null;
  executor: string | null;
  startedAt: string | null;
  endedAt: string | null;
  durationMs: number | null;
  /** For a `workflow:` job: the child run. */
  childRunId: number | null;
  /** The last 50 lines of the attempt's output (decoded leniently). */
  output: string;
  outputUrl: string | null;
  /** job.retry: the attempt to come and when. */
  retry?: { attempt: number; at: string };
}

export interface RunFacts {
  id: number;
  state: string;
  reason: string | null;
  trigger: string;
  nominalTime: string;
  startedAt: string | null;
  endedAt: string | null;
  durationMs: number | null;
  url: string;
}

export interface NotificationPayload {
  /** The event id: also the Idempotency-Key header. */
  id: string;
  event: NotifyEvent;
  /** When the event happened (ISO 8601 UTC). */
  at: string;
  workflow: string;
  /** A human summary: the email's subject without the `[Course]` prefix. */
  title: string;
  run: RunFacts;
  jobs: JobFacts[];
  /** Run events: how many jobs ended in each state. */
  summary?: Record<string, number>;
  /** Jobs not described in `jobs` (run events of very large workflows). */
  moreJobs?: number;
  /** Long-running events: the threshold and how long it has been running. */
  longRunning?: { afterMs: number; runningForMs: number };
}

/** The last `lines` lines of `text`, at most OUTPUT_TAIL_MAX_CHARS characters, without a trailing newline. */
export function tailLines(text: string, lines = OUTPUT_TAIL_LINES): string {
  const trimmed = text.replace(/\r?\n$/, '');
  let tail = trimmed.split('\n').slice(-lines).join('\n');
  if (tail.length > OUTPUT_TAIL_MAX_CHARS) tail = `…${tail.slice(tail.length - OUTPUT_TAIL_MAX_CHARS + 1)}`;
  return tail;
}

/** 850 ms, 3.2 s, 2 min 5 s, 1 h 3 min. */
export function formatDurationHuman(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return 'unknown';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(Math.round(ms / 100) / 10).toString()} s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  const m = Math.round(s / 60);
  if (m < 48 * 60) return `${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ''}`;
  return `${Math.floor(m / 1440)} d${Math.floor((m % 1440) / 60) ? ` ${Math.floor((m % 1440) / 60)} h` : ''}`;
}

/** One line, no control characters (a subject is a mail header), at most `max` characters. */
export function oneLine(text: string, max = 200): string {
  // eslint-disable-next-line no-control-regex
  const s = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

export interface TitleInput {
  event: NotifyEvent;
  workflow: string;
  run: Pick<RunFacts, 'id' | 'reason'>;
  job?: Pick<JobFacts, 'job' | 'reason' | 'attempt'> & { retry?: JobFacts['retry'] };
  longRunning?: { afterMs: number };
}

/** The one-line summary: `nightly-etl failed: job extract failed: exit code 3`. */
export function titleFor(t: TitleInput): string {
  const wf = t.workflow;
  const job = t.job?.job ?? '?';
  switch (t.event) {
    case 'run.success':
      return `${wf} succeeded (run ${t.run.id})`;
    case 'run.failure':
      return `${wf} failed: ${t.run.reason ?? `run ${t.run.id} failed`}`;
    case 'job.success':
      return `${wf}: job ${job} succeeded (run ${t.run.id})`;
    case 'job.failure':
      return `${wf}: job ${job} failed: ${t.job?.reason ?? 'failed'}`;
    case 'job.retry':
      return `${wf}: job ${job} attempt ${t.job?.attempt ?? '?'} failed: ${t.job?.reason ?? 'failed'}; retrying (attempt ${t.job?.retry?.attempt ?? '?'})`;
    case 'run.long-running':
      return `${wf} still running after ${formatDurationHuman(t.longRunning?.afterMs ?? null)} (run ${t.run.id})`;
    case 'job.long-running':
      return `${wf}: job ${job} still running after ${formatDurationHuman(t.longRunning?.afterMs ?? null)} (run ${t.run.id})`;
  }
}

export interface PayloadInput {
  id: string;
  event: NotifyEvent;
  at: number;
  workflow: string;
  run: RunFacts;
  /** The jobs concerned, in the order to show them. */
  jobs: JobFacts[];
  /** How many jobs are concerned in all, when `jobs` holds only the first of them. */
  jobsConcerned?: number;
  /** Run events: every job run's state, for the summary. */
  allJobStates?: string[];
  longRunning?: { afterMs: number; runningForMs: number };
}

/** The payload, with a stable key order (the body is signed as sent and re-sent byte for byte). */
export function buildPayload(input: PayloadInput): NotificationPayload {
  const jobs = input.jobs.slice(0, MAX_JOBS_IN_FULL).map((j) => ({ ...j, output: tailLines(j.output) }));
  const first = input.jobs[0];
  const title = oneLine(
    titleFor({ event: input.event, workflow: input.workflow, run: input.run, ...(first && { job: first }), ...(input.longRunning && { longRunning: input.longRunning }) }),
    400,
  );
  const payload: NotificationPayload = { id: input.id, event: input.event, at: new Date(input.at).toISOString(), workflow: input.workflow, title, run: input.run, jobs };
  if (input.allJobStates) {
    const summary: Record<string, number> = {};
    for (const s of input.allJobStates) summary[s] = (summary[s] ?? 0) + 1;
    payload.summary = summary;
  }
  const more = Math.max(input.jobsConcerned ?? 0, input.jobs.length) - jobs.length;
  if (more > 0) payload.moreJobs = more;
  if (input.longRunning) payload.longRunning = input.longRunning;
  return payload;
}

export interface EmailContent {
  subject: string;
  text: string;
}

/** The email for a payload: subject `[Course] <title>` and a plain-text body. */
export function renderEmail(p: NotificationPayload): EmailContent {
  const subject = oneLine(`[Course] ${p.title}`, 200);
  const lines: string[] = [p.title, ''];
  lines.push(`Workflow:  ${p.workflow}`);
  lines.push(`Run:       ${p.run.id} (${p.run.state}${p.run.reason ? `: ${p.run.reason}` : ''})`);
  lines.push(`Link:      ${p.run.url}`);
  lines.push(`Trigger:   ${p.run.trigger}, nominal time ${p.run.nominalTime}`);
  if (p.run.startedAt) lines.push(`Started:   ${p.run.startedAt}`);
  if (p.run.endedAt) lines.push(`Ended:     ${p.run.endedAt} (took ${formatDurationHuman(p.run.durationMs)})`);
  if (p.longRunning) lines.push(`Running:   ${formatDurationHuman(p.longRunning.runningForMs)} (notified after ${formatDurationHuman(p.longRunning.afterMs)})`);
  if (p.summary) {
    lines.push(
      `Jobs:      ${Object.entries(p.summary)
        .map(([state, n]) => `${n} ${state}`)
        .join(', ')}`,
    );
  }
  for (const j of p.jobs) {
    lines.push('', `Job ${j.job}: ${j.state}${j.reason ? ` (${j.reason})` : ''}`);
    const facts: string[] = [];
    if (j.attempt !== null) facts.push(`attempt ${j.attempt} of ${j.maxAttempts}`);
    if (j.exitCode !== null) facts.push(`exit code ${j.exitCode}`);
    if (j.signal) facts.push(`signal ${j.signal}`);
    if (j.durationMs !== null) facts.push(`took ${formatDurationHuman(j.durationMs)}`);
    if (j.executor) facts.push(`on executor ${j.executor}`);
    if (j.childRunId !== null) facts.push(`child run ${j.childRunId}`);
    if (facts.length) lines.push(`  ${facts.join(', ')}`);
    if (j.startedAt) lines.push(`  started ${j.startedAt}${j.endedAt ? `, ended ${j.endedAt}` : ''}`);
    if (j.retry) lines.push(`  next: attempt ${j.retry.attempt} at ${j.retry.at}`);
    if (j.output) {
      lines.push(`  last ${OUTPUT_TAIL_LINES} lines of output:`);
      for (const l of j.output.split('\n')) lines.push(`  | ${l}`);
    } else if (j.attempt !== null) {
      lines.push('  (no output)');
    }
  }
  if (p.moreJobs) lines.push('', `… and ${p.moreJobs} more jobs: see ${p.run.url}`);
  lines.push('', '-- ', `Course · event ${p.event} · id ${p.id}`);
  return { subject, text: `${lines.join('\n')}\n` };
}
