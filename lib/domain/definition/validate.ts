// A definition, as parsed from YAML or JSON, into the WorkflowSpec the engine runs: every key
// checked, defaults applied, durations in milliseconds. All problems are reported at once, each
// with the path of the offending key and what to do about it, so one round trip fixes a file.

import type { JobSpec, ParamSpec, Problem, Result, WorkflowSpec } from '../types';
import { readJob } from './job';
import { PROTO_KEY, WORKFLOW_NAME, WORKFLOW_NAME_RULE } from './names';
import { findNeedsCycle } from './needs-graph';
import { readNotify } from './notify';
import { isGiven, isRawObject, readDuration, readString, refuseUnknownKeys, show, toEnvText, type RawObject } from './read';
import { readSchedule } from './schedule-block';
import { joinPath } from './source-position';
import { variableNameProblem } from './variables';

export const TOP_LEVEL_KEYS = ['name', 'description', 'group', 'params', 'timeout', 'notify', 'schedule', 'jobs'] as const;
const PARAM_KEYS = ['default', 'description'] as const;
export const DEFAULT_GROUP = 'default';
/** Enough for big fan-outs; beyond it a graph is unreadable and a save holds the write lock too long. */
export const MAX_JOBS = 2000;

/**
 * `opts.name` is the name the definition is saved under (the `{name}` of PUT /workflows/{name}):
 * a body without a name takes it, a body with another name is refused.
 */
export function validateDefinition(raw: unknown, opts: { name?: string } = {}): Result<WorkflowSpec> {
  const problems: Problem[] = [];
  if (!isGiven(raw)) {
    return fail([{ path: '', message: 'the definition is empty; write at least a name and `jobs:` (a mapping of job names to jobs)' }]);
  }
  if (!isRawObject(raw)) {
    return fail([{ path: '', message: `the definition must be a mapping with keys such as name and jobs; got ${show(raw)}` }]);
  }
  refuseUnknownKeys(raw, TOP_LEVEL_KEYS, 'at top level', '', problems);

  const name = readWorkflowName(raw, opts.name, problems);
  const spec: WorkflowSpec = { name: name ?? '', group: DEFAULT_GROUP, params: {}, jobs: {} };

  const description = readString(raw, 'description', '', problems);
  if (description !== undefined) spec.description = description;
  spec.group = readGroup(raw, problems) ?? DEFAULT_GROUP;
  spec.params = readParams(raw.params, 'params', problems);
  const timeoutMs = readDuration(raw, 'timeout', '', problems, { positive: true });
  if (timeoutMs !== undefined) spec.timeoutMs = timeoutMs;
  const notify = readNotify(raw.notify, 'notify', problems);
  if (notify !== undefined) spec.notify = notify;
  const schedule = readSchedule(raw.schedule, 'schedule', problems);
  if (schedule !== undefined) {
    spec.schedule = schedule;
    // A scheduled run has nobody to ask for a value: every param needs a default.
    for (const [param, p] of Object.entries(spec.params)) {
      if (p.default === undefined) {
        problems.push({ path: `params.${param}`, message: `param '${param}' needs a default: scheduled runs start without anyone to give it (add default: …, or remove the schedule)` });
      }
    }
  }
  spec.jobs = readJobs(raw.jobs, name, problems);

  return problems.length > 0 ? fail(problems) : { ok: true, value: spec };
}

function fail(problems: Problem[]): Result<WorkflowSpec> {
  return { ok: false, problems };
}

function readWorkflowName(raw: RawObject, pathName: string | undefined, problems: Problem[]): string | undefined {
  const inBody = raw.name;
  if (isGiven(inBody) && typeof inBody !== 'string') {
    problems.push({ path: 'name', message: `name must be a string; got ${show(inBody)}` });
    return undefined;
  }
  if (typeof inBody === 'string' && pathName !== undefined && inBody !== pathName) {
    problems.push({ path: 'name', message: `name '${inBody}' in the body must equal '${pathName}' in the path; fix one or leave name out of the body` });
    return undefined;
  }
  const name = typeof inBody === 'string' ? inBody : pathName;
  if (name === undefined) {
    problems.push({ path: 'name', message: 'name is required: the workflow name, e.g. name: nightly-etl' });
    return undefined;
  }
  if (!WORKFLOW_NAME.test(name)) {
    problems.push({ path: 'name', message: `name '${name}' is not valid: ${WORKFLOW_NAME_RULE}` });
    return undefined;
  }
  return name;
}

function readGroup(raw: RawObject, problems: Problem[]): string | undefined {
  const group = readString(raw, 'group', '', problems);
  if (group !== undefined && !WORKFLOW_NAME.test(group)) {
    problems.push({ path: 'group', message: `group '${group}' is not valid: ${WORKFLOW_NAME_RULE}` });
    return undefined;
  }
  return group;
}

/** `params: { NAME: { default?, description? } }`; `NAME:` alone declares a param with neither. */
function readParams(value: unknown, path: string, problems: Problem[]): Record<string, ParamSpec> {
  const params: Record<string, ParamSpec> = {};
  if (!isGiven(value)) return params;
  if (!isRawObject(value)) {
    problems.push({ path, message: `params must be a mapping of NAME: { default?, description? }; got ${show(value)}` });
    return params;
  }
  for (const [name, raw] of Object.entries(value)) {
    const at = joinPath(path, name);
    const nameProblem = variableNameProblem(name, 'param', at);
    if (nameProblem) {
      problems.push(nameProblem);
      continue;
    }
    if (!isGiven(raw)) {
      params[name] = {};
      continue;
    }
    if (!isRawObject(raw)) {
      problems.push({ path: at, message: `param '${name}' must be a mapping { default?, description? }; got ${show(raw)}` });
      continue;
    }
    refuseUnknownKeys(raw, PARAM_KEYS, `in param '${name}'`, at, problems);
    const param: ParamSpec = {};
    if (isGiven(raw.default)) {
      const text = toEnvText(raw.default);
      if (text === undefined) {
        problems.push({ path: joinPath(at, 'default'), message: `default must be text (numbers and true/false are taken as text); got ${show(raw.default)}` });
      } else {
        param.default = text;
      }
    }
    const description = readString(raw, 'description', at, problems);
    if (description !== undefined) param.description = description;
    params[name] = param;
  }
  return params;
}

function readJobs(value: unknown, workflowName: string | undefined, problems: Problem[]): Record<string, JobSpec> {
  const jobs: Record<string, JobSpec> = {};
  if (!isGiven(value)) {
    problems.push({ path: 'jobs', message: 'jobs is required: a mapping of job names to jobs (write `jobs: {}` for a workflow with none)' });
    return jobs;
  }
  if (!isRawObject(value)) {
    problems.push({ path: 'jobs', message: `jobs must be a mapping of job names to jobs, e.g. { build: { command: make } }; got ${show(value)}` });
    return jobs;
  }
  const jobNames = Object.keys(value);
  if (jobNames.length > MAX_JOBS) {
    // Checked before reading any job: a huge definition must cost no more than this message.
    problems.push({ path: 'jobs', message: `a workflow may have at most ${MAX_JOBS} jobs; this one has ${jobNames.length}: split it into nested workflows` });
    return jobs;
  }
  const ctx = { workflowName, jobNames, jobNameSet: new Set(jobNames) };
  for (const [name, raw] of Object.entries(value)) {
    const job = readJob(name, raw, joinPath('jobs', name), ctx, problems);
    if (job !== undefined && name !== PROTO_KEY) jobs[name] = job;
  }
  // Only edges to real, other jobs are left by readJob, so any cycle found is a true one.
  const cycle = findNeedsCycle(jobs);
  if (cycle) {
    problems.push({ path: `jobs.${cycle[0]}.needs`, message: `cycle in needs: ${cycle.join(' → ')}; remove one of these needs` });
  }
  return jobs;
}
