// A WorkflowSpec back into the definition a person would write: what is stored as a version's
// source, shown by "view as YAML" and served by GET /workflows/{name}. Canonical: keys in the
// order of CONTRACT.md, durations in their shortest exact form ('90s', '1500ms'), list forms for
// `needs` and `runsOn`, and job settings left at their defaults left out. Reading it back with
// validateDefinition gives an equal spec.

import { formatDuration } from '../duration';
import type { JobSpec, NotifyRules, NotifyTarget, ScheduleSpec, WorkflowSpec } from '../types';
import { NOTIFY_EVENTS } from './notify';

export function toStoredDefinition(spec: WorkflowSpec): object {
  const out: Record<string, unknown> = { name: spec.name };
  if (spec.description !== undefined) out.description = spec.description;
  // The group is always written: it decides who may see and run the workflow.
  out.group = spec.group;
  if (Object.keys(spec.params).length > 0) {
    out.params = mapValues(spec.params, (p) => ({
      ...(p.default !== undefined && { default: p.default }),
      ...(p.description !== undefined && { description: p.description }),
    }));
  }
  if (spec.timeoutMs !== undefined) out.timeout = formatDuration(spec.timeoutMs);
  if (spec.notify !== undefined) out.notify = storedNotify(spec.notify);
  if (spec.schedule !== undefined) out.schedule = storedSchedule(spec.schedule);
  out.jobs = mapValues(spec.jobs, storedJob);
  return out;
}

/** Every schedule setting is written: they decide when runs happen, so they are best seen. */
function storedSchedule(s: ScheduleSpec): object {
  return {
    cron: s.cron,
    timezone: s.timezone,
    catchup: s.catchup,
    catchupLimit: s.catchupLimit,
    overlap: s.overlap,
    enabled: s.enabled,
  };
}

function storedJob(job: JobSpec): object {
  const out: Record<string, unknown> = {};
  if (job.command !== undefined) out.command = job.command;
  if (job.workflow !== undefined) out.workflow = job.workflow;
  if (job.needs.length > 0) out.needs = [...job.needs];
  if (Object.keys(job.env).length > 0) out.env = { ...job.env };
  if (job.workdir !== undefined) out.workdir = job.workdir;
  if (job.runsOn.length > 0) out.runsOn = [...job.runsOn];
  if (job.retries !== 0) out.retries = job.retries;
  if (job.retryDelayMs !== 0) out.retryDelay = formatDuration(job.retryDelayMs);
  if (job.timeoutMs !== undefined) out.timeout = formatDuration(job.timeoutMs);
  if (job.killGraceMs !== undefined) out.killGrace = formatDuration(job.killGraceMs);
  if (job.notify !== undefined) out.notify = storedNotify(job.notify);
  return out;
}

function storedNotify(rules: NotifyRules): object {
  const out: Record<string, unknown> = {};
  for (const event of NOTIFY_EVENTS) {
    const targets = rules[event];
    if (targets !== undefined) out[event] = targets.map(storedTarget);
  }
  if (rules.longRunningAfterMs !== undefined) out.longRunningAfter = formatDuration(rules.longRunningAfterMs);
  return out;
}

function storedTarget(target: NotifyTarget): object {
  if ('email' in target) return { email: target.email };
  return {
    webhook: target.webhook,
    ...(target.secret !== undefined && { secret: target.secret }),
    ...(target.timeoutMs !== undefined && { timeout: formatDuration(target.timeoutMs) }),
  };
}

function mapValues<T>(record: Record<string, T>, f: (value: T) => object): Record<string, object> {
  const out: Record<string, object> = {};
  for (const [key, value] of Object.entries(record)) out[key] = f(value);
  return out;
}
