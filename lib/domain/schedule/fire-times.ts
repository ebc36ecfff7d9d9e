// Fire instants of a cron expression in a zone, forward (what the worker persists as the next
// fire time, what the preview shows) and backward (what catch-up needs: the latest missed ones).
//
// We walk matching local days, never minutes: non-matching days and months are skipped by
// calendar arithmetic (days.ts), and each matching day yields its instants (day-fires.ts).
// A day's instants can come after some of the next day's (a repeated hour across local midnight,
// as in America/Santiago), so instants are held back until no later day can produce an earlier
// one: every instant of local day D lies within MAX_OFFSET_MS of D's wall-clock span.

import { DAY_MS } from './calendar';
import { fireInstantsOfDay } from './day-fires';
import { compile, nextMatchingDay, previousMatchingDay } from './days';
import type { CronExpr } from './parse';
import { toLocalMs } from './offsets';
import { MAX_OFFSET_MS } from './timezone';

/**
 * How far to look past the start or the last fire found: one whole Gregorian cycle (400 years,
 * 146 097 days). The calendar repeats exactly after it, so an expression that finds nothing in
 * this span only fails because of daylight saving (a wildcard job whose every time falls in a
 * gap) and never fires at all. Measured from the last fire, so 100 leap days (412 years) work.
 */
export const HORIZON_DAYS = 146_097 + 2;

// Date (and so Intl) covers ±8.64e15 ms; stay two days inside so every window we read is valid.
const LAST_DAY = Math.floor(8.64e15 / DAY_MS) - 2;
const FIRST_DAY = -LAST_DAY;
const readable = (ms: number) => Math.abs(ms) <= LAST_DAY * DAY_MS;

/** The first `count` fire instants (UTC ms, ascending) strictly after `afterMs`. */
export function nextFireTimes(expr: CronExpr, timezone: string, afterMs: number, count: number): number[] {
  const out: number[] = [];
  if (!(count >= 1) || !readable(afterMs)) return out;
  const c = compile(expr);
  const localDay = Math.floor(toLocalMs(timezone, afterMs) / DAY_MS);
  let lastDay = Math.min(localDay + HORIZON_DAYS, LAST_DAY);
  // Start a day early: the previous local day's repeated hour may still be ahead of afterMs.
  let day = nextMatchingDay(c, Math.max(localDay - 1, FIRST_DAY), lastDay);
  let pending: number[] = [];
  while (day !== null && out.length < count) {
    const fresh = fireInstantsOfDay(c, timezone, day, { afterMs, limit: count - out.length });
    if (fresh.length > 0) lastDay = Math.min(day + HORIZON_DAYS, LAST_DAY);
    pending = merge(pending, fresh, (a, b) => a - b);
    const next = day < lastDay ? nextMatchingDay(c, day + 1, lastDay) : null;
    // Instants of `next` and later days are all >= this; anything below it is final.
    const settledBelow = next === null ? Infinity : next * DAY_MS - MAX_OFFSET_MS;
    const held: number[] = [];
    for (const t of pending) {
      if (t >= settledBelow) held.push(t);
      else if (out.length < count && out[out.length - 1] !== t) out.push(t);
    }
    pending = held;
    day = next;
  }
  return out;
}

/** The first fire instant strictly after `afterMs`, or null when there is none (within HORIZON_DAYS). */
export function nextFireTime(expr: CronExpr, timezone: string, afterMs: number): number | null {
  return nextFireTimes(expr, timezone, afterMs, 1)[0] ?? null;
}

/**
 * The latest `count` fire instants in (afterMs, atOrBeforeMs], newest first. Gives up after
 * HORIZON_DAYS without a fire; `afterMs` (default: no bound) stops the walk early.
 */
export function previousFireTimes(
  expr: CronExpr,
  timezone: string,
  atOrBeforeMs: number,
  count: number,
  afterMs: number = -Infinity,
): number[] {
  const out: number[] = [];
  if (!(count >= 1) || !readable(atOrBeforeMs) || !(afterMs < atOrBeforeMs)) return out;
  const c = compile(expr);
  const localDay = Math.floor(toLocalMs(timezone, atOrBeforeMs) / DAY_MS);
  // Days before this cannot produce an instant after afterMs.
  const boundDay = Number.isFinite(afterMs) ? Math.floor((afterMs - MAX_OFFSET_MS) / DAY_MS) - 1 : -Infinity;
  const floorDay = Math.max(FIRST_DAY, boundDay);
  let firstDay = Math.max(localDay - HORIZON_DAYS, floorDay);
  // Start a day late: the next local day's instants can precede atOrBeforeMs around a midnight fall-back.
  let day = previousMatchingDay(c, Math.min(localDay + 1, LAST_DAY), firstDay);
  let pending: number[] = [];
  while (day !== null && out.length < count) {
    const fresh = fireInstantsOfDay(c, timezone, day, { afterMs, atOrBeforeMs, limit: count - out.length, from: 'end' });
    if (fresh.length > 0) firstDay = Math.max(day - HORIZON_DAYS, floorDay);
    pending = merge(pending, fresh.reverse(), (a, b) => b - a);
    const prev = day > firstDay ? previousMatchingDay(c, day - 1, firstDay) : null;
    // Instants of `prev` and earlier days are all < this; anything at or above it is final.
    const settledFrom = prev === null ? -Infinity : (prev + 1) * DAY_MS + MAX_OFFSET_MS;
    const held: number[] = [];
    for (const t of pending) {
      if (t < settledFrom) held.push(t);
      else if (out.length < count && out[out.length - 1] !== t) out.push(t);
    }
    pending = held;
    day = prev;
  }
  return out;
}

/** `held` and `fresh` are each sorted by `order`; usually `held` is empty and `fresh` is returned as is. */
function merge(held: number[], fresh: number[], order: (a: number, b: number) => number): number[] {
  if (held.length === 0) return fresh;
  return held.concat(fresh).sort(order);
}
