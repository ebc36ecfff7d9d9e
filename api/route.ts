// What a route of the /api/v1 router is: method, path, who may call it, the zod schemas of its
// input and output (the router validates input with them and the OpenAPI document is generated
// from them) and a handler. Routes live in api/routes/*.ts; the lead's run routes come in through
// ApiContext.routes, declared the same way with defineRoute.

import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import type { Principal } from '../lib/server/auth/principal';
import type { Database } from '../lib/server/db/client';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
/** How a request body may come: JSON, YAML (application/yaml, application/x-yaml, text/yaml), or an HTML form post. */
export type BodyFormat = 'json' | 'yaml' | 'form';
/** `public`: anyone (principal is null); `user`: a signed-in user, by Bearer token or session cookie (401 otherwise). */
export type RouteAuth = 'public' | 'user';

export interface ApiContext {
  db: Database;
  /** The clock, ms since the epoch (tests pass a fake one). */
  now: () => number;
  /** COURSE_PUBLIC_URL: the base of links Course hands out. */
  publicUrl: string;
  /** The site secret: decodes the browser's next-auth session cookie. Without it only Bearer tokens authenticate. */
  secret?: string;
  /** Told about changes that concern open sockets (a user disabled, a membership changed): web/live-hub.ts drops and re-checks them. */
  onAccessChanged?: (userIds: number[]) => void;
  /** Extra routes (runs, output) declared with defineRoute, served and documented like the built-in ones. */
  routes?: AnyRoute[];
  /** Where 5xx errors are logged; default console.error. */
  log?: (message: string, error?: unknown) => void;
  /** Check every JSON response against its route's `response` schema (tests turn this on; a mismatch is a 500). */
  checkResponses?: boolean;
  /** Request body limit in bytes for routes that set none (default 1 MiB). */
  maxBodyBytes?: number;
}

export interface RouteRequest<Auth extends RouteAuth, Params, Query, Body> {
  /** Path parameters (`:id` in the path), decoded; checked by `params` when given. */
  params: Params;
  query: Query;
  /** Undefined for an empty body. */
  body: Body;
  principal: Auth extends 'user' ? Principal : null;
  /** The format the body came in (null without a body). */
  format: BodyFormat | null;
  raw: IncomingMessage;
  /** Aborted when the client goes away: a streaming handler stops there. */
  signal: AbortSignal;
}

type Headers = Record<string, string | string[]>;

/** A JSON answer (`body` undefined → no content). */
export interface JsonResult {
  status: number;
  body?: unknown;
  headers?: Headers;
}
/** A text answer sent whole. */
export interface TextResult {
  status: number;
  text: string | Uint8Array;
  contentType?: string;
  headers?: Headers;
}
/** A streamed text answer (e.g. `logs --follow`): each chunk is written as it comes, until the iterable ends or the client leaves. */
export interface StreamResult {
  status: number;
  stream: AsyncIterable<string | Uint8Array>;
  contentType?: string;
  headers?: Headers;
}
/** A redirect (303 after a form post). */
export interface RedirectResult {
  status: 301 | 302 | 303 | 307 | 308;
  redirect: string;
  headers?: Headers;
}
export type RouteResult = JsonResult | TextResult | StreamResult | RedirectResult;

type Schema = z.ZodType;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;
type ParamsOut<S> = S extends z.ZodType ? z.output<S> : Record<string, string>;

export interface RouteDef<Auth extends RouteAuth = RouteAuth, P extends Schema | undefined = undefined, Q extends Schema | undefined = undefined, B extends Schema | undefined = undefined> {
  method: HttpMethod;
  /** Below /api/v1, with `:name` parameters: '/runs/:id/cancel'. */
  path: string;
  auth: Auth;
  /** One line for the OpenAPI document. */
  summary: string;
  description?: string;
  /** OpenAPI tag; default the path's first segment. */
  tag?: string;
  /** Checks the path parameters (a failure is a 404: no such thing at that path). */
  params?: P;
  /** Checks the query (a failure is a 400 naming the parameter). */
  query?: Q;
  /** Checks the body (a failure is a 400 naming the field). A route without `body` never reads one. */
  body?: B;
  /** false: `body` only documents; the handler checks the parsed value itself (definitions: the domain's messages are better). */
  validateBody?: boolean;
  /** Body formats accepted (default ['json']); anything else is a 415. */
  accepts?: BodyFormat[];
  /** Body limit in bytes (default ApiContext.maxBodyBytes, 1 MiB). */
  maxBodyBytes?: number;
  /** The success answer: status (default 200) and either a JSON schema or a text type. */
  response?: Schema;
  status?: number;
  /** For text answers: its content type in the OpenAPI document (e.g. 'text/plain'). */
  produces?: string;
  /** Error statuses worth documenting beyond 400/401/500 (e.g. [403, 404, 409]). */
  errors?: number[];
  handler: (ctx: ApiContext, req: RouteRequest<Auth, ParamsOut<P>, Out<Q>, Out<B>>) => Promise<RouteResult>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRoute = RouteDef<RouteAuth, any, any, any>;

/** Declares a route with its handler's request typed from the schemas. */
export function defineRoute<Auth extends RouteAuth, P extends Schema | undefined = undefined, Q extends Schema | undefined = undefined, B extends Schema | undefined = undefined>(
  def: RouteDef<Auth, P, Q, B>,
): AnyRoute {
  return def as AnyRoute;
}
