import { describe, expect, it, vi } from 'vitest';
import { findContainmentCycle } from './index';

/** The saved workflows and what each nests. */
const saved = (nesting: Record<string, string[]>) => (w: string) => nesting[w];

describe('findContainmentCycle', () => {
  it('a workflow nesting itself', () => {
    expect(findContainmentCycle('a', ['a'], saved({}))).toEqual(['a', 'a']);
  });

  it('depth 1: a would nest b, which nests a', () => {
    expect(findContainmentCycle('a', ['b'], saved({ b: ['a'] }))).toEqual(['a', 'b', 'a']);
  });

  it('depth 2: a → b → c → a', () => {
    expect(findContainmentCycle('a', ['b'], saved({ b: ['c'], c: ['a'] }))).toEqual(['a', 'b', 'c', 'a']);
  });

  it('depth 3: a → b → c → d → a', () => {
    expect(findContainmentCycle('a', ['x', 'b'], saved({ x: [], b: ['c'], c: ['d'], d: ['a'] }))).toEqual(['a', 'b', 'c', 'd', 'a']);
  });

  it('a diamond is no cycle: a nests b and c, both nest d', () => {
    const childrenOf = vi.fn(saved({ b: ['d'], c: ['d'], d: [] }));
    expect(findContainmentCycle('a', ['b', 'c'], childrenOf)).toBeNull();
    // d is looked at once, not once per path to it.
    expect(childrenOf.mock.calls.filter(([w]) => w === 'd')).toHaveLength(1);
  });

  it('the same workflow nested twice is no cycle', () => {
    expect(findContainmentCycle('a', ['b', 'b'], saved({ b: [] }))).toBeNull();
  });

  it('gives a shortest cycle when there are several', () => {
    expect(findContainmentCycle('a', ['b', 'e'], saved({ b: ['c'], c: ['d'], d: ['a'], e: ['a'] }))).toEqual(['a', 'e', 'a']);
  });

  it("ignores what the saved version of the workflow being saved nests: the new one replaces it", () => {
    const childrenOf = vi.fn(saved({ a: ['b'], b: ['a'] }));
    expect(findContainmentCycle('a', [], childrenOf)).toBeNull();
    expect(findContainmentCycle('a', ['c'], saved({ a: ['b'], b: ['a'], c: [] }))).toBeNull();
    expect(childrenOf).not.toHaveBeenCalledWith('a');
  });

  it('skips workflows that are not saved (refused elsewhere)', () => {
    expect(findContainmentCycle('a', ['missing', 'b'], saved({ b: ['a'] }))).toEqual(['a', 'b', 'a']);
    expect(findContainmentCycle('a', ['missing'], saved({}))).toBeNull();
  });

  it('ends even when saved workflows already form a cycle that does not pass through the root', () => {
    expect(findContainmentCycle('a', ['b'], saved({ b: ['c'], c: ['b'] }))).toBeNull();
  });

  it('scales to a long chain of nesting', () => {
    const nesting: Record<string, string[]> = {};
    for (let i = 0; i < 50_000; i++) nesting[`w${i}`] = [`w${i + 1}`];
    nesting.w50000 = ['root'];
    const cycle = findContainmentCycle('root', ['w0'], saved(nesting))!;
    expect(cycle).toHaveLength(50_003);
    expect(cycle.slice(0, 3)).toEqual(['root', 'w0', 'w1']);
    expect(cycle.slice(-2)).toEqual(['w50000', 'root']);
  });
});
