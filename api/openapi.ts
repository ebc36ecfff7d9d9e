// GET /api/v1/openapi.json: an OpenAPI 3.1 document made from the route definitions themselves
// (their zod schemas through z.toJSONSchema), so every route is listed, the lead's included, and
// the document cannot drift from what the router checks.

import { z } from 'zod';
import { ErrorBody } from '../lib/contracts/api';
import { mediaTypesOf } from './http';
import type { AnyRoute } from './route';

type JsonSchema = Record<string, unknown>;

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No content',
  303: 'See other',
  400: 'The request is malformed (body, query); the message says where',
  401: 'Not signed in, or the token is not valid (the message says why)',
  403: 'Signed in but lacking the role needed (the message names it)',
  404: 'Not found (also for things in groups the caller is not a member of)',
  405: 'Method not allowed (see Allow)',
  409: 'Conflicts with the current state (the message names what)',
  413: 'The body is too large',
  415: 'The body’s Content-Type is not accepted',
  422: 'The input is well-formed but not valid (details: a list of { path, message })',
};

function toSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const out = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  delete out.$schema;
  return out;
}

export function openApiPath(path: string): string {
  return `/api/v1${path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}')}`;
}

function operationId(route: AnyRoute): string {
  const words = route.path
    .split('/')
    .filter(Boolean)
    .map((s) => (s.startsWith(':') ? `by-${s.slice(1)}` : s));
  return [route.method.toLowerCase(), ...words]
    .join('-')
    .replace(/[^A-Za-z0-9]+(.)/g, (_, c: string) => c.toUpperCase());
}

function parameters(route: AnyRoute): JsonSchema[] {
  const params: JsonSchema[] = [];
  const pathSchema = route.params ? toSchema(route.params, 'input') : undefined;
  for (const m of route.path.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)) {
    const name = m[1];
    const props = pathSchema?.properties as Record<string, JsonSchema> | undefined;
    params.push({ name, in: 'path', required: true, schema: props?.[name] ?? { type: 'string' } });
  }
  if (route.query) {
    const schema = toSchema(route.query, 'input');
    const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((schema.required as string[] | undefined) ?? []);
    for (const [name, prop] of Object.entries(props)) {
      const { description, ...rest } = prop;
      params.push({
        name,
        in: 'query',
        required: required.has(name) && !('default' in prop),
        ...(typeof description === 'string' && { description }),
        schema: rest,
      });
    }
  }
  return params;
}

function responses(route: AnyRoute): Record<string, JsonSchema> {
  const status = route.status ?? 200;
  const out: Record<string, JsonSchema> = {};
  if (route.produces) {
    out[status] = { description: STATUS_TEXT[status] ?? 'OK', content: { [route.produces]: { schema: { type: 'string' } } } };
  } else if (route.response) {
    out[status] = { description: STATUS_TEXT[status] ?? 'OK', content: { 'application/json': { schema: toSchema(route.response, 'output') } } };
  } else {
    out[status] = { description: STATUS_TEXT[status] ?? 'OK' };
  }
  const errorRef = { $ref: '#/components/schemas/Error' };
  const errors = new Set<number>([
    ...(route.body || route.query ? [400] : []),
    ...(route.auth === 'user' ? [401] : []),
    ...(route.body ? [413, 415] : []),
    ...(route.errors ?? []),
  ]);
  for (const code of [...errors].sort((a, b) => a - b)) {
    out[code] = { description: STATUS_TEXT[code] ?? 'Error', content: { 'application/json': { schema: errorRef } } };
  }
  out.default = { description: 'Any other error (a 5xx is a bug)', content: { 'application/json': { schema: errorRef } } };
  return out;
}

export function buildOpenApi(routes: AnyRoute[], opts: { publicUrl: string; version: string }): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const path = openApiPath(route.path);
    const op: JsonSchema = {
      operationId: operationId(route),
      summary: route.summary,
      ...(route.description && { description: route.description }),
      tags: [route.tag ?? route.path.split('/')[1] ?? 'api'],
      security: route.auth === 'user' ? [{ bearerAuth: [] }, { sessionCookie: [] }] : [],
    };
    const params = parameters(route);
    if (params.length > 0) op.parameters = params;
    if (route.body) {
      const schema = toSchema(route.body, 'input');
      const content: Record<string, JsonSchema> = {};
      for (const type of mediaTypesOf(route.accepts ?? ['json'])) content[type] = { schema };
      op.requestBody = { required: !route.body.safeParse(undefined).success, content };
    }
    op.responses = responses(route);
    (paths[path] ??= {})[route.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Course API',
      version: opts.version,
      description: 'The Course workflow manager’s API. Errors are `{ "error": { "code", "message", "details"? } }`.',
    },
    servers: [{ url: opts.publicUrl }],
    paths,
    components: {
      schemas: { Error: toSchema(ErrorBody, 'output') },
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'A token from POST /api/v1/auth/token' },
        sessionCookie: { type: 'apiKey', in: 'cookie', name: 'next-auth.session-token', description: 'The browser session: set by signing in at /login (next-auth; named __Secure-next-auth.session-token over https)' },
      },
    },
  };
}
