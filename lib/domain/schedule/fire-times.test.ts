import { describe, expect, it } from 'vitest';
import { nextFireTime, nextFireTimes, previousFireTimes } from './fire-times';
import { parseCron, type CronExpr } from './parse';

function cron(text: string): CronExpr {
  const r = parseCron(text);
  if (!r.ok) throw new Error(`${text}: ${JSON.stringify(r.problems)}`);
  return r.value;
}
/** Expected instants, written as ISO with Z or with an offset; compared as exact UTC instants. */
const instants = (...list: string[]) => list.map((s) => new Date(s).toISOString());
const next = (expr: string, tz: string, after: string, count: number) =>
  nextFireTimes(cron(expr), tz, Date.parse(after), count).map((t) => new Date(t).toISOString());
const prev = (expr: string, tz: string, atOrBefore: string, count: number, after?: string) =>
  previousFireTimes(cron(expr), tz, Date.parse(atOrBefore), count, after === undefined ? undefined : Date.parse(after)).map((t) =>
    new Date(t).toISOString(),
  );
/** Every fire of `expr` whose instant lies in [from, to). */
const between = (expr: string, tz: string, from: string, to: string) =>
  next(expr, tz, new Date(Date.parse(from) - 1).toISOString(), 500).filter((t) => t < new Date(to).toISOString());

// Transitions used below (read from Intl, tz 2025c):
//   Europe/Berlin     2026-03-29T01:00Z 02:00→03:00 (+01→+02); 2026-10-25T01:00Z 03:00→02:00
//   Europe/London     2026-03-29T01:00Z 01:00→02:00 (+00→+01); 2026-10-25T01:00Z 02:00→01:00
//   America/New_York  2026-03-08T07:00Z 02:00→03:00 (−05→−04); 2026-11-01T06:00Z 02:00→01:00
//   Australia/Sydney  2026-10-03T16:00Z 02:00→03:00 (+10→+11); 2026-04-04T16:00Z 03:00→02:00
//   America/Santiago  2026-09-06T04:00Z 00:00→01:00 (−04→−03); 2026-04-05T03:00Z 00:00→23:00 (−03→−04)
//   America/Havana    2026-03-08T05:00Z 00:00→01:00 (−05→−04)
//   Asia/Beirut       2026-03-28T22:00Z 00:00→01:00 (+02→+03)
//   Australia/Lord_Howe 2026-10-03T15:30Z 02:00→02:30 (+10:30→+11); 2026-04-04T15:00Z 02:00→01:30
//   Pacific/Apia      2011-12-30T10:00Z 2011-12-30 00:00 → 2011-12-31 00:00 (−10→+14): a whole day skipped

describe('plain days', () => {
  it('fires strictly after the given instant', () => {
    expect(next('30 2 * * *', 'UTC', '2026-05-01T02:30:00Z', 2)).toEqual(instants('2026-05-02T02:30:00Z', '2026-05-03T02:30:00Z'));
    expect(next('30 2 * * *', 'UTC', '2026-05-01T02:29:59.999Z', 1)).toEqual(instants('2026-05-01T02:30:00Z'));
  });

  it('reads wall time in the zone', () => {
    expect(next('0 9 * * *', 'Asia/Kolkata', '2026-05-01T00:00:00Z', 2)).toEqual(instants('2026-05-01T03:30:00Z', '2026-05-02T03:30:00Z'));
    expect(next('0 9 * * *', 'America/New_York', '2026-05-01T00:00:00Z', 1)).toEqual(instants('2026-05-01T13:00:00Z'));
    expect(next('0 0 * * *', 'Asia/Kathmandu', '2026-05-01T00:00:00Z', 1)).toEqual(instants('2026-05-01T18:15:00Z'));
  });

  it('steps, ranges, lists and names', () => {
    expect(next('5-20/5 9-17/4 * * *', 'UTC', '2026-05-01T00:00:00Z', 13)).toEqual(
      instants(
        '2026-05-01T09:05:00Z', '2026-05-01T09:10:00Z', '2026-05-01T09:15:00Z', '2026-05-01T09:20:00Z',
        '2026-05-01T13:05:00Z', '2026-05-01T13:10:00Z', '2026-05-01T13:15:00Z', '2026-05-01T13:20:00Z',
        '2026-05-01T17:05:00Z', '2026-05-01T17:10:00Z', '2026-05-01T17:15:00Z', '2026-05-01T17:20:00Z',
        '2026-05-02T09:05:00Z',
      ),
    );
    // 2026-05-01 is a Friday: mon-fri skips the weekend; jan,mar names months.
    expect(next('0 12 * * mon-fri', 'UTC', '2026-05-01T00:00:00Z', 3)).toEqual(
      instants('2026-05-01T12:00:00Z', '2026-05-04T12:00:00Z', '2026-05-05T12:00:00Z'),
    );
    expect(next('0 0 1 jan,MAR *', 'UTC', '2026-01-01T00:00:00Z', 3)).toEqual(
      instants('2026-03-01T00:00:00Z', '2027-01-01T00:00:00Z', '2027-03-01T00:00:00Z'),
    );
    expect(next('0,30 */8 * * *', 'UTC', '2026-05-01T00:00:00Z', 5)).toEqual(
      instants('2026-05-01T00:30:00Z', '2026-05-01T08:00:00Z', '2026-05-01T08:30:00Z', '2026-05-01T16:00:00Z', '2026-05-01T16:30:00Z'),
    );
    // `a/n` runs a, a+n, … to the end of the field.
    expect(next('50/5 0 * * *', 'UTC', '2026-05-01T00:00:00Z', 3)).toEqual(
      instants('2026-05-01T00:50:00Z', '2026-05-01T00:55:00Z', '2026-05-02T00:50:00Z'),
    );
  });

  it('day-of-week 7 and 0 are Sunday; sun,sat the weekend', () => {
    // 2026-05-03 and 2026-05-10 are Sundays.
    expect(next('0 0 * * 7', 'UTC', '2026-05-01T00:00:00Z', 2)).toEqual(instants('2026-05-03T00:00:00Z', '2026-05-10T00:00:00Z'));
    expect(next('0 0 * * 0', 'UTC', '2026-05-01T00:00:00Z', 2)).toEqual(instants('2026-05-03T00:00:00Z', '2026-05-10T00:00:00Z'));
    expect(next('0 0 * * sun,sat', 'UTC', '2026-05-01T00:00:00Z', 3)).toEqual(
      instants('2026-05-02T00:00:00Z', '2026-05-03T00:00:00Z', '2026-05-09T00:00:00Z'),
    );
    expect(next('0 0 * * 5-7', 'UTC', '2026-05-04T00:00:00Z', 3)).toEqual(
      instants('2026-05-08T00:00:00Z', '2026-05-09T00:00:00Z', '2026-05-10T00:00:00Z'),
    );
  });

  it('macros', () => {
    expect(next('@daily', 'UTC', '2026-05-01T00:00:00Z', 1)).toEqual(instants('2026-05-02T00:00:00Z'));
    expect(next('@hourly', 'UTC', '2026-05-01T00:00:00Z', 1)).toEqual(instants('2026-05-01T01:00:00Z'));
    expect(next('@weekly', 'UTC', '2026-05-01T00:00:00Z', 1)).toEqual(instants('2026-05-03T00:00:00Z'));
    expect(next('@monthly', 'UTC', '2026-05-01T00:00:00Z', 1)).toEqual(instants('2026-06-01T00:00:00Z'));
    expect(next('@yearly', 'UTC', '2026-05-01T00:00:00Z', 1)).toEqual(instants('2027-01-01T00:00:00Z'));
  });

  it('month ends and 31st', () => {
    expect(next('0 0 31 * *', 'UTC', '2026-01-31T00:00:00Z', 4)).toEqual(
      instants('2026-03-31T00:00:00Z', '2026-05-31T00:00:00Z', '2026-07-31T00:00:00Z', '2026-08-31T00:00:00Z'),
    );
  });
});

describe('day-of-month and day-of-week, as Vixie cron', () => {
  // April 2026: the 1st is a Wednesday, Fridays are 3, 10, 17, 24; the 13th is a Monday.
  it('both restricted: the 13th OR a Friday', () => {
    expect(next('0 0 13 * 5', 'UTC', '2026-04-01T00:00:00Z', 9)).toEqual(
      instants(
        '2026-04-03T00:00:00Z', '2026-04-10T00:00:00Z', '2026-04-13T00:00:00Z', '2026-04-17T00:00:00Z', '2026-04-24T00:00:00Z',
        '2026-05-01T00:00:00Z', '2026-05-08T00:00:00Z', '2026-05-13T00:00:00Z', '2026-05-15T00:00:00Z',
      ),
    );
  });

  it('only day-of-week restricted: Fridays only', () => {
    expect(next('0 0 * * 5', 'UTC', '2026-04-01T00:00:00Z', 5)).toEqual(
      instants('2026-04-03T00:00:00Z', '2026-04-10T00:00:00Z', '2026-04-17T00:00:00Z', '2026-04-24T00:00:00Z', '2026-05-01T00:00:00Z'),
    );
  });

  it('only day-of-month restricted: the 13th only', () => {
    expect(next('0 0 13 * *', 'UTC', '2026-04-01T00:00:00Z', 2)).toEqual(instants('2026-04-13T00:00:00Z', '2026-05-13T00:00:00Z'));
  });

  it('a day-of-month field starting with * is not restricted: both must match (odd days that are Mondays)', () => {
    // June 2026 Mondays: 1, 8, 15, 22, 29; July: 6, 13, 20, 27.
    expect(next('0 0 */2 * 1', 'UTC', '2026-05-31T00:00:00Z', 5)).toEqual(
      instants('2026-06-01T00:00:00Z', '2026-06-15T00:00:00Z', '2026-06-29T00:00:00Z', '2026-07-13T00:00:00Z', '2026-07-27T00:00:00Z'),
    );
  });

  it('a day-of-week field starting with * is not restricted: both must match', () => {
    // `*/2` day-of-week is Sun, Tue, Thu, Sat; with the 13th: only 13ths on those days.
    // 13ths of 2026: Jun Sat ✓, Jul Mon, Aug Thu ✓, Sep Sun ✓, Oct Tue ✓.
    expect(next('0 0 13 * */2', 'UTC', '2026-05-31T00:00:00Z', 4)).toEqual(
      instants('2026-06-13T00:00:00Z', '2026-08-13T00:00:00Z', '2026-09-13T00:00:00Z', '2026-10-13T00:00:00Z'),
    );
  });

  it('"1-7 * 1" is days 1-7 OR any Monday, not the first Monday', () => {
    expect(between('0 0 1-7 * 1', 'UTC', '2026-06-01T00:00:00Z', '2026-07-01T00:00:00Z')).toEqual(
      instants(
        '2026-06-01T00:00:00Z', '2026-06-02T00:00:00Z', '2026-06-03T00:00:00Z', '2026-06-04T00:00:00Z', '2026-06-05T00:00:00Z',
        '2026-06-06T00:00:00Z', '2026-06-07T00:00:00Z', '2026-06-08T00:00:00Z', '2026-06-15T00:00:00Z', '2026-06-22T00:00:00Z',
        '2026-06-29T00:00:00Z',
      ),
    );
  });
});

describe('29 February', () => {
  it('fires on leap days only, across years', () => {
    expect(next('0 0 29 2 *', 'UTC', '2026-01-01T00:00:00Z', 4)).toEqual(
      instants('2028-02-29T00:00:00Z', '2032-02-29T00:00:00Z', '2036-02-29T00:00:00Z', '2040-02-29T00:00:00Z'),
    );
  });

  it('skips 2100, which is not a leap year, and keeps 2000', () => {
    expect(next('0 0 29 2 *', 'UTC', '2096-03-01T00:00:00Z', 1)).toEqual(instants('2104-02-29T00:00:00Z'));
    expect(next('0 0 29 2 *', 'UTC', '1999-01-01T00:00:00Z', 1)).toEqual(instants('2000-02-29T00:00:00Z'));
  });

  it('in a zone, at local midnight', () => {
    expect(next('0 0 29 2 *', 'Europe/Berlin', '2026-01-01T00:00:00Z', 2)).toEqual(instants('2028-02-28T23:00:00Z', '2032-02-28T23:00:00Z'));
  });

  it('looks more than 30 years ahead, and 100 fires span 400+ years', () => {
    const hundred = next('0 0 29 2 *', 'UTC', '2026-01-01T00:00:00Z', 100);
    expect(hundred.length).toBe(100);
    expect(hundred[7]).toBe('2056-02-29T00:00:00.000Z');
    // 2100, 2200 and 2300 are not leap years, 2400 is: the 100th leap day after 2026 is in 2436.
    expect(hundred[99]).toBe('2436-02-29T00:00:00.000Z');
  });

  it('with a restricted day-of-week: 29 Feb OR a Monday in February', () => {
    // Feb 2027 Mondays: 1, 8, 15, 22.
    expect(next('0 0 29 2 1', 'UTC', '2026-12-31T00:00:00Z', 5)).toEqual(
      instants('2027-02-01T00:00:00Z', '2027-02-08T00:00:00Z', '2027-02-15T00:00:00Z', '2027-02-22T00:00:00Z', '2028-02-07T00:00:00Z'),
    );
  });

  it('is fast: no minute-by-minute walk over years', () => {
    const expr = cron('0 0 29 2 *');
    const start = performance.now();
    for (let i = 0; i < 200; i++) nextFireTimes(expr, 'America/New_York', Date.parse('2026-01-01T00:00:00Z') + i * 86_400_000, 8);
    // 200 searches over 30 years each; a minute walk would take minutes. Generous for a shared CI box.
    expect(performance.now() - start).toBeLessThan(500);
  });
});

describe('spring forward: skipped hour', () => {
  it('Europe/Berlin: a fixed-time job in the gap runs once at 03:00 local', () => {
    expect(next('30 2 * * *', 'Europe/Berlin', '2026-03-27T12:00:00Z', 4)).toEqual(
      instants('2026-03-28T02:30:00+01:00', '2026-03-29T03:00:00+02:00', '2026-03-30T02:30:00+02:00', '2026-03-31T02:30:00+02:00'),
    );
  });

  it('Europe/Berlin: several fixed times in the gap still run once', () => {
    expect(between('0,15,30,45 2 * * *', 'Europe/Berlin', '2026-03-29T00:00:00+01:00', '2026-03-30T00:00:00+02:00')).toEqual(
      instants('2026-03-29T03:00:00+02:00'),
    );
    // 02:00 (skipped) lands on 03:00, which the job names anyway: one run, then 03:30.
    expect(between('0,30 2,3 * * *', 'Europe/Berlin', '2026-03-29T00:00:00+01:00', '2026-03-30T00:00:00+02:00')).toEqual(
      instants('2026-03-29T03:00:00+02:00', '2026-03-29T03:30:00+02:00'),
    );
  });

  it('Europe/Berlin: `0 */2 * * *` (wildcard) skips 02:00 and invents nothing: 11 runs', () => {
    expect(between('0 */2 * * *', 'Europe/Berlin', '2026-03-29T00:00:00+01:00', '2026-03-30T00:00:00+02:00')).toEqual(
      instants(
        '2026-03-29T00:00:00+01:00', '2026-03-29T04:00:00+02:00', '2026-03-29T06:00:00+02:00', '2026-03-29T08:00:00+02:00',
        '2026-03-29T10:00:00+02:00', '2026-03-29T12:00:00+02:00', '2026-03-29T14:00:00+02:00', '2026-03-29T16:00:00+02:00',
        '2026-03-29T18:00:00+02:00', '2026-03-29T20:00:00+02:00', '2026-03-29T22:00:00+02:00',
      ),
    );
  });

  it('Europe/Berlin: `*/15 2 * * *` has no run on the day the hour is skipped', () => {
    expect(next('*/15 2 * * *', 'Europe/Berlin', '2026-03-28T12:00:00Z', 2)).toEqual(
      instants('2026-03-30T02:00:00+02:00', '2026-03-30T02:15:00+02:00'),
    );
  });

  it('Europe/London: 01:30 is skipped and runs at 02:00 BST', () => {
    expect(next('30 1 * * *', 'Europe/London', '2026-03-28T12:00:00Z', 2)).toEqual(instants('2026-03-29T01:00:00Z', '2026-03-30T00:30:00Z'));
  });

  it('America/New_York: 02:30 runs at 03:00 EDT; 01:59 is untouched', () => {
    expect(next('30 2 * * *', 'America/New_York', '2026-03-07T00:00:00Z', 3)).toEqual(
      instants('2026-03-07T07:30:00Z', '2026-03-08T07:00:00Z', '2026-03-09T06:30:00Z'),
    );
    expect(next('59 1 * * *', 'America/New_York', '2026-03-07T12:00:00Z', 2)).toEqual(instants('2026-03-08T06:59:00Z', '2026-03-09T05:59:00Z'));
  });

  it('America/New_York: `0 */2 * * *` has 11 runs and `0 * * * *` 23', () => {
    const day = ['2026-03-08T00:00:00-05:00', '2026-03-09T00:00:00-04:00'] as const;
    const twoHourly = between('0 */2 * * *', 'America/New_York', ...day);
    expect(twoHourly).toEqual(
      instants(
        '2026-03-08T05:00:00Z', '2026-03-08T08:00:00Z', '2026-03-08T10:00:00Z', '2026-03-08T12:00:00Z', '2026-03-08T14:00:00Z',
        '2026-03-08T16:00:00Z', '2026-03-08T18:00:00Z', '2026-03-08T20:00:00Z', '2026-03-08T22:00:00Z', '2026-03-09T00:00:00Z',
        '2026-03-09T02:00:00Z',
      ),
    );
    const hourly = between('0 * * * *', 'America/New_York', ...day);
    expect(hourly.length).toBe(23);
    expect(hourly.slice(0, 3)).toEqual(instants('2026-03-08T05:00:00Z', '2026-03-08T06:00:00Z', '2026-03-08T07:00:00Z'));
  });

  it('Australia/Sydney (October): 02:30 runs at 03:00 AEDT; wildcard 02:xx does not run', () => {
    expect(next('30 2 * * *', 'Australia/Sydney', '2026-10-02T12:00:00Z', 3)).toEqual(
      instants('2026-10-02T16:30:00Z', '2026-10-03T16:00:00Z', '2026-10-04T15:30:00Z'),
    );
    expect(next('*/30 2 * * *', 'Australia/Sydney', '2026-10-03T00:00:00Z', 2)).toEqual(instants('2026-10-04T15:00:00Z', '2026-10-04T15:30:00Z'));
  });

  it('Australia/Lord_Howe (30-minute shift): 02:15 runs at 02:30; wildcard only from 02:30', () => {
    expect(next('15 2 * * *', 'Australia/Lord_Howe', '2026-10-03T00:00:00Z', 2)).toEqual(
      instants('2026-10-04T02:30:00+11:00', '2026-10-05T02:15:00+11:00'),
    );
    expect(between('*/10 2 * * *', 'Australia/Lord_Howe', '2026-10-04T00:00:00+10:30', '2026-10-05T00:00:00+11:00')).toEqual(
      instants('2026-10-03T15:30:00Z', '2026-10-03T15:40:00Z', '2026-10-03T15:50:00Z'),
    );
  });
});

describe('fall back: repeated hour', () => {
  it('America/New_York: `0 1 * * *` runs once, on the first pass', () => {
    expect(next('0 1 * * *', 'America/New_York', '2026-10-31T00:00:00Z', 3)).toEqual(
      instants('2026-10-31T05:00:00Z', '2026-11-01T05:00:00Z', '2026-11-02T06:00:00Z'),
    );
  });

  it('America/New_York: `59 1 * * *` runs once, on the first pass', () => {
    expect(next('59 1 * * *', 'America/New_York', '2026-10-31T12:00:00Z', 2)).toEqual(instants('2026-11-01T05:59:00Z', '2026-11-02T06:59:00Z'));
  });

  it('America/New_York: `*/15 1 * * *` follows the wall clock: 8 runs', () => {
    expect(next('*/15 1 * * *', 'America/New_York', '2026-10-31T12:00:00Z', 9)).toEqual(
      instants(
        '2026-11-01T01:00:00-04:00', '2026-11-01T01:15:00-04:00', '2026-11-01T01:30:00-04:00', '2026-11-01T01:45:00-04:00',
        '2026-11-01T01:00:00-05:00', '2026-11-01T01:15:00-05:00', '2026-11-01T01:30:00-05:00', '2026-11-01T01:45:00-05:00',
        '2026-11-02T01:00:00-05:00',
      ),
    );
  });

  it('America/New_York: `0 * * * *` runs 25 times, `30 2 * * *` once', () => {
    const day = ['2026-11-01T00:00:00-04:00', '2026-11-02T00:00:00-05:00'] as const;
    const hourly = between('0 * * * *', 'America/New_York', ...day);
    expect(hourly.length).toBe(25);
    expect(hourly.slice(0, 4)).toEqual(instants('2026-11-01T04:00:00Z', '2026-11-01T05:00:00Z', '2026-11-01T06:00:00Z', '2026-11-01T07:00:00Z'));
    expect(between('30 2 * * *', 'America/New_York', ...day)).toEqual(instants('2026-11-01T07:30:00Z'));
  });

  it('Europe/Berlin: `30 2 * * *` once; `0 */2 * * *` 13 runs; `*/15 2 * * *` 8 runs', () => {
    const day = ['2026-10-25T00:00:00+02:00', '2026-10-26T00:00:00+01:00'] as const;
    expect(between('30 2 * * *', 'Europe/Berlin', ...day)).toEqual(instants('2026-10-25T00:30:00Z'));
    expect(between('0 */2 * * *', 'Europe/Berlin', ...day)).toEqual(
      instants(
        '2026-10-24T22:00:00Z', '2026-10-25T00:00:00Z', '2026-10-25T01:00:00Z', '2026-10-25T03:00:00Z', '2026-10-25T05:00:00Z',
        '2026-10-25T07:00:00Z', '2026-10-25T09:00:00Z', '2026-10-25T11:00:00Z', '2026-10-25T13:00:00Z', '2026-10-25T15:00:00Z',
        '2026-10-25T17:00:00Z', '2026-10-25T19:00:00Z', '2026-10-25T21:00:00Z',
      ),
    );
    expect(between('*/15 2 * * *', 'Europe/Berlin', ...day)).toEqual(
      instants(
        '2026-10-25T00:00:00Z', '2026-10-25T00:15:00Z', '2026-10-25T00:30:00Z', '2026-10-25T00:45:00Z',
        '2026-10-25T01:00:00Z', '2026-10-25T01:15:00Z', '2026-10-25T01:30:00Z', '2026-10-25T01:45:00Z',
      ),
    );
  });

  it('Europe/London: `0 1 * * *` once at 01:00 BST', () => {
    expect(next('0 1 * * *', 'Europe/London', '2026-10-24T12:00:00Z', 2)).toEqual(instants('2026-10-25T00:00:00Z', '2026-10-26T01:00:00Z'));
  });

  it('Australia/Sydney (April): 02:30 once; `*/30 2 * * *` both passes; 03:00 happens once', () => {
    expect(next('30 2 * * *', 'Australia/Sydney', '2026-04-04T00:00:00Z', 2)).toEqual(instants('2026-04-04T15:30:00Z', '2026-04-05T16:30:00Z'));
    expect(next('*/30 2 * * *', 'Australia/Sydney', '2026-04-04T00:00:00Z', 5)).toEqual(
      instants('2026-04-04T15:00:00Z', '2026-04-04T15:30:00Z', '2026-04-04T16:00:00Z', '2026-04-04T16:30:00Z', '2026-04-05T16:00:00Z'),
    );
    expect(next('0 3 * * *', 'Australia/Sydney', '2026-04-04T00:00:00Z', 1)).toEqual(instants('2026-04-05T03:00:00+10:00'));
  });

  it('Australia/Lord_Howe (30-minute shift): 01:45 once; `*/20 1 * * *` repeats only 01:40', () => {
    expect(between('45 1 * * *', 'Australia/Lord_Howe', '2026-04-05T00:00:00+11:00', '2026-04-06T00:00:00+10:30')).toEqual(
      instants('2026-04-05T01:45:00+11:00'),
    );
    expect(between('*/20 1 * * *', 'Australia/Lord_Howe', '2026-04-05T00:00:00+11:00', '2026-04-06T00:00:00+10:30')).toEqual(
      instants('2026-04-04T14:00:00Z', '2026-04-04T14:20:00Z', '2026-04-04T14:40:00Z', '2026-04-04T15:10:00Z'),
    );
  });
});

describe('zones whose midnight is skipped or repeated', () => {
  it('America/Santiago (September): `0 0 * * *` runs at 01:00 on the day midnight is skipped, and every day', () => {
    expect(next('0 0 * * *', 'America/Santiago', '2026-09-04T12:00:00Z', 3)).toEqual(
      instants('2026-09-05T00:00:00-04:00', '2026-09-06T01:00:00-03:00', '2026-09-07T00:00:00-03:00'),
    );
    expect(between('0 0 * * *', 'America/Santiago', '2026-09-01T00:00:00-04:00', '2026-10-01T00:00:00-03:00').length).toBe(30);
  });

  it('America/Santiago (September): a wildcard job at 00:xx has no run that day', () => {
    expect(next('*/30 0 * * *', 'America/Santiago', '2026-09-05T12:00:00Z', 2)).toEqual(
      instants('2026-09-07T00:00:00-03:00', '2026-09-07T00:30:00-03:00'),
    );
  });

  it('America/Santiago (April): 00:00 → 23:00 repeats the last hour of the 4th', () => {
    expect(next('30 23 * * *', 'America/Santiago', '2026-04-04T12:00:00Z', 2)).toEqual(
      instants('2026-04-04T23:30:00-03:00', '2026-04-05T23:30:00-04:00'),
    );
    // A wildcard job runs both passes of 23:xx on the 4th (−03, then −04).
    expect(next('*/30 23 * * *', 'America/Santiago', '2026-04-04T12:00:00Z', 5)).toEqual(
      instants('2026-04-05T02:00:00Z', '2026-04-05T02:30:00Z', '2026-04-05T03:00:00Z', '2026-04-05T03:30:00Z', '2026-04-06T03:00:00Z'),
    );
    expect(next('0 0 * * *', 'America/Santiago', '2026-04-04T12:00:00Z', 2)).toEqual(
      instants('2026-04-05T00:00:00-04:00', '2026-04-06T00:00:00-04:00'),
    );
  });

  it('America/Santiago (April): a second pass that comes after afterMs is still found', () => {
    // afterMs is during the first pass of 23:xx on the 4th; the second pass of 23:00 is ahead.
    expect(next('*/30 23 * * *', 'America/Santiago', '2026-04-05T02:45:00Z', 3)).toEqual(
      instants('2026-04-05T03:00:00Z', '2026-04-05T03:30:00Z', '2026-04-06T03:00:00Z'),
    );
  });

  it('America/Havana and Asia/Beirut: `0 0 * * *` never loses the day', () => {
    expect(next('0 0 * * *', 'America/Havana', '2026-03-06T12:00:00Z', 3)).toEqual(
      instants('2026-03-07T00:00:00-05:00', '2026-03-08T01:00:00-04:00', '2026-03-09T00:00:00-04:00'),
    );
    expect(next('0 0 * * *', 'Asia/Beirut', '2026-03-27T12:00:00Z', 3)).toEqual(
      instants('2026-03-28T00:00:00+02:00', '2026-03-29T01:00:00+03:00', '2026-03-30T00:00:00+03:00'),
    );
  });

  it('Pacific/Apia skipped 30 Dec 2011 whole: a fixed job runs once at the change, not twice', () => {
    expect(next('0 12 * * *', 'Pacific/Apia', '2011-12-28T00:00:00Z', 4)).toEqual(
      instants('2011-12-28T12:00:00-10:00', '2011-12-29T12:00:00-10:00', '2011-12-31T00:00:00+14:00', '2011-12-31T12:00:00+14:00'),
    );
    // Midnight of the 30th (skipped) lands on midnight of the 31st, which the job names anyway.
    expect(next('0 0 * * *', 'Pacific/Apia', '2011-12-29T12:00:00Z', 3)).toEqual(
      instants('2011-12-31T00:00:00+14:00', '2012-01-01T00:00:00+14:00', '2012-01-02T00:00:00+14:00'),
    );
    expect(next('0 12 30 12 *', 'Pacific/Apia', '2011-12-01T00:00:00Z', 2)).toEqual(
      instants('2011-12-31T00:00:00+14:00', '2012-12-30T12:00:00+14:00'),
    );
  });
});

describe('nextFireTime and limits', () => {
  it('returns the first fire or null', () => {
    expect(nextFireTime(cron('0 0 1 1 *'), 'UTC', Date.parse('2026-05-01T00:00:00Z'))).toBe(Date.parse('2027-01-01T00:00:00Z'));
    // 25-31 March AND Sunday (`*/7` is Sunday but not "restricted"): the last Sunday of March,
    // whose 02:xx the EU skips. A wildcard job that never runs in Berlin…
    expect(nextFireTime(cron('* 2 25-31 3 */7'), 'Europe/Berlin', Date.parse('2026-01-01T00:00:00Z'))).toBeNull();
    // … but does in UTC.
    expect(nextFireTime(cron('* 2 25-31 3 */7'), 'UTC', Date.parse('2026-01-01T00:00:00Z'))).toBe(Date.parse('2026-03-29T02:00:00Z'));
  });

  it('count below 1, or a time outside Date, gives nothing', () => {
    expect(nextFireTimes(cron('* * * * *'), 'UTC', 0, 0)).toEqual([]);
    expect(nextFireTimes(cron('* * * * *'), 'UTC', Number.NaN, 3)).toEqual([]);
    expect(nextFireTimes(cron('* * * * *'), 'UTC', 8.64e15, 3)).toEqual([]);
  });

  it('minutely schedules are cheap to ask about, even on a transition day', () => {
    // The worker asks for the next fire of every schedule it fires; a minutely job must not cost
    // a whole day of instants (1440 × an Intl call) per question.
    const expr = cron('* * * * *');
    const start = performance.now();
    let last = 0;
    for (let i = 0; i < 1000; i++) last = nextFireTime(expr, 'Europe/Berlin', Date.parse('2026-10-25T00:00:00Z') + i * 14_000) ?? 0;
    // The last question is at 03:53:06Z, during CET (the change was at 01:00Z).
    expect(new Date(last).toISOString()).toBe('2026-10-25T03:54:00.000Z');
    expect(performance.now() - start).toBeLessThan(1000);
  });
});

describe('previousFireTimes', () => {
  it('newest first, at or before, strictly after the lower bound', () => {
    expect(prev('0 */6 * * *', 'UTC', '2026-05-02T06:00:00Z', 3)).toEqual(
      instants('2026-05-02T06:00:00Z', '2026-05-02T00:00:00Z', '2026-05-01T18:00:00Z'),
    );
    expect(prev('0 */6 * * *', 'UTC', '2026-05-02T06:00:00Z', 10, '2026-05-01T18:00:00Z')).toEqual(
      instants('2026-05-02T06:00:00Z', '2026-05-02T00:00:00Z'),
    );
  });

  it('mirrors nextFireTimes across a fall-back day and a skipped midnight', () => {
    const cases: [string, string, string, string][] = [
      ['*/15 1 * * *', 'America/New_York', '2026-10-30T00:00:00Z', '2026-11-03T00:00:00Z'],
      ['30 2 * * *', 'Europe/Berlin', '2026-03-27T00:00:00Z', '2026-03-31T00:00:00Z'],
      ['*/30 23 * * *', 'America/Santiago', '2026-04-03T00:00:00Z', '2026-04-07T00:00:00Z'],
      ['0 0 * * *', 'Pacific/Apia', '2011-12-27T00:00:00Z', '2012-01-02T00:00:00Z'],
    ];
    for (const [expr, tz, from, to] of cases) {
      const forward = between(expr, tz, from, to);
      const backward = prev(expr, tz, new Date(Date.parse(to) - 1).toISOString(), 1000, new Date(Date.parse(from) - 1).toISOString());
      expect(backward.reverse()).toEqual(forward);
      expect(forward.length).toBeGreaterThan(3);
    }
  });

  it('finds a leap day years back', () => {
    expect(prev('0 0 29 2 *', 'UTC', '2031-01-01T00:00:00Z', 2)).toEqual(instants('2028-02-29T00:00:00Z', '2024-02-29T00:00:00Z'));
  });
});
