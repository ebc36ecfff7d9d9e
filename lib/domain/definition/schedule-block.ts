// The `schedule` block: policies with their defaults here; whether the cron expression and the
// time zone make sense (syntax, a real IANA zone, an expression that can ever fire) is the
// schedule module's call, so a save and GET /schedules/preview refuse exactly the same things.

import { validateSchedule } from '../schedule/index';
import type { CatchupPolicy, OverlapPolicy, Problem, ScheduleSpec } from '../types';
import { isGiven, isRawObject, readInteger, readOneOf, readString, refuseUnknownKeys, show } from './read';
import { joinPath } from './source-position';

const SCHEDULE_KEYS = ['cron', 'timezone', 'catchup', 'catchupLimit', 'overlap', 'enabled'] as const;
const CATCHUP: readonly CatchupPolicy[] = ['none', 'latest', 'all'];
const OVERLAP: readonly OverlapPolicy[] = ['skip', 'allow', 'queue'];

export const SCHEDULE_DEFAULTS = {
  timezone: 'UTC',
  catchup: 'latest',
  catchupLimit: 100,
  overlap: 'skip',
  enabled: true,
} as const satisfies Omit<ScheduleSpec, 'cron'>;

export function readSchedule(value: unknown, path: string, problems: Problem[]): ScheduleSpec | undefined {
  if (!isGiven(value)) return undefined;
  if (!isRawObject(value)) {
    problems.push({ path, message: `schedule must be a mapping such as { cron: "30 2 * * *", timezone: Europe/London }; got ${show(value)}` });
    return undefined;
  }
  refuseUnknownKeys(value, SCHEDULE_KEYS, 'in schedule', path, problems);

  const cron = readString(value, 'cron', path, problems, { nonEmpty: true });
  if (!isGiven(value.cron)) {
    problems.push({ path: joinPath(path, 'cron'), message: 'cron is required: five fields (minute hour day-of-month month day-of-week), e.g. "30 2 * * *"' });
  }
  const timezone = readString(value, 'timezone', path, problems, { nonEmpty: true }) ?? (isGiven(value.timezone) ? undefined : SCHEDULE_DEFAULTS.timezone);
  const catchup = readOneOf(value, 'catchup', CATCHUP, path, problems) ?? SCHEDULE_DEFAULTS.catchup;
  const catchupLimit = readInteger(value, 'catchupLimit', 1, Number.MAX_SAFE_INTEGER, path, problems) ?? SCHEDULE_DEFAULTS.catchupLimit;
  const overlap = readOneOf(value, 'overlap', OVERLAP, path, problems) ?? SCHEDULE_DEFAULTS.overlap;
  let enabled: boolean = SCHEDULE_DEFAULTS.enabled;
  if (isGiven(value.enabled)) {
    if (typeof value.enabled === 'boolean') enabled = value.enabled;
    else problems.push({ path: joinPath(path, 'enabled'), message: `enabled must be true or false; got ${show(value.enabled)}` });
  }

  if (cron === undefined || timezone === undefined) return undefined;
  for (const p of validateSchedule(cron, timezone)) {
    problems.push({ path: schedulePath(path, p.path), message: p.message });
  }
  return { cron, timezone, catchup, catchupLimit, overlap, enabled };
}

/** The schedule module names `cron` or `timezone` (or nothing); here that sits under `schedule`. */
function schedulePath(base: string, inner: string): string {
  if (inner === '') return base;
  if (inner === base || inner.startsWith(`${base}.`)) return inner;
  return joinPath(base, inner);
}
