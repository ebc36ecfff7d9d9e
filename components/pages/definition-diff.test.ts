import { describe, expect, it } from 'vitest';
import { describeChange, diffDefinitions } from './definition-diff';

describe('diffDefinitions', () => {
  it('finds nothing between equal definitions, whatever the key order', () => {
    const a = { name: 'w', jobs: { a: { command: 'x', needs: ['b'] }, b: { command: 'y' } } };
    const b = { jobs: { b: { command: 'y' }, a: { needs: ['b'], command: 'x' } }, name: 'w' };
    expect(diffDefinitions(a, b)).toEqual([]);
  });

  it('names jobs added, removed and the keys changed', () => {
    const before = { name: 'w', description: 'old', jobs: { a: { command: 'x' }, gone: { command: 'z' } } };
    const after = { name: 'w', schedule: { cron: '0 * * * *' }, jobs: { a: { command: 'x2', retries: 2 }, fresh: { command: 'n', needs: ['a'] } } };
    const lines = diffDefinitions(before, after).map(describeChange);
    expect(lines).toEqual([
      'description removed (was old)',
      'schedule set to {"cron":"0 * * * *"}',
      'job a: command changed from x to x2',
      'job a: retries set to 2',
      'job gone removed',
      'job fresh added',
    ]);
  });
});
