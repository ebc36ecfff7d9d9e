// The /api/v1 router, served by server.ts as a plain Node handler next to Next.js (why:
// docs/decisions/api-outside-next.md). For each request: match the route (404, or 405 with
// Allow), authenticate (401), check path/query/body with the route's schemas (400, 413, 415),
// call the handler, and answer; an ApiError becomes `{ error: { code, message, details? } }`
// with its status, anything else a logged 500 `internal`.

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticate, requireSignedIn } from '../lib/server/auth/principal';
import { ApiError, isApiError, methodNotAllowed, notFound } from '../lib/server/errors';
import { DEFAULT_MAX_BODY_BYTES, invalidInput, issuesToProblems, queryObject, readBody, sendJson, sendResult } from './http';
import type { AnyRoute, ApiContext, BodyFormat, HttpMethod, RouteResult } from './route';
import { builtinRoutes } from './routes';

export { defineRoute } from './route';
export type { AnyRoute, ApiContext, BodyFormat, HttpMethod, RouteAuth, RouteDef, RouteRequest, RouteResult } from './route';

export const API_PREFIX = '/api/v1';

interface Compiled {
  pattern: string;
  segments: ({ literal: string } | { param: string })[];
  byMethod: Map<HttpMethod, AnyRoute>;
}

/** Routes sharing a path pattern, most specific first: a literal segment beats a parameter. */
export function compileRoutes(routes: AnyRoute[]): Compiled[] {
  const byPattern = new Map<string, Compiled>();
  for (const route of routes) {
    if (!route.path.startsWith('/')) throw new Error(`route path must start with '/': ${route.path}`);
    const segments = route.path
      .split('/')
      .filter((s) => s !== '')
      .map((s) => (s.startsWith(':') ? { param: s.slice(1) } : { literal: s }));
    const pattern = segments.map((s) => ('param' in s ? ':' : s.literal)).join('/');
    let compiled = byPattern.get(pattern);
    if (!compiled) {
      compiled = { pattern, segments, byMethod: new Map() };
      byPattern.set(pattern, compiled);
    }
    if (compiled.byMethod.has(route.method)) throw new Error(`two routes for ${route.method} ${route.path}`);
    compiled.byMethod.set(route.method, route);
  }
  const rank = (c: Compiled) => c.segments.map((s) => ('param' in s ? '1' : '0')).join('');
  return [...byPattern.values()].sort((a, b) => (rank(a) < rank(b) ? -1 : rank(a) > rank(b) ? 1 : 0));
}

export function matchRoute(compiled: Compiled[], parts: string[]): { entry: Compiled; params: Record<string, string> } | undefined {
  for (const entry of compiled) {
    if (entry.segments.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < parts.length && ok; i++) {
      const seg = entry.segments[i];
      if ('literal' in seg) ok = seg.literal === parts[i];
      else params[seg.param] = parts[i];
    }
    if (ok) return { entry, params };
  }
  return undefined;
}

function splitPath(pathname: string): string[] {
  const rest = pathname.slice(API_PREFIX.length);
  return rest
    .split('/')
    .filter((s) => s !== '')
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        throw notFound(`no such path: ${pathname} (it is not valid percent-encoding)`);
      }
    });
}

export function createApiHandler(ctx: ApiContext): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const routes: AnyRoute[] = [...builtinRoutes(() => routes), ...(ctx.routes ?? [])];
  const compiled = compileRoutes(routes);
  const log = ctx.log ?? ((message: string, error?: unknown) => console.error(message, error ?? ''));

  return async function handle(req, res) {
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    const method = (req.method ?? 'GET').toUpperCase();
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      url = new URL('http://localhost/-invalid-url-');
    }
    try {
      if (url.pathname !== API_PREFIX && !url.pathname.startsWith(`${API_PREFIX}/`)) {
        throw notFound(`no such path: ${url.pathname}; the API is under ${API_PREFIX}`);
      }
      const found = matchRoute(compiled, splitPath(url.pathname));
      if (!found) throw notFound(`no such path: ${url.pathname}; see ${API_PREFIX}/openapi.json`, undefined, 'no_route');
      const route = found.entry.byMethod.get(method as HttpMethod);
      if (!route) throw methodNotAllowed(method, [...found.entry.byMethod.keys()]);

      const now = ctx.now();
      const principal = route.auth === 'user' ? requireSignedIn(await authenticate(ctx.db, req, now, { secret: ctx.secret })) : null;

      let params: unknown = found.params;
      if (route.params) {
        const r = route.params.safeParse(found.params);
        if (!r.success) throw notFound(`no such path: ${url.pathname} (${issuesToProblems(r.error, '')[0].message})`);
        params = r.data;
      }

      let query: unknown = undefined;
      if (route.query) {
        const r = route.query.safeParse(queryObject(url.searchParams));
        if (!r.success) throw invalidInput(r.error, 'query', 'invalid_query');
        query = r.data;
      }

      let body: unknown = undefined;
      let format: BodyFormat | null = null;
      if (route.body) {
        const parsed = await readBody(req, route.accepts ?? ['json'], route.maxBodyBytes ?? ctx.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
        format = parsed.format;
        body = parsed.value;
        if (route.validateBody !== false) {
          const r = route.body.safeParse(body);
          if (!r.success) throw invalidInput(r.error, 'body', 'invalid_body');
          body = r.data;
        }
      }

      const result: RouteResult = await route.handler(ctx, {
        params,
        query,
        body,
        principal,
        format,
        raw: req,
        signal: controller.signal,
      } as Parameters<AnyRoute['handler']>[1]);

      if (ctx.checkResponses && route.response && 'body' in result && result.body !== undefined && result.status < 300) {
        const r = route.response.safeParse(result.body);
        if (!r.success) throw new Error(`response of ${route.method} ${route.path} does not match its schema: ${JSON.stringify(issuesToProblems(r.error, ''))}`);
      }
      await sendResult(res, result, controller.signal);
    } catch (e) {
      sendError(res, e, `${method} ${url.pathname}`, log);
    }
  };
}

/** Prisma's "unique constraint failed": two writers raced for the same name; the caller may retry. */
function isUniqueViolation(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'P2002';
}

function sendError(res: ServerResponse, e: unknown, what: string, log: (message: string, error?: unknown) => void): void {
  let error: ApiError;
  if (isApiError(e)) {
    error = e;
  } else if (isUniqueViolation(e)) {
    log(`${what}: unique constraint (a concurrent change?)`, e);
    error = new ApiError(409, 'conflict', 'a concurrent change got there first; retry the request');
  } else {
    const id = randomUUID();
    log(`${what}: internal error ${id}`, e);
    error = new ApiError(500, 'internal', `internal error (logged as ${id}); this is a bug in Course`);
  }
  if (res.headersSent) {
    // A stream broke after its headers went out: all that can be done is to cut it.
    if (!isApiError(e)) res.destroy();
    else res.end();
    return;
  }
  sendJson(res, error.status, error.toBody(), error.headers);
}
