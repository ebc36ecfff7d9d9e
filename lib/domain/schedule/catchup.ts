// What a schedule should fire now: the worker's decision, as a pure function of the stored
// schedule state and the clock reading it was given.
//
// Due: the fire times in (max(countFrom, lastFireAt), now]. Then, by policy:
//   - `latest`: the most recent due time (a normal tick is the only due one, so it fires).
//   - `all`: every due time, capped to the most recent `catchupLimit`, oldest first.
//   - `none`: only due times that are on time, i.e. within `graceMs` (default 60 s, which should
//     be at least the poll interval) of now. Anything older was missed (downtime, a clock stepped
//     forward) and is dropped — even when it is the only one due: a daily job found 12 hours late
//     is exactly what `none` is for. A normal tick is always on time, so it always fires.
// A clock stepped forward needs no special case: it looks exactly like downtime.
//
// A clock stepped back (lastFireAt > now): the times in (now, lastFireAt] are lived through
// again. We do not wait for the clock to pass lastFireAt (that would silence the schedule for
// as long as the step); the plan fires nothing at the step, re-anchors (lastHandledMs = now) and
// the next fire is the next matching wall-clock minute after now. A nominal time that already
// has a run will come round again; the database's unique (workflow, nominal time) key for
// scheduled runs refuses that second insert, and the worker treats the refusal as "already
// fired". So nothing fires twice, and nothing here depends on lastFireAt being in the past.
//
// countFrom (when the schedule was saved or re-enabled) is honoured strictly: no time at or
// before it ever fires, even if the clock has been stepped back past it.
//
// The worker should plan a schedule when now >= its stored nextFireAt, and also when its stored
// lastFireAt is after now (the clock went back), then store nextFireAtMs and lastHandledMs (passed
// back as lastFireAtMs) in the same transaction as the runs it creates.

import type { CatchupPolicy } from '../types';
import { nextFireTime, previousFireTimes } from './fire-times';
import type { CronExpr } from './parse';

export const DEFAULT_GRACE_MS = 60_000;

export interface PlanInput {
  expr: CronExpr;
  timezone: string;
  catchup: CatchupPolicy;
  /** For `all`: at most this many of the most recent due times (values below 1 count as 1). */
  catchupLimit: number;
  /** When the schedule was saved or re-enabled: nothing at or before it fires. */
  countFromMs: number;
  /** lastHandledMs of the previous plan (null before the first). */
  lastFireAtMs: number | null;
  nowMs: number;
  /** How late a fire time may be and still count as on time for `none`. Default 60 000. */
  graceMs?: number;
}

export interface FirePlan {
  /** Nominal times to fire now, ascending. */
  fire: number[];
  /** The next fire time after now (and after countFrom), or null when there is none. */
  nextFireAtMs: number | null;
  /** Every fire time up to here is decided (fired or dropped): store it, pass it back as lastFireAtMs. Always nowMs. */
  lastHandledMs: number;
  /** lastFireAt was after now: the plan re-anchored on the wall clock (worth a log line). */
  clockSteppedBack: boolean;
}

export function planFires(input: PlanInput): FirePlan {
  const { expr, timezone, catchup, countFromMs, lastFireAtMs, nowMs } = input;
  const graceMs = input.graceMs ?? DEFAULT_GRACE_MS;
  const nextFireAtMs = nextFireTime(expr, timezone, Math.max(nowMs, countFromMs));

  if (lastFireAtMs !== null && lastFireAtMs > nowMs) {
    return { fire: [], nextFireAtMs, lastHandledMs: nowMs, clockSteppedBack: true };
  }

  const dueAfter = Math.max(countFromMs, lastFireAtMs ?? -Infinity);
  let fire: number[] = [];
  if (dueAfter < nowMs) {
    switch (catchup) {
      case 'latest':
        fire = previousFireTimes(expr, timezone, nowMs, 1, dueAfter);
        break;
      case 'all': {
        const limit = Math.max(1, Math.floor(input.catchupLimit) || 1);
        fire = previousFireTimes(expr, timezone, nowMs, limit, dueAfter).reverse();
        break;
      }
      case 'none': {
        const onTimeFrom = nowMs - graceMs;
        fire = previousFireTimes(expr, timezone, nowMs, Infinity, Math.max(dueAfter, onTimeFrom - 1))
          .filter((t) => t >= onTimeFrom)
          .reverse();
        break;
      }
    }
  }
  return { fire, nextFireAtMs, lastHandledMs: nowMs, clockSteppedBack: false };
}
