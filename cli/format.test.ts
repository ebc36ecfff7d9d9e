import { describe, expect, it } from 'vitest';
import { describeJobRun, elapsed, formatDetails, formatDuration, formatTime, jobTable, table } from './format';
import type { JobRun, Run } from './types';

const jr = (over: Partial<JobRun>): JobRun => ({ job: 'build', state: 'new', reason: null, retryAt: null, childRunId: null, attempts: [], ...over });
const attempt = (number: number, exitCode: number | null, executor: unknown = 'local') => ({ number, executor, exitCode, startedAt: null, endedAt: null });

describe('table', () => {
  it('pads every column but the last and leaves no trailing spaces', () => {
    expect(table(['ID', 'STATE', 'REASON'], [['1', 'success', ''], ['100', 'failure', 'job a failed']])).toBe(
      ['ID   STATE    REASON', '1    success', '100  failure  job a failed'].join('\n'),
    );
  });
});

describe('times and durations', () => {
  it('formats instants in UTC or local time', () => {
    expect(formatTime('2026-12-04T05:07:03.120Z', 'utc')).toBe('2026-12-04 05:07:03');
    expect(formatTime(null)).toBe('-');
    expect(formatTime('garbage')).toBe('garbage');
  });
  it('formats durations at a sensible precision', () => {
    expect(formatDuration(850)).toBe('850ms');
    expect(formatDuration(12_345)).toBe('12.3s');
    expect(formatDuration(245_000)).toBe('4m 05s');
    expect(formatDuration(2 * 3600_000 + 3 * 60_000)).toBe('2h 03m');
    expect(formatDuration(3 * 86_400_000 + 4 * 3600_000)).toBe('3d 04h');
    expect(formatDuration(-1)).toBe('-');
  });
  it('measures to now while a run goes on', () => {
    const start = '2026-01-01T00:00:00Z';
    expect(elapsed(start, '2026-01-01T00:00:02Z', 0)).toBe('2.0s');
    expect(elapsed(start, null, Date.parse(start) + 61_000)).toBe('1m 01s');
    expect(elapsed(null, null, 0)).toBe('-');
  });
});

describe('formatDetails', () => {
  it('shows problems as path: message, and anything else as text', () => {
    expect(formatDetails([{ path: 'jobs.a.needs', message: "unknown job 'x'" }, { path: '', message: 'empty' }, 'plain'])).toEqual([
      "  jobs.a.needs: unknown job 'x'",
      '  empty',
      '  plain',
    ]);
    expect(formatDetails({ problems: [{ path: 'name', message: 'required' }] })).toEqual(['  name: required']);
    expect(formatDetails({ workflows: ['a'] })).toEqual(['  {"workflows":["a"]}']);
    expect(formatDetails(undefined)).toEqual([]);
  });
});

describe('describeJobRun', () => {
  it('says what a job run is doing', () => {
    expect(describeJobRun(jr({ state: 'queued' }))).toBe('queued');
    expect(describeJobRun(jr({ state: 'executing', attempts: [attempt(1, null, { id: 3, name: 'exec-1' })] }))).toBe('executing (attempt 1 on exec-1)');
    expect(describeJobRun(jr({ state: 'executing', attempts: [attempt(1, 3)], retryAt: '2026-01-01T10:00:05Z' }), 'utc')).toBe(
      'executing: attempt 1 exited 3; retry at 10:00:05',
    );
    expect(describeJobRun(jr({ state: 'executing', childRunId: 9 }))).toBe('executing (child run 9)');
    expect(describeJobRun(jr({ state: 'failure', reason: 'exit code 1' }))).toBe('failure: exit code 1');
    expect(describeJobRun(jr({ state: 'success' }))).toBe('success');
  });
});

describe('jobTable', () => {
  it('lists state, attempts, the last exit code and the reason of every job', () => {
    const run = {
      jobRuns: [
        jr({ job: 'ingest', state: 'failure', reason: 'exit code 1', attempts: [attempt(1, 1), attempt(2, 1)] }),
        jr({ job: 'report', state: 'skipped', reason: 'dependency ingest failed' }),
        jr({ job: 'archive', state: 'cancelled', reason: 'cancelled by admin', childRunId: 7 }),
      ],
    } as Run;
    expect(jobTable(run).split('\n')).toEqual([
      'JOB      STATE      ATTEMPTS  EXIT  REASON',
      'ingest   failure    2         1     exit code 1',
      'report   skipped    0         -     dependency ingest failed',
      'archive  cancelled  0         -     cancelled by admin; child run 7',
    ]);
  });
});
