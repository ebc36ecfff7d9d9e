// A task's environment (CONTRACT.md, "Definitions"): the job's env, the run's params by name, and
// the COURSE_* variables. Values only: nothing here is ever put into the command line.
import type { JobSpec } from '../../domain/types';

export interface TaskContext {
  runId: number;
  workflow: string;
  job: JobSpec;
  attempt: number;
  nominalTime: Date;
  params: Record<string, string>;
}

export function taskEnvironment(c: TaskContext): Record<string, string> {
  return {
    ...c.job.env,
    ...c.params,
    COURSE_RUN_ID: String(c.runId),
    COURSE_WORKFLOW: c.workflow,
    COURSE_JOB: c.job.name,
    COURSE_ATTEMPT: String(c.attempt),
    COURSE_NOMINAL_TIME: c.nominalTime.toISOString(),
  };
}
