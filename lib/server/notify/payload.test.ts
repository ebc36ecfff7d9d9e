import { describe, expect, it } from 'vitest';
import { buildPayload, formatDurationHuman, MAX_JOBS_IN_FULL, oneLine, renderEmail, tailLines, type JobFacts, type RunFacts } from './payload';

const run: RunFacts = {
  id: 12,
  state: 'failure',
  reason: 'job extract failed: exit code 3',
  trigger: 'schedule',
  nominalTime: '2026-12-04T02:30:00.000Z',
  startedAt: '2026-12-04T02:30:00.100Z',
  endedAt: '2026-12-04T02:30:04.300Z',
  durationMs: 4200,
  url: 'http://course.example.com/runs/12',
};
const job = (over: Partial<JobFacts> = {}): JobFacts => ({
  job: 'extract',
  state: 'failure',
  reason: 'exit code 3',
  attempt: 3,
  maxAttempts: 3,
  exitCode: 3,
  signal: null,
  executor: 'e1',
  startedAt: '2026-12-04T02:30:03.000Z',
  endedAt: '2026-12-04T02:30:04.250Z',
  durationMs: 1250,
  childRunId: null,
  output: Array.from({ length: 80 }, (_, i) => `line ${i + 1}`).join('\n') + '\n',
  outputUrl: 'http://course.example.com/api/v1/runs/12/jobs/extract/output?attempt=3',
  ...over,
});

describe('tailLines', () => {
  it('keeps the last 50 lines, without the final newline', () => {
    const t = tailLines(Array.from({ length: 80 }, (_, i) => `l${i + 1}`).join('\n') + '\n');
    expect(t.split('\n')).toHaveLength(50);
    expect(t.startsWith('l31\n')).toBe(true);
    expect(t.endsWith('l80')).toBe(true);
    expect(tailLines('')).toBe('');
    expect(tailLines('one')).toBe('one');
  });
  it('bounds very long lines by characters, keeping the end', () => {
    const t = tailLines('x'.repeat(100_000) + 'END');
    expect(t.length).toBeLessThanOrEqual(16_000);
    expect(t.endsWith('END')).toBe(true);
  });
});

describe('buildPayload', () => {
  it('run.failure: workflow, run with link, the failed job with exit code, attempt, duration and output tail', () => {
    const p = buildPayload({ id: 'evt-1', event: 'run.failure', at: Date.parse('2026-12-04T02:30:04.300Z'), workflow: 'nightly-etl', run, jobs: [job()], allJobStates: ['failure', 'success', 'skipped', 'skipped'] });
    expect(p.title).toBe('nightly-etl failed: job extract failed: exit code 3');
    expect(p).toMatchObject({ id: 'evt-1', event: 'run.failure', at: '2026-12-04T02:30:04.300Z', workflow: 'nightly-etl', run: { id: 12, url: 'http://course.example.com/runs/12', state: 'failure' } });
    expect(p.summary).toEqual({ failure: 1, success: 1, skipped: 2 });
    expect(p.jobs[0]).toMatchObject({ job: 'extract', exitCode: 3, attempt: 3, durationMs: 1250, reason: 'exit code 3' });
    expect(p.jobs[0].output.split('\n')).toHaveLength(50);
    expect(p.jobs[0].output.endsWith('line 80')).toBe(true);
    // The key order is stable, so the same input serialises to the same bytes.
    expect(JSON.stringify(p)).toBe(JSON.stringify(buildPayload({ id: 'evt-1', event: 'run.failure', at: Date.parse('2026-12-04T02:30:04.300Z'), workflow: 'nightly-etl', run, jobs: [job()], allJobStates: ['failure', 'success', 'skipped', 'skipped'] })));
  });

  it('caps the jobs described in full', () => {
    const jobs = Array.from({ length: 25 }, (_, i) => job({ job: `j${i}`, state: 'success', reason: null, exitCode: 0 }));
    const p = buildPayload({ id: 'e', event: 'run.success', at: 0, workflow: 'w', run: { ...run, state: 'success', reason: null }, jobs, jobsConcerned: 30 });
    expect(p.jobs).toHaveLength(MAX_JOBS_IN_FULL);
    expect(p.moreJobs).toBe(10);
    expect(p.title).toBe('w succeeded (run 12)');
  });

  it('titles for each event', () => {
    const base = { id: 'e', at: 0, workflow: 'w', run };
    expect(buildPayload({ ...base, event: 'job.failure', jobs: [job()] }).title).toBe('w: job extract failed: exit code 3');
    expect(buildPayload({ ...base, event: 'job.success', jobs: [job({ state: 'success', reason: null })] }).title).toBe('w: job extract succeeded (run 12)');
    expect(buildPayload({ ...base, event: 'job.retry', jobs: [job({ attempt: 1, retry: { attempt: 2, at: '2026-12-04T02:31:00.000Z' } })] }).title).toBe('w: job extract attempt 1 failed: exit code 3; retrying (attempt 2)');
    expect(buildPayload({ ...base, event: 'run.long-running', jobs: [], longRunning: { afterMs: 3_600_000, runningForMs: 3_700_000 } }).title).toBe('w still running after 1 h (run 12)');
  });
});

describe('renderEmail', () => {
  it('subject `[Course] <workflow> failed: <reason>` and a plain-text body with the facts and the output tail', () => {
    const p = buildPayload({ id: 'evt-1', event: 'run.failure', at: 0, workflow: 'nightly-etl', run, jobs: [job()], allJobStates: ['failure'] });
    const m = renderEmail(p);
    expect(m.subject).toBe('[Course] nightly-etl failed: job extract failed: exit code 3');
    expect(m.text).toContain('http://course.example.com/runs/12');
    expect(m.text).toContain('Job extract: failure (exit code 3)');
    expect(m.text).toContain('attempt 3 of 3, exit code 3, took 1.3 s, on executor e1');
    expect(m.text).toContain('  | line 80\n');
    expect(m.text).not.toContain('| line 30\n');
    expect(m.text).toContain('id evt-1');
  });
  it('a subject is one line: no header injection through a reason', () => {
    const p = buildPayload({ id: 'e', event: 'run.failure', at: 0, workflow: 'w', run: { ...run, reason: 'bad\r\nBcc: victim@example.com' }, jobs: [] });
    expect(renderEmail(p).subject).toBe('[Course] w failed: bad Bcc: victim@example.com');
  });
});

describe('helpers', () => {
  it('formatDurationHuman', () => {
    expect(formatDurationHuman(850)).toBe('850 ms');
    expect(formatDurationHuman(3240)).toBe('3.2 s');
    expect(formatDurationHuman(125_000)).toBe('2 min 5 s');
    expect(formatDurationHuman(3_780_000)).toBe('1 h 3 min');
    expect(formatDurationHuman(null)).toBe('unknown');
  });
  it('oneLine', () => {
    expect(oneLine('a\n\tb', 10)).toBe('a b');
    expect(oneLine('x'.repeat(20), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});
