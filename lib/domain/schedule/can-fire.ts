// Whether a cron expression can ever fire, by calendar alone.
//
// Minutes and hours always have at least one value, so only the day fields can rule out every
// day. When both day fields are restricted a day matches either, and the day-of-week alone
// matches some day of every month. Otherwise a day must match both: a `*`-led day-of-week set is
// never empty, and every date that exists falls on every weekday within the 400-year Gregorian
// cycle (Feb 29 included), so the expression fires iff some allowed month has an allowed day.
// (A wildcard job whose every time lies in a daylight-saving gap is not caught here: that
// depends on the zone, and then the fire-time search simply finds nothing.)

import { MAX_DAYS_IN_MONTH } from './calendar';
import type { CronExpr } from './parse';

export function canEverFire(expr: CronExpr): boolean {
  if (expr.domRestricted && expr.dowRestricted) return expr.daysOfWeek.size > 0 && expr.months.size > 0;
  if (expr.daysOfWeek.size === 0) return false;
  for (const month of expr.months) {
    for (const day of expr.daysOfMonth) if (day <= MAX_DAYS_IN_MONTH[month - 1]) return true;
  }
  return false;
}

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Why `expr` never fires, in words a user can act on (call only when canEverFire is false). */
export function neverFiresMessage(expr: CronExpr): string {
  const months = [...expr.months].sort((a, b) => a - b).map((m) => MONTH_NAMES[m - 1]);
  const monthText = months.length === 1 ? months[0] : `${months.slice(0, -1).join(', ')} or ${months[months.length - 1]}`;
  const longest = Math.max(...[...expr.months].map((m) => MAX_DAYS_IN_MONTH[m - 1]));
  return (
    `'${expr.source}' can never fire: day-of-month '${expr.fields[2]}' never occurs in ${monthText}` +
    ` (at most ${longest} days); pick days that exist in those months`
  );
}
