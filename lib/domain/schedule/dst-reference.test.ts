// Cross-check against an independent model of cron(8): a daemon that wakes every minute, reads
// the wall clock (its own Intl formatter, not our offset code), runs wildcard jobs whenever the
// wall minute matches, runs fixed-time jobs only on a wall minute never seen before (first pass
// of a repeated hour), and after a forward jump runs once each fixed-time job that matched a
// skipped minute. Our day-by-day arithmetic must agree with it on every transition below.

import { describe, expect, it } from 'vitest';
import { nextFireTimes } from './fire-times';
import { parseCron, type CronExpr } from './parse';

const MINUTE = 60_000;

function wallMinutes(timezone: string, fromMs: number, toMs: number): number[] {
  const f = new Intl.DateTimeFormat('en-GB', {
    timeZone: timezone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
  const out: number[] = [];
  for (let t = fromMs; t < toMs; t += MINUTE) {
    const m = /^(\d\d)\/(\d\d)\/(\d{4}), (\d\d):(\d\d)$/.exec(f.format(t));
    if (!m) throw new Error(f.format(t));
    out.push(Date.UTC(Number(m[3]), Number(m[2]) - 1, Number(m[1]), Number(m[4]), Number(m[5])) / MINUTE);
  }
  return out;
}

function matches(e: CronExpr, wallMinute: number): boolean {
  const d = new Date(wallMinute * MINUTE);
  if (!e.minutes.has(d.getUTCMinutes()) || !e.hours.has(d.getUTCHours()) || !e.months.has(d.getUTCMonth() + 1)) return false;
  const dom = e.daysOfMonth.has(d.getUTCDate());
  const dow = e.daysOfWeek.has(d.getUTCDay());
  return e.domRestricted && e.dowRestricted ? dom || dow : dom && dow;
}

/** cron(8), minute by minute, over [fromMs, fromMs + walls.length minutes). */
function simulate(e: CronExpr, fromMs: number, walls: number[]): number[] {
  const fires: number[] = [];
  let seen = walls[0] - 1; // highest wall minute seen so far
  let previous = walls[0] - 1;
  walls.forEach((wall, i) => {
    const t = fromMs + i * MINUTE;
    let fire = matches(e, wall) && (!e.fixedTime || wall > seen);
    if (e.fixedTime && wall > previous + 1) {
      for (let w = Math.max(previous, seen) + 1; w < wall && !fire; w++) fire = matches(e, w);
    }
    if (fire) fires.push(t);
    seen = Math.max(seen, wall);
    previous = wall;
  });
  return fires;
}

const WINDOWS: [string, string][] = [
  ['Europe/Berlin', '2026-03-29T01:00:00Z'],
  ['Europe/Berlin', '2026-10-25T01:00:00Z'],
  ['Europe/London', '2026-03-29T01:00:00Z'],
  ['Europe/London', '2026-10-25T01:00:00Z'],
  ['America/New_York', '2026-03-08T07:00:00Z'],
  ['America/New_York', '2026-11-01T06:00:00Z'],
  ['Australia/Sydney', '2026-10-03T16:00:00Z'],
  ['Australia/Sydney', '2026-04-04T16:00:00Z'],
  ['America/Santiago', '2026-09-06T04:00:00Z'],
  ['America/Santiago', '2026-04-05T03:00:00Z'],
  ['America/Havana', '2026-03-08T05:00:00Z'],
  ['America/Havana', '2026-11-01T05:00:00Z'],
  ['Asia/Beirut', '2026-03-28T22:00:00Z'],
  ['Asia/Beirut', '2026-10-24T21:00:00Z'],
  ['Australia/Lord_Howe', '2026-10-03T15:30:00Z'],
  ['Australia/Lord_Howe', '2026-04-04T15:00:00Z'],
  ['Pacific/Apia', '2011-12-30T10:00:00Z'],
];

const EXPRESSIONS = [
  '30 2 * * *', '0 */2 * * *', '*/15 1 * * *', '0 1 * * *', '59 1 * * *', '0 0 * * *', '30 23 * * *',
  '*/30 23 * * *', '*/10 0 * * *', '0 * * * *', '15,45 0-3 * * *', '0,30 2 * * *', '45 2 * * *', '*/7 2 * * *',
  '0 0,1,2,3 * * *', '30 2 * * 0', '0 0 * * 6', '30 1 8 3 *', '* * * * *', '0 12 * * *', '*/20 1 * * *', '15 2 * * *',
];

describe('agrees with a minute-by-minute cron(8) model around real transitions', () => {
  for (const [zone, transition] of WINDOWS) {
    it(`${zone} around ${transition}`, () => {
      const from = Date.parse(transition) - 18 * 3_600_000;
      const to = Date.parse(transition) + 18 * 3_600_000;
      const walls = wallMinutes(zone, from, to);
      // The window really contains a change of offset (or the test would prove nothing).
      expect(walls[walls.length - 1] - walls[0]).not.toBe(walls.length - 1);
      let total = 0;
      for (const text of EXPRESSIONS) {
        const r = parseCron(text);
        if (!r.ok) throw new Error(text);
        // Skip the model's first minute: it has no "previous" to compare against.
        const expected = simulate(r.value, from, walls).filter((t) => t > from);
        // Ask for one more than the model fired, so an extra fire before `to` would show.
        const actual = nextFireTimes(r.value, zone, from, expected.length + 1).filter((t) => t < to);
        expect({ text, fires: actual.map((t) => new Date(t).toISOString()) }).toEqual({
          text,
          fires: expected.map((t) => new Date(t).toISOString()),
        });
        total += expected.length;
      }
      expect(total).toBeGreaterThan(100);
    });
  }
});
