import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OutputBatcher } from './output-batcher.ts';
import type { StreamName } from './output-limit.ts';

describe('OutputBatcher', () => {
  let sent: [StreamName, string][];
  let b: OutputBatcher;
  beforeEach(() => {
    vi.useFakeTimers();
    sent = [];
    b = new OutputBatcher((s, d) => sent.push([s, d.toString()]), { maxBytes: 8, maxDelayMs: 50 });
  });
  afterEach(() => vi.useRealTimers());

  it('sends a batch once maxDelayMs passed since its first byte', () => {
    b.push('stdout', Buffer.from('ab'));
    vi.advanceTimersByTime(30);
    b.push('stdout', Buffer.from('cd'));
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(20);
    expect(sent).toEqual([['stdout', 'abcd']]);
  });

  it('sends at once when maxBytes are pending', () => {
    b.push('stdout', Buffer.from('abcde'));
    b.push('stdout', Buffer.from('fgh'));
    expect(sent).toEqual([['stdout', 'abcdefgh']]);
    vi.advanceTimersByTime(100);
    expect(sent).toHaveLength(1);
  });

  it('keeps the read order across streams', () => {
    b.push('stdout', Buffer.from('a'));
    b.push('stderr', Buffer.from('b'));
    b.push('stdout', Buffer.from('c'));
    b.flush();
    expect(sent).toEqual([['stdout', 'a'], ['stderr', 'b'], ['stdout', 'c']]);
  });

  it('flush() sends what waits and nothing when empty', () => {
    b.flush();
    b.push('stderr', Buffer.from('x'));
    b.flush();
    b.flush();
    expect(sent).toEqual([['stderr', 'x']]);
    vi.advanceTimersByTime(100);
    expect(sent).toHaveLength(1);
  });
});
