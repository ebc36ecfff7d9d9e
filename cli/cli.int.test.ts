// The `course` command as users run it: a real child process (node + tsx on cli/main.ts) against
// a fake API server, checking what it prints and how it exits.

import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeServer, TOKEN, type FakeServer } from './fake-server';

const ROOT = path.resolve(import.meta.dirname, '..');

interface Result {
  code: number | null;
  stdout: string;
  stdoutBytes: Buffer;
  stderr: string;
}

function course(args: string[], opts: { env?: Record<string, string>; stdin?: string; onStdout?: (all: string) => void; bin?: boolean; cwd?: string } = {}): Promise<Result> {
  const entry = opts.bin ? [path.join(ROOT, 'cli/bin.mjs')] : ['--import', 'tsx', 'cli/main.ts'];
  const child = spawn(process.execPath, [...entry, ...args], {
    cwd: opts.cwd ?? ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', TZ: 'UTC', COURSE_CLI_POLL_MS: '20', ...opts.env } as unknown as NodeJS.ProcessEnv,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => {
    out.push(c);
    opts.onStdout?.(Buffer.concat(out).toString('utf8'));
  });
  child.stderr.on('data', (c: Buffer) => err.push(c));
  child.stdin.end(opts.stdin ?? '');
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const stdoutBytes = Buffer.concat(out);
      resolve({ code, stdout: stdoutBytes.toString('utf8'), stdoutBytes, stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

let server: FakeServer;
let env: Record<string, string>;
let dir: string;

beforeAll(async () => {
  server = await startFakeServer();
  env = { COURSE_URL: server.url, COURSE_TOKEN: TOKEN };
  dir = mkdtempSync(path.join(tmpdir(), 'course-cli-int-'));
});
afterAll(() => server.close());

describe('apply', () => {
  it('saves a YAML file under its name, then reports an update', async () => {
    const file = path.join(dir, 'good.yaml');
    writeFileSync(file, 'name: good\njobs:\n  a: { command: "true" }\n');
    const first = await course(['apply', '-f', file], { env });
    expect([first.code, first.stdout]).toEqual([0, 'workflow good created (version 1)\n']);
    const second = await course(['apply', '-f', file], { env });
    expect([second.code, second.stdout]).toEqual([0, 'workflow good updated (version 2)\n']);
    const put = server.requests.filter((r) => r.method === 'PUT').at(-1)!;
    expect([put.url, put.contentType, put.body]).toEqual(['/api/v1/workflows/good', 'application/yaml', 'name: good\njobs:\n  a: { command: "true" }\n']);
  });

  it('sends JSON as JSON, from stdin too', async () => {
    const r = await course(['apply', '-f', '-'], { env, stdin: '{"name": "from-stdin", "jobs": {}}' });
    expect(r.code).toBe(0);
    expect(server.requests.at(-1)!.contentType).toBe('application/json');
  });

  it('prints each problem of a refused definition as path: message and exits 1', async () => {
    const file = path.join(dir, 'broken.yaml');
    writeFileSync(file, 'name: broken\njobs:\n  build: { command: make, nonsense: 1 }\n');
    const r = await course(['apply', '-f', file], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      [
        `course: ${file}: workflow 'broken' has 2 problems`,
        "  jobs.build.nonsense: unknown key 'nonsense' in job 'build'",
        '  schedule.cron: cron must have 5 fields',
        '',
      ].join('\n'),
    );
  });

  it('applies a directory with nested workflows first', async () => {
    const d = mkdtempSync(path.join(dir, 'defs-'));
    writeFileSync(path.join(d, 'a-pipeline.yaml'), 'name: pipeline\njobs:\n  arch: { workflow: zz-archive }\n');
    writeFileSync(path.join(d, 'b-archive.yaml'), 'name: zz-archive\njobs:\n  gz: { command: gzip -t x }\n');
    const r = await course(['apply', '-f', d], { env });
    expect([r.code, r.stdout]).toEqual([0, 'workflow zz-archive created (version 1)\nworkflow pipeline created (version 1)\n']);
  });

  it('reports a syntax error without asking the server', async () => {
    const file = path.join(dir, 'syntax.yaml');
    writeFileSync(file, 'name: [unclosed\n');
    const before = server.requests.length;
    const r = await course(['apply', '-f', file], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`course: ${file}: not a readable definition\n  YAML syntax error at line`);
    expect(server.requests.length).toBe(before);
  });
});

describe('run', () => {
  it('prints the run id; --param values go in the body', async () => {
    const r = await course(['run', 'good', '--param', 'TOP_N=5', '-p', 'Q=a=b'], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^run \d+ started: good version \d+\n$/);
    expect(JSON.parse(server.requests.at(-1)!.body)).toEqual({ params: { TOP_N: '5', Q: 'a=b' } });
    const q = await course(['run', 'good', '-q'], { env });
    expect(q.stdout).toMatch(/^\d+\n$/);
  });

  it('--wait prints job changes and exits 0 when the run succeeds', async () => {
    const r = await course(['run', 'good', '--wait'], { env });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n').map((l) => l.replace(/^\d\d:\d\d:\d\d {2}/, ''));
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(/^run \d+ executing$/),
      'ingest  queued',
      'ingest  executing (attempt 1 on local)',
      'ingest  success',
      'report  executing (attempt 1 on local)',
      'report  success',
      expect.stringMatching(/^run \d+ success \(3\.0s\)$/),
    ]);
  });

  it('--wait exits 1 when the run fails, showing the retry and where to look', async () => {
    const r = await course(['run', 'bad', '--wait'], { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('ingest  executing: attempt 1 exited 3; retry at 00:00:05');
    expect(r.stdout).toContain('report  skipped: dependency ingest failed');
    expect(r.stdout).toMatch(/run (\d+) failure: job ingest failed \(3\.0s\)\n {2}output: course logs \1 ingest\n$/);
  });

  it('--wait exits 2 when the run is cancelled', async () => {
    const r = await course(['run', 'stopped', '--wait'], { env });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('cancelled: cancelled by admin');
  });

  it('rerun --wait follows the new run', async () => {
    const r = await course(['rerun', '42', '--wait'], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^run \d+ started: rerun of run 42/);
  });

  it('says what to do about an unknown workflow (the API message) and exits 1', async () => {
    const r = await course(['run', 'nope'], { env });
    expect([r.code, r.stderr]).toEqual([1, "course: no workflow 'nope'\n"]);
  });
});

describe('runs, status, cancel', () => {
  it('lists runs as a table, with the filters in the query', async () => {
    const r = await course(['runs', '--workflow', 'good', '--limit', '2'], { env });
    expect(r.code).toBe(0);
    const [header, ...rows] = r.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^ID +WORKFLOW +STATE +TRIGGER +STARTED +DURATION +REASON$/);
    expect(rows).toHaveLength(2);
    expect(server.requests.at(-1)!.url).toBe('/api/v1/runs?workflow=good&limit=2');
  });

  it("shows a run's state and each job's state, attempts, exit code and reason", async () => {
    const id = (await course(['run', 'bad', '-q'], { env })).stdout.trim();
    for (let i = 0; i < 3; i++) await course(['status', id], { env });
    const r = await course(['status', id], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('state:    failure: job ingest failed');
    expect(r.stdout).toMatch(/ingest +failure +2 +3 +exit code 3/);
    expect(r.stdout).toMatch(/report +skipped +0 +- +dependency ingest failed/);
  });

  it('cancels', async () => {
    const r = await course(['cancel', '42'], { env });
    expect([r.code, r.stdout]).toEqual([0, 'cancel requested for run 42; `course status 42` shows when it has ended\n']);
  });
});

describe('logs', () => {
  it('prints an attempt', async () => {
    const r = await course(['logs', '42', 'ingest', '--attempt', '2'], { env });
    expect([r.code, r.stdout]).toEqual([0, 'all of ingest, attempt 2\n']);
  });

  it('--follow streams output as it arrives, bytes unchanged', async () => {
    // The server sends its second line only once the first has reached our stdout.
    const r = await course(['logs', '42', 'ingest', '--follow'], {
      env,
      onStdout: (all) => {
        if (all.includes('first line\n')) server.releaseFollow();
      },
    });
    expect(r.code).toBe(0);
    expect(r.stdoutBytes).toEqual(Buffer.concat([Buffer.from('first line\nsecond'), Buffer.from([0xff, 0x0a])]));
    expect(server.requests.at(-1)!.url).toBe('/api/v1/runs/42/jobs/ingest/output?follow=1');
  });
});

describe('token', () => {
  it('prints the token on stdout and the expiry on stderr', async () => {
    const r = await course(['token', '--username', 'admin', '--password-stdin'], { env: { COURSE_URL: server.url }, stdin: 'pw\n' });
    expect([r.code, r.stdout]).toEqual([0, `${TOKEN}\n`]);
    expect(r.stderr).toBe('token for admin, expires 2027-01-01 00:00:00 (2027-01-01T00:00:00.000Z)\n');
  });

  it('reads COURSE_USERNAME and COURSE_PASSWORD; a wrong password is the server message', async () => {
    const r = await course(['token'], { env: { COURSE_URL: server.url, COURSE_USERNAME: 'admin', COURSE_PASSWORD: 'nope' } });
    expect([r.code, r.stderr]).toEqual([1, 'course: wrong username or password\n']);
  });

  it('without a terminal, says how to give what is missing', async () => {
    const r = await course(['token'], { env: { COURSE_URL: server.url } });
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('course: no username: pass --username or set COURSE_USERNAME');
  });
});

describe('errors', () => {
  it('a missing or wrong token: says how to get one', async () => {
    const r = await course(['runs'], { env: { COURSE_URL: server.url } });
    expect([r.code, r.stderr]).toEqual([1, 'course: token missing or invalid: run `course token` and set COURSE_TOKEN\n']);
  });

  it('an unreachable server: one line naming the URL', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const r = await course(['status', '1', '--url', `http://127.0.0.1:${port}`], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`course: cannot reach Course at http://127.0.0.1:${port}: connection refused; is the server running? (set COURSE_URL or --url)\n`);
  });

  it('usage errors exit 64 and point to help; help exits 0', async () => {
    const bad = await course(['run'], { env });
    expect([bad.code, bad.stderr]).toEqual([64, 'course: missing WORKFLOW: course run WORKFLOW\nRun `course run --help` for usage.\n']);
    const unknown = await course(['frobnicate'], { env });
    expect(unknown.code).toBe(64);
    const help = await course(['help', 'logs']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: course logs RUN JOB [--attempt N] [--follow]');
  });

  it('executor hands its arguments to the agent; bad ones exit 64', async () => {
    const r = await course(['executor', '--capacity', 'x'], { env });
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('--capacity');
  });

  it('bin.mjs runs the same CLI from any directory', async () => {
    const r = await course(['--url', server.url, 'runs', '--limit', '1'], { env: { COURSE_TOKEN: TOKEN }, bin: true, cwd: tmpdir() });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ID +WORKFLOW/);
  });
});
