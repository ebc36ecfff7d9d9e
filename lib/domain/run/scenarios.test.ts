// Whole runs, step by step, through the simulator (which checks every invariant after every step).
import { describe, expect, it } from 'vitest';
import { decide, MAX_NAMED } from './decide';
import { applyDecision, checkInvariants, drive, job, jobRun, jobsOf, newRun, prng, Sim } from './testkit';
import type { Effect, RunView } from './types';

const types = (effects: Effect[]) => effects.map((effect) => effect.type);
const queued = (effects: Effect[]) => effects.filter((e) => e.type === 'queue').map((e) => (e as { job: string }).job);

describe('chain', () => {
  it('a → b → c hands off in the same decision and succeeds', () => {
    const sim = new Sim(newRun(jobsOf(job('a'), job('b', { needs: ['a'] }), job('c', { needs: ['b'] }))));
    const start = sim.step({ type: 'start' });
    expect(start.run).toEqual({ state: 'executing' });
    expect(start.effects).toEqual([{ type: 'run-started' }, { type: 'queue', job: 'a' }]);
    expect(start.jobRuns).toEqual({ a: { state: 'queued' } });

    expect(sim.step({ type: 'attempt-started', job: 'a' }).jobRuns).toEqual({ a: { state: 'executing', attempts: 1 } });
    const aDone = sim.step({ type: 'attempt-succeeded', job: 'a' });
    expect(aDone.jobRuns).toEqual({ a: { state: 'success' }, b: { state: 'queued' } });
    expect(aDone.effects).toEqual([
      { type: 'job-ended', job: 'a', state: 'success', reason: null },
      { type: 'queue', job: 'b' },
    ]);
    expect(sim.state('c')).toBe('new');

    sim.step({ type: 'attempt-started', job: 'b' });
    expect(queued(sim.step({ type: 'attempt-succeeded', job: 'b' }).effects)).toEqual(['c']);
    sim.step({ type: 'attempt-started', job: 'c' });
    const end = sim.step({ type: 'attempt-succeeded', job: 'c' });
    expect(end.run).toEqual({ state: 'success' });
    expect(end.effects.at(-1)).toEqual({ type: 'run-ended', state: 'success', reason: null });
    expect(sim.view.state).toBe('success');
    expect(sim.refuse({ type: 'attempt-succeeded', job: 'c' })).toMatch(/already ended \(success\)/);
  });

  it('a job with several needs waits for the last of them', () => {
    const sim = new Sim(newRun(jobsOf(job('a'), job('b'), job('c', { needs: ['a', 'b', 'a'] }))));
    expect(queued(sim.step({ type: 'start' }).effects)).toEqual(['a', 'b']);
    sim.step({ type: 'attempt-started', job: 'a' });
    sim.step({ type: 'attempt-started', job: 'b' });
    expect(queued(sim.step({ type: 'attempt-succeeded', job: 'a' }).effects)).toEqual([]);
    expect(queued(sim.step({ type: 'attempt-succeeded', job: 'b' }).effects)).toEqual(['c']);
  });
});

describe('diamond with a failure', () => {
  // a → b, a → c, (b, c) → d → e; f stands alone.
  const jobs = jobsOf(
    job('a'),
    job('b', { needs: ['a'] }),
    job('c', { needs: ['a'] }),
    job('d', { needs: ['b', 'c'] }),
    job('e', { needs: ['d'] }),
    job('f'),
  );

  it('c fails: b still completes, d is skipped naming c, e naming d, f runs, the run fails naming c', () => {
    const sim = new Sim(newRun(jobs));
    expect(queued(sim.step({ type: 'start' }).effects)).toEqual(['a', 'f']);
    sim.step({ type: 'attempt-started', job: 'a' });
    expect(queued(sim.step({ type: 'attempt-succeeded', job: 'a' }).effects)).toEqual(['b', 'c']);
    sim.step({ type: 'attempt-started', job: 'b' });
    sim.step({ type: 'attempt-started', job: 'c' });
    const cFailed = sim.step({ type: 'attempt-failed', job: 'c', reason: 'exit code 1' });
    expect(cFailed.jobRuns).toEqual({
      c: { state: 'failure', reason: 'exit code 1' },
      d: { state: 'skipped', reason: 'dependency c failed' },
      e: { state: 'skipped', reason: 'dependency d skipped' },
    });
    expect(cFailed.effects).toEqual([
      { type: 'job-ended', job: 'c', state: 'failure', reason: 'exit code 1' },
      { type: 'job-ended', job: 'd', state: 'skipped', reason: 'dependency c failed' },
      { type: 'job-ended', job: 'e', state: 'skipped', reason: 'dependency d skipped' },
    ]);
    expect(cFailed.run).toEqual({});
    expect(sim.state('b')).toBe('executing');
    expect(sim.step({ type: 'attempt-succeeded', job: 'b' }).run).toEqual({});
    sim.step({ type: 'attempt-started', job: 'f' });
    const end = sim.step({ type: 'attempt-succeeded', job: 'f' });
    expect(end.run).toEqual({ state: 'failure', reason: 'job c failed: exit code 1' });
    expect(sim.state('b')).toBe('success');
    expect(sim.state('f')).toBe('success');
  });

  it('a root failure skips everything below it', () => {
    const sim = new Sim(newRun(jobs));
    drive(sim, { attempt: (name) => (name === 'a' ? 'signal SIGKILL' : true) });
    expect(sim.view.state).toBe('failure');
    expect(sim.view.reason).toBe('job a failed: signal SIGKILL');
    expect(sim.jobRun('b').reason).toBe('dependency a failed');
    expect(sim.jobRun('c').reason).toBe('dependency a failed');
    expect(sim.jobRun('d').reason).toBe('dependency b skipped');
    expect(sim.jobRun('e').reason).toBe('dependency d skipped');
    expect(sim.state('f')).toBe('success');
  });

  it('the run reason names every failed job in source order', () => {
    const sim = new Sim(newRun(jobsOf(job('x'), job('y'), job('z'))));
    drive(sim, { attempt: (name) => (name === 'y' ? true : `exit code ${name === 'x' ? 1 : 2}`), pick: (n) => n - 1 });
    expect(sim.view.reason).toBe('job x failed: exit code 1; job z failed: exit code 2');
  });

  it(`the run reason names at most ${MAX_NAMED} failed jobs`, () => {
    const names = Array.from({ length: MAX_NAMED + 3 }, (_, i) => `j${i}`);
    const sim = new Sim(newRun(jobsOf(...names.map((name) => job(name)))));
    drive(sim, { attempt: () => 'exit code 1' });
    const reason = sim.view.reason!;
    expect(reason.split('; ')).toHaveLength(MAX_NAMED + 1);
    expect(reason).toMatch(/^job j0 failed: exit code 1; job j1 failed/);
    expect(reason).not.toContain(`job j${MAX_NAMED} failed`);
    expect(reason.endsWith('; and 3 more jobs failed')).toBe(true);
  });
});

describe('retries', () => {
  it('retries 2: at most 3 attempts, each retry after the delay, then failure', () => {
    const sim = new Sim(newRun(jobsOf(job('a', { retries: 2, retryDelayMs: 30_000 }))), 0);
    sim.step({ type: 'start' });
    for (let attempt = 1; attempt <= 3; attempt++) {
      const started = sim.step({ type: 'attempt-started', job: 'a' });
      expect(started.jobRuns.a).toEqual({ state: 'executing', attempts: attempt });
      sim.now += 5;
      const failed = sim.step({ type: 'attempt-failed', job: 'a', reason: `exit code ${attempt}` });
      if (attempt === 3) {
        expect(failed.jobRuns.a).toEqual({ state: 'failure', reason: 'exit code 3' });
        expect(failed.run).toEqual({ state: 'failure', reason: 'job a failed: exit code 3' });
        break;
      }
      const at = sim.now + 30_000;
      expect(failed.jobRuns.a).toEqual({ retryAt: at });
      expect(failed.effects).toEqual([
        { type: 'schedule-retry', job: 'a', at },
        { type: 'job-retry', job: 'a', attempt: attempt + 1, failedAttempt: attempt, at, reason: `exit code ${attempt}` },
      ]);
      expect(sim.refuse({ type: 'attempt-started', job: 'a' })).toMatch(/waiting to retry/);
      sim.now = at - 1;
      expect(sim.refuse({ type: 'retry-due', job: 'a' })).toBe(
        `retry of job a is due at ${at}, not yet at ${at - 1}: retry-due refused`,
      );
      sim.now = at;
      const due = sim.step({ type: 'retry-due', job: 'a' });
      expect(due.jobRuns.a).toEqual({ state: 'queued', retryAt: null });
      expect(due.effects).toEqual([{ type: 'queue', job: 'a' }]);
      expect(sim.refuse({ type: 'retry-due', job: 'a' })).toMatch(/no retry is pending/);
    }
    expect(sim.jobRun('a').attempts).toBe(3);
    expect(sim.view.state).toBe('failure');
  });

  it('a later attempt that succeeds makes the job succeed and hands off', () => {
    const sim = new Sim(newRun(jobsOf(job('a', { retries: 3, retryDelayMs: 1000 }), job('b', { needs: ['a'] }))), 0);
    const result = drive(sim, { attempt: (name, attempt) => (name === 'a' && attempt < 3 ? 'executor lost' : true) });
    expect(sim.jobRun('a')).toMatchObject({ state: 'success', attempts: 3, reason: null, retryAt: null });
    expect(sim.jobRun('b')).toMatchObject({ state: 'success', attempts: 1 });
    expect(sim.view.state).toBe('success');
    expect(result.lateRefused).toBe(0);
    const retries = sim.log.flatMap((entry) => entry.decision.effects).filter((e) => e.type === 'job-retry');
    expect(retries.map((e) => [e.attempt, e.reason])).toEqual([
      [2, 'executor lost'],
      [3, 'executor lost'],
    ]);
  });

  it('the delay is honoured: each retry is queued no earlier than delay after the failure', () => {
    const sim = new Sim(newRun(jobsOf(job('a', { retries: 4, retryDelayMs: 7_000 }))), 0);
    drive(sim, { attempt: () => 'timeout' });
    let failedAt = -1;
    let queues = 0;
    for (const { event, decision } of sim.log) {
      if (event.type === 'attempt-failed') failedAt = decision.jobRuns.a?.retryAt ?? -1;
      if (event.type === 'retry-due') {
        expect(decision.effects).toEqual([{ type: 'queue', job: 'a' }]);
        expect(failedAt).toBeGreaterThan(0);
        queues++;
      }
    }
    expect(queues).toBe(4);
    expect(sim.jobRun('a').attempts).toBe(5);
    expect(sim.jobRun('a').state).toBe('failure');
  });

  it('retryDelay 0 still goes through retryAt = now', () => {
    const sim = new Sim(newRun(jobsOf(job('a', { retries: 1 }))), 500);
    sim.step({ type: 'start' });
    sim.step({ type: 'attempt-started', job: 'a' });
    const failed = sim.step({ type: 'attempt-failed', job: 'a', reason: 'exit code 1' });
    expect(failed.jobRuns.a).toEqual({ retryAt: 500 });
    expect(failed.effects[0]).toEqual({ type: 'schedule-retry', job: 'a', at: 500 });
    expect(sim.step({ type: 'retry-due', job: 'a' }).jobRuns.a).toEqual({ state: 'queued', retryAt: null });
  });

  it('retries 0 means one attempt', () => {
    const sim = new Sim(newRun(jobsOf(job('a'))));
    drive(sim, { attempt: () => 'exit code 9' });
    expect(sim.jobRun('a')).toMatchObject({ state: 'failure', attempts: 1, reason: 'exit code 9' });
  });

  it('workflow jobs are never retried, whatever their retries say', () => {
    const sim = new Sim(newRun(jobsOf(job('w', { workflow: 'child', retries: 3 }))));
    sim.step({ type: 'start' });
    sim.setChildRunId('w', 9);
    const end = sim.step({ type: 'child-run-ended', job: 'w', state: 'failure', reason: 'job x failed: exit code 1' });
    expect(end.jobRuns.w).toEqual({ state: 'failure', reason: 'child run 9 failed: job x failed: exit code 1' });
    expect(end.run).toEqual({ state: 'failure', reason: 'job w failed: child run 9 failed: job x failed: exit code 1' });
  });
});

describe('cancel at each stage', () => {
  const jobs = () =>
    jobsOf(
      job('a', { retries: 2, retryDelayMs: 10_000 }),
      job('b', { needs: ['a'] }),
      job('w', { workflow: 'child' }),
      job('q'),
      job('s'),
    );
  const cancel = { type: 'cancel-requested', by: 'alice' } as const;

  it('before start: every job run and the run are cancelled, nothing is queued', () => {
    const sim = new Sim(newRun(jobs()));
    const decision = sim.step(cancel);
    expect(decision.run).toEqual({ state: 'cancelled', reason: 'cancelled by alice' });
    expect(types(decision.effects)).toEqual(['job-ended', 'job-ended', 'job-ended', 'job-ended', 'job-ended', 'run-ended']);
    expect(sim.refuse({ type: 'start' })).toMatch(/already ended \(cancelled\)/);
  });

  it('mid-run: running attempt killed, child cancelled, queued and new cancelled, success kept', () => {
    const sim = new Sim(newRun(jobs()));
    sim.step({ type: 'start' });
    sim.setChildRunId('w', 77);
    sim.step({ type: 'attempt-started', job: 'a' });
    sim.step({ type: 'attempt-started', job: 's' });
    sim.step({ type: 'attempt-succeeded', job: 's' });
    const decision = sim.step(cancel);
    expect(decision.jobRuns).toEqual({
      a: { state: 'cancelled', reason: 'cancelled by alice' },
      b: { state: 'cancelled', reason: 'cancelled by alice' },
      w: { state: 'cancelled', reason: 'cancelled by alice' },
      q: { state: 'cancelled', reason: 'cancelled by alice' },
    });
    expect(decision.effects).toEqual([
      { type: 'kill-attempt', job: 'a', reason: 'cancelled by alice', attempt: 1 },
      { type: 'job-ended', job: 'a', state: 'cancelled', reason: 'cancelled by alice' },
      { type: 'job-ended', job: 'b', state: 'cancelled', reason: 'cancelled by alice' },
      { type: 'cancel-child-run', job: 'w', childRunId: 77 },
      { type: 'job-ended', job: 'w', state: 'cancelled', reason: 'cancelled by alice' },
      { type: 'job-ended', job: 'q', state: 'cancelled', reason: 'cancelled by alice' },
      { type: 'run-ended', state: 'cancelled', reason: 'cancelled by alice' },
    ]);
    expect(sim.state('s')).toBe('success');
    // Late reports: refused.
    expect(sim.refuse({ type: 'attempt-failed', job: 'a', reason: 'signal SIGTERM' })).toMatch(/already ended \(cancelled\)/);
    expect(sim.refuse({ type: 'attempt-succeeded', job: 'a' })).toMatch(/already ended/);
    expect(sim.refuse({ type: 'attempt-started', job: 'q' })).toMatch(/already ended/);
    expect(sim.refuse({ type: 'child-run-ended', job: 'w', state: 'cancelled', reason: null })).toMatch(/already ended/);
    expect(sim.refuse(cancel)).toMatch(/already ended/);
  });

  it('between retries: cancelled, retryAt cleared, the retry timer is refused', () => {
    const sim = new Sim(newRun(jobsOf(job('a', { retries: 2, retryDelayMs: 10_000 }))), 0);
    sim.step({ type: 'start' });
    sim.step({ type: 'attempt-started', job: 'a' });
    sim.step({ type: 'attempt-failed', job: 'a', reason: 'exit code 1' });
    const decision = sim.step(cancel);
    expect(decision.jobRuns.a).toEqual({ state: 'cancelled', reason: 'cancelled by alice', retryAt: null });
    expect(types(decision.effects)).toEqual(['job-ended', 'run-ended']);
    sim.now = 10_000;
    expect(sim.refuse({ type: 'retry-due', job: 'a' })).toMatch(/already ended/);
  });

  it('a workflow job whose child run id is not recorded yet is cancelled without cancel-child-run', () => {
    const sim = new Sim(newRun(jobsOf(job('w', { workflow: 'child' }))));
    sim.step({ type: 'start' });
    expect(types(sim.step(cancel).effects)).toEqual(['job-ended', 'run-ended']);
  });

  it('at a random point of random runs: the run ends cancelled and late reports are refused', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const random = prng(seed);
      const at = 1 + Math.floor(random() * 12);
      const sim = new Sim(newRun(jobs()));
      const result = drive(sim, {
        attempt: () => (random() < 0.5 ? true : 'exit code 1'),
        pick: (n) => Math.floor(random() * n),
        interrupt: (_sim, actions) => (actions === at ? cancel : undefined),
      });
      if (sim.view.state === 'cancelled') {
        expect(sim.view.reason).toBe('cancelled by alice');
        expect(result.killed.length + result.cancelledChildren.length).toBeLessThanOrEqual(result.lateRefused);
      }
    }
  });
});

describe('run timeout', () => {
  it('stops everything with reason timeout and fails the run', () => {
    const sim = new Sim(
      newRun(jobsOf(job('a'), job('b', { needs: ['a'] }), job('c'), job('w', { workflow: 'child' }), job('r', { retries: 1 }))),
    );
    sim.step({ type: 'start' });
    sim.setChildRunId('w', 5);
    sim.step({ type: 'attempt-started', job: 'a' });
    sim.step({ type: 'attempt-started', job: 'r' });
    sim.step({ type: 'attempt-failed', job: 'r', reason: 'exit code 1' });
    const decision = sim.step({ type: 'run-timed-out' });
    expect(decision.run).toEqual({ state: 'failure', reason: 'run timeout' });
    expect(decision.effects).toEqual([
      { type: 'kill-attempt', job: 'a', reason: 'timeout', attempt: 1 },
      { type: 'job-ended', job: 'a', state: 'cancelled', reason: 'timeout' },
      { type: 'job-ended', job: 'b', state: 'cancelled', reason: 'timeout' },
      { type: 'job-ended', job: 'c', state: 'cancelled', reason: 'timeout' },
      { type: 'cancel-child-run', job: 'w', childRunId: 5 },
      { type: 'job-ended', job: 'w', state: 'cancelled', reason: 'timeout' },
      { type: 'job-ended', job: 'r', state: 'cancelled', reason: 'timeout' },
      { type: 'run-ended', state: 'failure', reason: 'run timeout' },
    ]);
    expect(sim.refuse({ type: 'attempt-succeeded', job: 'a' })).toMatch(/already ended \(failure\)/);
  });

  it('keeps jobs that already ended as they were', () => {
    const sim = new Sim(newRun(jobsOf(job('a'), job('b'))));
    sim.step({ type: 'start' });
    sim.step({ type: 'attempt-started', job: 'a' });
    sim.step({ type: 'attempt-failed', job: 'a', reason: 'exit code 4' });
    const decision = sim.step({ type: 'run-timed-out' });
    expect(Object.keys(decision.jobRuns)).toEqual(['b']);
    expect(sim.jobRun('a').reason).toBe('exit code 4');
    expect(sim.view.reason).toBe('run timeout');
  });
});

describe('rerun with doneJobs', () => {
  const jobs = () => jobsOf(job('a'), job('b', { needs: ['a'] }), job('c', { needs: ['b'] }), job('d'));

  it('done jobs count as success; what needs only them starts at once', () => {
    const sim = new Sim(newRun(jobs(), ['a', 'b']));
    const start = sim.step({ type: 'start' });
    expect(start.jobRuns).toEqual({
      a: { state: 'success' },
      b: { state: 'success' },
      c: { state: 'queued' },
      d: { state: 'queued' },
    });
    expect(start.effects).toEqual([
      { type: 'run-started' },
      { type: 'queue', job: 'c' },
      { type: 'queue', job: 'd' },
    ]);
    drive(sim);
    expect(sim.view.state).toBe('success');
    expect(sim.jobRun('a').attempts).toBe(0);
  });

  it('a rerun whose jobs are all done succeeds at start', () => {
    const sim = new Sim(newRun(jobs(), ['a', 'b', 'c', 'd']));
    const start = sim.step({ type: 'start' });
    expect(start.run).toEqual({ state: 'success' });
    expect(types(start.effects)).toEqual(['run-started', 'run-ended']);
  });

  it('done jobs the caller already marked success (with its reason) are left alone', () => {
    const view = newRun(jobs(), ['a']);
    view.jobRuns.a = jobRun('a', { state: 'success', reason: 'done in run 7' });
    const sim = new Sim(view);
    const start = sim.step({ type: 'start' });
    expect(start.jobRuns.a).toBeUndefined();
    expect(queued(start.effects)).toEqual(['b', 'd']);
  });

  it('doneJobs whose needs are not done: the done job is never run again', () => {
    // a → b → c with only b done: c starts at once, a runs, and a's success leaves b alone.
    const sim = new Sim(newRun(jobs(), ['b']));
    expect(queued(sim.step({ type: 'start' }).effects)).toEqual(['a', 'c', 'd']);
    sim.step({ type: 'attempt-started', job: 'a' });
    const aDone = sim.step({ type: 'attempt-succeeded', job: 'a' });
    expect(aDone.jobRuns).toEqual({ a: { state: 'success' } });
    expect(queued(aDone.effects)).toEqual([]);
  });

  it('a done job that is not a job of the run is refused', () => {
    const result = decide(newRun(jobs(), ['a', 'zz']), { type: 'start' }, 0);
    expect(result).toEqual({ ok: false, error: 'done job "zz" names no job of this run' });
  });
});

describe('nested workflow jobs', () => {
  const jobs = () =>
    jobsOf(job('a'), job('w', { workflow: 'reporting', needs: ['a'] }), job('z', { needs: ['w'] }), job('y'));

  it('starts the child when its needs succeed; the child success hands off', () => {
    const sim = new Sim(newRun(jobs()));
    sim.step({ type: 'start' });
    sim.step({ type: 'attempt-started', job: 'a' });
    const aDone = sim.step({ type: 'attempt-succeeded', job: 'a' });
    expect(aDone.jobRuns.w).toEqual({ state: 'executing' });
    expect(aDone.effects).toContainEqual({ type: 'start-child-run', job: 'w', workflow: 'reporting' });
    sim.setChildRunId('w', 31);
    const childDone = sim.step({ type: 'child-run-ended', job: 'w', state: 'success', reason: 'ignored' });
    expect(childDone.jobRuns).toEqual({ w: { state: 'success' }, z: { state: 'queued' } });
    expect(sim.jobRun('w')).toMatchObject({ attempts: 0, childRunId: 31, reason: null });
  });

  it('a root workflow job starts its child at start', () => {
    const sim = new Sim(newRun(jobsOf(job('w', { workflow: 'other' }))));
    const start = sim.step({ type: 'start' });
    expect(start.effects).toEqual([{ type: 'run-started' }, { type: 'start-child-run', job: 'w', workflow: 'other' }]);
    expect(start.jobRuns).toEqual({ w: { state: 'executing' } });
  });

  it('a child run cancelled on its own cancels the job, skips its dependants, and the run ends cancelled', () => {
    const sim = new Sim(newRun(jobs()));
    drive(sim, { child: () => ({ state: 'cancelled', reason: 'cancelled by bob' }) });
    expect(sim.jobRun('w')).toMatchObject({ state: 'cancelled', reason: 'child run 1000 cancelled: cancelled by bob' });
    expect(sim.jobRun('z')).toMatchObject({ state: 'skipped', reason: 'dependency w cancelled' });
    expect(sim.state('y')).toBe('success');
    expect(sim.view).toMatchObject({ state: 'cancelled', reason: 'job w cancelled: child run 1000 cancelled: cancelled by bob' });
  });

  it('a failed child fails the job; a null reason is worded', () => {
    const sim = new Sim(newRun(jobs()));
    drive(sim, { child: () => ({ state: 'failure', reason: null }) });
    expect(sim.jobRun('w').reason).toBe('child run 1000 failed');
    expect(sim.jobRun('z').reason).toBe('dependency w failed');
    expect(sim.view.reason).toBe('job w failed: child run 1000 failed');
  });

  it('child-run-ended before the caller recorded the child still ends the job', () => {
    const sim = new Sim(newRun(jobsOf(job('w', { workflow: 'other' }))));
    sim.step({ type: 'start' });
    expect(sim.step({ type: 'child-run-ended', job: 'w', state: 'failure', reason: 'x' }).jobRuns.w?.reason).toBe(
      'child run failed: x',
    );
  });
});

describe('edges', () => {
  it('an empty workflow succeeds at start', () => {
    const sim = new Sim(newRun({}));
    const start = sim.step({ type: 'start' });
    expect(start).toEqual({
      jobRuns: {},
      run: { state: 'success' },
      effects: [{ type: 'run-started' }, { type: 'run-ended', state: 'success', reason: null }],
    });
  });

  it('start twice is refused', () => {
    const sim = new Sim(newRun(jobsOf(job('a'))));
    sim.step({ type: 'start' });
    expect(sim.refuse({ type: 'start' })).toBe('run has already started (executing): start refused');
  });

  it('a needs cycle is refused at start with its path', () => {
    const view = newRun(jobsOf(job('a', { needs: ['c'] }), job('b', { needs: ['a'] }), job('c', { needs: ['b'] })));
    expect(decide(view, { type: 'start' }, 0)).toEqual({
      ok: false,
      error: 'jobs need each other in a cycle: a → c → b → a',
    });
    const self = newRun(jobsOf(job('a', { needs: ['a'] })));
    expect(decide(self, { type: 'start' }, 0)).toEqual({ ok: false, error: 'job "a" needs itself' });
  });

  it('a need naming an unknown job, or a job run of no job, is refused', () => {
    expect(decide(newRun(jobsOf(job('a', { needs: ['ghost'] }))), { type: 'start' }, 0)).toEqual({
      ok: false,
      error: 'job "a" needs unknown job "ghost"',
    });
    const view = newRun(jobsOf(job('a')));
    view.jobRuns.ghost = jobRun('ghost');
    expect(decide(view, { type: 'start' }, 0)).toEqual({ ok: false, error: 'job run "ghost" names no job of this run' });
  });

  it('a job run missing from the view counts as new, and its change carries every field', () => {
    const view: RunView = { state: 'new', reason: null, jobs: jobsOf(job('a'), job('b', { needs: ['a'] })), jobRuns: {} };
    const result = decide(view, { type: 'start' }, 0);
    expect(result.ok && result.decision.jobRuns).toEqual({
      a: { job: 'a', state: 'queued', reason: null, attempts: 0, retryAt: null, childRunId: null },
    });
    if (result.ok) {
      const after = applyDecision(view, result.decision);
      after.jobRuns.b = jobRun('b'); // the caller creates the rest as it likes
      expect(checkInvariants(after)).toEqual([]);
    }
  });

  it('now must be a number', () => {
    expect(decide(newRun(jobsOf(job('a'))), { type: 'start' }, Number.NaN)).toEqual({
      ok: false,
      error: 'now must be a finite number of ms, got NaN',
    });
  });

  it('decide does not modify its input', () => {
    const view = newRun(jobsOf(job('a'), job('b', { needs: ['a'] })));
    const copy = structuredClone(view);
    decide(view, { type: 'start' }, 0);
    expect(view).toEqual(copy);
  });
});

describe('random runs', () => {
  it('random DAGs with random outcomes, orders, retries, children, cancels and timeouts always end', () => {
    const endings = { success: 0, failure: 0, cancelled: 0 };
    for (let seed = 1; seed <= 150; seed++) {
      const random = prng(seed * 7919);
      const count = Math.floor(random() * 14);
      const specs = Array.from({ length: count }, (_, i) => {
        const needs = Array.from({ length: i }, (_, k) => `j${k}`).filter(() => random() < 0.3);
        return job(`j${i}`, {
          needs,
          retries: Math.floor(random() * 3),
          retryDelayMs: Math.floor(random() * 3) * 1000,
          ...(random() < 0.2 ? { workflow: 'child' } : {}),
        });
      });
      const names = specs.map((spec) => spec.name);
      const done = random() < 0.2 ? names.filter(() => random() < 0.3) : undefined;
      // doneJobs as a rerun makes them: a done job's needs are done too.
      const closed = done?.filter((name) => specs.find((s) => s.name === name)!.needs.every((n) => done.includes(n)));
      const stopAt = random() < 0.3 ? 1 + Math.floor(random() * 20) : -1;
      const stop = random() < 0.5 ? ({ type: 'cancel-requested', by: 'r' } as const) : ({ type: 'run-timed-out' } as const);
      const sim = new Sim(newRun(jobsOf(...specs), closed));
      drive(sim, {
        attempt: () => (random() < 0.6 ? true : 'exit code 1'),
        child: () => {
          const x = random();
          return x < 0.6 ? { state: 'success', reason: null } : x < 0.9 ? { state: 'failure', reason: 'f' } : { state: 'cancelled', reason: 'c' };
        },
        pick: (n) => Math.floor(random() * n),
        interrupt: (_sim, actions) => (actions === stopAt ? stop : undefined),
      });
      endings[sim.view.state as keyof typeof endings]++;
    }
    // The generator reaches every ending.
    expect(endings.success).toBeGreaterThan(5);
    expect(endings.failure).toBeGreaterThan(5);
    expect(endings.cancelled).toBeGreaterThan(5);
  });
});
