// One entry of `jobs`: a task (`command`) or a nested workflow (`workflow`), with its dependencies,
// environment, placement, retry and time limits, and notifications.

import type { JobSpec, Problem } from '../types';
import { readNotify } from './notify';
import { JOB_NAME, JOB_NAME_RULE, PROTO_KEY, WORKFLOW_NAME, WORKFLOW_NAME_RULE } from './names';
import { isGiven, isRawObject, readDuration, readInteger, readString, refuseUnknownKeys, show } from './read';
import { joinPath } from './source-position';
import { readVariables } from './variables';

export const JOB_KEYS = [
  'command',
  'workflow',
  'needs',
  'env',
  'workdir',
  'runsOn',
  'retries',
  'retryDelay',
  'timeout',
  'killGrace',
  'notify',
] as const;

export const MAX_RETRIES = 100;

export interface JobContext {
  /** The workflow being validated, when its name is known: a job may not nest it. */
  workflowName: string | undefined;
  /** Every key of `jobs`, in source order, valid or not: `needs` may name any of them. */
  jobNames: string[];
  /** The same names as a set: `needs` is checked once per edge, so a lookup must not scan. */
  jobNameSet: ReadonlySet<string>;
}

/** Checks the job name too. Returns undefined only when there is nothing to build a job from. */
export function readJob(name: string, value: unknown, path: string, ctx: JobContext, problems: Problem[]): JobSpec | undefined {
  if (!JOB_NAME.test(name)) {
    problems.push({ path, message: `job name '${name}' is not valid: ${JOB_NAME_RULE}` });
  } else if (name === PROTO_KEY) {
    problems.push({ path, message: `job name '${name}' is reserved; choose another name` });
  }
  if (!isRawObject(value)) {
    problems.push({ path, message: `job '${name}' must be a mapping with a command or a workflow, e.g. { command: "make test" }; got ${show(value)}` });
    return undefined;
  }
  refuseUnknownKeys(value, JOB_KEYS, `in job '${name}'`, path, problems);

  const job: JobSpec = { name, needs: [], env: {}, runsOn: [], retries: 0, retryDelayMs: 0 };

  const hasCommand = isGiven(value.command);
  const hasWorkflow = isGiven(value.workflow);
  if (hasCommand === hasWorkflow) {
    problems.push({
      path,
      message: hasCommand
        ? `job '${name}' has both command and workflow; keep exactly one`
        : `job '${name}' needs exactly one of command (a shell command) or workflow (a saved workflow's name)`,
    });
  }
  const command = readString(value, 'command', path, problems, { nonEmpty: true });
  if (command !== undefined) job.command = command;
  const workflow = readNestedWorkflow(value.workflow, joinPath(path, 'workflow'), ctx, problems);
  if (workflow !== undefined) job.workflow = workflow;

  job.needs = readNeeds(value.needs, joinPath(path, 'needs'), name, ctx, problems);
  job.env = readVariables(value.env, joinPath(path, 'env'), 'env', problems);
  const workdir = readString(value, 'workdir', path, problems, { nonEmpty: true });
  if (workdir !== undefined) job.workdir = workdir;
  job.runsOn = readLabels(value.runsOn, joinPath(path, 'runsOn'), problems);
  job.retries = readInteger(value, 'retries', 0, MAX_RETRIES, path, problems) ?? 0;
  job.retryDelayMs = readDuration(value, 'retryDelay', path, problems) ?? 0;
  const timeoutMs = readDuration(value, 'timeout', path, problems, { positive: true });
  if (timeoutMs !== undefined) job.timeoutMs = timeoutMs;
  const killGraceMs = readDuration(value, 'killGrace', path, problems);
  if (killGraceMs !== undefined) job.killGraceMs = killGraceMs;
  const notify = readNotify(value.notify, joinPath(path, 'notify'), problems);
  if (notify !== undefined) job.notify = notify;
  return job;
}

function readNestedWorkflow(value: unknown, path: string, ctx: JobContext, problems: Problem[]): string | undefined {
  if (!isGiven(value)) return undefined;
  if (typeof value !== 'string' || !WORKFLOW_NAME.test(value)) {
    problems.push({ path, message: `workflow must be the name of a saved workflow (${WORKFLOW_NAME_RULE}); got ${show(value)}` });
    return undefined;
  }
  if (value === ctx.workflowName) {
    problems.push({ path, message: `workflow '${value}' cannot nest itself; name another workflow` });
    return undefined;
  }
  return value;
}

/** `needs: a` is short for `needs: [a]`. Only references to real, other jobs are kept. */
function readNeeds(value: unknown, path: string, self: string, ctx: JobContext, problems: Problem[]): string[] {
  if (!isGiven(value)) return [];
  const items = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(items)) {
    problems.push({ path, message: `needs must be a job name or a list of job names; got ${show(value)}` });
    return [];
  }
  const needs: string[] = [];
  items.forEach((item, index) => {
    if (typeof item !== 'string') {
      problems.push({ path: joinPath(path, index), message: `needs must list job names; got ${show(item)}` });
    } else if (item === self) {
      problems.push({ path, message: `job '${self}' cannot need itself; remove '${self}' from its needs` });
    } else if (!ctx.jobNameSet.has(item)) {
      problems.push({ path, message: `unknown job '${item}'; jobs are ${listNames(ctx.jobNames)}` });
    } else if (needs.includes(item)) {
      problems.push({ path, message: `job '${item}' is listed twice in needs; list it once` });
    } else {
      needs.push(item);
    }
  });
  return needs;
}

function listNames(names: string[]): string {
  const shown = names.slice(0, 20).join(', ');
  return names.length > 20 ? `${shown}, … (${names.length} in all)` : shown;
}

/** Executor labels: one label or a list; the job runs only on an executor that has them all. */
function readLabels(value: unknown, path: string, problems: Problem[]): string[] {
  if (!isGiven(value)) return [];
  const items = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(items)) {
    problems.push({ path, message: `runsOn must be an executor label or a list of labels; got ${show(value)}` });
    return [];
  }
  const labels: string[] = [];
  items.forEach((item, index) => {
    if (typeof item !== 'string' || item.trim() === '') {
      problems.push({ path: joinPath(path, index), message: `runsOn labels must be non-empty strings; got ${show(item)}` });
    } else if (labels.includes(item)) {
      problems.push({ path, message: `label '${item}' is listed twice in runsOn; list it once` });
    } else {
      labels.push(item);
    }
  });
  return labels;
}
