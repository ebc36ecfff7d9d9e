// Test support for the run state machine: builders, the invariant checker, a decision checker and
// a simulator that plays the caller (claims, reports, timers, child runs). Used by *.test.ts only.
import type { JobSpec, JobState } from '../types';
import { decide } from './decide';
import { isEnded, isLive } from './states';
import type { Decision, Effect, JobRunView, RunEvent, RunView } from './types';

// ── builders ────────────────────────────────────────────────────────────────────────────────

export interface JobOptions {
  needs?: string[];
  workflow?: string;
  retries?: number;
  retryDelayMs?: number;
}

export function job(name: string, options: JobOptions = {}): JobSpec {
  const spec: JobSpec = {
    name,
    needs: options.needs ?? [],
    env: {},
    runsOn: [],
    retries: options.retries ?? 0,
    retryDelayMs: options.retryDelayMs ?? 0,
  };
  if (options.workflow !== undefined) spec.workflow = options.workflow;
  else spec.command = `echo ${name}`;
  return spec;
}

export function jobsOf(...specs: JobSpec[]): Record<string, JobSpec> {
  const jobs: Record<string, JobSpec> = {};
  for (const spec of specs) jobs[spec.name] = spec;
  return jobs;
}

export function jobRun(jobName: string, fields: Partial<JobRunView> = {}): JobRunView {
  return { job: jobName, state: 'new', reason: null, attempts: 0, retryAt: null, childRunId: null, ...fields };
}

/** A fresh run: state `new`, every job run `new`. */
export function newRun(jobs: Record<string, JobSpec>, doneJobs?: string[]): RunView {
  const jobRuns: Record<string, JobRunView> = {};
  for (const name of Object.keys(jobs)) jobRuns[name] = jobRun(name);
  const view: RunView = { state: 'new', reason: null, jobs, jobRuns };
  if (doneJobs) view.doneJobs = doneJobs;
  return view;
}

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

/** The view after the caller has written `decision`. */
export function applyDecision(view: RunView, decision: Decision): RunView {
  const jobRuns: Record<string, JobRunView> = { ...view.jobRuns };
  for (const [name, patch] of Object.entries(decision.jobRuns)) {
    jobRuns[name] = { ...(jobRuns[name] ?? jobRun(name)), ...patch };
  }
  return { ...view, ...decision.run, jobRuns };
}

// ── invariants ──────────────────────────────────────────────────────────────────────────────

const SKIP_REASON = /^dependency (.+) (failed|skipped|cancelled)$/;
const VERB_STATE: Record<string, JobState> = { failed: 'failure', skipped: 'skipped', cancelled: 'cancelled' };

/** Everything that must hold of any view the state machine produces. Returns the violations. */
export function checkInvariants(view: RunView): string[] {
  const problems: string[] = [];
  const done = new Set(view.doneJobs ?? []);
  const names = Object.keys(view.jobs);
  const get = (name: string): JobRunView => view.jobRuns[name] ?? jobRun(name);
  const live = names.filter((name) => isLive(get(name).state));

  if (isEnded(view.state) && live.length > 0) {
    problems.push(`run is ${view.state} but job runs ${live.join(', ')} are still live`);
  }
  if (view.state === 'executing' && live.length === 0) problems.push('run is executing but no job run is live');
  if (view.state === 'new') {
    const started = names.filter((name) => get(name).state !== 'new' && !(done.has(name) && get(name).state === 'success'));
    if (started.length > 0) problems.push(`run is new but job runs ${started.join(', ')} are not`);
  }
  if (view.state === 'success') {
    if (view.reason !== null) problems.push(`successful run has reason ${view.reason}`);
    const notOk = names.filter((name) => get(name).state !== 'success');
    if (notOk.length > 0) problems.push(`run succeeded but ${notOk.join(', ')} did not`);
  }
  if ((view.state === 'failure' || view.state === 'cancelled') && !view.reason) {
    problems.push(`run is ${view.state} without a reason`);
  }
  if (view.state === 'failure' && view.reason !== 'run timeout') {
    const failed = names.filter((name) => get(name).state === 'failure');
    if (failed.length === 0) problems.push(`run failed (${view.reason}) but no job failed`);
    for (const name of failed.slice(0, 10)) {
      if (!view.reason?.includes(`job ${name} failed`)) problems.push(`run reason ${view.reason} does not name ${name}`);
    }
  }

  for (const name of names) {
    const spec = view.jobs[name];
    const run = get(name);
    const isWorkflow = spec.workflow !== undefined;
    const needStates = spec.needs.map((need) => get(need).state);
    if (run.job !== name) problems.push(`job run under ${name} says job ${run.job}`);
    if (['failure', 'skipped', 'cancelled'].includes(run.state) && !run.reason) {
      problems.push(`${name} is ${run.state} without a reason`);
    }
    if (isLive(run.state) && run.reason !== null) problems.push(`${name} is ${run.state} with reason ${run.reason}`);
    if (run.retryAt !== null) {
      if (run.state !== 'executing' || isWorkflow) problems.push(`${name} has retryAt while ${run.state}`);
      if (run.attempts < 1 || run.attempts > spec.retries) {
        problems.push(`${name} waits to retry after ${run.attempts} attempts with ${spec.retries} retries`);
      }
    }
    if (isWorkflow) {
      if (run.attempts !== 0) problems.push(`workflow job ${name} has ${run.attempts} attempts`);
      if (run.state === 'queued') problems.push(`workflow job ${name} is queued`);
    } else {
      if (run.attempts > spec.retries + 1) problems.push(`${name} made ${run.attempts} attempts, at most ${spec.retries + 1}`);
      if (run.state === 'executing' && run.attempts < 1) problems.push(`${name} is executing without an attempt`);
      if (run.state === 'queued' && run.attempts > spec.retries) problems.push(`${name} is queued with no attempt left`);
    }
    const started = run.state === 'queued' || run.state === 'executing' || (run.state === 'success' && !done.has(name));
    if (started && needStates.some((state) => state !== 'success')) {
      problems.push(`${name} is ${run.state} though its needs are ${needStates.join(', ')}`);
    }
    if (run.state === 'new' && view.state === 'executing') {
      if (needStates.every((state) => state === 'success')) problems.push(`${name} is new though its needs all succeeded`);
      const bad = spec.needs.filter((need) => ['failure', 'skipped', 'cancelled'].includes(get(need).state));
      if (bad.length > 0) problems.push(`${name} is new though ${bad.join(', ')} will never succeed`);
    }
    if (run.state === 'skipped') {
      const match = SKIP_REASON.exec(run.reason ?? '');
      if (!match) problems.push(`${name} skipped with reason ${run.reason}`);
      else if (!spec.needs.includes(match[1])) problems.push(`${name} skipped naming ${match[1]}, not one of its needs`);
      else if (get(match[1]).state !== VERB_STATE[match[2]]) {
        problems.push(`${name} skipped naming ${match[1]} ${match[2]}, but it is ${get(match[1]).state}`);
      }
    }
  }
  return problems;
}

/** Transitions a job run may make in one decision. */
const ALLOWED: Record<JobState, readonly JobState[]> = {
  new: ['queued', 'executing', 'success', 'skipped', 'cancelled'],
  queued: ['executing', 'cancelled'],
  executing: ['queued', 'success', 'failure', 'cancelled'],
  success: [],
  failure: [],
  skipped: [],
  cancelled: [],
};

/** Whether `decision` (answering `event` on `before`) agrees with its own effects. */
export function checkDecision(
  before: RunView,
  event: RunEvent,
  decision: Decision,
  after: RunView = applyDecision(before, decision),
): string[] {
  const problems: string[] = [];
  const done = new Set(event.type === 'start' ? (before.doneJobs ?? []) : []);
  const get = (view: RunView, name: string): JobRunView => view.jobRuns[name] ?? jobRun(name);
  const of = <T extends Effect['type']>(type: T) =>
    decision.effects.filter((effect): effect is Extract<Effect, { type: T }> => effect.type === type);
  const jobsOfEffects = (effects: { job: string }[]) => effects.map((effect) => effect.job).sort();
  // Only the job runs in the decision can have changed.
  const changed = Object.keys(decision.jobRuns);
  const changedTo = (test: (b: JobRunView, a: JobRunView, name: string) => boolean) =>
    changed.filter((name) => test(get(before, name), get(after, name), name)).sort();
  const same = (what: string, actual: string[], expected: string[]) => {
    if (actual.join() !== expected.join()) problems.push(`${what}: effects for [${actual}] but changes for [${expected}]`);
  };

  for (const [name, patch] of Object.entries(decision.jobRuns)) {
    if (!Object.hasOwn(before.jobs, name)) problems.push(`decision changes unknown job ${name}`);
    const fields = Object.keys(patch);
    if (fields.length === 0) problems.push(`decision has an empty change for ${name}`);
    const previous = before.jobRuns[name];
    if (previous) {
      for (const field of fields) {
        if ((patch as Record<string, unknown>)[field] === (previous as unknown as Record<string, unknown>)[field]) {
          problems.push(`decision repeats unchanged ${name}.${field}`);
        }
      }
    }
  }
  for (const name of changed) {
    const b = get(before, name).state;
    const a = get(after, name).state;
    if (a !== b && !ALLOWED[b].includes(a)) problems.push(`${name} went ${b} → ${a}`);
    if (a === 'success' && b === 'new' && !done.has(name)) problems.push(`${name} went new → success without running`);
  }
  if (decision.run.state !== undefined && decision.run.state === before.state) problems.push('run.state repeated');
  if ('reason' in decision.run && decision.run.reason === before.reason) problems.push('run.reason repeated');

  const ended = of('job-ended');
  same('job-ended', jobsOfEffects(ended), changedTo((b, a, name) => !isEnded(b.state) && isEnded(a.state) && !done.has(name)));
  for (const effect of ended) {
    const a = get(after, effect.job);
    if (effect.state !== a.state || effect.reason !== a.reason) {
      problems.push(`job-ended ${effect.job} says ${effect.state}/${effect.reason}, job run is ${a.state}/${a.reason}`);
    }
  }
  same('queue', jobsOfEffects(of('queue')), changedTo((b, a) => b.state !== 'queued' && a.state === 'queued'));
  const children = of('start-child-run');
  same('start-child-run', jobsOfEffects(children), changedTo((b, a) => b.state === 'new' && a.state === 'executing'));
  for (const effect of children) {
    if (before.jobs[effect.job].workflow !== effect.workflow) problems.push(`start-child-run ${effect.job} names ${effect.workflow}`);
  }
  const retries = of('schedule-retry');
  same('schedule-retry', jobsOfEffects(retries), changedTo((b, a) => b.retryAt === null && a.retryAt !== null));
  const notices = of('job-retry');
  same('job-retry', jobsOfEffects(notices), jobsOfEffects(retries));
  for (const effect of retries) {
    if (get(after, effect.job).retryAt !== effect.at) problems.push(`schedule-retry ${effect.job} at ${effect.at} ≠ retryAt`);
    const notice = notices.find((n) => n.job === effect.job);
    if (notice && (notice.at !== effect.at || notice.attempt !== get(after, effect.job).attempts + 1)) {
      problems.push(`job-retry ${effect.job} disagrees: attempt ${notice.attempt} at ${notice.at}`);
    }
  }
  // Attempts are killed and child runs cancelled only when the whole run is stopped.
  const stopping = event.type === 'cancel-requested' || event.type === 'run-timed-out';
  same(
    'kill-attempt',
    jobsOfEffects(of('kill-attempt')),
    changedTo(
      (b, a, name) =>
        stopping &&
        b.state === 'executing' &&
        b.retryAt === null &&
        before.jobs[name].workflow === undefined &&
        a.state === 'cancelled',
    ),
  );
  same(
    'cancel-child-run',
    jobsOfEffects(of('cancel-child-run')),
    changedTo(
      (b, a, name) =>
        stopping &&
        b.state === 'executing' &&
        b.childRunId !== null &&
        before.jobs[name].workflow !== undefined &&
        a.state === 'cancelled',
    ),
  );
  const runStarted = of('run-started').length;
  if (runStarted !== (event.type === 'start' ? 1 : 0)) problems.push(`${runStarted} run-started effects for ${event.type}`);
  const runEnded = of('run-ended');
  if (runEnded.length !== (isEnded(after.state) ? 1 : 0)) problems.push(`${runEnded.length} run-ended effects`);
  for (const effect of runEnded) {
    if (effect.state !== after.state || effect.reason !== after.reason) problems.push('run-ended disagrees with the run');
  }
  if (runEnded.length > 0 && decision.effects[decision.effects.length - 1].type !== 'run-ended') {
    problems.push('run-ended is not the last effect');
  }
  return problems;
}

// ── the simulator ───────────────────────────────────────────────────────────────────────────

export class InvariantError extends Error {}

/** Plays the caller: keeps the view, applies each decision, checks everything after each step. */
export class Sim {
  view: RunView;
  now: number;
  readonly log: { event: RunEvent; decision: Decision }[] = [];

  /**
   * `checkEvery`: check the decision and the invariants after every Nth step only (large runs);
   * the step that ends the run, and any refusal, is always checked.
   */
  constructor(
    view: RunView,
    now = 1_000_000,
    readonly checkEvery = 1,
    private readonly decideFn: typeof decide = decide,
  ) {
    this.view = deepFreeze(view);
    this.now = now;
    const problems = checkInvariants(this.view);
    if (problems.length > 0) throw new InvariantError(`initial view: ${problems.join('; ')}`);
  }

  /** Apply an event that must be accepted; returns the decision. */
  step(event: RunEvent): Decision {
    const result = this.decideFn(this.view, event, this.now);
    if (!result.ok) throw new InvariantError(`${JSON.stringify(event)} refused: ${result.error}`);
    const before = this.view;
    this.view = deepFreeze(applyDecision(before, result.decision));
    const problems: string[] = [];
    if ((this.log.length + 1) % this.checkEvery === 0 || isEnded(this.view.state)) {
      problems.push(...checkDecision(before, event, result.decision, this.view), ...checkInvariants(this.view));
    }
    if (problems.length > 0) throw new InvariantError(`after ${JSON.stringify(event)}: ${problems.join('; ')}`);
    this.log.push({ event, decision: result.decision });
    return result.decision;
  }

  /** Apply an event that must be refused; returns the error. The view stays as it was. */
  refuse(event: RunEvent): string {
    const result = this.decideFn(this.view, event, this.now);
    if (result.ok) throw new InvariantError(`${JSON.stringify(event)} accepted: ${JSON.stringify(result.decision)}`);
    return result.error;
  }

  /** What the caller does after `start-child-run`: record the child run's id. */
  setChildRunId(jobName: string, childRunId: number): void {
    const jobRuns = { ...this.view.jobRuns, [jobName]: { ...this.view.jobRuns[jobName], childRunId } };
    this.view = deepFreeze({ ...this.view, jobRuns });
  }

  state(jobName: string): JobState {
    return this.view.jobRuns[jobName].state;
  }

  jobRun(jobName: string): JobRunView {
    return this.view.jobRuns[jobName];
  }
}

// ── driving a run to its end through its effects ────────────────────────────────────────────

export type Outcome = true | string; // true: success; a string: the failure reason

export interface Script {
  /** The outcome of attempt `attempt` of command job `job` (default success). */
  attempt?: (job: string, attempt: number) => Outcome;
  /** How a workflow job's child run ends (default success). */
  child?: (job: string) => { state: 'success' | 'failure' | 'cancelled'; reason: string | null };
  /** Which pending action to take next among `count` (default the first: FIFO). */
  pick?: (count: number) => number;
  /** Called before each action; may return an event to inject (a cancel, a timeout). */
  interrupt?: (sim: Sim, actions: number) => RunEvent | undefined;
}

type Action = { kind: 'claim' | 'report' | 'child'; job: string };

export interface DriveResult {
  actions: number;
  /** Reports that arrived after the run ended and were refused. */
  lateRefused: number;
  killed: string[];
  cancelledChildren: number[];
}

/**
 * Carry out every effect the way the persistence layer and the executors would: a `queue` leads to
 * a claim and then a report, a `schedule-retry` to a `retry-due` at its time, a `start-child-run`
 * to a child run id and later its end. Stops when nothing is left to do; fails if the run has not
 * ended by then (an effect was missing) or the step budget runs out.
 */
export function drive(sim: Sim, script: Script = {}, maxActions = 1_000_000): DriveResult {
  const todo: Action[] = [];
  const timers: { job: string; at: number }[] = [];
  const result: DriveResult = { actions: 0, lateRefused: 0, killed: [], cancelledChildren: [] };
  let nextChildId = 1000;
  const absorb = (decision: Decision) => {
    for (const effect of decision.effects) {
      if (effect.type === 'queue') todo.push({ kind: 'claim', job: effect.job });
      else if (effect.type === 'schedule-retry') timers.push({ job: effect.job, at: effect.at });
      else if (effect.type === 'start-child-run') {
        sim.setChildRunId(effect.job, nextChildId++);
        todo.push({ kind: 'child', job: effect.job });
      } else if (effect.type === 'kill-attempt') result.killed.push(effect.job);
      else if (effect.type === 'cancel-child-run') result.cancelledChildren.push(effect.childRunId);
    }
  };
  const late = (event: RunEvent) => {
    sim.refuse(event);
    result.lateRefused++;
  };

  if (sim.view.state === 'new') absorb(sim.step({ type: 'start' }));
  else {
    // Resume a run already under way: what its job runs wait for is pending.
    for (const [name, run] of Object.entries(sim.view.jobRuns)) {
      if (run.state === 'queued') todo.push({ kind: 'claim', job: name });
      else if (run.state === 'executing' && sim.view.jobs[name].workflow !== undefined) todo.push({ kind: 'child', job: name });
      else if (run.state === 'executing' && run.retryAt !== null) timers.push({ job: name, at: run.retryAt });
      else if (run.state === 'executing') todo.push({ kind: 'report', job: name });
    }
  }
  while (todo.length > 0 || timers.length > 0) {
    if (++result.actions > maxActions) throw new InvariantError(`no end after ${maxActions} actions`);
    const injected = isEnded(sim.view.state) ? undefined : script.interrupt?.(sim, result.actions);
    if (injected) {
      absorb(sim.step(injected));
      continue;
    }
    if (todo.length === 0) {
      timers.sort((a, b) => a.at - b.at);
      const timer = timers.shift()!;
      sim.now = Math.max(sim.now, timer.at);
      if (isEnded(sim.view.state) || sim.state(timer.job) !== 'executing') late({ type: 'retry-due', job: timer.job });
      else absorb(sim.step({ type: 'retry-due', job: timer.job }));
      continue;
    }
    const index = script.pick ? script.pick(todo.length) : 0;
    const [action] = todo.splice(index, 1);
    const ended = isEnded(sim.view.state);
    sim.now += 1;
    if (action.kind === 'claim') {
      if (ended) late({ type: 'attempt-started', job: action.job });
      else {
        absorb(sim.step({ type: 'attempt-started', job: action.job }));
        todo.push({ kind: 'report', job: action.job });
      }
    } else if (action.kind === 'report') {
      const attempt = sim.jobRun(action.job).attempts;
      const outcome = script.attempt ? script.attempt(action.job, attempt) : true;
      const event: RunEvent =
        outcome === true
          ? { type: 'attempt-succeeded', job: action.job }
          : { type: 'attempt-failed', job: action.job, reason: outcome };
      if (ended) late(event);
      else absorb(sim.step(event));
    } else {
      const end = script.child ? script.child(action.job) : { state: 'success' as const, reason: null };
      const event: RunEvent = { type: 'child-run-ended', job: action.job, ...end };
      if (ended) late(event);
      else absorb(sim.step(event));
    }
  }
  if (!isEnded(sim.view.state)) throw new InvariantError(`nothing left to do but the run is ${sim.view.state}`);
  return result;
}

/** A small seeded PRNG (mulberry32), so random tests replay exactly. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
