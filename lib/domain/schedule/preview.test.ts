import { describe, expect, it } from 'vitest';
import { localIso, offsetText, utcIso } from './iso';
import { previewFireTimes } from './preview';

const at = (iso: string) => Date.parse(iso);

describe('previewFireTimes', () => {
  it('gives utc and local ISO times, local with its offset, across a spring-forward', () => {
    expect(previewFireTimes('30 2 * * *', 'Europe/Berlin', at('2026-03-27T12:00:00Z'), 3)).toEqual({
      ok: true,
      value: [
        { utc: '2026-03-28T01:30:00Z', local: '2026-03-28T02:30:00+01:00' },
        { utc: '2026-03-29T01:00:00Z', local: '2026-03-29T03:00:00+02:00' },
        { utc: '2026-03-30T00:30:00Z', local: '2026-03-30T02:30:00+02:00' },
      ],
    });
  });

  it('shows both passes of a repeated hour with their offsets', () => {
    const r = previewFireTimes('*/30 1 * * *', 'America/New_York', at('2026-11-01T00:00:00Z'), 4);
    expect(r).toEqual({
      ok: true,
      value: [
        { utc: '2026-11-01T05:00:00Z', local: '2026-11-01T01:00:00-04:00' },
        { utc: '2026-11-01T05:30:00Z', local: '2026-11-01T01:30:00-04:00' },
        { utc: '2026-11-01T06:00:00Z', local: '2026-11-01T01:00:00-05:00' },
        { utc: '2026-11-01T06:30:00Z', local: '2026-11-01T01:30:00-05:00' },
      ],
    });
  });

  it('defaults to 5, allows 100, refuses 0, 101 and fractions', () => {
    const five = previewFireTimes('@hourly', 'UTC', at('2026-05-01T00:00:00Z'));
    expect(five.ok && five.value.map((f) => f.utc)).toEqual([
      '2026-05-01T01:00:00Z', '2026-05-01T02:00:00Z', '2026-05-01T03:00:00Z', '2026-05-01T04:00:00Z', '2026-05-01T05:00:00Z',
    ]);
    const hundred = previewFireTimes('0 0 29 2 *', 'UTC', at('2026-01-01T00:00:00Z'), 100);
    expect(hundred.ok && [hundred.value.length, hundred.value[99].utc]).toEqual([100, '2436-02-29T00:00:00Z']);
    for (const count of [0, 101, 2.5, Number.NaN]) {
      expect(previewFireTimes('@hourly', 'UTC', 0, count)).toEqual({
        ok: false,
        problems: [{ path: 'count', message: `count must be a whole number from 1 to 100; got ${count}` }],
      });
    }
  });

  it('validates as a save does: syntax, zone, never fires — problems named by query parameter', () => {
    expect(previewFireTimes('61 * * * *', 'UTC', 0)).toEqual({
      ok: false,
      problems: [{ path: 'cron', message: "minute field '61': '61' is out of range: values must be 0-59" }],
    });
    expect(previewFireTimes('0 0 30 2 *', 'Mars/Base', 0)).toEqual({
      ok: false,
      problems: [
        {
          path: 'cron',
          message: "'0 0 30 2 *' can never fire: day-of-month '30' never occurs in February (at most 29 days); pick days that exist in those months",
        },
        { path: 'timezone', message: 'unknown time zone "Mars/Base": use an IANA name such as UTC, Europe/London or America/New_York' },
      ],
    });
  });

  it('refuses an `after` that is not a time', () => {
    for (const after of [Number.NaN, Number.POSITIVE_INFINITY, 9e15]) {
      const r = previewFireTimes('@hourly', 'UTC', after);
      expect(r.ok ? [] : r.problems.map((p) => p.path)).toEqual(['after']);
    }
  });

  it('an expression that only ever falls in a gap gives an empty list, not an error', () => {
    expect(previewFireTimes('* 2 25-31 3 */7', 'Europe/Berlin', at('2026-01-01T00:00:00Z'), 3)).toEqual({ ok: true, value: [] });
  });
});

describe('ISO text', () => {
  it('utc without fraction, ending in Z; expanded years outside 0000-9999', () => {
    expect(utcIso(at('2026-03-29T01:00:00Z'))).toBe('2026-03-29T01:00:00Z');
    expect(utcIso(at('2026-03-29T01:00:00.999Z'))).toBe('2026-03-29T01:00:00Z');
    expect(utcIso(at('+012345-01-02T03:04:05Z'))).toBe('+012345-01-02T03:04:05Z');
    expect(utcIso(at('-000001-12-31T23:59:59Z'))).toBe('-000001-12-31T23:59:59Z');
  });

  it('local with the offset in force, fractional and negative offsets', () => {
    expect(localIso(at('2026-05-01T00:00:00Z'), 'Asia/Kathmandu')).toBe('2026-05-01T05:45:00+05:45');
    expect(localIso(at('2026-05-01T00:00:00Z'), 'America/St_Johns')).toBe('2026-04-30T21:30:00-02:30');
    expect(localIso(at('2026-05-01T00:00:00Z'), 'UTC')).toBe('2026-05-01T00:00:00+00:00');
    expect(localIso(at('1880-01-01T00:00:00Z'), 'America/New_York')).toBe('1879-12-31T19:03:58-04:56:02');
  });

  it('offset text', () => {
    expect([offsetText(0), offsetText(3_600_000), offsetText(-12_600_000), offsetText(20_700_000)]).toEqual(['+00:00', '+01:00', '-03:30', '+05:45']);
  });
});
