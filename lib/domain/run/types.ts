// The run state machine's vocabulary: what it reads (a RunView), what happens (a RunEvent) and
// what it answers (a Decision: state changes plus effects for the caller to carry out).
import type { JobSpec, JobState, RunState } from '../types';

/** One job run as the state machine sees it. */
export interface JobRunView {
  job: string;
  state: JobState;
  /** Set for `failure`, `skipped` and `cancelled`; null while new/queued/executing. */
  reason: string | null;
  /** Attempts started so far (always 0 for a `workflow:` job). */
  attempts: number;
  /** While `executing` between attempts: when the next attempt may be queued. */
  retryAt: number | null;
  /** For a `workflow:` job: the child run, filled by the caller after `start-child-run`. */
  childRunId: number | null;
}

export interface RunView {
  state: RunState;
  reason: string | null;
  /** The pinned version's jobs, in source order (effects follow this order). */
  jobs: Record<string, JobSpec>;
  /**
   * One entry per job. A missing entry counts as a fresh `new` job run; when such a job run
   * changes, the decision carries all of its fields so the caller can create it.
   */
  jobRuns: Record<string, JobRunView>;
  /** For a rerun: jobs that count as success already (read by `start`). */
  doneJobs?: string[];
}

export type RunEvent =
  /** The run was created: roots become ready. */
  | { type: 'start' }
  /** An executor claimed the queued job run (attempt number = attempts + 1). */
  | { type: 'attempt-started'; job: string }
  | { type: 'attempt-succeeded'; job: string }
  /** 'exit code 3', 'timeout', 'executor lost', 'signal SIGKILL', a spawn error… */
  | { type: 'attempt-failed'; job: string; reason: string }
  /** The retry timer fired (refused before `retryAt`). */
  | { type: 'retry-due'; job: string }
  | { type: 'child-run-ended'; job: string; state: 'success' | 'failure' | 'cancelled'; reason: string | null }
  /** Reason 'cancelled by <by>'. */
  | { type: 'cancel-requested'; by: string }
  | { type: 'run-timed-out' };

export type RunEventType = RunEvent['type'];

export type Effect =
  /** The job run became queued (waiting for an executor). */
  | { type: 'queue'; job: string }
  | { type: 'schedule-retry'; job: string; at: number }
  | { type: 'start-child-run'; job: string; workflow: string }
  /** An executing attempt must be stopped. `attempt`: its number. */
  | { type: 'kill-attempt'; job: string; reason: string; attempt?: number }
  | { type: 'cancel-child-run'; job: string; childRunId: number }
  | { type: 'job-ended'; job: string; state: JobState; reason: string | null }
  /**
   * Attempt `failedAttempt` failed with `reason`; attempt number `attempt` (= failedAttempt + 1)
   * will be queued at `at`.
   */
  | { type: 'job-retry'; job: string; attempt: number; at: number; reason: string; failedAttempt?: number }
  | { type: 'run-started' }
  | { type: 'run-ended'; state: RunState; reason: string | null };

export type EffectType = Effect['type'];

export interface Decision {
  /** Only changed fields of changed job runs (all fields for a job run missing from the view). */
  jobRuns: Record<string, Partial<JobRunView>>;
  /** {} if unchanged. */
  run: Partial<Pick<RunView, 'state' | 'reason'>>;
  effects: Effect[];
}

export type DecideResult =
  | { ok: true; decision: Decision }
  /** The event does not apply in this state (e.g. a report for a job that is not executing). */
  | { ok: false; error: string };
