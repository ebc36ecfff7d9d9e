import { describe, expect, it } from 'vitest';
import { formatStatus } from './commands/runs';
import type { JobRun, Run } from './types';
import { Client } from './http';
import { changes, outcome, waitForRun } from './wait';

const jr = (job: string, over: Partial<JobRun> = {}): JobRun => ({ job, state: 'new', reason: null, retryAt: null, childRunId: null, attempts: [], ...over });
const run = (over: Partial<Run>): Run => ({
  id: 42,
  workflow: 'wf',
  version: 3,
  state: 'executing',
  reason: null,
  trigger: 'manual',
  nominalTime: '2026-01-01T10:00:00Z',
  createdAt: '2026-01-01T10:00:00Z',
  startedAt: '2026-01-01T10:00:00Z',
  endedAt: null,
  parentRunId: null,
  jobRuns: [],
  ...over,
});
const at = new Date('2026-01-01T10:00:01Z');

describe('changes', () => {
  it('prints the run and the jobs that are under way on the first look', () => {
    const r = run({ jobRuns: [jr('ingest', { state: 'queued' }), jr('report')] });
    expect(changes(undefined, r, at, 'utc')).toEqual(['10:00:01  run 42 executing', '10:00:01  ingest  queued']);
  });

  it('prints only what changed, including a new attempt and a retry wait', () => {
    const a1 = { number: 1, executor: 'local', exitCode: null, startedAt: null, endedAt: null };
    const before = run({ jobRuns: [jr('ingest', { state: 'executing', attempts: [a1] }), jr('report')] });
    const after = run({
      jobRuns: [jr('ingest', { state: 'executing', attempts: [{ ...a1, exitCode: 1 }], retryAt: '2026-01-01T10:00:06Z' }), jr('report')],
    });
    expect(changes(before, after, at, 'utc')).toEqual(['10:00:01  ingest  executing: attempt 1 exited 1; retry at 10:00:06']);
    expect(changes(after, after, at, 'utc')).toEqual([]);
  });

  it('leaves the end of the run to outcome()', () => {
    const before = run({ jobRuns: [jr('a', { state: 'executing' })] });
    const after = run({ state: 'failure', reason: 'job a failed', jobRuns: [jr('a', { state: 'failure', reason: 'exit code 2' })] });
    expect(changes(before, after, at, 'utc')).toEqual(['10:00:01  a  failure: exit code 2']);
  });
});

describe('outcome', () => {
  it('says how the run ended and where to look', () => {
    const r = run({
      state: 'failure',
      reason: 'job a failed',
      endedAt: '2026-01-01T10:00:04Z',
      jobRuns: [jr('a', { state: 'failure', attempts: [{ number: 1, executor: 'x', exitCode: 1, startedAt: null, endedAt: null }] }), jr('n', { state: 'failure', childRunId: 43 })],
    });
    expect(outcome(r, 0)).toBe('run 42 failure: job a failed (4.0s)\n  output: course logs 42 a\n  child run: course status 43\n');
  });
});

describe('formatStatus', () => {
  it('shows the run, then its jobs', () => {
    const r = run({ state: 'success', endedAt: '2026-01-01T10:00:30Z', parentRunId: 41, trigger: 'parent', jobRuns: [jr('a', { state: 'success' })] });
    expect(formatStatus(r, 0, 'utc').split('\n')).toEqual([
      'run 42: wf version 3',
      'state:    success',
      'trigger:  parent (parent run 41), nominal time 2026-01-01 10:00:00',
      'started:  2026-01-01 10:00:00   ended: 2026-01-01 10:00:30   duration: 30.0s',
      '',
      'JOB  STATE    ATTEMPTS  EXIT  REASON',
      'a    success  0         -',
    ]);
  });
});

describe('waitForRun', () => {
  const answers = (list: Array<Run | Error | number>): typeof fetch =>
    (async () => {
      const next = list.shift()!;
      if (next instanceof Error) throw next;
      if (typeof next === 'number') return new Response('{"error":{"code":"x","message":"down"}}', { status: next });
      return new Response(JSON.stringify(next), { status: 200 });
    }) as unknown as typeof fetch;
  const refused = () => Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
  const opts = { pollMs: 1, patienceMs: 1000, zone: 'utc' as const, sleep: async () => {} };

  it('rides out a lost connection and a 503, saying so once', async () => {
    const err: string[] = [];
    const client = new Client({ url: 'http://h', fetch: answers([run({}), refused(), 503, run({ state: 'success' })]) });
    const end = await waitForRun(client, '42', () => {}, (s) => err.push(s), opts);
    expect(end.state).toBe('success');
    expect(err).toEqual([expect.stringContaining('cannot reach Course at http://h'), 'course: the server answers again\n']);
  });

  it('gives up after its patience, and at once on a 404', async () => {
    let t = 0;
    const down = new Client({ url: 'http://h', fetch: answers([refused(), refused(), refused()]) });
    await expect(waitForRun(down, '42', () => {}, () => {}, { ...opts, patienceMs: 5, now: () => (t += 10) })).rejects.toThrow('gave up waiting for run 42');
    const gone = new Client({ url: 'http://h', fetch: answers([404]) });
    await expect(waitForRun(gone, '42', () => {}, () => {}, opts)).rejects.toThrow('down');
  });
});
