// Which notifications a state change raises (pure: no I/O, no clock). The definition's `notify`
// rules (CONTRACT.md, "Definitions") meet the state machine's effects here:
//   workflow notify.onSuccess / onFailure → run.success / run.failure when the run ends
//   job notify.onSuccess / onFailure      → job.success / job.failure when that job ends
//   job or workflow notify.onRetry        → job.retry when an attempt failed and another will follow
//   notify.onLongRunning                  → run.long-running / job.long-running (the worker's check)
// A failure is only raised when the job (or run) has ended `failure`, which the state machine
// does after the final retry: the attempts before it raise job.retry instead. Cancelled runs
// and jobs and skipped jobs raise nothing (docs/notifications.md, "Decisions").
import type { Effect } from '../../domain/run';
import type { NotifyRules, NotifyTarget, WorkflowSpec } from '../../domain/types';

export const NOTIFY_EVENT_NAMES = ['run.success', 'run.failure', 'job.success', 'job.failure', 'job.retry', 'run.long-running', 'job.long-running'] as const;
export type NotifyEvent = (typeof NOTIFY_EVENT_NAMES)[number];

export interface Matched {
  event: NotifyEvent;
  /** The job concerned (job events). */
  job?: string;
  /** Distinct targets, in the order the definition names them (job rules before workflow rules). */
  targets: NotifyTarget[];
}

/** Identity of a target for de-duplication: the same address or URL twice is one delivery. */
export function targetIdentity(t: NotifyTarget): { channel: 'email' | 'webhook'; target: string } {
  return 'email' in t ? { channel: 'email', target: t.email } : { channel: 'webhook', target: t.webhook };
}

function distinct(lists: (NotifyTarget[] | undefined)[]): NotifyTarget[] {
  const seen = new Set<string>();
  const out: NotifyTarget[] = [];
  for (const list of lists) {
    for (const t of list ?? []) {
      const id = targetIdentity(t);
      const key = `${id.channel}:${id.channel === 'email' ? id.target.toLowerCase() : id.target}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(t);
    }
  }
  return out;
}

/** A job's own rules (an own property only: a job named `constructor` finds nothing inherited). */
function jobRules(spec: WorkflowSpec, job: string): NotifyRules | undefined {
  return Object.hasOwn(spec.jobs, job) ? spec.jobs[job].notify : undefined;
}

/** The notification an engine effect raises under `spec`'s rules, or null. */
export function matchEffect(spec: WorkflowSpec, effect: Effect): Matched | null {
  let m: Matched | null = null;
  switch (effect.type) {
    case 'job-ended': {
      const rules = jobRules(spec, effect.job);
      if (effect.state === 'success') m = { event: 'job.success', job: effect.job, targets: distinct([rules?.onSuccess]) };
      else if (effect.state === 'failure') m = { event: 'job.failure', job: effect.job, targets: distinct([rules?.onFailure]) };
      break;
    }
    case 'job-retry':
      m = { event: 'job.retry', job: effect.job, targets: distinct([jobRules(spec, effect.job)?.onRetry, spec.notify?.onRetry]) };
      break;
    case 'run-ended':
      if (effect.state === 'success') m = { event: 'run.success', targets: distinct([spec.notify?.onSuccess]) };
      else if (effect.state === 'failure') m = { event: 'run.failure', targets: distinct([spec.notify?.onFailure]) };
      break;
    default:
      return null;
  }
  return m && m.targets.length > 0 ? m : null;
}

/** Cheap test before any database read: does the effect kind have rules anywhere in the spec? */
export function mayNotify(spec: WorkflowSpec, effect: Effect): boolean {
  return effect.type === 'job-ended' || effect.type === 'job-retry' || effect.type === 'run-ended' ? matchEffect(spec, effect) !== null : false;
}

export interface LongRunningRule {
  afterMs: number;
  targets: NotifyTarget[];
}

/** The workflow's onLongRunning rule, if any. */
export function runLongRunningRule(spec: WorkflowSpec): LongRunningRule | null {
  return longRule(spec.notify);
}

/** Jobs with an onLongRunning rule of their own. */
export function jobLongRunningRules(spec: WorkflowSpec): Map<string, LongRunningRule> {
  const out = new Map<string, LongRunningRule>();
  for (const [name, job] of Object.entries(spec.jobs)) {
    const r = longRule(job.notify);
    if (r) out.set(name, r);
  }
  return out;
}

function longRule(rules: NotifyRules | undefined): LongRunningRule | null {
  if (!rules?.onLongRunning?.length || rules.longRunningAfterMs === undefined) return null;
  return { afterMs: rules.longRunningAfterMs, targets: distinct([rules.onLongRunning]) };
}

/**
 * The event's id, sent as `Idempotency-Key`: stable for one event (every target, every retry),
 * distinct across events, runs and databases (the run's creation time is in it, so a fresh
 * database reusing run ids does not collide with an old one's keys). ASCII, header-safe.
 */
export function eventIdFor(run: { id: number; createdAt: Date | number }, event: NotifyEvent, job?: string, attempt?: number): string {
  const created = (typeof run.createdAt === 'number' ? run.createdAt : run.createdAt.getTime()).toString(36);
  const parts = ['course', `run-${run.id}-${created}`, event];
  if (job !== undefined) parts.push(job);
  if (attempt !== undefined) parts.push(`attempt-${attempt}`);
  return parts.join(':');
}
