// The editor's model, pure: a definition being edited is a plain object (what the YAML view
// parses to, possibly not valid yet), changed by small operations (add a job, draw a need, set a
// field) and turned into YAML text; the YAML text, when it parses, becomes the object. The
// reducer keeps the two in step both ways. Validation is lib/domain's, the same code the server
// runs on save; its problems are placed on the job and field their path names.

import { stringify } from 'yaml';
import { findNeedsCycle, parseDefinitionText, validateDefinition } from '../../lib/domain/definition';
import type { Problem } from '../../lib/domain/types';
import { jobsOf, needsList } from '../graph/to-flow';

export type RawJob = Record<string, unknown>;
export type RawDefinition = Record<string, unknown>;

/** Job keys in the order CONTRACT.md lists them; the editor writes them in this order. */
export const JOB_KEY_ORDER = ['command', 'workflow', 'needs', 'env', 'workdir', 'runsOn', 'retries', 'retryDelay', 'timeout', 'killGrace', 'notify'];
export const JOB_NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export function newDefinition(name: string, group: string): RawDefinition {
  return { name, group, jobs: {} };
}

export function jobsRecord(def: RawDefinition): Record<string, RawJob> {
  const jobs = def.jobs;
  if (typeof jobs !== 'object' || jobs === null || Array.isArray(jobs)) return {};
  const out: Record<string, RawJob> = {};
  for (const [k, v] of Object.entries(jobs as Record<string, unknown>)) out[k] = typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as RawJob) : {};
  return out;
}

function withJobs(def: RawDefinition, jobs: Record<string, RawJob>): RawDefinition {
  return { ...def, jobs };
}

/** A job name not taken yet: job-1, job-2… */
export function freshJobName(def: RawDefinition, base = 'job'): string {
  const taken = new Set(Object.keys(jobsRecord(def)));
  for (let i = 1; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

export function addJob(def: RawDefinition, name = freshJobName(def)): { definition: RawDefinition; job: string } {
  const jobs = jobsRecord(def);
  if (Object.hasOwn(jobs, name)) return { definition: def, job: name };
  return { definition: withJobs(def, { ...jobs, [name]: { command: `echo ${name}` } }), job: name };
}

/** Removes jobs, and every need that named them. */
export function removeJobs(def: RawDefinition, names: string[]): RawDefinition {
  if (names.length === 0) return def;
  const gone = new Set(names);
  const out: Record<string, RawJob> = {};
  for (const [name, job] of Object.entries(jobsRecord(def))) {
    if (gone.has(name)) continue;
    const needs = needsList(job.needs);
    out[name] = needs.some((n) => gone.has(n)) ? setKey(job, 'needs', needs.filter((n) => !gone.has(n))) : job;
  }
  return withJobs(def, out);
}

/** Renames a job in place (its position kept) and in every need naming it; an existing name is refused. */
export function renameJob(def: RawDefinition, from: string, to: string): { definition: RawDefinition; error?: string } {
  if (from === to) return { definition: def };
  const jobs = jobsRecord(def);
  if (!Object.hasOwn(jobs, from)) return { definition: def, error: `no job '${from}'` };
  if (Object.hasOwn(jobs, to)) return { definition: def, error: `a job named '${to}' exists already` };
  const out: Record<string, RawJob> = {};
  for (const [name, job] of Object.entries(jobs)) {
    const needs = needsList(job.needs);
    const renamed = needs.includes(from) ? setKey(job, 'needs', needs.map((n) => (n === from ? to : n))) : job;
    out[name === from ? to : name] = renamed;
  }
  return { definition: withJobs(def, out) };
}

/** `job` needs `need` (an edge drawn from need to job). */
export function addNeed(def: RawDefinition, job: string, need: string): RawDefinition {
  const jobs = jobsRecord(def);
  if (!Object.hasOwn(jobs, job) || job === need) return def;
  const needs = needsList(jobs[job].needs);
  if (needs.includes(need)) return def;
  return withJobs(def, { ...jobs, [job]: setKey(jobs[job], 'needs', [...needs, need]) });
}

export function removeNeeds(def: RawDefinition, edges: { job: string; need: string }[]): RawDefinition {
  if (edges.length === 0) return def;
  const jobs = { ...jobsRecord(def) };
  for (const { job, need } of edges) {
    if (!jobs[job]) continue;
    const needs = needsList(jobs[job].needs);
    if (needs.includes(need)) jobs[job] = setKey(jobs[job], 'needs', needs.filter((n) => n !== need));
  }
  return withJobs(def, jobs);
}

/** Sets (or, with undefined, removes) one key of a job; keys kept in CONTRACT order. */
export function setJobField(def: RawDefinition, job: string, key: string, value: unknown): RawDefinition {
  const jobs = jobsRecord(def);
  if (!Object.hasOwn(jobs, job)) return def;
  return withJobs(def, { ...jobs, [job]: setKey(jobs[job], key, value) });
}

/** A job's task: exactly one of command and workflow. */
export function setTask(def: RawDefinition, job: string, kind: 'command' | 'workflow', text: string): RawDefinition {
  const jobs = jobsRecord(def);
  if (!Object.hasOwn(jobs, job)) return def;
  const other = kind === 'command' ? 'workflow' : 'command';
  return withJobs(def, { ...jobs, [job]: setKey(setKey(jobs[job], other, undefined), kind, text) });
}

/** Sets a top-level key (description, group…), removing it for undefined. */
export function setTopField(def: RawDefinition, key: string, value: unknown): RawDefinition {
  const out: RawDefinition = { ...def };
  if (value === undefined || value === '') delete out[key];
  else out[key] = value;
  return out;
}

function setKey(job: RawJob, key: string, value: unknown): RawJob {
  const empty = value === undefined || (Array.isArray(value) && value.length === 0) || (isPlainObject(value) && Object.keys(value).length === 0);
  const entries = Object.entries(job).filter(([k]) => k !== key);
  if (!empty) entries.push([key, value]);
  const rank = (k: string) => {
    const i = JOB_KEY_ORDER.indexOf(k);
    return i < 0 ? JOB_KEY_ORDER.length : i;
  };
  entries.sort((a, b) => rank(a[0]) - rank(b[0]));
  return Object.fromEntries(entries);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// ---- text ----------------------------------------------------------------------------------

export function definitionToYaml(def: RawDefinition): string {
  return stringify(def, { lineWidth: 0, indent: 2 });
}

export type YamlRead = { ok: true; definition: RawDefinition } | { ok: false; problems: Problem[] };

export function yamlToDefinition(text: string): YamlRead {
  const parsed = parseDefinitionText(text, 'yaml');
  if (!parsed.ok) return { ok: false, problems: parsed.problems };
  if (!isPlainObject(parsed.value)) {
    return { ok: false, problems: [{ path: '', message: 'the definition must be a mapping with keys such as name and jobs' }] };
  }
  return { ok: true, definition: parsed.value };
}

// ---- checks --------------------------------------------------------------------------------

export interface PlacedProblems {
  all: Problem[];
  /** byJob[job]: every problem under jobs.<job>. */
  byJob: Record<string, Problem[]>;
  /** byField[`${job}.${field}`]: problems of one field of a job (`needs`, `env`, `retries`…); field '' for the job as a whole. */
  byField: Record<string, Problem[]>;
  /** Problems of the workflow itself (name, group, schedule…). */
  general: Problem[];
}

/** Places problems by their path: `jobs.X.needs` → job X, field needs; `jobs.X` → job X; others general. */
export function placeProblems(problems: Problem[]): PlacedProblems {
  const placed: PlacedProblems = { all: problems, byJob: {}, byField: {}, general: [] };
  for (const p of problems) {
    const m = /^jobs\.([^.]+)(?:\.([^.]+))?/.exec(p.path);
    if (!m) {
      placed.general.push(p);
      continue;
    }
    const [, job, field = ''] = m;
    (placed.byJob[job] ??= []).push(p);
    (placed.byField[`${job}.${field}`] ??= []).push(p);
  }
  return placed;
}

export interface DefinitionCheck extends PlacedProblems {
  /** The needs cycle as findNeedsCycle walks it ([a, b, a]), or null. */
  cycle: string[] | null;
}

export function checkDefinition(def: RawDefinition, name: string): DefinitionCheck {
  const result = validateDefinition(def, { name });
  const placed = placeProblems(result.ok ? [] : result.problems);
  const graph: Record<string, { needs: string[] }> = {};
  for (const j of jobsOf(def)) graph[j.name] = { needs: j.needs };
  return { ...placed, cycle: findNeedsCycle(graph) };
}

/** Problem messages per job, for the graph's nodes. */
export function problemMessages(placed: PlacedProblems): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [job, ps] of Object.entries(placed.byJob)) out[job] = ps.map((p) => p.message);
  return out;
}

// ---- the two views in step ----------------------------------------------------------------

export interface EditorState {
  /** The last definition that parsed: what the graph and the form show. */
  definition: RawDefinition;
  /** The YAML view's text: regenerated after a graph or form edit, kept as typed otherwise. */
  yaml: string;
  /** Why the YAML text does not parse (the graph then shows the last definition that did). */
  yamlProblems: Problem[] | null;
  /** 0 when loaded, bumped on every change: tells a saved (or loaded) state from an edited one. */
  revision: number;
}

export type EditorAction =
  | { type: 'load'; definition: RawDefinition }
  | { type: 'edit'; update: (def: RawDefinition) => RawDefinition }
  | { type: 'yaml'; text: string };

export function initEditor(definition: RawDefinition): EditorState {
  return { definition, yaml: definitionToYaml(definition), yamlProblems: null, revision: 0 };
}

export function editorReducer(state: EditorState, action: EditorAction): EditorState {
  switch (action.type) {
    case 'load':
      return initEditor(action.definition);
    case 'edit': {
      const definition = action.update(state.definition);
      if (definition === state.definition && state.yamlProblems === null) return state;
      return { definition, yaml: definitionToYaml(definition), yamlProblems: null, revision: state.revision + 1 };
    }
    case 'yaml': {
      const read = yamlToDefinition(action.text);
      if (!read.ok) return { ...state, yaml: action.text, yamlProblems: read.problems, revision: state.revision + 1 };
      return { definition: read.definition, yaml: action.text, yamlProblems: null, revision: state.revision + 1 };
    }
  }
}
