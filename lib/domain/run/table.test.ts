// Every (job state × event) pair, for one target job `t` in a run that is executing.
import { describe, expect, it } from 'vitest';
import type { JobState } from '../types';
import { decide } from './decide';
import { applyDecision, checkDecision, checkInvariants, deepFreeze, job, jobRun, jobsOf } from './testkit';
import type { EffectType, JobRunView, RunEvent, RunView } from './types';

const NOW = 50_000;
const DELAY = 30_000;

type Fixture = 'new' | 'new (workflow)' | 'queued' | 'attempt running' | 'last attempt running' | 'waiting to retry'
  | 'child running' | 'success' | 'failure' | 'skipped' | 'cancelled (workflow)';

/**
 * The run around `t`: `gate` keeps an attempt running so the run stays executing whatever `t`
 * does; `bad` (failed) exists for the skipped fixture. t has retries 1 and retryDelay 30 s.
 */
function fixture(kind: Fixture): RunView {
  const workflow = kind === 'new (workflow)' || kind === 'child running' || kind === 'cancelled (workflow)';
  const needs = kind === 'new' || kind === 'new (workflow)' ? ['gate'] : kind === 'skipped' ? ['bad'] : [];
  const t = job('t', { needs, retries: 1, retryDelayMs: DELAY, ...(workflow ? { workflow: 'child' } : {}) });
  const tRun: Record<Fixture, Partial<JobRunView>> = {
    new: {},
    'new (workflow)': {},
    queued: { state: 'queued' },
    'attempt running': { state: 'executing', attempts: 1 },
    'last attempt running': { state: 'executing', attempts: 2 },
    'waiting to retry': { state: 'executing', attempts: 1, retryAt: NOW },
    'child running': { state: 'executing', childRunId: 42 },
    success: { state: 'success', attempts: 1 },
    failure: { state: 'failure', attempts: 1, reason: 'exit code 1' },
    skipped: { state: 'skipped', reason: 'dependency bad failed' },
    'cancelled (workflow)': { state: 'cancelled', childRunId: 42, reason: 'child run 42 cancelled: cancelled by bob' },
  };
  const view: RunView = {
    state: 'executing',
    reason: null,
    jobs: jobsOf(job('gate'), job('bad'), t),
    jobRuns: {
      gate: jobRun('gate', { state: 'executing', attempts: 1 }),
      bad: jobRun('bad', { state: 'failure', attempts: 1, reason: 'exit code 2' }),
      t: jobRun('t', tRun[kind]),
    },
  };
  return deepFreeze(view);
}

const EVENTS = {
  start: { type: 'start' },
  'attempt-started': { type: 'attempt-started', job: 't' },
  'attempt-succeeded': { type: 'attempt-succeeded', job: 't' },
  'attempt-failed': { type: 'attempt-failed', job: 't', reason: 'exit code 3' },
  'retry-due': { type: 'retry-due', job: 't' },
  'child success': { type: 'child-run-ended', job: 't', state: 'success', reason: null },
  'child failure': { type: 'child-run-ended', job: 't', state: 'failure', reason: 'job x failed: exit code 1' },
  'child cancelled': { type: 'child-run-ended', job: 't', state: 'cancelled', reason: 'cancelled by bob' },
  cancel: { type: 'cancel-requested', by: 'alice' },
  timeout: { type: 'run-timed-out' },
} satisfies Record<string, RunEvent>;
type EventName = keyof typeof EVENTS;

type Expect =
  | { refused: RegExp }
  | { state: JobState; reason?: string | null; attempts?: number; retryAt?: number | null; effects: EffectType[] };

const r = (refused: RegExp): Expect => ({ refused });
const STARTED = /run has already started/;
const NOT_QUEUED = /job t is .*not queued/;
const NO_ATTEMPT = /job t is .*no attempt is running/;
const NO_RETRY = /job t is .*no retry is pending/;
const NOT_WORKFLOW = /job t is not a workflow job/;
const WORKFLOW = /job t is a workflow job/;
const CHILD_NOT_RUNNING = /its child run is not running/;
const cancelled = (effects: EffectType[] = ['job-ended']): Expect => ({ state: 'cancelled', reason: 'cancelled by alice', effects });
const timedOut = (effects: EffectType[] = ['job-ended']): Expect => ({ state: 'cancelled', reason: 'timeout', effects });

/** An ended job run: every job event is refused, cancel and timeout leave it as it is. */
function ended(state: JobState, childRefusal = NOT_WORKFLOW, attemptRefusal = NO_ATTEMPT): Record<EventName, Expect> {
  const unchanged: Expect = { state, effects: [] };
  return {
    start: r(STARTED),
    'attempt-started': r(attemptRefusal === NO_ATTEMPT ? NOT_QUEUED : attemptRefusal),
    'attempt-succeeded': r(attemptRefusal),
    'attempt-failed': r(attemptRefusal),
    'retry-due': r(attemptRefusal === NO_ATTEMPT ? NO_RETRY : attemptRefusal),
    'child success': r(childRefusal),
    'child failure': r(childRefusal),
    'child cancelled': r(childRefusal),
    cancel: unchanged,
    timeout: unchanged,
  };
}

const TABLE: Record<Fixture, Record<EventName, Expect>> = {
  new: {
    start: r(STARTED),
    'attempt-started': r(NOT_QUEUED),
    'attempt-succeeded': r(NO_ATTEMPT),
    'attempt-failed': r(NO_ATTEMPT),
    'retry-due': r(NO_RETRY),
    'child success': r(NOT_WORKFLOW),
    'child failure': r(NOT_WORKFLOW),
    'child cancelled': r(NOT_WORKFLOW),
    cancel: cancelled(),
    timeout: timedOut(),
  },
  'new (workflow)': {
    start: r(STARTED),
    'attempt-started': r(WORKFLOW),
    'attempt-succeeded': r(WORKFLOW),
    'attempt-failed': r(WORKFLOW),
    'retry-due': r(WORKFLOW),
    'child success': r(CHILD_NOT_RUNNING),
    'child failure': r(CHILD_NOT_RUNNING),
    'child cancelled': r(CHILD_NOT_RUNNING),
    cancel: cancelled(),
    timeout: timedOut(),
  },
  queued: {
    start: r(STARTED),
    'attempt-started': { state: 'executing', attempts: 1, retryAt: null, effects: [] },
    'attempt-succeeded': r(NO_ATTEMPT),
    'attempt-failed': r(NO_ATTEMPT),
    'retry-due': r(NO_RETRY),
    'child success': r(NOT_WORKFLOW),
    'child failure': r(NOT_WORKFLOW),
    'child cancelled': r(NOT_WORKFLOW),
    cancel: cancelled(),
    timeout: timedOut(),
  },
  'attempt running': {
    start: r(STARTED),
    'attempt-started': r(NOT_QUEUED),
    'attempt-succeeded': { state: 'success', reason: null, attempts: 1, effects: ['job-ended'] },
    'attempt-failed': {
      state: 'executing',
      reason: null,
      attempts: 1,
      retryAt: NOW + DELAY,
      effects: ['schedule-retry', 'job-retry'],
    },
    'retry-due': r(NO_RETRY),
    'child success': r(NOT_WORKFLOW),
    'child failure': r(NOT_WORKFLOW),
    'child cancelled': r(NOT_WORKFLOW),
    cancel: cancelled(['kill-attempt', 'job-ended']),
    timeout: timedOut(['kill-attempt', 'job-ended']),
  },
  'last attempt running': {
    start: r(STARTED),
    'attempt-started': r(NOT_QUEUED),
    'attempt-succeeded': { state: 'success', reason: null, attempts: 2, effects: ['job-ended'] },
    'attempt-failed': { state: 'failure', reason: 'exit code 3', attempts: 2, retryAt: null, effects: ['job-ended'] },
    'retry-due': r(NO_RETRY),
    'child success': r(NOT_WORKFLOW),
    'child failure': r(NOT_WORKFLOW),
    'child cancelled': r(NOT_WORKFLOW),
    cancel: cancelled(['kill-attempt', 'job-ended']),
    timeout: timedOut(['kill-attempt', 'job-ended']),
  },
  'waiting to retry': {
    start: r(STARTED),
    'attempt-started': r(/job t is executing \(waiting to retry\), not queued/),
    'attempt-succeeded': r(/waiting to retry.*no attempt is running/),
    'attempt-failed': r(/waiting to retry.*no attempt is running/),
    'retry-due': { state: 'queued', retryAt: null, attempts: 1, effects: ['queue'] },
    'child success': r(NOT_WORKFLOW),
    'child failure': r(NOT_WORKFLOW),
    'child cancelled': r(NOT_WORKFLOW),
    cancel: { ...cancelled(), retryAt: null },
    timeout: { ...timedOut(), retryAt: null },
  },
  'child running': {
    start: r(STARTED),
    'attempt-started': r(WORKFLOW),
    'attempt-succeeded': r(WORKFLOW),
    'attempt-failed': r(WORKFLOW),
    'retry-due': r(WORKFLOW),
    'child success': { state: 'success', reason: null, attempts: 0, effects: ['job-ended'] },
    'child failure': { state: 'failure', reason: 'child run 42 failed: job x failed: exit code 1', effects: ['job-ended'] },
    'child cancelled': { state: 'cancelled', reason: 'child run 42 cancelled: cancelled by bob', effects: ['job-ended'] },
    cancel: cancelled(['cancel-child-run', 'job-ended']),
    timeout: timedOut(['cancel-child-run', 'job-ended']),
  },
  success: ended('success'),
  failure: ended('failure'),
  skipped: ended('skipped'),
  'cancelled (workflow)': ended('cancelled', CHILD_NOT_RUNNING, WORKFLOW),
};

const CASES = Object.entries(TABLE).flatMap(([fixtureName, row]) =>
  Object.entries(row).map(([eventName, expected]) => ({
    fixture: fixtureName as Fixture,
    eventName: eventName as EventName,
    expected,
  })),
);

describe('every job state × event', () => {
  it('covers every fixture with every event', () => {
    expect(CASES).toHaveLength(11 * 10);
    for (const name of Object.keys(TABLE) as Fixture[]) {
      expect(checkInvariants(fixture(name)), name).toEqual([]);
    }
  });

  it.each(CASES)('$fixture × $eventName', ({ fixture: fixtureName, eventName, expected }) => {
    const before = fixture(fixtureName);
    const event = EVENTS[eventName];
    const result = decide(before, event, NOW);
    if ('refused' in expected) {
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error).toMatch(expected.refused);
      return;
    }
    expect(result.ok, result.ok ? '' : result.error).toBe(true);
    if (!result.ok) return;
    const { decision } = result;
    const after = applyDecision(before, decision);
    expect(checkDecision(before, event, decision)).toEqual([]);
    expect(checkInvariants(after)).toEqual([]);

    const t = after.jobRuns.t;
    expect(t.state).toBe(expected.state);
    if (expected.reason !== undefined) expect(t.reason).toBe(expected.reason);
    if (expected.attempts !== undefined) expect(t.attempts).toBe(expected.attempts);
    if (expected.retryAt !== undefined) expect(t.retryAt).toBe(expected.retryAt);
    const tEffects = decision.effects.filter((effect) => 'job' in effect && effect.job === 't').map((effect) => effect.type);
    expect(tEffects).toEqual(expected.effects);
    // Only t may change (gate keeps running), unless the whole run is stopped.
    if (event.type === 'cancel-requested' || event.type === 'run-timed-out') {
      expect(after.jobRuns.gate.state).toBe('cancelled');
      expect(after.state).toBe(event.type === 'cancel-requested' ? 'cancelled' : 'failure');
      expect(after.reason).toBe(event.type === 'cancel-requested' ? 'cancelled by alice' : 'run timeout');
    } else {
      expect(Object.keys(decision.jobRuns)).toEqual(['t']);
      expect(decision.run).toEqual({});
      expect(after.state).toBe('executing');
    }
  });
});

describe('events on a run that is not executing', () => {
  const jobs = jobsOf(job('a'), job('t'));
  const jobEvents = Object.entries(EVENTS).filter(([, event]) => 'job' in event);

  it.each(['success', 'failure', 'cancelled'] as const)('an ended run (%s) refuses every event', (state) => {
    const view: RunView = deepFreeze({
      state,
      reason: { success: null, failure: 'run timeout', cancelled: 'cancelled by alice' }[state],
      jobs,
      jobRuns: {
        a: jobRun('a', { state: state === 'success' ? 'success' : 'cancelled', reason: state === 'success' ? null : 'timeout' }),
        t: jobRun('t', { state: state === 'success' ? 'success' : 'cancelled', reason: state === 'success' ? null : 'timeout' }),
      },
    });
    expect(checkInvariants(view)).toEqual([]);
    for (const event of Object.values(EVENTS)) {
      const result = decide(view, event, NOW);
      expect(result, event.type).toEqual({
        ok: false,
        error: `run has already ended (${state}): ${event.type} refused`,
      });
    }
  });

  it.each(jobEvents)('a run that has not started refuses %s', (_name, event) => {
    const view: RunView = deepFreeze({ state: 'new', reason: null, jobs, jobRuns: { a: jobRun('a'), t: jobRun('t') } });
    const result = decide(view, event, NOW);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toBe(`run has not started: ${event.type} for job t refused`);
  });

  it.each(jobEvents)('%s naming an unknown job is refused', (_name, event) => {
    const view = fixture('attempt running');
    for (const name of ['nope', '__proto__', 'toString', 'constructor']) {
      const result = decide(view, { ...event, job: name } as RunEvent, NOW);
      expect(result).toEqual({ ok: false, error: `unknown job "${name}": ${event.type} refused` });
    }
  });
});
