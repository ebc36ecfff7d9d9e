'use client';
// The small typed client of /api/v1 every page uses: same-origin fetch with the browser's session
// cookie. A failure is thrown as an ApiFailure carrying the API's error body
// ({ error: { code, message, details? } }); a 401 sends the browser to /login (and still throws,
// so callers stop). Pages never check permissions themselves: the API's answer is the truth.

/** What the API said when it refused (or what went wrong on the way there). */
export class ApiFailure extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiFailure';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** One `{ path, message }` problem from an error's `details`, when the API gave a list of them. */
export interface ApiProblem {
  path: string;
  message: string;
}

/** The `details` of a failure as a list of problems ([] when it is not one). */
export function problemsOf(failure: unknown): ApiProblem[] {
  if (!(failure instanceof ApiFailure) || !Array.isArray(failure.details)) return [];
  return failure.details.filter(
    (d): d is ApiProblem => typeof d === 'object' && d !== null && typeof (d as ApiProblem).path === 'string' && typeof (d as ApiProblem).message === 'string',
  );
}

/** The message to show for anything a call threw. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiFailure) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}

export const API_BASE = '/api/v1';

let redirecting = false;

function toLogin(): void {
  if (typeof window === 'undefined' || redirecting) return;
  if (window.location.pathname === '/login') return;
  redirecting = true;
  const back = window.location.pathname + window.location.search;
  window.location.assign(`/login?callbackUrl=${encodeURIComponent(back)}`);
}

function url(path: string): string {
  if (/^https?:\/\//.test(path) || path.startsWith(API_BASE + '/') || path === API_BASE) return path;
  return API_BASE + (path.startsWith('/') ? path : `/${path}`);
}

async function failureFrom(res: Response): Promise<ApiFailure> {
  const text = await res.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown; details?: unknown } };
    if (body && typeof body.error === 'object' && body.error && typeof body.error.message === 'string') {
      return new ApiFailure(res.status, typeof body.error.code === 'string' ? body.error.code : `http_${res.status}`, body.error.message, body.error.details);
    }
  } catch {
    // not JSON: fall through
  }
  const snippet = text.trim().slice(0, 300);
  const message = res.status >= 500
    ? `the server failed (${res.status} ${res.statusText})${snippet ? `: ${snippet}` : ''}`
    : `${res.status} ${res.statusText}${snippet ? `: ${snippet}` : ''}`;
  return new ApiFailure(res.status, `http_${res.status}`, message);
}

async function call(method: string, path: string, init: RequestInit): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url(path), { ...init, method, credentials: 'same-origin', cache: 'no-store' });
  } catch (e) {
    throw new ApiFailure(0, 'network', `cannot reach the server: ${(e as Error).message}`);
  }
  if (res.status === 401) {
    const failure = await failureFrom(res);
    toLogin();
    throw failure;
  }
  if (!res.ok) throw await failureFrom(res);
  return res;
}

async function parse<T>(res: Response): Promise<T> {
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json')) return (await res.json()) as T;
  return (await res.text()) as T;
}

/** GET `path` (relative to /api/v1, e.g. `/workflows`) and return its JSON (or text). */
export async function apiGet<T>(path: string, init: { signal?: AbortSignal } = {}): Promise<T> {
  return parse<T>(await call('GET', path, { signal: init.signal, headers: { accept: 'application/json' } }));
}

/**
 * Send `body` with `method` to `path`. An object body is sent as JSON unless `contentType` says
 * otherwise; a string body is sent as is with `contentType` (default `application/json`).
 * Returns the JSON answer (undefined for a 204).
 */
export async function apiSend<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown, contentType?: string): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let payload: string | undefined;
  if (body !== undefined) {
    headers['content-type'] = contentType ?? 'application/json';
    payload = typeof body === 'string' ? body : JSON.stringify(body);
  }
  return parse<T>(await call(method, path, { headers, body: payload }));
}

/** The URL of a run job's output (text), for links and streaming readers. */
export function outputUrl(runId: number, job: string, opts: { attempt?: number; follow?: boolean } = {}): string {
  const q = new URLSearchParams();
  if (opts.attempt) q.set('attempt', String(opts.attempt));
  if (opts.follow) q.set('follow', '1');
  const qs = q.toString();
  return `${API_BASE}/runs/${runId}/jobs/${encodeURIComponent(job)}/output${qs ? `?${qs}` : ''}`;
}

/** `encodeURIComponent` for a path segment (workflow names may hold dots). */
export const seg = (s: string | number): string => encodeURIComponent(String(s));
