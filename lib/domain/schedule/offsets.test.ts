import { describe, expect, it } from 'vitest';
import { offsetAt, offsetSegments, toLocalMs } from './offsets';
import { isValidTimeZone, readOffset } from './timezone';

const H = 3_600_000;
const at = (iso: string) => Date.parse(iso);

describe('isValidTimeZone', () => {
  it('accepts IANA names Intl knows, links and case variants', () => {
    for (const tz of ['UTC', 'Etc/UTC', 'Europe/London', 'America/Argentina/Buenos_Aires', 'Etc/GMT+5', 'US/Eastern', 'europe/berlin']) {
      expect([tz, isValidTimeZone(tz)]).toEqual([tz, true]);
    }
  });

  it('refuses unknown names, offsets, blanks and non-strings', () => {
    for (const tz of ['Mars/Olympus_Mons', 'Local', '+01:00', 'UTC+1', '', ' UTC', 'Europe/London ', '../etc']) {
      expect([tz, isValidTimeZone(tz)]).toEqual([tz, false]);
    }
    expect(isValidTimeZone(5 as unknown as string)).toBe(false);
  });
});

describe('offsetAt', () => {
  it('reads standard and summer time, fractional-hour zones and historical seconds', () => {
    expect(offsetAt('Europe/Berlin', at('2026-01-15T12:00:00Z'))).toBe(1 * H);
    expect(offsetAt('Europe/Berlin', at('2026-07-15T12:00:00Z'))).toBe(2 * H);
    expect(offsetAt('America/New_York', at('2026-07-15T12:00:00Z'))).toBe(-4 * H);
    expect(offsetAt('Asia/Kathmandu', at('2026-07-15T12:00:00Z'))).toBe(5.75 * H);
    expect(offsetAt('Australia/Lord_Howe', at('2026-07-15T12:00:00Z'))).toBe(10.5 * H);
    expect(offsetAt('UTC', at('2026-07-15T12:00:00Z'))).toBe(0);
    // Monrovia kept −00:44:30 until 1972; New York used local mean time (−04:56:02) before 1883.
    expect(offsetAt('Africa/Monrovia', at('1970-01-01T00:00:00Z'))).toBe(-(44 * 60_000 + 30_000));
    expect(offsetAt('America/New_York', at('1880-01-01T00:00:00Z'))).toBe(-(4 * H + 56 * 60_000 + 2_000));
  });

  it('changes exactly at the transition instant', () => {
    expect(offsetAt('Europe/Berlin', at('2026-03-29T00:59:59.999Z'))).toBe(1 * H);
    expect(offsetAt('Europe/Berlin', at('2026-03-29T01:00:00Z'))).toBe(2 * H);
    expect(offsetAt('America/New_York', at('2026-11-01T05:59:59Z'))).toBe(-4 * H);
    expect(offsetAt('America/New_York', at('2026-11-01T06:00:00Z'))).toBe(-5 * H);
    // Lord Howe moves at :30 past a UTC hour.
    expect(offsetAt('Australia/Lord_Howe', at('2026-10-03T15:29:59Z'))).toBe(10.5 * H);
    expect(offsetAt('Australia/Lord_Howe', at('2026-10-03T15:30:00Z'))).toBe(11 * H);
  });

  it('agrees with a direct Intl read at every hour of a year with transitions', () => {
    for (const tz of ['Europe/London', 'America/Santiago', 'Australia/Lord_Howe']) {
      for (let t = at('2026-01-01T00:00:00Z'); t < at('2027-01-01T00:00:00Z'); t += 3 * H + 17 * 60_000) {
        const a = offsetAt(tz, t);
        const b = readOffset(tz, t);
        if (a !== b) throw new Error(`${tz} at ${new Date(t).toISOString()}: ${a} vs ${b}`);
      }
    }
  });

  it('toLocalMs puts the wall time on the UTC line', () => {
    expect(new Date(toLocalMs('Asia/Kolkata', at('2026-05-01T00:00:00Z'))).toISOString()).toBe('2026-05-01T05:30:00.000Z');
  });

  it('throws for an unknown zone', () => {
    expect(() => offsetAt('Mars/Olympus_Mons', 0)).toThrow(RangeError);
  });
});

describe('offsetSegments', () => {
  it('one segment on a plain day', () => {
    expect(offsetSegments('Europe/Berlin', at('2026-06-01T00:00:00Z'), at('2026-06-03T00:00:00Z'))).toEqual([
      { fromMs: at('2026-06-01T00:00:00Z'), toMs: at('2026-06-03T00:00:00Z'), offsetMs: 2 * H },
    ]);
  });

  it('splits at the transition', () => {
    expect(offsetSegments('Europe/Berlin', at('2026-10-24T12:00:00Z'), at('2026-10-26T00:00:00Z'))).toEqual([
      { fromMs: at('2026-10-24T12:00:00Z'), toMs: at('2026-10-25T01:00:00Z'), offsetMs: 2 * H },
      { fromMs: at('2026-10-25T01:00:00Z'), toMs: at('2026-10-26T00:00:00Z'), offsetMs: 1 * H },
    ]);
  });

  it('finds every transition in a long window', () => {
    expect(offsetSegments('Europe/Berlin', at('2026-03-01T00:00:00Z'), at('2026-12-01T00:00:00Z'))).toEqual([
      { fromMs: at('2026-03-01T00:00:00Z'), toMs: at('2026-03-29T01:00:00Z'), offsetMs: 1 * H },
      { fromMs: at('2026-03-29T01:00:00Z'), toMs: at('2026-10-25T01:00:00Z'), offsetMs: 2 * H },
      { fromMs: at('2026-10-25T01:00:00Z'), toMs: at('2026-12-01T00:00:00Z'), offsetMs: 1 * H },
    ]);
  });

  it('finds the day Apia skipped, from a start inside a grid step', () => {
    expect(offsetSegments('Pacific/Apia', at('2011-12-29T13:17:00Z'), at('2011-12-31T00:00:00Z'))).toEqual([
      { fromMs: at('2011-12-29T13:17:00Z'), toMs: at('2011-12-30T10:00:00Z'), offsetMs: -10 * H },
      { fromMs: at('2011-12-30T10:00:00Z'), toMs: at('2011-12-31T00:00:00Z'), offsetMs: 14 * H },
    ]);
  });
});
