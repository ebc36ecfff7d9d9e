import { describe, expect, it } from 'vitest';
import { civilFromDays, civilToMs, daysFromCivil, daysInMonth, isLeapYear, weekdayOfDays } from './calendar';
import { compile, dayMatches, nextMatchingDay, previousMatchingDay } from './days';
import { parseCron } from './parse';

describe('calendar', () => {
  it('agrees with Date.UTC for every day from 1950 to 2150', () => {
    const start = daysFromCivil(1950, 1, 1);
    const end = daysFromCivil(2150, 12, 31);
    expect(start).toBe(Date.UTC(1950, 0, 1) / 86_400_000);
    for (let d = start; d <= end; d += 1) {
      const date = new Date(d * 86_400_000);
      const c = civilFromDays(d);
      if (c.year !== date.getUTCFullYear() || c.month !== date.getUTCMonth() + 1 || c.day !== date.getUTCDate()) {
        throw new Error(`day ${d}: ${JSON.stringify(c)} vs ${date.toISOString()}`);
      }
      if (weekdayOfDays(d) !== date.getUTCDay()) throw new Error(`weekday of ${date.toISOString()}`);
      if (daysFromCivil(c.year, c.month, c.day) !== d) throw new Error(`round trip ${d}`);
    }
  });

  it('handles years before 1 and the leap rules', () => {
    expect(civilFromDays(daysFromCivil(0, 2, 29))).toEqual({ year: 0, month: 2, day: 29 });
    expect(civilFromDays(daysFromCivil(-4, 2, 29))).toEqual({ year: -4, month: 2, day: 29 });
    expect(civilFromDays(daysFromCivil(-1, 12, 31) + 1)).toEqual({ year: 0, month: 1, day: 1 });
    expect([1900, 2000, 2024, 2026, 2100, 2400].map(isLeapYear)).toEqual([false, true, true, false, false, true]);
    expect([daysInMonth(2024, 2), daysInMonth(2026, 2), daysInMonth(2026, 4), daysInMonth(2026, 12)]).toEqual([29, 28, 30, 31]);
  });

  it('civilToMs reads a wall time as if it were UTC', () => {
    expect(new Date(civilToMs(2026, 3, 29, 2, 30, 15)).toISOString()).toBe('2026-03-29T02:30:15.000Z');
  });
});

describe('matching days', () => {
  const c = (text: string) => {
    const r = parseCron(text);
    if (!r.ok) throw new Error(text);
    return compile(r.value);
  };
  const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
  const text = (d: number | null) => (d === null ? null : new Date(d * 86_400_000).toISOString().slice(0, 10));

  it('jumps to the next and previous leap day', () => {
    expect(text(nextMatchingDay(c('0 0 29 2 *'), day('2026-01-01'), day('2100-01-01')))).toBe('2028-02-29');
    expect(text(previousMatchingDay(c('0 0 29 2 *'), day('2027-12-31'), day('1900-01-01')))).toBe('2024-02-29');
    expect(text(nextMatchingDay(c('0 0 29 2 *'), day('2096-03-01'), day('2110-01-01')))).toBe('2104-02-29');
  });

  it('stays within the bounds it is given', () => {
    expect(nextMatchingDay(c('0 0 29 2 *'), day('2026-01-01'), day('2028-02-28'))).toBeNull();
    expect(text(nextMatchingDay(c('0 0 29 2 *'), day('2026-01-01'), day('2028-02-29')))).toBe('2028-02-29');
    expect(previousMatchingDay(c('0 0 29 2 *'), day('2028-02-28'), day('2024-03-01'))).toBeNull();
  });

  it('a day that matches is its own next and previous', () => {
    expect(text(nextMatchingDay(c('0 0 * * 5'), day('2026-04-03'), day('2027-01-01')))).toBe('2026-04-03');
    expect(text(previousMatchingDay(c('0 0 * * 5'), day('2026-04-03'), day('2025-01-01')))).toBe('2026-04-03');
    expect(text(previousMatchingDay(c('0 0 * * 5'), day('2026-04-02'), day('2025-01-01')))).toBe('2026-03-27');
  });

  it('dayMatches follows Vixie cron', () => {
    // 2026-04-13 is a Monday, 2026-04-17 a Friday.
    expect([dayMatches(c('0 0 13 * 5'), day('2026-04-13')), dayMatches(c('0 0 13 * 5'), day('2026-04-17'))]).toEqual([true, true]);
    expect([dayMatches(c('0 0 13 * 5'), day('2026-04-14'))]).toEqual([false]);
    expect([dayMatches(c('0 0 */2 * 5'), day('2026-04-17')), dayMatches(c('0 0 */2 * 5'), day('2026-04-10'))]).toEqual([true, false]);
  });
});
