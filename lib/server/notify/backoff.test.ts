import { describe, expect, it } from 'vitest';
import { attemptSchedule, DEFAULT_BACKOFF, nextRetryDelay, parseBackoff } from './backoff';

const S = 1000;
const M = 60 * S;
const H = 60 * M;

describe('the default back-off', () => {
  it('1 s, 5 s, 30 s, 2 min, 10 min, then every 30 min for 24 h, then dead', () => {
    expect(DEFAULT_BACKOFF).toEqual({ steps: [S, 5 * S, 30 * S, 2 * M, 10 * M], repeat: { everyMs: 30 * M, forMs: 24 * H } });
    const at = attemptSchedule(DEFAULT_BACKOFF);
    expect(at.slice(0, 6)).toEqual([0, S, 6 * S, 36 * S, 2 * M + 36 * S, 12 * M + 36 * S]);
    expect(at[6] - at[5]).toBe(30 * M);
    // Every attempt falls within 24 h of the event; one more would not.
    expect(at[at.length - 1]).toBeLessThanOrEqual(24 * H);
    expect(at[at.length - 1] + 30 * M).toBeGreaterThan(24 * H);
    expect(at).toHaveLength(6 + 47);
  });
  it('nextRetryDelay', () => {
    expect(nextRetryDelay(DEFAULT_BACKOFF, 1, 0)).toBe(S);
    expect(nextRetryDelay(DEFAULT_BACKOFF, 5, 12 * M)).toBe(10 * M);
    expect(nextRetryDelay(DEFAULT_BACKOFF, 6, 13 * M)).toBe(30 * M);
    expect(nextRetryDelay(DEFAULT_BACKOFF, 40, 23 * H + 31 * M)).toBeNull();
  });
});

describe('COURSE_OUTBOX_BACKOFF', () => {
  it('a plain list: dead once it is used up', () => {
    const b = parseBackoff('100ms, 200ms,0.3s');
    expect(b).toEqual({ steps: [100, 200, 300] });
    expect(attemptSchedule(b)).toEqual([0, 100, 300, 600]);
    expect(nextRetryDelay(b, 4, 600)).toBeNull();
  });
  it('EVERY/FOR as the last item', () => {
    expect(attemptSchedule(parseBackoff('1s,2s/5s'))).toEqual([0, 1000, 3000, 5000]);
    expect(parseBackoff('5')).toEqual({ steps: [5000] });
  });
  it('refuses what it cannot read, naming the setting', () => {
    expect(() => parseBackoff('')).toThrow(/COURSE_OUTBOX_BACKOFF/);
    expect(() => parseBackoff('1s,soon')).toThrow(/'soon' is not a duration/);
    expect(() => parseBackoff('1s/1h,2s')).toThrow(/only the last item/);
    expect(() => parseBackoff('0s/1h')).toThrow(/EVERY above zero/);
  });
});
