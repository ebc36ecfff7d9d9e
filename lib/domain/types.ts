// The glossary as types. Pure: no Node modules, no clock, no I/O.

export const RUN_STATES = ['new', 'executing', 'success', 'failure', 'cancelled'] as const;
export type RunState = (typeof RUN_STATES)[number];

/**
 * Job-run states. `queued`: ready, waiting for an executor. `executing`: an attempt runs, or the
 * job waits between attempts (then `retryAt` is set). `skipped`: a dependency did not succeed.
 */
export const JOB_STATES = ['new', 'queued', 'executing', 'success', 'failure', 'skipped', 'cancelled'] as const;
export type JobState = (typeof JOB_STATES)[number];

export const ENDED_RUN_STATES: readonly RunState[] = ['success', 'failure', 'cancelled'];
export const ENDED_JOB_STATES: readonly JobState[] = ['success', 'failure', 'skipped', 'cancelled'];

export type Trigger = 'manual' | 'schedule' | 'rerun' | 'parent';

export type NotifyTarget =
  | { email: string }
  | { webhook: string; secret?: string; timeoutMs?: number };

export interface NotifyRules {
  onSuccess?: NotifyTarget[];
  onFailure?: NotifyTarget[];
  onRetry?: NotifyTarget[];
  onLongRunning?: NotifyTarget[];
  longRunningAfterMs?: number;
}

/** A job as the engine uses it: durations in milliseconds, defaults applied. */
export interface JobSpec {
  name: string;
  /** Exactly one of command / workflow is set. */
  command?: string;
  workflow?: string;
  needs: string[];
  env: Record<string, string>;
  workdir?: string;
  runsOn: string[];
  /** Extra attempts after the first: at most retries + 1 attempts. */
  retries: number;
  retryDelayMs: number;
  timeoutMs?: number;
  killGraceMs?: number;
  notify?: NotifyRules;
}

export type CatchupPolicy = 'none' | 'latest' | 'all';
export type OverlapPolicy = 'skip' | 'allow' | 'queue';

export interface ScheduleSpec {
  cron: string;
  timezone: string;
  catchup: CatchupPolicy;
  catchupLimit: number;
  overlap: OverlapPolicy;
  enabled: boolean;
}

export interface ParamSpec {
  default?: string;
  description?: string;
}

/** A validated, compiled workflow definition. `jobs` keeps the order of the source. */
export interface WorkflowSpec {
  name: string;
  description?: string;
  group: string;
  params: Record<string, ParamSpec>;
  timeoutMs?: number;
  notify?: NotifyRules;
  schedule?: ScheduleSpec;
  jobs: Record<string, JobSpec>;
}

/** One problem with an input: where (a dotted path such as `jobs.build.needs`) and what to fix. */
export interface Problem {
  path: string;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };
