// Reading requests and writing answers for the /api/v1 router: bodies (size limit, content type,
// strict JSON that refuses duplicate keys, YAML, form posts), queries, and the four kinds of
// answer (JSON, text, stream, redirect).

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { parseDefinitionText } from '../lib/domain/definition';
import { ApiError, badRequest, payloadTooLarge, unsupportedMediaType } from '../lib/server/errors';
import type { BodyFormat, RouteResult } from './route';

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

const MEDIA_TYPES: Record<BodyFormat, string[]> = {
  json: ['application/json'],
  yaml: ['application/yaml', 'application/x-yaml', 'text/yaml'],
  form: ['application/x-www-form-urlencoded'],
};

function formatOf(mediaType: string): BodyFormat | undefined {
  if (mediaType.endsWith('+json')) return 'json';
  for (const [format, types] of Object.entries(MEDIA_TYPES) as [BodyFormat, string[]][]) {
    if (types.includes(mediaType)) return format;
  }
  return undefined;
}

export function mediaTypesOf(formats: BodyFormat[]): string[] {
  return formats.flatMap((f) => MEDIA_TYPES[f]);
}

/** Past the limit, the rest of a body is read and dropped up to this many bytes (so the client gets the 413 rather than a reset); beyond it, the connection is cut. */
const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;

/** Reads the whole body as text, refusing one over `limit` bytes (413) and bytes that are not UTF-8 (400). */
export async function readText(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length']);
  const chunks: Buffer[] = [];
  let size = 0;
  let tooBig = Number.isFinite(declared) && declared > limit;
  if (tooBig && declared > DRAIN_LIMIT_BYTES) throw tooLarge(limit, true);
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) tooBig = true;
    if (size > DRAIN_LIMIT_BYTES) throw tooLarge(limit, true);
    if (!tooBig) chunks.push(chunk);
  }
  if (tooBig) throw tooLarge(limit, false);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw badRequest('the request body is not valid UTF-8 text', undefined, 'invalid_body');
  }
}

function tooLarge(limit: number, closeConnection: boolean): ApiError {
  const e = payloadTooLarge(limit);
  // When the rest of the body is not read, the connection cannot be reused.
  return closeConnection ? new ApiError(e.status, e.code, e.message, undefined, { connection: 'close' }) : e;
}

export interface ParsedBody {
  format: BodyFormat | null;
  value: unknown;
}

/**
 * The body parsed per its Content-Type. Without a Content-Type the body is read as the route's
 * richest accepted format (YAML reads JSON too). An empty body is `undefined`: the schema says
 * whether that is allowed.
 */
export async function readBody(req: IncomingMessage, accepts: BodyFormat[], limit: number): Promise<ParsedBody> {
  const header = req.headers['content-type'];
  const mediaType = header?.split(';')[0].trim().toLowerCase();
  const text = await readText(req, limit);
  if (text.trim() === '') return { format: null, value: undefined };

  let format: BodyFormat | undefined;
  if (mediaType === undefined || mediaType === '') {
    format = accepts.includes('yaml') ? 'yaml' : accepts.includes('json') ? 'json' : undefined;
  } else {
    format = formatOf(mediaType);
  }
  if (format === undefined || !accepts.includes(format)) {
    const accepted = mediaTypesOf(accepts);
    throw unsupportedMediaType(
      `${mediaType ? `Content-Type ${mediaType} is not accepted here` : 'the body has no Content-Type'}; send it as ${accepted.join(', ')}`,
      accepted,
    );
  }
  if (format === 'form') return { format, value: readForm(text) };
  const parsed = parseDefinitionText(text, format);
  if (!parsed.ok) {
    const what = format === 'json' ? 'JSON' : 'YAML';
    const first = parsed.problems[0];
    const at = first.path !== '' ? ` (at ${first.path})` : '';
    throw badRequest(`the body is not valid ${what}: ${first.message}${at}`, parsed.problems, 'invalid_body');
  }
  return { format, value: parsed.value };
}

function readForm(text: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const [key, value] of new URLSearchParams(text)) {
    if (key in out) throw badRequest(`form field '${key}' is given twice; give it once`, undefined, 'invalid_body');
    out[key] = value;
  }
  return { ...out };
}

/** The query as an object: one value per name, a list for a repeated name. */
export function queryObject(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const all = params.getAll(key);
    out[key] = all.length === 1 ? all[0] : all;
  }
  return out;
}

export function issuesToProblems(error: z.ZodError, base: string): { path: string; message: string }[] {
  return error.issues.map((issue) => {
    const path = [base, ...issue.path.map(String)].filter((p) => p !== '').join('.');
    return { path, message: issue.message };
  });
}

/** A zod failure as a 400 whose message names the first offending field. */
export function invalidInput(error: z.ZodError, what: 'body' | 'query', code: string): ApiError {
  const problems = issuesToProblems(error, '');
  const first = problems[0];
  const where = first.path === '' ? `the ${what}` : what === 'query' ? `query parameter ${first.path}` : `body field ${first.path}`;
  return badRequest(`${where}: ${first.message}`, problems, code);
}

// ---- answers ------------------------------------------------------------------------------

const COMMON_HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}): void {
  if (body === undefined) {
    res.writeHead(status, { ...COMMON_HEADERS, ...headers });
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...COMMON_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export async function sendResult(res: ServerResponse, result: RouteResult, signal: AbortSignal): Promise<void> {
  const headers = result.headers ?? {};
  if ('redirect' in result) {
    res.writeHead(result.status, { ...COMMON_HEADERS, location: result.redirect, ...headers });
    res.end();
    return;
  }
  if ('text' in result) {
    const bytes = typeof result.text === 'string' ? Buffer.from(result.text, 'utf8') : result.text;
    res.writeHead(result.status, {
      ...COMMON_HEADERS,
      'content-type': result.contentType ?? 'text/plain; charset=utf-8',
      'content-length': bytes.length,
      ...headers,
    });
    res.end(bytes);
    return;
  }
  if ('stream' in result) {
    await sendStream(res, result.status, result.stream, result.contentType, headers, signal);
    return;
  }
  sendJson(res, result.status, result.body, headers);
}

async function sendStream(
  res: ServerResponse,
  status: number,
  stream: AsyncIterable<string | Uint8Array>,
  contentType: string | undefined,
  headers: Record<string, string | string[]>,
  signal: AbortSignal,
): Promise<void> {
  res.writeHead(status, { ...COMMON_HEADERS, 'content-type': contentType ?? 'text/plain; charset=utf-8', ...headers });
  // Headers go out at once, so a follower sees the answer begin before the first chunk.
  res.flushHeaders();
  const iterator = stream[Symbol.asyncIterator]();
  try {
    while (!signal.aborted) {
      const next = await iterator.next();
      if (next.done) break;
      if (signal.aborted) break;
      if (!res.write(next.value)) await drained(res, signal);
    }
  } finally {
    if (signal.aborted) await iterator.return?.();
  }
  if (!signal.aborted) res.end();
}

function drained(res: ServerResponse, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    res.on('drain', done);
    signal.addEventListener('abort', done);
  });
}
