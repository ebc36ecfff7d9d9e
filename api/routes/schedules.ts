// GET /schedules/preview: the next fire times of a cron expression in a zone, refused exactly as
// a save would refuse the schedule (the schedule module's one gate).

import { SchedulePreview, SchedulePreviewQuery } from '../../lib/contracts/api';
import { previewFireTimes } from '../../lib/domain/schedule';
import { badRequest } from '../../lib/server/errors';
import { defineRoute } from '../route';

/** `after` as an ISO 8601 instant (a zone or Z required) or milliseconds since the epoch. */
export function parseInstant(text: string): number | null {
  if (/^-?\d+$/.test(text)) return Number(text);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : null;
}

export const scheduleRoutes = [
  defineRoute({
    method: 'GET',
    path: '/schedules/preview',
    auth: 'user',
    summary: 'The next fire times of a schedule (what the editor shows under it)',
    description: 'Validates as a save does: 400 for bad syntax, an unknown zone, or an expression that can never fire.',
    query: SchedulePreviewQuery,
    response: SchedulePreview,
    async handler(ctx, { query }) {
      let after = ctx.now();
      if (query.after !== undefined) {
        const parsed = parseInstant(query.after);
        if (parsed === null) {
          const message = `after must be an ISO 8601 instant such as 2026-01-31T00:00:00Z (or ms since the epoch); got ${JSON.stringify(query.after)}`;
          throw badRequest(`query parameter after: ${message}`, [{ path: 'after', message }], 'invalid_query');
        }
        after = parsed;
      }
      const preview = previewFireTimes(query.cron, query.timezone, after, query.count);
      if (!preview.ok) {
        const problems = preview.problems.map((p) => ({ path: p.path.replace(/^schedule\./, ''), message: p.message }));
        throw badRequest(`${problems[0].path ? `${problems[0].path}: ` : ''}${problems[0].message}`, problems, 'invalid_schedule');
      }
      return { status: 200, body: { fireTimes: preview.value } };
    },
  }),
];
