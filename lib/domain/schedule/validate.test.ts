import { describe, expect, it } from 'vitest';
import type { Problem } from '../types';
import { readSchedule } from '../definition/schedule-block';
import { canEverFire } from './can-fire';
import { civilFromDays, daysFromCivil, weekdayOfDays } from './calendar';
import { parseCron, type CronExpr } from './parse';
import { compileSchedule, validateSchedule } from './validate';

function cron(text: string): CronExpr {
  const r = parseCron(text);
  if (!r.ok) throw new Error(text);
  return r.value;
}

/** Brute force over one whole 400-year Gregorian cycle: does any day match? */
function firesSomeDay(e: CronExpr): boolean {
  for (let d = daysFromCivil(2000, 1, 1), end = daysFromCivil(2400, 1, 1); d < end; d++) {
    const { month, day } = civilFromDays(d);
    if (!e.months.has(month)) continue;
    const dom = e.daysOfMonth.has(day);
    const dow = e.daysOfWeek.has(weekdayOfDays(d));
    if (e.domRestricted && e.dowRestricted ? dom || dow : dom && dow) return true;
  }
  return false;
}

describe('canEverFire', () => {
  const never = ['0 0 30 2 *', '0 0 31 2 *', '0 0 30,31 2 *', '0 0 31 4,6,9,11 *', '0 0 31 apr *', '0 0 30-31 feb *', '0 0 31 2,4 */2'];
  const sometimes = [
    '0 0 29 2 *', '0 0 31 * *', '0 0 31 1-4 *', '0 0 30 2 1', '0 0 31 4 5', '0 0 */30 2 *', '0 0 13 * 5',
    '0 0 29 2 */7', '0 0 1 1 *', '* * * * *', '@yearly', '0 0 31 12 6',
  ];
  for (const text of never) it(`'${text}' never fires`, () => expect(canEverFire(cron(text))).toBe(false));
  for (const text of sometimes) it(`'${text}' fires`, () => expect(canEverFire(cron(text))).toBe(true));

  it('agrees with a brute-force walk over the 400-year cycle', () => {
    // Includes 29 Feb AND a weekday (dow not restricted only via `*/n`): leap days fall on every weekday.
    for (const text of [...never, ...sometimes, '0 0 29 2 */3', '0 0 29 2 */6', '0 0 31 */2 */2']) {
      expect([text, canEverFire(cron(text))]).toEqual([text, firesSomeDay(cron(text))]);
    }
  });
});

describe('validateSchedule / compileSchedule', () => {
  it('accepts a good schedule', () => {
    expect(validateSchedule('30 2 * * *', 'Europe/London')).toEqual([]);
    const r = compileSchedule('0 0 29 2 *', 'UTC');
    expect(r.ok && r.value.fields).toEqual(['0', '0', '29', '2', '*']);
  });

  it('refuses bad syntax at schedule.cron', () => {
    expect(validateSchedule('every day', 'UTC')).toEqual([
      { path: 'schedule.cron', message: 'expected 5 fields (minute hour day-of-month month day-of-week) or a macro such as @daily, got 2 fields' },
    ]);
  });

  it('refuses an expression that can never fire, naming the field and the months', () => {
    expect(validateSchedule('0 0 30 2 *', 'UTC')).toEqual([
      {
        path: 'schedule.cron',
        message: "'0 0 30 2 *' can never fire: day-of-month '30' never occurs in February (at most 29 days); pick days that exist in those months",
      },
    ]);
    expect(validateSchedule('0 0 31 4,6,9,11 *', 'UTC')[0].message).toContain("day-of-month '31' never occurs in April, June, September or November (at most 30 days)");
  });

  it('refuses an unknown zone at schedule.timezone, together with cron problems', () => {
    expect(validateSchedule('0 0 30 2 *', 'Mars/Olympus_Mons').map((p) => p.path)).toEqual(['schedule.cron', 'schedule.timezone']);
    expect(validateSchedule('0 * * * *', 'Mars/Olympus_Mons')).toEqual([
      { path: 'schedule.timezone', message: 'unknown time zone "Mars/Olympus_Mons": use an IANA name such as UTC, Europe/London or America/New_York' },
    ]);
  });
});

describe('the definition reader uses the same gate', () => {
  const read = (value: unknown) => {
    const problems: Problem[] = [];
    const spec = readSchedule(value, 'schedule', problems);
    return { spec, problems };
  };

  it('refuses a never-firing cron at schedule.cron and an unknown zone at schedule.timezone', () => {
    expect(read({ cron: '0 0 31 4,6,9,11 *' }).problems.map((p) => p.path)).toEqual(['schedule.cron']);
    expect(read({ cron: '0 0 31 4,6,9,11 *' }).problems[0].message).toContain('can never fire');
    expect(read({ cron: '0 * * * *', timezone: 'Nowhere/Land' }).problems).toEqual([
      { path: 'schedule.timezone', message: 'unknown time zone "Nowhere/Land": use an IANA name such as UTC, Europe/London or America/New_York' },
    ]);
  });

  it('accepts 29 February', () => {
    expect(read({ cron: '0 0 29 2 *', timezone: 'Europe/Berlin' }).problems).toEqual([]);
  });
});
