// The fire instants one matching civil day produces in a zone, with cron(8)'s daylight-saving
// rules. Every wall time the expression names on that day is one of:
//   - normal: it happens once → fire then;
//   - repeated (clocks went back): it happens twice → a fixed-time job fires on the first pass
//     only, a wildcard job (minute or hour field starts with `*`) on both;
//   - skipped (clocks went forward): it never happens → a fixed-time job fires once at the
//     first instant after the gap (02:30 in a 02:00→03:00 gap fires at 03:00), a wildcard job
//     does not fire (nothing is invented).
// Several skipped times of one job land on the same instant and fire once (the job "runs once,
// right after the change").

import { DAY_MS, HOUR_MS, MINUTE_MS } from './calendar';
import type { CompiledCron } from './days';
import { MAX_OFFSET_MS } from './timezone';
import { offsetSegments, type OffsetSegment } from './offsets';

// Local copies: module bindings compile to getter calls in some loaders (tsx, vite-node), and
// these are read in loops that run 1440 times a day.
const DAY = DAY_MS;
const HOUR = HOUR_MS;
const MINUTE = MINUTE_MS;
const MARGIN = MAX_OFFSET_MS;

/** Which of a day's instants the caller wants; only saves work (a minutely job makes 1440 a day). */
export interface InstantWindow {
  /** Exclusive lower bound. */
  afterMs?: number;
  /** Inclusive upper bound. */
  atOrBeforeMs?: number;
  /** Keep only this many: the earliest (`from: 'start'`, the default) or the latest (`'end'`). */
  limit?: number;
  from?: 'start' | 'end';
}

/**
 * Fire instants (UTC ms, ascending, distinct) for the wall times of civil day `days`, within
 * `window`. The day must match the expression's day fields (the caller walks matching days).
 * Instants may lie on the neighbouring UTC days, and — around a transition at local midnight —
 * even after instants of the next local day; callers merge with that in mind (MAX_OFFSET_MS).
 */
export function fireInstantsOfDay(c: CompiledCron, timezone: string, days: number, window: InstantWindow = {}): number[] {
  const afterMs = window.afterMs ?? -Infinity;
  const atOrBeforeMs = window.atOrBeforeMs ?? Infinity;
  const limit = window.limit ?? Infinity;
  const fromEnd = window.from === 'end';
  const dayStart = days * DAY; // local midnight on the local-as-UTC line
  // Every instant whose wall time is on this day lies within MARGIN of it.
  const segments = offsetSegments(timezone, dayStart - MARGIN, dayStart + DAY + MARGIN);

  if (segments.length === 1) {
    // No transition near this day (almost every day): each wall time happens exactly once, in
    // order, so we can stop as soon as we have enough.
    return fromEnd
      ? plainDayFromEnd(c, dayStart - segments[0].offsetMs, afterMs, atOrBeforeMs, limit)
      : plainDay(c, dayStart - segments[0].offsetMs, afterMs, atOrBeforeMs, limit);
  }

  // A day near a transition. Each wall time's instants lie within [wall − maxOff, wall − minOff]
  // (gap landings too), which lets us skip wall times outside the window and stop once `limit`
  // instants are certain: a minutely job on a transition day is asked about every minute.
  let minOff = Infinity;
  let maxOff = -Infinity;
  for (const s of segments) {
    minOff = Math.min(minOff, s.offsetMs);
    maxOff = Math.max(maxOff, s.offsetMs);
  }
  // `kept` holds the best `limit` instants so far, in walk order (ascending, or descending from
  // the end), without duplicates; instants nearly always arrive in order, so inserting is O(1).
  const kept: number[] = [];
  const before = fromEnd ? (x: number, y: number) => x > y : (x: number, y: number) => x < y;
  const fixed = c.expr.fixedTime;
  const { hours, minutes } = c;
  const lastMinute = minutes[minutes.length - 1] * MINUTE;
  // Walk wall times in order (backwards for `from: 'end'`), skipping whole hours outside the window.
  outer: for (let hi = 0; hi < hours.length; hi++) {
    const hourStart = dayStart + hours[fromEnd ? hours.length - 1 - hi : hi] * HOUR;
    if (fromEnd ? hourStart - maxOff > atOrBeforeMs : hourStart + lastMinute - minOff <= afterMs) continue;
    for (let mi = 0; mi < minutes.length; mi++) {
      const wall = hourStart + minutes[fromEnd ? minutes.length - 1 - mi : mi] * MINUTE;
      const earliest = wall - maxOff;
      const latest = wall - minOff;
      const full = kept.length >= limit;
      if (fromEnd) {
        if (earliest > atOrBeforeMs) continue;
        if (latest <= afterMs || (full && latest < kept[kept.length - 1])) break outer;
      } else {
        if (latest <= afterMs) continue;
        if (earliest > atOrBeforeMs || (full && earliest > kept[kept.length - 1])) break outer;
      }
      const instants = instantsOfWallTime(segments, wall);
      if (instants.length > 0) {
        if (fixed) keep(instants[0]);
        else for (const t of instants) keep(t);
      } else if (fixed) {
        const landing = firstInstantAfterGap(segments, wall);
        if (landing !== null) keep(landing);
      }
    }
  }
  return fromEnd ? kept.reverse() : kept;

  function keep(t: number): void {
    if (t <= afterMs || t > atOrBeforeMs) return;
    let i = kept.length;
    while (i > 0 && before(t, kept[i - 1])) i--;
    if (i > 0 && kept[i - 1] === t) return;
    if (i >= limit) return;
    kept.splice(i, 0, t);
    if (kept.length > limit) kept.pop();
  }
}

function plainDay(c: CompiledCron, base: number, afterMs: number, atOrBeforeMs: number, limit: number): number[] {
  const out: number[] = [];
  for (const h of c.hours) {
    const hourStart = base + h * HOUR;
    if (hourStart + HOUR <= afterMs) continue;
    for (const m of c.minutes) {
      const t = hourStart + m * MINUTE;
      if (t > atOrBeforeMs || out.length >= limit) return out;
      if (t > afterMs) out.push(t);
    }
  }
  return out;
}

function plainDayFromEnd(c: CompiledCron, base: number, afterMs: number, atOrBeforeMs: number, limit: number): number[] {
  const out: number[] = [];
  for (let i = c.hours.length - 1; i >= 0; i--) {
    const hourStart = base + c.hours[i] * HOUR;
    if (hourStart > atOrBeforeMs) continue;
    for (let j = c.minutes.length - 1; j >= 0; j--) {
      const t = hourStart + c.minutes[j] * MINUTE;
      if (t <= afterMs || out.length >= limit) return out.reverse();
      if (t <= atOrBeforeMs) out.push(t);
    }
  }
  return out.reverse();
}

/** The instants (ascending) at which the wall clock shows `wall`: 0 in a gap, 2 in a repeat. */
export function instantsOfWallTime(segments: readonly OffsetSegment[], wall: number): number[] {
  const instants: number[] = [];
  for (const s of segments) {
    const t = wall - s.offsetMs;
    if (t >= s.fromMs && t < s.toMs) instants.push(t);
  }
  return instants;
}

/** For a wall time in a gap: the transition instant that skipped it, i.e. the first after the gap. */
export function firstInstantAfterGap(segments: readonly OffsetSegment[], wall: number): number | null {
  for (let i = 1; i < segments.length; i++) {
    const before = segments[i - 1];
    const after = segments[i];
    // The wall clock jumps from (transition + before.offset) to (transition + after.offset).
    if (after.fromMs + before.offsetMs <= wall && wall < after.fromMs + after.offsetMs) return after.fromMs;
  }
  return null;
}
