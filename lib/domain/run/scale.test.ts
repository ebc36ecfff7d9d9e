// Large runs: the work per decide() call stays linear in jobs + needs (no O(n²) per event).
import { describe, expect, it } from 'vitest';
import type { JobSpec } from '../types';
import { decide } from './decide';
import { drive, job, jobsOf, newRun, Sim } from './testkit';

/**
 * Drives the run to its end and returns the most work any one decide() call did, as reads of
 * `needs` weighted by their length (reading a job's needs costs 1 + its length): a cost model
 * in which an O(n²) event costs ~10⁶ for 1,000 jobs and a linear one a few thousand. Only reads
 * made inside decide() count, not the simulator's checks.
 */
function drivenCost(specs: JobSpec[], attempt?: (job: string, n: number) => true | string) {
  let reads = 0;
  let counting = false;
  const wrapped = specs.map((spec) => {
    const { needs, ...rest } = spec;
    const copy = { ...rest } as JobSpec;
    Object.defineProperty(copy, 'needs', {
      enumerable: true,
      get() {
        if (counting) reads += 1 + needs.length;
        return needs;
      },
    });
    return copy;
  });
  let max = 0;
  let calls = 0;
  const counted: typeof decide = (view, event, now) => {
    reads = 0;
    counting = true;
    try {
      return decide(view, event, now);
    } finally {
      counting = false;
      max = Math.max(max, reads);
      calls++;
    }
  };
  const sim = new Sim(newRun(jobsOf(...wrapped)), 0, 25, counted);
  drive(sim, { attempt });
  return { max, calls, sim };
}

const linear = (specs: JobSpec[]) => 4 * specs.reduce((sum, spec) => sum + 1 + spec.needs.length, 0);

describe('scale', { timeout: 60_000 }, () => {
  it('the cost model sees quadratic work', () => {
    // Guard for the guard: a decide() that re-reads every job's needs per job is caught.
    const specs = Array.from({ length: 100 }, (_, i) => job(`j${i}`));
    let reads = 0;
    const wrapped = specs.map((spec) => ({ ...spec, get needs() { reads += 1; return []; } }));
    for (const a of wrapped) for (const b of wrapped) void (a.needs.length + b.needs.length);
    expect(reads).toBeGreaterThan(linear(specs));
  });

  it('a 1,000-job fan-out: one root, 999 dependants', () => {
    const specs = [job('root'), ...Array.from({ length: 999 }, (_, i) => job(`leaf${i}`, { needs: ['root'] }))];
    const { max, calls, sim } = drivenCost(specs);
    expect(sim.view.state).toBe('success');
    expect(calls).toBe(1 + 2 * 1000);
    expect(max).toBeGreaterThan(specs.length); // the model counts something
    expect(max).toBeLessThanOrEqual(linear(specs));
  });

  it('a 1,000-job fan-in: 999 roots, one sink needing them all', () => {
    const roots = Array.from({ length: 999 }, (_, i) => job(`r${i}`));
    const specs = [...roots, job('sink', { needs: roots.map((r) => r.name) })];
    const { max, sim } = drivenCost(specs);
    expect(sim.view.state).toBe('success');
    expect(max).toBeLessThanOrEqual(linear(specs));
  });

  it('a 1,000-job fan-out whose root fails skips all 999 in one decision', () => {
    const specs = [job('root'), ...Array.from({ length: 999 }, (_, i) => job(`leaf${i}`, { needs: ['root'] }))];
    const { max, calls, sim } = drivenCost(specs, () => 'exit code 1');
    expect(calls).toBe(3);
    expect(sim.view.reason).toBe('job root failed: exit code 1');
    expect(Object.values(sim.view.jobRuns).filter((r) => r.state === 'skipped')).toHaveLength(999);
    expect(max).toBeLessThanOrEqual(linear(specs));
  });

  it('a 200-job chain, and its head failing skips the rest naming each predecessor', () => {
    const specs = Array.from({ length: 200 }, (_, i) => job(`c${i}`, { needs: i === 0 ? [] : [`c${i - 1}`] }));
    const ok = drivenCost(specs);
    expect(ok.sim.view.state).toBe('success');
    expect(ok.calls).toBe(1 + 2 * 200);
    expect(ok.max).toBeLessThanOrEqual(linear(specs));

    const failed = drivenCost(specs, (name) => (name === 'c0' ? 'exit code 2' : true));
    expect(failed.sim.jobRun('c1').reason).toBe('dependency c0 failed');
    expect(failed.sim.jobRun('c199').reason).toBe('dependency c198 skipped');
    expect(failed.max).toBeLessThanOrEqual(linear(specs));
  });
});
