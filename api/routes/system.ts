// The routes about Course itself: health, the OpenAPI document, executors.

import { readFileSync } from 'node:fs';
import { ExecutorList, ExecutorTokenRequest, ExecutorTokenResponse, Health } from '../../lib/contracts/api';
import { createExecutorToken, listExecutors } from '../../lib/server/executors';
import { buildOpenApi } from '../openapi';
import { defineRoute, type AnyRoute, type ApiContext } from '../route';

export const WORKER_HEARTBEAT_SETTING = 'worker.heartbeat';

const VERSION = (() => {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
})();

/** A worker heartbeat older than this is `stale`: several missed beats, never one slow one. */
function workerStaleMs(): number {
  const beat = Number(process.env.COURSE_HEARTBEAT_MS);
  return Math.max(15_000, 5 * (Number.isFinite(beat) && beat > 0 ? beat : 2000));
}

async function readHealth(ctx: ApiContext): Promise<{ ok: boolean; body: Health }> {
  const body: Health = { web: 'ok', database: 'ok', worker: { state: 'unknown', lastSeenAt: null }, executors: { online: 0, lost: 0 } };
  try {
    const [beat, executors] = await Promise.all([
      ctx.db.prisma.setting.findUnique({ where: { key: WORKER_HEARTBEAT_SETTING } }),
      ctx.db.prisma.executor.groupBy({ by: ['state'], _count: { _all: true } }),
    ]);
    const seen = beat ? Date.parse(beat.value) : NaN;
    if (Number.isFinite(seen)) {
      body.worker = { state: ctx.now() - seen > workerStaleMs() ? 'stale' : 'ok', lastSeenAt: new Date(seen).toISOString() };
    }
    for (const e of executors) {
      if (e.state === 'online') body.executors.online += e._count._all;
      else body.executors.lost += e._count._all;
    }
    return { ok: true, body };
  } catch (e) {
    body.database = `unavailable: ${(e as Error).message.split('\n')[0].slice(0, 200)}`;
    return { ok: false, body };
  }
}

export function systemRoutes(allRoutes: () => AnyRoute[]): AnyRoute[] {
  let openapi: object | undefined;
  return [
    defineRoute({
      method: 'GET',
      path: '/health',
      auth: 'public',
      summary: 'Health of web, database, worker and executors (503 when the database cannot be read)',
      response: Health,
      errors: [503],
      async handler(ctx) {
        const health = await readHealth(ctx);
        return { status: health.ok ? 200 : 503, body: health.body };
      },
    }),

    defineRoute({
      method: 'GET',
      path: '/openapi.json',
      auth: 'public',
      tag: 'meta',
      summary: 'This document: OpenAPI 3.1, generated from the routes’ schemas',
      async handler(ctx) {
        openapi ??= buildOpenApi(allRoutes(), { publicUrl: ctx.publicUrl, version: VERSION });
        return { status: 200, body: openapi };
      },
    }),

    defineRoute({
      method: 'GET',
      path: '/executors',
      auth: 'user',
      summary: 'Executors: state, labels, capacity, last contact, and the attempts they run',
      response: ExecutorList,
      async handler(ctx, { principal }) {
        return { status: 200, body: await listExecutors(ctx.db, principal) };
      },
    }),

    defineRoute({
      method: 'POST',
      path: '/executors/tokens',
      auth: 'user',
      summary: 'Create a token for a new executor (site admins); the token is shown only in this answer',
      body: ExecutorTokenRequest,
      status: 201,
      response: ExecutorTokenResponse,
      errors: [403],
      async handler(ctx, { principal, body }) {
        return { status: 201, body: await createExecutorToken(ctx.db, principal, body, ctx.now()) };
      },
    }),
  ];
}
