// One gate for "is this schedule usable": a save (definition/schedule-block.ts) and
// GET /schedules/preview both call it, so they refuse exactly the same things.

import type { Problem, Result } from '../types';
import { canEverFire, neverFiresMessage } from './can-fire';
import { parseCron, type CronExpr } from './parse';
import { isValidTimeZone } from './timezone';

const CRON_PATH = 'schedule.cron';
const TIMEZONE_PATH = 'schedule.timezone';

/** The parsed expression, or every problem with cron (at `schedule.cron`) and zone (at `schedule.timezone`). */
export function compileSchedule(cron: string, timezone: string): Result<CronExpr> {
  const problems: Problem[] = [];
  const parsed = parseCron(cron);
  if (!parsed.ok) problems.push(...parsed.problems);
  else if (!canEverFire(parsed.value)) problems.push({ path: CRON_PATH, message: neverFiresMessage(parsed.value) });
  if (!isValidTimeZone(timezone)) {
    problems.push({
      path: TIMEZONE_PATH,
      message: `unknown time zone ${JSON.stringify(timezone)}: use an IANA name such as UTC, Europe/London or America/New_York`,
    });
  }
  if (problems.length > 0 || !parsed.ok) return { ok: false, problems };
  return { ok: true, value: parsed.value };
}

/** The problems compileSchedule reports; [] when the schedule is usable. */
export function validateSchedule(cron: string, timezone: string): Problem[] {
  const r = compileSchedule(cron, timezone);
  return r.ok ? [] : r.problems;
}
