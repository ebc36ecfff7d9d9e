import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration';

describe('parseDuration', () => {
  it.each([
    ['1500ms', 1500],
    ['30s', 30_000],
    ['10m', 600_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    ['0s', 0],
    ['1.5s', 1500],
    ['0.5h', 1_800_000],
    [30, 30_000],
    [0, 0],
    [1.5, 1500],
    [0.0004, 0], // rounded to a whole millisecond
    ['45', 45_000], // a numeric string counts seconds, as a number does
  ] as const)('%j is %d ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each([
    ['-1s'],
    [-1],
    ['10'.concat(' s')],
    [' 10s'],
    ['10S'],
    ['10sec'],
    ['1h30m'],
    ['s'],
    ['.5s'],
    ['1e3s'],
    [''],
    [Number.NaN],
    [Number.POSITIVE_INFINITY],
    [1e300],
    [true],
    [null],
    [undefined],
    [['10s']],
    [{ s: 10 }],
  ])('%j is not a duration', (input) => {
    expect(parseDuration(input)).toBeNull();
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [1, '1ms'],
    [1500, '1500ms'],
    [30_000, '30s'],
    [90_000, '90s'],
    [60_000, '1m'],
    [5_400_000, '90m'],
    [3_600_000, '1h'],
    [86_400_000, '1d'],
    [90_000_000, '25h'],
  ])('%d ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('reads back to the same milliseconds', () => {
    for (const ms of [0, 1, 999, 1000, 1001, 59_999, 60_000, 61_000, 3_599_000, 86_400_000, 172_800_001]) {
      expect(parseDuration(formatDuration(ms))).toBe(ms);
    }
  });

  it('refuses what is not a whole, non-negative number of milliseconds', () => {
    expect(() => formatDuration(-1)).toThrow(RangeError);
    expect(() => formatDuration(1.5)).toThrow(RangeError);
  });
});
