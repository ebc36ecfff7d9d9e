import { describe, expect, it } from 'vitest';
import { ApiError, AUTH_ADVICE, Client, normaliseUrl, unreachableMessage } from './http';

function fakeFetch(status: number, body: string, seen: { url?: string; init?: RequestInit } = {}): typeof fetch {
  return (async (url: URL, init: RequestInit) => {
    seen.url = String(url);
    seen.init = init;
    return new Response(body, { status, headers: { 'content-type': 'application/json' } });
  }) as unknown as typeof fetch;
}

describe('Client', () => {
  it('sends the token and query, and reads JSON', async () => {
    const seen: { url?: string; init?: RequestInit } = {};
    const c = new Client({ url: 'http://h:1/base/', token: 'tok', fetch: fakeFetch(200, '[1]', seen) });
    const r = await c.request('GET', '/runs', { query: { workflow: 'a b', state: undefined, limit: 5 } });
    expect(r).toEqual({ status: 200, body: [1] });
    expect(seen.url).toBe('http://h:1/base/api/v1/runs?workflow=a+b&limit=5');
    expect((seen.init?.headers as Record<string, string>).authorization).toBe('Bearer tok');
  });

  it('turns an API error body into a message with its problems', async () => {
    const body = JSON.stringify({ error: { code: 'invalid_definition', message: 'the definition has 1 problem', details: [{ path: 'jobs', message: 'required' }] } });
    const c = new Client({ url: 'http://h', fetch: fakeFetch(422, body) });
    const e = (await c.request('PUT', '/workflows/x').catch((x) => x)) as ApiError;
    expect(e).toBeInstanceOf(ApiError);
    expect([e.status, e.code, e.message, e.lines]).toEqual([422, 'invalid_definition', 'the definition has 1 problem', ['  jobs: required']]);
  });

  it('gives the token advice on 401, except where asked not to', async () => {
    const c = new Client({ url: 'http://h', fetch: fakeFetch(401, '{"error":{"code":"unauthorized","message":"wrong password"}}') });
    await expect(c.request('GET', '/runs')).rejects.toThrow(AUTH_ADVICE);
    await expect(c.request('POST', '/auth/token', { noAuthAdvice: true })).rejects.toThrow('wrong password');
  });

  it('names the status when the error body is not the API one', async () => {
    const c = new Client({ url: 'http://h', fetch: fakeFetch(502, '<html>') });
    await expect(c.request('GET', '/runs')).rejects.toThrow('the server at http://h answered HTTP 502');
  });
});

describe('addresses', () => {
  it('normalises and refuses non-http URLs', () => {
    expect(normaliseUrl('http://localhost:3000/')).toBe('http://localhost:3000');
    expect(() => normaliseUrl('localhost:3000')).toThrow('must start with http');
    expect(() => normaliseUrl('::')).toThrow('is not a URL');
  });
  it('names the URL and the cause when the server cannot be reached', () => {
    const e = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    expect(unreachableMessage('http://h:9', e)).toBe('cannot reach Course at http://h:9: connection refused; is the server running? (set COURSE_URL or --url)');
  });
});
