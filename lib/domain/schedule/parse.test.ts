import { describe, expect, it } from 'vitest';
import { parseCron, type CronExpr } from './parse';

function ok(text: string): CronExpr {
  const r = parseCron(text);
  if (!r.ok) throw new Error(`${text}: ${JSON.stringify(r.problems)}`);
  return r.value;
}
const values = (s: ReadonlySet<number>) => [...s];
function problems(text: string) {
  const r = parseCron(text);
  if (r.ok) throw new Error(`${text} parsed`);
  return r.problems;
}

describe('parseCron: values', () => {
  it('single values, lists, ranges and steps', () => {
    const e = ok('5,10 9-11 1-31/10 */4 1-5');
    expect(values(e.minutes)).toEqual([5, 10]);
    expect(values(e.hours)).toEqual([9, 10, 11]);
    expect(values(e.daysOfMonth)).toEqual([1, 11, 21, 31]);
    expect(values(e.months)).toEqual([1, 5, 9]);
    expect(values(e.daysOfWeek)).toEqual([1, 2, 3, 4, 5]);
  });

  it('`a/n` runs from a to the end of the field', () => {
    expect(values(ok('50/3 * * * *').minutes)).toEqual([50, 53, 56, 59]);
    expect(values(ok('* 20/2 * * *').hours)).toEqual([20, 22]);
  });

  it('`*` is the whole field; sets iterate in ascending order whatever the list order', () => {
    expect(ok('* * * * *').minutes.size).toBe(60);
    expect(ok('* * * * *').hours.size).toBe(24);
    expect(ok('* * * * *').daysOfMonth.size).toBe(31);
    expect(values(ok('* * * * *').daysOfWeek)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(values(ok('30,5,15 * * * *').minutes)).toEqual([5, 15, 30]);
  });

  it('names for months and weekdays, any case, in ranges and lists', () => {
    const e = ok('0 0 * JAN-mar,Dec Mon-FRI');
    expect(values(e.months)).toEqual([1, 2, 3, 12]);
    expect(values(e.daysOfWeek)).toEqual([1, 2, 3, 4, 5]);
    expect(values(ok('0 0 * * sun,sat').daysOfWeek)).toEqual([0, 6]);
  });

  it('day-of-week 7 is Sunday, also at the end of a range', () => {
    expect(values(ok('0 0 * * 7').daysOfWeek)).toEqual([0]);
    expect(values(ok('0 0 * * 5-7').daysOfWeek)).toEqual([0, 5, 6]);
    expect(values(ok('0 0 * * */7').daysOfWeek)).toEqual([0]);
  });

  it('macros expand to their five fields', () => {
    expect(ok('@daily').fields).toEqual(['0', '0', '*', '*', '*']);
    expect(ok('@MIDNIGHT').fields).toEqual(['0', '0', '*', '*', '*']);
    expect(ok('@hourly').fields).toEqual(['0', '*', '*', '*', '*']);
    expect(ok('@weekly').fields).toEqual(['0', '0', '*', '*', '0']);
    expect(ok('@monthly').fields).toEqual(['0', '0', '1', '*', '*']);
    expect(ok('@yearly').fields).toEqual(['0', '0', '1', '1', '*']);
    expect(ok('@annually').fields).toEqual(['0', '0', '1', '1', '*']);
  });

  it('whitespace around and between fields is free', () => {
    expect(ok('  0\t2   * * *  ').fields).toEqual(['0', '2', '*', '*', '*']);
    expect(ok('  0\t2   * * *  ').source).toBe('0\t2   * * *');
  });
});

describe('parseCron: flags', () => {
  it('fixed-time unless the minute or hour field starts with *', () => {
    expect(ok('30 2 * * *').fixedTime).toBe(true);
    expect(ok('0,30 1-3 * * *').fixedTime).toBe(true);
    expect(ok('0 */2 * * *').fixedTime).toBe(false);
    expect(ok('*/15 1 * * *').fixedTime).toBe(false);
    expect(ok('* 1 * * *').fixedTime).toBe(false);
    expect(ok('@hourly').fixedTime).toBe(false);
    expect(ok('@daily').fixedTime).toBe(true);
  });

  it('day fields are restricted unless they start with *', () => {
    expect([ok('0 0 13 * 5').domRestricted, ok('0 0 13 * 5').dowRestricted]).toEqual([true, true]);
    expect([ok('0 0 * * 5').domRestricted, ok('0 0 * * 5').dowRestricted]).toEqual([false, true]);
    expect([ok('0 0 */2 * 1').domRestricted, ok('0 0 */2 * 1').dowRestricted]).toEqual([false, true]);
    expect([ok('0 0 1-31 * 0-7').domRestricted, ok('0 0 1-31 * 0-7').dowRestricted]).toEqual([true, true]);
  });
});

describe('parseCron: problems name the field and say what to write', () => {
  const cases: [string, string][] = [
    ['', 'cron expression is empty'],
    ['* * * *', 'got 4 fields'],
    ['0 0 * * * 2026', 'seconds and year fields are not supported'],
    ['@reboot', "unknown macro '@reboot'"],
    ['60 * * * *', "minute field '60': '60' is out of range: values must be 0-59"],
    ['* 24 * * *', "hour field '24': '24' is out of range: values must be 0-23"],
    ['* * 0 * *', "day-of-month field '0': '0' is out of range"],
    ['* * * 13 *', "month field '13': '13' is out of range: values must be 1-12 or jan-dec"],
    ['* * * * 8', "day-of-week field '8': '8' is out of range: values must be 0-7 (0 and 7 are Sunday) or sun-sat"],
    ['* * * foo *', "'foo' is not a number or a name"],
    ['* mon * * *', "hour field 'mon': 'mon' is not a number: values must be 0-23"],
    ['5-1 * * * *', "range '5-1' is reversed"],
    ['*/0 * * * *', "step '/0' is not valid"],
    ['*/x * * * *', "step '/x' is not valid"],
    ['*/60 * * * *', "step '/60' is too large"],
    ['1,,2 * * * *', "empty list element"],
    ['? * * * *', "'?' is not supported"],
    ['*-5 * * * *', "'*' cannot start a range"],
    ['* * L * *', "'L' is not a number"],
    ['* * * * 5#3', "'5#3' is not valid"],
  ];
  for (const [text, message] of cases) {
    it(`'${text}'`, () => {
      const p = problems(text);
      expect(p[0].path).toBe('schedule.cron');
      expect(p[0].message).toContain(message);
    });
  }

  it('reports every bad field at once', () => {
    expect(problems('60 24 * * *').map((p) => p.message.split(':')[0])).toEqual(["minute field '60'", "hour field '24'"]);
  });
});
