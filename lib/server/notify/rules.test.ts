import { describe, expect, it } from 'vitest';
import { validateDefinition } from '../../domain/definition';
import type { WorkflowSpec } from '../../domain/types';
import { eventIdFor, jobLongRunningRules, matchEffect, runLongRunningRule } from './rules';

function spec(def: object): WorkflowSpec {
  const r = validateDefinition(def);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.value;
}

const wf = spec({
  name: 'nightly-etl',
  notify: {
    onSuccess: [{ webhook: 'https://hooks.example.com/ok' }],
    onFailure: [{ email: 'ops@example.com' }, { webhook: 'https://hooks.example.com/fail', secret: 's3cret', timeout: '3s' }],
    onRetry: [{ email: 'ops@example.com' }],
    onLongRunning: [{ email: 'late@example.com' }],
    longRunningAfter: '1h',
  },
  jobs: {
    extract: { command: 'x', retries: 2, notify: { onFailure: [{ email: 'etl@example.com' }], onRetry: [{ email: 'OPS@example.com' }, { email: 'etl@example.com' }] } },
    load: { command: 'y', needs: ['extract'], notify: { onSuccess: [{ webhook: 'http://127.0.0.1:9/done' }], onLongRunning: [{ email: 'a@b.c' }], longRunningAfter: '5m' } },
    plain: { command: 'z' },
  },
});

describe('matchEffect', () => {
  it('run end: onSuccess / onFailure of the workflow', () => {
    expect(matchEffect(wf, { type: 'run-ended', state: 'success', reason: null })).toEqual({ event: 'run.success', targets: [{ webhook: 'https://hooks.example.com/ok' }] });
    const f = matchEffect(wf, { type: 'run-ended', state: 'failure', reason: 'job extract failed: exit code 3' });
    expect(f?.event).toBe('run.failure');
    expect(f?.targets).toEqual([{ email: 'ops@example.com' }, { webhook: 'https://hooks.example.com/fail', secret: 's3cret', timeoutMs: 3000 }]);
  });

  it('a cancelled run or job raises nothing, nor a skipped job', () => {
    expect(matchEffect(wf, { type: 'run-ended', state: 'cancelled', reason: 'cancelled by admin' })).toBeNull();
    expect(matchEffect(wf, { type: 'job-ended', job: 'extract', state: 'cancelled', reason: 'cancelled by admin' })).toBeNull();
    expect(matchEffect(wf, { type: 'job-ended', job: 'extract', state: 'skipped', reason: 'dependency x failed' })).toBeNull();
  });

  it('job end: only that job’s own rules', () => {
    expect(matchEffect(wf, { type: 'job-ended', job: 'extract', state: 'failure', reason: 'exit code 3' })).toEqual({ event: 'job.failure', job: 'extract', targets: [{ email: 'etl@example.com' }] });
    expect(matchEffect(wf, { type: 'job-ended', job: 'extract', state: 'success', reason: null })).toBeNull();
    expect(matchEffect(wf, { type: 'job-ended', job: 'load', state: 'success', reason: null })?.targets).toEqual([{ webhook: 'http://127.0.0.1:9/done' }]);
    expect(matchEffect(wf, { type: 'job-ended', job: 'plain', state: 'failure', reason: 'exit code 1' })).toBeNull();
  });

  it('retry: the job’s onRetry and the workflow’s, each address once (case-insensitively)', () => {
    const m = matchEffect(wf, { type: 'job-retry', job: 'extract', attempt: 2, failedAttempt: 1, at: 0, reason: 'exit code 3' });
    expect(m).toEqual({ event: 'job.retry', job: 'extract', targets: [{ email: 'OPS@example.com' }, { email: 'etl@example.com' }] });
    expect(matchEffect(wf, { type: 'job-retry', job: 'plain', attempt: 2, failedAttempt: 1, at: 0, reason: 'x' })?.targets).toEqual([{ email: 'ops@example.com' }]);
  });

  it('other effects raise nothing', () => {
    expect(matchEffect(wf, { type: 'queue', job: 'extract' })).toBeNull();
    expect(matchEffect(wf, { type: 'run-started' })).toBeNull();
    expect(matchEffect(spec({ name: 'quiet', jobs: { a: { command: 'true' } } }), { type: 'run-ended', state: 'failure', reason: 'x' })).toBeNull();
  });
});

describe('long-running rules', () => {
  it('workflow and job level', () => {
    expect(runLongRunningRule(wf)).toEqual({ afterMs: 3_600_000, targets: [{ email: 'late@example.com' }] });
    expect([...jobLongRunningRules(wf)]).toEqual([['load', { afterMs: 300_000, targets: [{ email: 'a@b.c' }] }]]);
  });
});

describe('eventIdFor', () => {
  const run = { id: 12, createdAt: new Date('2026-12-04T00:00:00Z') };
  it('is stable, distinct per event, job and attempt, and header-safe', () => {
    const a = eventIdFor(run, 'job.retry', 'extract', 1);
    expect(eventIdFor(run, 'job.retry', 'extract', 1)).toBe(a);
    const ids = [a, eventIdFor(run, 'job.retry', 'extract', 2), eventIdFor(run, 'job.failure', 'extract'), eventIdFor(run, 'run.failure'), eventIdFor({ ...run, id: 13 }, 'run.failure'), eventIdFor({ ...run, createdAt: new Date(1) }, 'run.failure')];
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[\x21-\x7e]+$/);
    expect(eventIdFor(run, 'run.failure')).toMatch(/^course:run-12-[0-9a-z]+:run\.failure$/);
  });
});
