// Output formatting: tables, times, durations, API problem lists. Pure, so it is unit-tested.

import type { Attempt, JobRun, Run } from './types';

/** Columns padded to their widest cell; the last column is not padded (no trailing spaces). */
export function table(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length)));
  return all
    .map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : (cell ?? '').padEnd(widths[c]))).join('  ').trimEnd())
    .join('\n');
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** `2026-12-04 05:17:03` in the local zone (or UTC), '-' for none. */
export function formatTime(iso: string | null | undefined, zone: 'local' | 'utc' = 'local'): string {
  if (!iso) return '-';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const [y, mo, da, h, mi, s] =
    zone === 'utc'
      ? [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()]
      : [d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds()];
  return `${y}-${pad2(mo)}-${pad2(da)} ${pad2(h)}:${pad2(mi)}:${pad2(s)}`;
}

/** `05:17:03`: for lines that follow a run as it goes. */
export function formatClock(d: Date, zone: 'local' | 'utc' = 'local'): string {
  return formatTime(d.toISOString(), zone).slice(11);
}

/** 850ms, 12.3s, 4m 05s, 2h 03m, 3d 04h. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '-';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(Math.floor(ms / 100) / 10).toFixed(1)}s`;
  const s = Math.floor(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)}m ${pad2(s % 60)}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${pad2(Math.floor(s / 60) % 60)}m`;
  return `${Math.floor(s / 86_400)}d ${pad2(Math.floor(s / 3600) % 24)}h`;
}

/** From start to end, or to `now` while still going; '-' before it started. */
export function elapsed(startedAt: string | null, endedAt: string | null, now: number): string {
  if (!startedAt) return '-';
  const end = endedAt ? Date.parse(endedAt) : now;
  return formatDuration(end - Date.parse(startedAt));
}

/**
 * The `details` of an API error as indented lines. The API sends problems as `{path, message}`
 * (CONTRACT.md); anything else is shown as compact JSON rather than dropped.
 */
export function formatDetails(details: unknown): string[] {
  if (details === undefined || details === null) return [];
  const list = Array.isArray(details)
    ? details
    : typeof details === 'object' && Array.isArray((details as { problems?: unknown }).problems)
      ? (details as { problems: unknown[] }).problems
      : [details];
  return list.map((item) => `  ${formatProblem(item)}`);
}

function formatProblem(item: unknown): string {
  if (typeof item === 'string') return item;
  if (item && typeof item === 'object' && typeof (item as { message?: unknown }).message === 'string') {
    const { path, message } = item as { path?: unknown; message: string };
    return typeof path === 'string' && path !== '' ? `${path}: ${message}` : message;
  }
  return JSON.stringify(item);
}

function executorName(e: unknown): string {
  if (e === null || e === undefined) return '';
  if (typeof e === 'object') {
    const o = e as { name?: unknown; id?: unknown };
    return String(o.name ?? o.id ?? '');
  }
  return String(e);
}

export function lastAttempt(jr: JobRun): Attempt | undefined {
  return jr.attempts.length > 0 ? jr.attempts[jr.attempts.length - 1] : undefined;
}

/** What a job run is doing, in words: `executing (attempt 2 on exec-1)`, `failure: exit code 1`… */
export function describeJobRun(jr: JobRun, zone: 'local' | 'utc' = 'local'): string {
  const last = lastAttempt(jr);
  const child = jr.childRunId !== null && jr.childRunId !== undefined ? `child run ${jr.childRunId}` : '';
  if (jr.state === 'executing') {
    if (jr.retryAt) {
      const exit = last?.exitCode !== null && last?.exitCode !== undefined ? ` exited ${last.exitCode}` : ' failed';
      return `executing: attempt ${last?.number ?? jr.attempts.length}${exit}; retry at ${formatClock(new Date(jr.retryAt), zone)}`;
    }
    if (child) return `executing (${child})`;
    const on = last && executorName(last.executor) ? ` on ${executorName(last.executor)}` : '';
    return last ? `executing (attempt ${last.number}${on})` : 'executing';
  }
  const extra = [jr.reason, child].filter(Boolean).join('; ');
  return extra ? `${jr.state}: ${extra}` : jr.state;
}

/** The table `course status` prints under the run. */
export function jobTable(run: Run, zone: 'local' | 'utc' = 'local'): string {
  const rows = run.jobRuns.map((jr) => {
    const last = lastAttempt(jr);
    const reason = [
      jr.reason ?? '',
      jr.retryAt && jr.state === 'executing' ? `retry at ${formatClock(new Date(jr.retryAt), zone)}` : '',
      jr.childRunId !== null && jr.childRunId !== undefined ? `child run ${jr.childRunId}` : '',
    ].filter(Boolean);
    return [
      jr.job,
      jr.state,
      String(jr.attempts.length),
      last?.exitCode !== null && last?.exitCode !== undefined ? String(last.exitCode) : '-',
      reason.join('; '),
    ];
  });
  return table(['JOB', 'STATE', 'ATTEMPTS', 'EXIT', 'REASON'], rows);
}

/** `failure: job ingest failed` or just `success`. */
export function describeRunState(run: Pick<Run, 'state' | 'reason'>): string {
  return run.reason ? `${run.state}: ${run.reason}` : run.state;
}
