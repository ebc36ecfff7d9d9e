import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../lib/server/errors';
import { queryObject, readBody } from './http';
import { parseInstant } from './routes/schedules';

function request(body: string | Buffer, headers: Record<string, string> = {}): IncomingMessage {
  const stream = Readable.from(typeof body === 'string' ? [Buffer.from(body)] : [body]) as unknown as IncomingMessage;
  stream.headers = headers;
  return stream;
}

async function refusal(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected an ApiError');
}

describe('readBody', () => {
  it('reads JSON, YAML and forms by Content-Type', async () => {
    expect(await readBody(request('{"a": 1}', { 'content-type': 'application/json; charset=utf-8' }), ['json'], 100)).toEqual({ format: 'json', value: { a: 1 } });
    expect(await readBody(request('a: 1\n', { 'content-type': 'text/yaml' }), ['yaml', 'json'], 100)).toEqual({ format: 'yaml', value: { a: 1 } });
    expect(await readBody(request('{"a": 1}', { 'content-type': 'application/merge-patch+json' }), ['json'], 100)).toMatchObject({ format: 'json' });
    expect(await readBody(request('u=a%20b&p=x', { 'content-type': 'application/x-www-form-urlencoded' }), ['json', 'form'], 100)).toEqual({ format: 'form', value: { u: 'a b', p: 'x' } });
  });

  it('reads a body without Content-Type as YAML where accepted, else JSON', async () => {
    expect(await readBody(request('a: 1'), ['yaml', 'json'], 100)).toEqual({ format: 'yaml', value: { a: 1 } });
    expect((await refusal(readBody(request('a: 1'), ['json'], 100))).message).toMatch(/not valid JSON/);
  });

  it('gives undefined for an empty body', async () => {
    expect(await readBody(request('  \n', { 'content-type': 'text/plain' }), ['json'], 100)).toEqual({ format: null, value: undefined });
  });

  it('refuses what it cannot read, saying where', async () => {
    const dup = await refusal(readBody(request('{"a": 1, "a": 2}', { 'content-type': 'application/json' }), ['json'], 100));
    expect([dup.status, dup.code]).toEqual([400, 'invalid_body']);
    expect(dup.message).toMatch(/^the body is not valid JSON: duplicate key 'a' at line 1, column 10.*\(at a\)$/);
    expect(dup.details).toEqual([{ path: 'a', message: expect.stringContaining('duplicate key') }]);

    const type = await refusal(readBody(request('x', { 'content-type': 'text/plain' }), ['yaml', 'json'], 100));
    expect([type.status, type.details]).toEqual([415, { accepted: ['application/yaml', 'application/x-yaml', 'text/yaml', 'application/json'] }]);

    const big = await refusal(readBody(request('x'.repeat(101), { 'content-type': 'application/json' }), ['json'], 100));
    expect([big.status, big.message]).toEqual([413, 'the request body is larger than 100 bytes; send a smaller body']);
    const declared = await refusal(readBody(request('x', { 'content-length': String(200 * 1024 * 1024) }), ['json'], 1024));
    expect([declared.status, declared.headers]).toEqual([413, { connection: 'close' }]);

    expect((await refusal(readBody(request(Buffer.from([0xff, 0xfe])), ['json'], 100))).message).toMatch(/not valid UTF-8/);
    expect((await refusal(readBody(request('a=1&a=2', { 'content-type': 'application/x-www-form-urlencoded' }), ['form'], 100))).message).toBe("form field 'a' is given twice; give it once");
  });
});

describe('queryObject', () => {
  it('gives one value per name, a list for a repeated one', () => {
    expect(queryObject(new URLSearchParams('a=1&b=2&a=3&c='))).toEqual({ a: ['1', '3'], b: '2', c: '' });
  });
});

describe('parseInstant', () => {
  it.each([
    ['2026-03-29T00:00:00Z', Date.UTC(2026, 2, 29)],
    ['2026-03-29T02:00:00+02:00', Date.UTC(2026, 2, 29)],
    ['2026-03-29T00:00:00.500Z', Date.UTC(2026, 2, 29) + 500],
    ['1700000000000', 1700000000000],
    ['2026-03-29', null],
    ['2026-03-29T00:00:00', null],
    ['yesterday', null],
  ])('%s', (text, expected) => {
    expect(parseInstant(text)).toBe(expected);
  });
});
