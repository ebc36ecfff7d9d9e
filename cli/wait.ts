// Following a run until it ends (`run --wait`, `rerun --wait`): poll GET /runs/{id}, print each
// job run's change as it is seen, and map the end state to an exit code. Polling, not a socket:
// the database is the truth (DESIGN.md) and a poll survives a server restart.

import type { Client } from './http';
import { ApiError } from './http';
import { CliError, EXIT } from './errors';
import { describeJobRun, describeRunState, elapsed, formatClock } from './format';
import { ENDED_RUN_STATES, type JobRun, type Run } from './types';

export interface WaitOptions {
  pollMs: number;
  /** How long the server may stay unreachable before we give up. */
  patienceMs: number;
  zone?: 'local' | 'utc';
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export const EXIT_FOR_STATE: Record<string, number> = { success: EXIT.ok, failure: EXIT.failure, cancelled: EXIT.cancelled };

function jobKey(jr: JobRun): string {
  return [jr.state, jr.attempts.length, jr.retryAt ?? '', jr.childRunId ?? ''].join('|');
}

/** Prints what changed between two snapshots of a run; the first snapshot prints everything. */
export function changes(prev: Run | undefined, next: Run, at: Date, zone: 'local' | 'utc' = 'local'): string[] {
  const lines: string[] = [];
  const clock = formatClock(at, zone);
  if (!prev || prev.state !== next.state) {
    if (!ENDED_RUN_STATES.includes(next.state)) lines.push(`${clock}  run ${next.id} ${next.state}`);
  }
  const width = Math.max(0, ...next.jobRuns.map((j) => j.job.length));
  const before = new Map((prev?.jobRuns ?? []).map((j) => [j.job, jobKey(j)]));
  for (const jr of next.jobRuns) {
    if (before.get(jr.job) === jobKey(jr)) continue;
    // Untouched jobs are not news at the start either.
    if (!prev && jr.state === 'new') continue;
    lines.push(`${clock}  ${jr.job.padEnd(width)}  ${describeJobRun(jr, zone)}`);
  }
  return lines;
}

export async function waitForRun(client: Client, id: string, out: (s: string) => void, err: (s: string) => void, opts: WaitOptions): Promise<Run> {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let prev: Run | undefined;
  let unreachableSince: number | undefined;
  for (;;) {
    let run: Run;
    try {
      run = (await client.request<Run>('GET', `/runs/${encodeURIComponent(id)}`)).body;
      if (unreachableSince !== undefined) err(`course: the server answers again\n`);
      unreachableSince = undefined;
    } catch (e) {
      // A 4xx (404, 401) will not improve by asking again; a lost connection or a 5xx from a
      // restarting server (or its proxy) may.
      if (!(e instanceof CliError) || (e instanceof ApiError && e.status < 500)) throw e;
      if (unreachableSince === undefined) {
        unreachableSince = now();
        err(`course: ${e.message}; still trying (the run goes on without us)\n`);
      } else if (now() - unreachableSince > opts.patienceMs) {
        throw new CliError(`${e.message}; gave up waiting for run ${id}`);
      }
      await sleep(opts.pollMs);
      continue;
    }
    for (const line of changes(prev, run, new Date(now()), opts.zone)) out(`${line}\n`);
    prev = run;
    if (ENDED_RUN_STATES.includes(run.state)) return run;
    await sleep(opts.pollMs);
  }
}

/** The last lines of a wait: the outcome and where to look next. */
export function outcome(run: Run, now: number): string {
  const lines = [`run ${run.id} ${describeRunState(run)} (${elapsed(run.startedAt ?? run.createdAt, run.endedAt, now)})`];
  for (const jr of run.jobRuns) {
    if (jr.state === 'failure' && jr.attempts.length > 0) lines.push(`  output: course logs ${run.id} ${jr.job}`);
    if (jr.state === 'failure' && jr.childRunId !== null && jr.childRunId !== undefined) lines.push(`  child run: course status ${jr.childRunId}`);
  }
  return `${lines.join('\n')}\n`;
}
