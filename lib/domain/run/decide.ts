// The run state machine: decide(view, event, now) → the next states and the effects.
//
// Pure: no I/O, no clock (`now` is passed in, in ms). One call costs O(jobs + needs): the
// dependants are computed once per call, hand-off and skip propagation visit each job at most once,
// and the run-end check is one scan over the job runs.
//
// Choices:
// - Retries always go through `retryAt`, even with retryDelay 0 (retryAt = now): one path, so the
//   job-retry notification and the timeline are the same whatever the delay; the caller fires a
//   retry whose `at` <= now at once. `retry-due` before `retryAt` is refused.
// - `workflow:` jobs are never retried (their `retries` is ignored); they have no attempts
//   (attempts stays 0) and the child's end state becomes the job's: success → success,
//   failure → failure, cancelled → cancelled.
// - Late reports are refused (ok:false): after a cancel or a run timeout the run has ended, and
//   events on an ended run are refused; a report for a job that is not running an attempt is refused.
//   The caller still records the attempt's own end (exit code, output); only the state stays.
// - Cancel and run timeout end every live job run `cancelled` (reason 'cancelled by X' or
//   'timeout'), `new` ones included; jobs already ended keep their state. A running attempt gets
//   kill-attempt, a waiting retry is dropped (retryAt null), a workflow job gets cancel-child-run
//   when its childRunId is known — when it is still null the caller, which records it, must not
//   start the child (the job run is cancelled). The run ends at once: cancelled / failure 'run timeout'.
// - A job run's reason is null while it is new, queued or executing (also between retries: the
//   failed attempt's reason travels in the job-retry effect).
// - Jobs in `doneJobs` are marked `success` at `start` without a job-ended effect and with their
//   reason untouched (the caller writes 'done in run N').
// - A run whose job runs have all ended: `success` if all succeeded; else `failure` naming the
//   failed jobs (at most MAX_NAMED, then 'and N more'); else (no failure, some job cancelled — a
//   child run cancelled on its own) `cancelled` naming the cancelled jobs.
import { findNeedsCycle } from '../definition/needs-graph';
import type { JobSpec, JobState, RunState } from '../types';
import { buildGraph, type RunGraph } from './graph';
import { retryDelayMs } from './retry';
import { isEnded, isLive } from './states';
import type { DecideResult, Decision, Effect, JobRunView, RunEvent, RunView } from './types';

/** How many jobs a run's failure reason names before 'and N more'. */
export const MAX_NAMED = 10;

const JOB_RUN_FIELDS = ['job', 'state', 'reason', 'attempts', 'retryAt', 'childRunId'] as const;

function refuse(error: string): DecideResult {
  return { ok: false, error };
}

/** An own entry only: a job named `constructor` must not find Object.prototype's. */
function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Assignment that keeps any key (even `__proto__`) a plain own property. */
function put<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}

function freshJobRun(job: string): JobRunView {
  return { job, state: 'new', reason: null, attempts: 0, retryAt: null, childRunId: null };
}

/** The working state of one decision: the view plus the changes made so far. */
class Draft {
  private readonly touched = new Map<string, JobRunView>();
  readonly effects: Effect[] = [];
  runState: RunState;
  runReason: string | null;

  constructor(
    readonly view: RunView,
    readonly graph: RunGraph,
    readonly now: number,
  ) {
    this.runState = view.state;
    this.runReason = view.reason;
  }

  spec(job: string): JobSpec {
    return this.view.jobs[job];
  }

  get(job: string): JobRunView {
    return this.touched.get(job) ?? own(this.view.jobRuns, job) ?? freshJobRun(job);
  }

  set(job: string, patch: Partial<Omit<JobRunView, 'job'>>): void {
    let current = this.touched.get(job);
    if (current === undefined) {
      current = { ...(own(this.view.jobRuns, job) ?? freshJobRun(job)) };
      this.touched.set(job, current);
    }
    Object.assign(current, patch);
  }

  /** Queue a ready command job, or start a ready workflow job's child run. */
  makeReady(job: string): void {
    const spec = this.spec(job);
    if (spec.workflow !== undefined) {
      this.set(job, { state: 'executing', reason: null, retryAt: null });
      this.effects.push({ type: 'start-child-run', job, workflow: spec.workflow });
    } else {
      this.set(job, { state: 'queued', reason: null, retryAt: null });
      this.effects.push({ type: 'queue', job });
    }
  }

  endJob(job: string, state: 'success' | 'failure' | 'cancelled', reason: string | null): void {
    this.set(job, { state, reason, retryAt: null });
    this.effects.push({ type: 'job-ended', job, state, reason });
    if (state === 'success') this.handOff(job);
    else this.skipDependants(job);
  }

  /** Dependants of `job` whose needs have all succeeded become ready now. */
  private handOff(job: string): void {
    for (const dependant of this.graph.dependants.get(job)!) {
      if (this.get(dependant).state !== 'new') continue;
      if (this.needsMet(dependant)) this.makeReady(dependant);
    }
  }

  needsMet(job: string): boolean {
    const needs = this.graph.needs.get(job)!;
    for (let i = 0; i < needs.length; i++) if (this.get(needs[i]).state !== 'success') return false;
    return true;
  }

  /**
   * Everything that depends on `root` (which did not succeed) and is still `new` is skipped,
   * naming the direct dependency that did not succeed. Breadth first, each job at most once.
   */
  private skipDependants(root: string): void {
    const pending = [root];
    for (let i = 0; i < pending.length; i++) {
      const cause = pending[i];
      const verb = this.get(cause).state; // failure | skipped | cancelled
      const reason = `dependency ${cause} ${verb === 'failure' ? 'failed' : verb}`;
      for (const dependant of this.graph.dependants.get(cause)!) {
        if (this.get(dependant).state !== 'new') continue;
        this.set(dependant, { state: 'skipped', reason, retryAt: null });
        this.effects.push({ type: 'job-ended', job: dependant, state: 'skipped', reason });
        pending.push(dependant);
      }
    }
  }

  /** Cancel or time out: every live job run ends `cancelled`; attempts and child runs are stopped. */
  stopAll(reason: string): void {
    for (const job of this.graph.order) {
      const jobRun = this.get(job);
      if (!isLive(jobRun.state)) continue;
      if (jobRun.state === 'executing') {
        if (this.spec(job).workflow !== undefined) {
          // A null childRunId means the caller has not created the child yet: it must not now.
          if (jobRun.childRunId !== null) {
            this.effects.push({ type: 'cancel-child-run', job, childRunId: jobRun.childRunId });
          }
        } else if (jobRun.retryAt === null) {
          this.effects.push({ type: 'kill-attempt', job, reason, attempt: jobRun.attempts });
        }
      }
      this.set(job, { state: 'cancelled', reason, retryAt: null });
      this.effects.push({ type: 'job-ended', job, state: 'cancelled', reason });
    }
  }

  /** End the run when no job run is live any more. */
  settle(): void {
    if (isEnded(this.runState)) return;
    const failed: string[] = [];
    const cancelled: string[] = [];
    const skipped: string[] = [];
    for (const job of this.graph.order) {
      const state = this.get(job).state;
      if (isLive(state)) return;
      if (state === 'failure') failed.push(job);
      else if (state === 'cancelled') cancelled.push(job);
      else if (state === 'skipped') skipped.push(job);
    }
    if (failed.length > 0) this.endRun('failure', this.name(failed, 'failed'));
    else if (cancelled.length > 0) this.endRun('cancelled', this.name(cancelled, 'cancelled'));
    else if (skipped.length > 0) this.endRun('failure', this.name(skipped, 'skipped')); // only from an inconsistent view
    else this.endRun('success', null);
  }

  private name(jobs: string[], verb: string): string {
    const parts = jobs.slice(0, MAX_NAMED).map((job) => {
      const reason = this.get(job).reason;
      return reason ? `job ${job} ${verb}: ${reason}` : `job ${job} ${verb}`;
    });
    if (jobs.length > MAX_NAMED) parts.push(`and ${jobs.length - MAX_NAMED} more jobs ${verb}`);
    return parts.join('; ');
  }

  endRun(state: RunState, reason: string | null): void {
    this.runState = state;
    this.runReason = reason;
    this.effects.push({ type: 'run-ended', state, reason });
  }

  decision(): Decision {
    const jobRuns: Decision['jobRuns'] = {};
    for (const [job, next] of this.touched) {
      const before = own(this.view.jobRuns, job);
      if (before === undefined) {
        put(jobRuns, job, { ...next });
        continue;
      }
      const changed: Partial<JobRunView> = {};
      let any = false;
      for (const field of JOB_RUN_FIELDS) {
        if (next[field] !== before[field]) {
          (changed as Record<string, unknown>)[field] = next[field];
          any = true;
        }
      }
      if (any) put(jobRuns, job, changed);
    }
    const run: Decision['run'] = {};
    if (this.runState !== this.view.state) run.state = this.runState;
    if (this.runReason !== this.view.reason) run.reason = this.runReason;
    return { jobRuns, run, effects: this.effects };
  }
}

export function decide(view: RunView, event: RunEvent, now: number): DecideResult {
  if (isEnded(view.state)) {
    return refuse(`run has already ended (${view.state}): ${event.type} refused`);
  }
  if (!Number.isFinite(now)) return refuse(`now must be a finite number of ms, got ${now}`);
  const built = buildGraph(view.jobs);
  if (!built.ok) return refuse(built.error);
  for (const job of Object.keys(view.jobRuns)) {
    if (!Object.hasOwn(view.jobs, job)) return refuse(`job run "${job}" names no job of this run`);
  }
  const draft = new Draft(view, built.graph, now);

  if (event.type === 'cancel-requested') {
    const reason = `cancelled by ${event.by}`;
    draft.stopAll(reason);
    draft.endRun('cancelled', reason);
    return { ok: true, decision: draft.decision() };
  }
  if (event.type === 'run-timed-out') {
    draft.stopAll('timeout');
    draft.endRun('failure', 'run timeout');
    return { ok: true, decision: draft.decision() };
  }
  if (event.type === 'start') {
    if (view.state !== 'new') return refuse(`run has already started (${view.state}): start refused`);
    return start(draft);
  }

  // Events about one job.
  const job = event.job;
  if (typeof job !== 'string' || !Object.hasOwn(view.jobs, job)) {
    return refuse(`unknown job "${String(job)}": ${event.type} refused`);
  }
  if (view.state === 'new') return refuse(`run has not started: ${event.type} for job ${job} refused`);
  const spec = view.jobs[job];
  const jobRun = draft.get(job);
  const isWorkflowJob = spec.workflow !== undefined;
  const describe = () =>
    `job ${job} is ${jobRun.state}${jobRun.state === 'executing' && jobRun.retryAt !== null ? ' (waiting to retry)' : ''}`;

  switch (event.type) {
    case 'attempt-started': {
      if (isWorkflowJob) return refuse(`job ${job} is a workflow job and has no attempts: ${event.type} refused`);
      if (jobRun.state !== 'queued') return refuse(`${describe()}, not queued: ${event.type} refused`);
      draft.set(job, { state: 'executing', attempts: jobRun.attempts + 1, retryAt: null, reason: null });
      break;
    }
    case 'attempt-succeeded':
    case 'attempt-failed': {
      if (isWorkflowJob) return refuse(`job ${job} is a workflow job and has no attempts: ${event.type} refused`);
      if (jobRun.state !== 'executing' || jobRun.retryAt !== null || jobRun.attempts < 1) {
        return refuse(`${describe()}, no attempt is running: ${event.type} refused`);
      }
      if (event.type === 'attempt-succeeded') {
        draft.endJob(job, 'success', null);
      } else if (jobRun.attempts < spec.retries + 1) {
        const next = jobRun.attempts + 1;
        const at = now + retryDelayMs(spec, next);
        draft.set(job, { retryAt: at });
        draft.effects.push({ type: 'schedule-retry', job, at });
        draft.effects.push({
          type: 'job-retry',
          job,
          attempt: next,
          at,
          reason: event.reason,
          failedAttempt: jobRun.attempts,
        });
      } else {
        draft.endJob(job, 'failure', event.reason);
      }
      break;
    }
    case 'retry-due': {
      if (isWorkflowJob) return refuse(`job ${job} is a workflow job and is never retried: ${event.type} refused`);
      if (jobRun.state !== 'executing' || jobRun.retryAt === null) {
        return refuse(`${describe()}, no retry is pending: ${event.type} refused`);
      }
      if (now < jobRun.retryAt) {
        return refuse(`retry of job ${job} is due at ${jobRun.retryAt}, not yet at ${now}: ${event.type} refused`);
      }
      draft.set(job, { state: 'queued', retryAt: null });
      draft.effects.push({ type: 'queue', job });
      break;
    }
    case 'child-run-ended': {
      if (!isWorkflowJob) return refuse(`job ${job} is not a workflow job: ${event.type} refused`);
      if (jobRun.state !== 'executing') return refuse(`${describe()}, its child run is not running: ${event.type} refused`);
      if (event.state === 'success') {
        draft.endJob(job, 'success', null);
      } else if (event.state === 'failure' || event.state === 'cancelled') {
        const child = jobRun.childRunId === null ? 'child run' : `child run ${jobRun.childRunId}`;
        const verb = event.state === 'failure' ? 'failed' : 'cancelled';
        draft.endJob(job, event.state, event.reason ? `${child} ${verb}: ${event.reason}` : `${child} ${verb}`);
      } else {
        return refuse(`child run state ${String((event as { state: unknown }).state)} is not an end state`);
      }
      break;
    }
    default: {
      const unknown: never = event;
      return refuse(`unknown event ${JSON.stringify(unknown)}`);
    }
  }
  draft.settle();
  return { ok: true, decision: draft.decision() };
}

function start(draft: Draft): DecideResult {
  const { view, graph } = draft;
  const needsOnly: Record<string, { needs: string[] }> = {};
  for (const job of graph.order) put(needsOnly, job, { needs: graph.needs.get(job) as string[] });
  const cycle = findNeedsCycle(needsOnly);
  if (cycle) return refuse(`jobs need each other in a cycle: ${cycle.join(' → ')}`);
  const done = view.doneJobs ?? [];
  for (const job of done) {
    if (!Object.hasOwn(view.jobs, job)) return refuse(`done job "${job}" names no job of this run`);
  }
  draft.runState = 'executing';
  draft.effects.push({ type: 'run-started' });
  for (const job of done) {
    if (draft.get(job).state === 'new') draft.set(job, { state: 'success', retryAt: null });
  }
  for (const job of graph.order) {
    if (draft.get(job).state === 'new' && draft.needsMet(job)) draft.makeReady(job);
  }
  draft.settle();
  return { ok: true, decision: draft.decision() };
}

/** The job states that mean a job has not finished (exported for callers' checks). */
export const LIVE_JOB_STATES: readonly JobState[] = ['new', 'queued', 'executing'];
