import { describe, expect, it } from 'vitest';
import { parseExecutorArgs } from './main.ts';

const env = { COURSE_URL: 'http://localhost:3000', COURSE_TOKEN: 'tok' };

describe('parseExecutorArgs', () => {
  it('reads flags, with or without the leading command word', () => {
    const r = parseExecutorArgs(['executor', '--capacity', '3', '--label', 'gpu', '--label=linux,big', '--name', 'box1'], env);
    expect(r).toEqual({ ok: true, args: { url: 'http://localhost:3000', token: 'tok', name: 'box1', labels: ['gpu', 'linux', 'big'], capacity: 3 } });
    const r2 = parseExecutorArgs(['--url', 'https://c.example', '--token', 't2', '--stop-timeout', '500'], {});
    expect(r2).toMatchObject({ ok: true, args: { url: 'https://c.example', token: 't2', capacity: 2, labels: [], stopTimeoutMs: 500 } });
  });

  it('says clearly what is missing or wrong', () => {
    expect(parseExecutorArgs([], { COURSE_TOKEN: 't' })).toMatchObject({ ok: false, error: expect.stringMatching(/no server URL: set COURSE_URL or pass --url/) });
    expect(parseExecutorArgs([], { COURSE_URL: 'http://x' })).toMatchObject({ ok: false, error: expect.stringMatching(/no executor token: set COURSE_TOKEN or pass --token/) });
    expect(parseExecutorArgs(['--url', 'localhost:3000'], { COURSE_TOKEN: 't' })).toMatchObject({ ok: false, error: expect.stringMatching(/http:\/\/ or https:\/\//) });
    expect(parseExecutorArgs(['--capacity', '0'], env)).toMatchObject({ ok: false, error: expect.stringMatching(/--capacity must be a whole number >= 1/) });
    expect(parseExecutorArgs(['--capacity'], env)).toMatchObject({ ok: false, error: '--capacity needs a value' });
    expect(parseExecutorArgs(['--frobnicate'], env)).toMatchObject({ ok: false, error: 'unknown argument: --frobnicate' });
    expect(parseExecutorArgs(['--help'], env)).toEqual({ ok: false, help: true });
  });
});
