// (workflow, run snapshot) → React Flow nodes and edges: one node per job, one edge per need
// (DESIGN.md, "Code layout"). Pure: no React, no clock; the layout is computed once per
// definition (graphLayout) and handed in, so a run update only touches the nodes' data.

import type { Edge, MarkerType, Node } from '@xyflow/react';
import { layoutGraph, type Layout, DEFAULT_LAYOUT } from './layout';

export const NODE_WIDTH = DEFAULT_LAYOUT.nodeWidth;
export const NODE_HEIGHT = DEFAULT_LAYOUT.nodeHeight;

export const JOB_STATE_WORDS = ['new', 'queued', 'executing', 'success', 'failure', 'skipped', 'cancelled'] as const;
export type JobStateWord = (typeof JOB_STATE_WORDS)[number];
export const ENDED_JOB_STATES: readonly string[] = ['success', 'failure', 'skipped', 'cancelled'];

/** A job as the graph needs it. */
export interface GraphJob {
  name: string;
  needs: string[];
  command?: string;
  workflow?: string;
}

/** The part of GET /runs/{id} the graph reads. */
export interface AttemptSnapshot {
  number: number;
  state?: string;
  exitCode?: number | null;
  reason?: string | null;
  executor?: string | null;
  startedAt: string | null;
  endedAt: string | null;
}
export interface JobRunSnapshot {
  job: string;
  state: string;
  reason: string | null;
  retryAt?: string | null;
  childRunId?: number | null;
  attempts?: AttemptSnapshot[];
}
export interface RunSnapshot {
  id: number;
  state: string;
  jobRuns: JobRunSnapshot[];
}

export interface JobNodeData extends Record<string, unknown> {
  job: string;
  kind: 'command' | 'workflow' | 'none';
  /** The command's first line, or the nested workflow's name. */
  detail: string;
  /** Set when a run is shown. */
  state: string | null;
  reason: string | null;
  /** The first attempt's start and, once the job has ended, the last attempt's end (ISO). */
  startedAt: string | null;
  endedAt: string | null;
  attempts: number;
  retryAt: string | null;
  childRunId: number | null;
  /** Validation problems that belong to this job (editor). */
  problems: string[] | null;
  inCycle: boolean;
}

export type JobNode = Node<JobNodeData, 'job'>;
export interface Flow {
  nodes: JobNode[];
  edges: Edge[];
}

/**
 * The jobs of a definition: a validated WorkflowSpec (needs as lists), the stored definition of
 * GET /workflows/{name}, or a raw one being edited (needs as a string or a list, anything else
 * ignored). Order is the source order.
 */
export function jobsOf(definition: unknown): GraphJob[] {
  const jobs = isObject(definition) ? definition.jobs : undefined;
  if (!isObject(jobs)) return [];
  return Object.entries(jobs).map(([name, raw]) => {
    const job: GraphJob = { name, needs: [] };
    if (!isObject(raw)) return job;
    job.needs = needsList(raw.needs);
    if (typeof raw.command === 'string') job.command = raw.command;
    if (typeof raw.workflow === 'string') job.workflow = raw.workflow;
    return job;
  });
}

export function needsList(value: unknown): string[] {
  if (typeof value === 'string') return value === '' ? [] : [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/** The layout of a definition's jobs; compute it once per definition, not per run update. */
export function graphLayout(jobs: GraphJob[]): Layout {
  const needs: Record<string, string[]> = {};
  for (const j of jobs) needs[j.name] = j.needs;
  // Fewer sweeps for big graphs: the order is good after a few and each costs O(edges).
  return layoutGraph({ ids: jobs.map((j) => j.name), needs }, { sweeps: jobs.length > 300 ? 4 : 8 });
}

/** A structural key: equal keys mean an equal layout (names and needs, in order). */
export function layoutKey(jobs: GraphJob[]): string {
  return jobs.map((j) => `${j.name}<${j.needs.join(',')}`).join('\n');
}

export interface ToFlowOptions {
  layout?: Layout;
  /** problems[job]: messages shown on the job's node. */
  problems?: Record<string, string[]>;
  /** A needs cycle as findNeedsCycle gives it: [a, b, c, a] (a needs b, b needs c, c needs a). */
  cycle?: string[] | null;
  /** false: no animated edges (big graphs: an animation repaints the whole view every frame). */
  animate?: boolean;
  /** Positions the user dragged nodes to (editor), over the layout's. */
  positions?: Record<string, { x: number; y: number }>;
}

export function toFlow(definition: unknown, run?: RunSnapshot | null, opts: ToFlowOptions = {}): Flow {
  const jobs = Array.isArray(definition) ? (definition as GraphJob[]) : jobsOf(definition);
  const layout = opts.layout ?? graphLayout(jobs);
  const byJob = new Map<string, JobRunSnapshot>();
  for (const jr of run?.jobRuns ?? []) byJob.set(jr.job, jr);
  const names = new Set(jobs.map((j) => j.name));

  const cycleNodes = new Set<string>();
  const cycleEdges = new Set<string>();
  if (opts.cycle && opts.cycle.length > 1) {
    for (let i = 0; i + 1 < opts.cycle.length; i++) {
      cycleNodes.add(opts.cycle[i]);
      // cycle[i] needs cycle[i+1]: the edge runs from the need to the job.
      cycleEdges.add(edgeId(opts.cycle[i + 1], opts.cycle[i]));
    }
  }

  const nodes: JobNode[] = jobs.map((job) => {
    const jr = byJob.get(job.name);
    const position = opts.positions?.[job.name] ?? layout.positions[job.name] ?? { x: 0, y: 0 };
    return {
      id: job.name,
      type: 'job',
      position,
      width: NODE_WIDTH,
      height: NODE_HEIGHT,
      data: nodeData(job, jr, opts.problems?.[job.name] ?? null, cycleNodes.has(job.name)),
    };
  });

  const edges: Edge[] = [];
  for (const job of jobs) {
    for (const need of new Set(job.needs)) {
      if (!names.has(need) || need === job.name) continue;
      const id = edgeId(need, job.name);
      const from = byJob.get(need)?.state ?? null;
      const inCycle = cycleEdges.has(id);
      const classes = ['course-edge'];
      if (from) classes.push(`course-edge-from-${from}`);
      if (inCycle) classes.push('course-edge-cycle');
      edges.push({
        id,
        source: need,
        target: job.name,
        className: classes.join(' '),
        animated: opts.animate !== false && (inCycle || from === 'executing'),
        markerEnd: { type: 'arrowclosed' as MarkerType, width: 18, height: 18 },
        data: { inCycle },
      });
    }
  }
  return { nodes, edges };
}

export function edgeId(need: string, job: string): string {
  return `${need}->${job}`;
}

function nodeData(job: GraphJob, jr: JobRunSnapshot | undefined, problems: string[] | null, inCycle: boolean): JobNodeData {
  const attempts = jr?.attempts ?? [];
  const started = attempts.map((a) => a.startedAt).filter((t): t is string => t !== null).sort();
  const ended = jr && ENDED_JOB_STATES.includes(jr.state);
  const ends = attempts.map((a) => a.endedAt).filter((t): t is string => t !== null).sort();
  return {
    job: job.name,
    kind: job.workflow !== undefined ? 'workflow' : job.command !== undefined ? 'command' : 'none',
    detail: job.workflow !== undefined ? job.workflow : firstLine(job.command ?? ''),
    state: jr?.state ?? null,
    reason: jr?.reason ?? null,
    startedAt: started[0] ?? null,
    endedAt: ended ? (ends[ends.length - 1] ?? started[0] ?? null) : null,
    attempts: attempts.length,
    retryAt: jr?.retryAt ?? null,
    childRunId: jr?.childRunId ?? null,
    problems: problems && problems.length ? problems : null,
    inCycle,
  };
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0];
  return line.length > 60 ? `${line.slice(0, 59)}…` : line;
}

/** Milliseconds a job has run (first start to end, or to `now` while it has not ended); null before it starts. */
export function elapsedMs(data: Pick<JobNodeData, 'startedAt' | 'endedAt'>, now: number): number | null {
  if (!data.startedAt) return null;
  const start = Date.parse(data.startedAt);
  const end = data.endedAt ? Date.parse(data.endedAt) : now;
  return Math.max(0, end - start);
}

/** 850ms, 12s, 3m 05s, 2h 03m. */
export function formatElapsed(ms: number): string {
  if (ms < 1000) return ms === 0 ? '0s' : `${Math.round(ms)}ms`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d ${String(h % 24).padStart(2, '0')}h`;
}

/**
 * `next` with every node and edge whose content equals the one in `prev` replaced by the old
 * object, so memoized node components and React Flow's own diff skip what did not change.
 */
export function reuseUnchanged(prev: Flow | null, next: Flow): Flow {
  if (!prev) return next;
  const oldNodes = new Map(prev.nodes.map((n) => [n.id, n]));
  const oldEdges = new Map(prev.edges.map((e) => [e.id, e]));
  let same = prev.nodes.length === next.nodes.length && prev.edges.length === next.edges.length;
  const nodes = next.nodes.map((n, i) => {
    const old = oldNodes.get(n.id);
    const keep = old && old.position.x === n.position.x && old.position.y === n.position.y && shallowEqual(old.data, n.data);
    if (!keep || prev.nodes[i] !== old) same = false;
    return keep ? old : n;
  });
  const edges = next.edges.map((e, i) => {
    const old = oldEdges.get(e.id);
    const keep = old && old.className === e.className && old.animated === e.animated && old.source === e.source && old.target === e.target;
    if (!keep || prev.edges[i] !== old) same = false;
    return keep ? old : e;
  });
  return same ? prev : { nodes, edges };
}

function shallowEqual(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    const va = a[k];
    const vb = b[k];
    if (va === vb) continue;
    if (Array.isArray(va) && Array.isArray(vb) && va.length === vb.length && va.every((x, i) => x === vb[i])) continue;
    return false;
  }
  return true;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
