// The API's shapes as the CLI reads them (CONTRACT.md, "API"). States are plain strings here: a
// newer server may add one, and the CLI should print it rather than break.

export interface Attempt {
  number: number;
  executor?: unknown;
  exitCode: number | null;
  startedAt: string | null;
  endedAt: string | null;
}

export interface JobRun {
  job: string;
  state: string;
  reason: string | null;
  retryAt: string | null;
  childRunId: number | string | null;
  attempts: Attempt[];
}

export interface Run {
  id: number | string;
  workflow: string;
  version: number;
  state: string;
  reason: string | null;
  trigger: string;
  nominalTime: string | null;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  parentRunId: number | string | null;
  jobRuns: JobRun[];
}

export const ENDED_RUN_STATES = ['success', 'failure', 'cancelled'];
