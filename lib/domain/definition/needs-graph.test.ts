import { describe, expect, it } from 'vitest';
import { findNeedsCycle, topologicalOrder } from './index';

const graph = (edges: Record<string, string[]>) => Object.fromEntries(Object.entries(edges).map(([k, needs]) => [k, { needs }]));

/** A chain j0 ← j1 ← … ← j(n-1): each job needs the one before it. */
function chain(n: number) {
  const jobs: Record<string, { needs: string[] }> = {};
  for (let i = 0; i < n; i++) jobs[`j${i}`] = { needs: i === 0 ? [] : [`j${i - 1}`] };
  return jobs;
}

describe('findNeedsCycle', () => {
  it('finds none in a DAG', () => {
    expect(findNeedsCycle(graph({}))).toBeNull();
    expect(findNeedsCycle(graph({ a: [], b: ['a'], c: ['a'], d: ['b', 'c'] }))).toBeNull();
  });

  it('gives the cycle as the path that walks it', () => {
    expect(findNeedsCycle(graph({ a: ['b'], b: ['c'], c: ['a'] }))).toEqual(['a', 'b', 'c', 'a']);
  });

  it('a job needing itself', () => {
    expect(findNeedsCycle(graph({ a: [], b: ['b'] }))).toEqual(['b', 'b']);
  });

  it('only the cycle, not the jobs leading into it', () => {
    expect(findNeedsCycle(graph({ x: ['y'], y: ['a'], a: ['b'], b: ['c'], c: ['a'] }))).toEqual(['a', 'b', 'c', 'a']);
  });

  it('a cycle reached after a finished branch', () => {
    expect(findNeedsCycle(graph({ a: ['ok', 'b'], ok: [], b: ['a'] }))).toEqual(['a', 'b', 'a']);
  });

  it('ignores needs naming unknown jobs', () => {
    expect(findNeedsCycle(graph({ a: ['ghost'], b: ['a'] }))).toBeNull();
  });

  it('ignores inherited names such as toString', () => {
    expect(findNeedsCycle(graph({ a: ['toString', 'constructor'] }))).toBeNull();
  });

  it('copes with a very long chain, and a very long cycle, without overflowing the stack', () => {
    const jobs = chain(100_000);
    expect(findNeedsCycle(jobs)).toBeNull();
    jobs.j0.needs = ['j99999'];
    const cycle = findNeedsCycle(jobs)!;
    expect(cycle).toHaveLength(100_001);
    expect(cycle[0]).toBe(cycle[cycle.length - 1]);
  });
});

describe('topologicalOrder', () => {
  it('puts every job after the jobs it needs', () => {
    const jobs = graph({ d: ['b', 'c'], c: ['a'], b: ['a'], a: [] });
    expect(topologicalOrder(jobs)).toEqual(['a', 'c', 'b', 'd']);
  });

  it('keeps the written order among jobs free to go', () => {
    expect(topologicalOrder(graph({ c: [], a: [], b: [] }))).toEqual(['c', 'a', 'b']);
    // a waits for b, then comes before c, which was written after it.
    expect(topologicalOrder(graph({ a: ['b'], b: [], c: [] }))).toEqual(['b', 'a', 'c']);
  });

  it('counts a need listed twice once', () => {
    expect(topologicalOrder(graph({ a: [], b: ['a', 'a'] }))).toEqual(['a', 'b']);
  });

  it('handles a long chain written backwards', () => {
    const forwards = chain(5000);
    const backwards = Object.fromEntries(Object.entries(forwards).reverse());
    expect(topologicalOrder(backwards)).toEqual(Object.keys(forwards));
  });

  it('throws on a cycle, naming it', () => {
    expect(() => topologicalOrder(graph({ s: [], a: ['b'], b: ['a'] }))).toThrow('cycle in needs: a → b → a');
  });

  it('throws on a need naming no job', () => {
    expect(() => topologicalOrder(graph({ a: ['ghost'] }))).toThrow("job 'a' needs unknown job 'ghost'");
  });
});
