// retryDelayMs, isEnded, purity of the module, names that are also Object.prototype's, and the
// test kit's own checkers (a checker that cannot fail would make every other test meaningless).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENDED_JOB_STATES, ENDED_RUN_STATES, JOB_STATES, RUN_STATES } from '../types';
import { decide, isEnded, isLive, retryDelayMs } from './index';
import { applyDecision, checkDecision, checkInvariants, drive, job, jobRun, jobsOf, newRun, Sim } from './testkit';
import type { Decision, RunView } from './types';

describe('retryDelayMs', () => {
  it('is the fixed retryDelay for every retry', () => {
    const spec = job('a', { retries: 5, retryDelayMs: 30_000 });
    expect([2, 3, 4, 5, 6].map((n) => retryDelayMs(spec, n))).toEqual([30_000, 30_000, 30_000, 30_000, 30_000]);
    expect(retryDelayMs(job('b', { retries: 1 }), 2)).toBe(0);
  });

  it('never answers a negative or non-finite delay', () => {
    expect(retryDelayMs({ ...job('a'), retryDelayMs: -5 }, 2)).toBe(0);
    expect(retryDelayMs({ ...job('a'), retryDelayMs: Number.NaN }, 2)).toBe(0);
  });

  it.each([1, 0, -1, 2.5])('attempt %d is not a retry', (n) => {
    expect(() => retryDelayMs(job('a'), n)).toThrow(RangeError);
  });
});

describe('isEnded / isLive', () => {
  it.each(JOB_STATES.map((s) => [s, ENDED_JOB_STATES.includes(s)] as const))('job state %s ended: %s', (state, ended) => {
    expect(isEnded(state)).toBe(ended);
    expect(isLive(state)).toBe(!ended);
  });

  it.each(RUN_STATES.map((s) => [s, ENDED_RUN_STATES.includes(s)] as const))('run state %s ended: %s', (state, ended) => {
    expect(isEnded(state)).toBe(ended);
  });
});

describe('purity', () => {
  const dir = import.meta.dirname;
  const sources = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'testkit.ts');

  it.each(sources)('%s imports no Node module, no Prisma, and reads no clock or randomness', (file) => {
    const text = readFileSync(path.join(dir, file), 'utf8');
    const imports = [...text.matchAll(/^import[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1]);
    for (const spec of imports) expect(spec, file).toMatch(/^\.\.?\//);
    expect(text).not.toMatch(/\bDate\b|performance\.|Math\.random|process\.|setTimeout|setInterval|require\(/);
  });

  it('covers the module files', () => {
    expect(sources).toEqual(expect.arrayContaining(['decide.ts', 'graph.ts', 'index.ts', 'retry.ts', 'states.ts', 'types.ts']));
  });
});

describe('job names that are also Object.prototype members', () => {
  it('constructor, toString, hasOwnProperty run like any job, even with their job runs missing', () => {
    const jobs = jobsOf(job('constructor'), job('toString', { needs: ['constructor'] }), job('hasOwnProperty', { needs: ['toString'] }));
    let view: RunView = { state: 'new', reason: null, jobs, jobRuns: {} };
    const step = (event: Parameters<typeof decide>[1]) => {
      const result = decide(view, event, 0);
      if (!result.ok) throw new Error(result.error);
      view = applyDecision(view, result.decision);
      return result.decision;
    };
    expect(step({ type: 'start' }).jobRuns).toEqual({
      constructor: { job: 'constructor', state: 'queued', reason: null, attempts: 0, retryAt: null, childRunId: null },
    });
    for (const name of ['constructor', 'toString', 'hasOwnProperty']) {
      step({ type: 'attempt-started', job: name });
      step({ type: 'attempt-succeeded', job: name });
    }
    expect(view.state).toBe('success');
    expect(checkInvariants(view)).toEqual([]);
  });

  it('a key named __proto__ stays a plain entry of the decision', () => {
    const jobs: RunView['jobs'] = {};
    Object.defineProperty(jobs, '__proto__', { value: job('__proto__'), enumerable: true });
    const result = decide({ state: 'new', reason: null, jobs, jobRuns: {} }, { type: 'start' }, 0);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(Object.getPrototypeOf(result.decision.jobRuns)).toBe(Object.prototype);
    expect(Object.keys(result.decision.jobRuns)).toEqual(['__proto__']);
  });
});

describe('the test kit catches what it is meant to', () => {
  const base = (): RunView =>
    ({
      state: 'executing',
      reason: null,
      jobs: jobsOf(job('a'), job('b', { needs: ['a'] }), job('w', { workflow: 'x' })),
      jobRuns: {
        a: jobRun('a', { state: 'executing', attempts: 1 }),
        b: jobRun('b'),
        w: jobRun('w', { state: 'executing', childRunId: 3 }),
      },
    }) satisfies RunView;
  const withRuns = (patch: Record<string, Partial<RunView['jobRuns'][string]>>, run: Partial<RunView> = {}): RunView => {
    const view = base();
    for (const [name, fields] of Object.entries(patch)) view.jobRuns[name] = { ...view.jobRuns[name], ...fields };
    return { ...view, ...run };
  };

  it('accepts the base view', () => {
    expect(checkInvariants(base())).toEqual([]);
  });

  it.each([
    ['an ended run with live job runs', withRuns({}, { state: 'cancelled', reason: 'x' }), /still live/],
    ['an executing run with nothing live', withRuns({ a: { state: 'success' }, b: { state: 'success' }, w: { state: 'success' } }), /no job run is live/],
    ['a successful run with a failed job', withRuns({ a: { state: 'failure', reason: 'r' }, b: { state: 'skipped', reason: 'dependency a failed' }, w: { state: 'success' } }, { state: 'success' }), /did not/],
    ['a failed run without a reason', withRuns({ a: { state: 'failure', reason: 'r' }, b: { state: 'skipped', reason: 'dependency a failed' }, w: { state: 'success' } }, { state: 'failure' }), /without a reason/],
    ['a failure without a reason', withRuns({ a: { state: 'failure' } }), /failure without a reason/],
    ['a new job whose need failed', withRuns({ a: { state: 'failure', reason: 'r' } }), /will never succeed/],
    ['a new job whose needs all succeeded', withRuns({ a: { state: 'success' } }), /needs all succeeded/],
    ['a queued job whose need has not succeeded', withRuns({ b: { state: 'queued' } }), /though its needs/],
    ['too many attempts', withRuns({ a: { attempts: 2 } }), /at most 1/],
    ['a retry with no retry left', withRuns({ a: { retryAt: 5 } }), /waits to retry/],
    ['a queued workflow job', withRuns({ w: { state: 'queued' } }), /workflow job w is queued/],
    ['a skip naming a job that is not a need', withRuns({ a: { state: 'failure', reason: 'r' }, b: { state: 'skipped', reason: 'dependency w failed' } }), /not one of its needs/],
    ['a skip naming the wrong state', withRuns({ a: { state: 'failure', reason: 'r' }, b: { state: 'skipped', reason: 'dependency a skipped' } }), /but it is failure/],
    ['a live job with a reason', withRuns({ a: { reason: 'why' } }), /with reason why/],
  ])('checkInvariants catches %s', (_name, view, problem) => {
    expect(checkInvariants(view).join('\n')).toMatch(problem);
  });

  const event = { type: 'attempt-succeeded', job: 'a' } as const;
  const good = (): Decision => ({
    jobRuns: { a: { state: 'success' }, b: { state: 'queued' } },
    run: {},
    effects: [
      { type: 'job-ended', job: 'a', state: 'success', reason: null },
      { type: 'queue', job: 'b' },
    ],
  });

  it('accepts a consistent decision', () => {
    expect(checkDecision(base(), event, good())).toEqual([]);
  });

  it.each<[string, (d: Decision) => void, RegExp]>([
    ['a missing queue effect', (d) => d.effects.pop(), /queue: effects for \[\] but changes for \[b\]/],
    ['a missing job-ended effect', (d) => d.effects.shift(), /job-ended/],
    ['a job-ended effect that disagrees', (d) => (d.effects[0] = { type: 'job-ended', job: 'a', state: 'failure', reason: 'x' }), /disagrees|says failure/],
    ['a repeated unchanged field', (d) => (d.jobRuns.a = { state: 'success', attempts: 1 }), /repeats unchanged a.attempts/],
    ['a forbidden transition', (d) => (d.jobRuns.b = { state: 'failure', reason: 'x' }), /b went new → failure/],
    ['a kill without a cancel', (d) => d.effects.push({ type: 'kill-attempt', job: 'a', reason: 'r' }), /kill-attempt/],
    ['a run-ended without an ended run', (d) => d.effects.push({ type: 'run-ended', state: 'success', reason: null }), /1 run-ended/],
    ['a run-started outside start', (d) => d.effects.unshift({ type: 'run-started' }), /run-started/],
  ])('checkDecision catches %s', (_name, spoil, problem) => {
    const decision = good();
    spoil(decision);
    expect(checkDecision(base(), event, decision).join('\n')).toMatch(problem);
  });

  it('the simulator refuses a decide() that breaks an invariant', () => {
    const broken: typeof decide = (view, ev, now) => {
      const result = decide(view, ev, now);
      if (result.ok && ev.type === 'attempt-succeeded') result.decision.effects = result.decision.effects.filter((e) => e.type !== 'queue');
      return result;
    };
    const sim = new Sim(newRun(jobsOf(job('a'), job('b', { needs: ['a'] }))), 0, 1, broken);
    expect(() => drive(sim)).toThrow(/queue: effects for \[\] but changes for \[b\]/);
  });

  it('the simulator refuses a decide() that mutates its input', () => {
    const mutating: typeof decide = (view, ev, now) => {
      (view.jobRuns.a as { attempts: number }).attempts = 99;
      return decide(view, ev, now);
    };
    const sim = new Sim(newRun(jobsOf(job('a'))), 0, 1, mutating);
    expect(() => sim.step({ type: 'start' })).toThrow(TypeError);
  });

  it('drive fails a run that never ends', () => {
    const stalled: typeof decide = (view, ev, now) => {
      const result = decide(view, ev, now);
      if (result.ok && ev.type === 'start') result.decision.effects = [{ type: 'run-started' }];
      return result;
    };
    // Checks only at the end, so the missing effect shows as a stall.
    const sim = new Sim(newRun(jobsOf(job('a'))), 0, 1_000, stalled);
    expect(() => drive(sim)).toThrow(/nothing left to do but the run is executing/);
  });
});
