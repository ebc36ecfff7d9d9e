import { describe, expect, it } from 'vitest';
import { durationBetween, formatDuration, formatRelative, formatUtc, formatWallClock } from './format';

describe('formatting', () => {
  it('writes durations at a useful precision', () => {
    expect(formatDuration(850)).toBe('850ms');
    expect(formatDuration(1234)).toBe('1.2s');
    expect(formatDuration(42_000)).toBe('42s');
    expect(formatDuration(185_000)).toBe('3m 05s');
    expect(formatDuration(3_720_000)).toBe('1h 02m');
    expect(formatDuration(null)).toBe('—');
  });
  it('measures to now while a run is going', () => {
    expect(durationBetween('2026-01-01T00:00:00Z', null, Date.parse('2026-01-01T00:00:05Z'))).toBe(5000);
    expect(durationBetween(null, null, 0)).toBeNull();
  });
  it('shows UTC and the wall clock with its offset', () => {
    expect(formatUtc('2026-03-29T01:00:00Z')).toBe('2026-03-29 01:00 UTC');
    expect(formatWallClock('2026-03-29T03:00:00+02:00')).toBe('2026-03-29 03:00 (+02:00)');
    expect(formatWallClock('2026-03-29T03:00:00Z')).toBe('2026-03-29 03:00 (+00:00)');
  });
  it('says in/ago', () => {
    expect(formatRelative('2026-01-01T00:05:00Z', Date.parse('2026-01-01T00:00:00Z'))).toBe('in 5m 00s');
    expect(formatRelative('2026-01-01T00:00:00Z', Date.parse('2026-01-01T00:00:30Z'))).toBe('30s ago');
  });
});
