// Which civil days a cron expression runs on, and jumping straight to the next (or previous)
// such day: whole months that the month field excludes are skipped in one step, so `0 0 29 2 *`
// costs a few dozen checks per year instead of a walk over every minute.

import { civilFromDays, daysFromCivil, daysInMonth, weekdayOfDays } from './calendar';
import type { CronExpr } from './parse';

/** A CronExpr as lookup tables and sorted lists, built once per expression. */
export interface CompiledCron {
  readonly expr: CronExpr;
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly month: readonly boolean[]; // index 1-12
  readonly dom: readonly boolean[]; // index 1-31
  readonly dow: readonly boolean[]; // index 0-6
  /** Vixie cron: both day fields restricted → a day matches either; otherwise it must match both. */
  readonly eitherDay: boolean;
}

const compiled = new WeakMap<CronExpr, CompiledCron>();

export function compile(expr: CronExpr): CompiledCron {
  let c = compiled.get(expr);
  if (c === undefined) {
    const table = (set: ReadonlySet<number>, size: number) => {
      const t = new Array<boolean>(size).fill(false);
      for (const v of set) t[v] = true;
      return t;
    };
    c = {
      expr,
      minutes: [...expr.minutes].sort((a, b) => a - b),
      hours: [...expr.hours].sort((a, b) => a - b),
      month: table(expr.months, 13),
      dom: table(expr.daysOfMonth, 32),
      dow: table(expr.daysOfWeek, 7),
      eitherDay: expr.domRestricted && expr.dowRestricted,
    };
    compiled.set(expr, c);
  }
  return c;
}

/** Does the expression run on this civil day (days since 1970-01-01)? */
export function dayMatches(c: CompiledCron, days: number): boolean {
  const { month, day } = civilFromDays(days);
  return c.month[month] && dayOfMonthMatches(c, day, weekdayOfDays(days));
}

function dayOfMonthMatches(c: CompiledCron, day: number, weekday: number): boolean {
  return c.eitherDay ? c.dom[day] || c.dow[weekday] : c.dom[day] && c.dow[weekday];
}

/** The first matching day in [fromDays, toDays], or null. */
export function nextMatchingDay(c: CompiledCron, fromDays: number, toDays: number): number | null {
  let { year, month, day } = civilFromDays(fromDays);
  for (;;) {
    const first = daysFromCivil(year, month, 1);
    if (first > toDays) return null;
    if (c.month[month]) {
      const last = daysInMonth(year, month);
      let weekday = weekdayOfDays(first + day - 1);
      for (let d = day; d <= last; d++) {
        if (dayOfMonthMatches(c, d, weekday)) {
          const found = first + d - 1;
          return found <= toDays ? found : null;
        }
        weekday = weekday === 6 ? 0 : weekday + 1;
      }
    }
    day = 1;
    if (month === 12) {
      month = 1;
      year++;
    } else month++;
  }
}

/** The last matching day in [fromDays, toDays], or null. */
export function previousMatchingDay(c: CompiledCron, toDays: number, fromDays: number): number | null {
  let { year, month, day } = civilFromDays(toDays);
  for (;;) {
    const first = daysFromCivil(year, month, 1);
    if (first + daysInMonth(year, month) - 1 < fromDays) return null;
    if (c.month[month]) {
      let weekday = weekdayOfDays(first + day - 1);
      for (let d = day; d >= 1; d--) {
        if (dayOfMonthMatches(c, d, weekday)) {
          const found = first + d - 1;
          return found >= fromDays ? found : null;
        }
        weekday = weekday === 0 ? 6 : weekday - 1;
      }
    }
    if (month === 1) {
      month = 12;
      year--;
    } else month--;
    day = daysInMonth(year, month);
  }
}
