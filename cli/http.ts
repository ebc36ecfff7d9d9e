// The API client: one place that knows the base path, the token, and how every kind of failure
// (unreachable server, 401, the API's error bodies, a non-JSON answer) becomes one readable
// CliError. Uses the global fetch (Node 20).

import { CliError } from './errors';
import { formatDetails } from './format';

export const DEFAULT_URL = 'http://localhost:3000';
export const AUTH_ADVICE = 'token missing or invalid: run `course token` and set COURSE_TOKEN';
/** Ordinary requests; streams (`logs --follow`) have no limit. */
const REQUEST_TIMEOUT_MS = 30_000;

export interface ClientOptions {
  url: string;
  token?: string;
  fetch?: typeof fetch;
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is, e.g. a definition file in its own format. */
  text?: { body: string; contentType: string };
  /** For POST /auth/token, where a 401 means a wrong password, not a missing token. */
  noAuthAdvice?: boolean;
  /** No timeout, and the caller reads the body (see stream). */
  streaming?: boolean;
}

export class ApiError extends CliError {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
    lines: string[],
  ) {
    super(message, undefined, lines);
  }
}

/** Checks and normalises a server address: http(s), no trailing slash. */
export function normaliseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CliError(`server address '${raw}' is not a URL; set COURSE_URL or --url to e.g. ${DEFAULT_URL}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliError(`server address '${raw}' must start with http:// or https://`);
  }
  return url.href.replace(/\/+$/, '');
}

export class Client {
  readonly url: string;
  private readonly token: string | undefined;
  private readonly fetch: typeof fetch;

  constructor(opts: ClientOptions) {
    this.url = normaliseUrl(opts.url);
    this.token = opts.token || undefined;
    this.fetch = opts.fetch ?? globalThis.fetch;
  }

  /** A JSON request; resolves with the parsed body (undefined for an empty one). */
  async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<{ status: number; body: T }> {
    const res = await this.send(method, path, opts);
    const text = await res.text();
    if (text.trim() === '') return { status: res.status, body: undefined as T };
    try {
      return { status: res.status, body: JSON.parse(text) as T };
    } catch {
      throw new CliError(`the server at ${this.url} answered ${method} ${path} with something that is not JSON (HTTP ${res.status})`);
    }
  }

  /** A request whose body the caller reads as it arrives. Errors are thrown as for request. */
  stream(path: string, query: RequestOptions['query']): Promise<Response> {
    return this.send('GET', path, { query, streaming: true });
  }

  private async send(method: string, path: string, opts: RequestOptions): Promise<Response> {
    const target = new URL(`${this.url}/api/v1${path}`);
    for (const [k, v] of Object.entries(opts.query ?? {})) {
      if (v !== undefined && v !== '') target.searchParams.set(k, String(v));
    }
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    let body: string | undefined;
    if (opts.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.json);
    } else if (opts.text) {
      headers['content-type'] = opts.text.contentType;
      body = opts.text.body;
    }

    let res: Response;
    try {
      res = await this.fetch(target, {
        method,
        headers,
        body,
        signal: opts.streaming ? undefined : AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (e) {
      throw new CliError(unreachableMessage(this.url, e));
    }
    if (!res.ok) throw await errorFrom(res, this.url, opts);
    return res;
  }
}

/** One line that names the URL and, when known, why it could not be reached. */
export function unreachableMessage(url: string, e: unknown): string {
  const err = e as { name?: string; cause?: { code?: string; message?: string }; message?: string };
  if (err?.name === 'TimeoutError') return `no answer from Course at ${url} within ${REQUEST_TIMEOUT_MS / 1000}s`;
  const code = err?.cause?.code;
  const why: Record<string, string> = {
    ECONNREFUSED: 'connection refused; is the server running? (set COURSE_URL or --url)',
    ENOTFOUND: 'host not found (check COURSE_URL or --url)',
    EAI_AGAIN: 'host not found (check COURSE_URL or --url)',
    ECONNRESET: 'the connection was reset',
    ETIMEDOUT: 'the connection timed out',
    EHOSTUNREACH: 'host unreachable',
  };
  const detail = (code && why[code]) ?? err?.cause?.message ?? err?.message ?? String(e);
  return `cannot reach Course at ${url}: ${detail}`;
}

async function errorFrom(res: Response, url: string, opts: RequestOptions): Promise<CliError> {
  let parsed: { error?: { code?: string; message?: string; details?: unknown } } | undefined;
  try {
    parsed = JSON.parse(await res.text());
  } catch {
    parsed = undefined;
  }
  const err = parsed?.error;
  if (res.status === 401 && !opts.noAuthAdvice) return new ApiError(401, err?.code, AUTH_ADVICE, []);
  const message = err?.message || `the server at ${url} answered HTTP ${res.status} ${res.statusText}`.trim();
  return new ApiError(res.status, err?.code, message, formatDetails(err?.details));
}
