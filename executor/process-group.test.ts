import { describe, expect, it } from 'vitest';
import { parseStat } from './process-group.ts';

describe('parseStat', () => {
  it('reads state, ppid and pgrp even when the command holds spaces and parentheses', () => {
    expect(parseStat('4951 (my (odd) cmd) Z 1 4948 1903 0 -1 4227084')).toEqual({ state: 'Z', ppid: 1, pgrp: 4948 });
    expect(parseStat('garbage')).toBeNull();
  });
});
