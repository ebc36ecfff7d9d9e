// GET /schedules/preview: the next fire times of a cron expression, validated exactly as a save
// validates it (compileSchedule), so what the editor previews is what a save accepts.
// Problems name the query parameters (`cron`, `timezone`, `count`, `after`), not `schedule.*`.

import type { Problem, Result } from '../types';
import { nextFireTimes } from './fire-times';
import { localIso, utcIso } from './iso';
import { compileSchedule } from './validate';

export const PREVIEW_DEFAULT_COUNT = 5;
export const PREVIEW_MAX_COUNT = 100;

export interface PreviewFireTime {
  /** `2026-03-29T01:00:00Z` */
  utc: string;
  /** `2026-03-29T03:00:00+02:00` */
  local: string;
}

// Date's range; beyond it no instant can be read or written.
const MAX_INSTANT = 8.64e15;

export function previewFireTimes(
  cron: string,
  timezone: string,
  afterMs: number,
  count: number = PREVIEW_DEFAULT_COUNT,
): Result<PreviewFireTime[]> {
  const problems: Problem[] = [];
  const compiled = compileSchedule(cron, timezone);
  if (!compiled.ok) {
    for (const p of compiled.problems) problems.push({ path: p.path.replace(/^schedule\./, ''), message: p.message });
  }
  if (!Number.isInteger(count) || count < 1 || count > PREVIEW_MAX_COUNT) {
    problems.push({ path: 'count', message: `count must be a whole number from 1 to ${PREVIEW_MAX_COUNT}; got ${String(count)}` });
  }
  if (typeof afterMs !== 'number' || !Number.isFinite(afterMs) || Math.abs(afterMs) > MAX_INSTANT) {
    problems.push({ path: 'after', message: `after must be a date-time such as 2026-03-29T00:00:00Z; got ${String(afterMs)}` });
  }
  if (!compiled.ok || problems.length > 0) return { ok: false, problems };

  const times = nextFireTimes(compiled.value, timezone, afterMs, count);
  return { ok: true, value: times.map((t) => ({ utc: utcIso(t), local: localIso(t, timezone) })) };
}
