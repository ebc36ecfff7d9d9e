import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { STOPPED_REASON } from './agent.ts';
import { fakeTask, startFakeServer, type FakeServer } from './testing/fake-executor-server.ts';

const MAIN = path.join(import.meta.dirname, 'main.ts');

// Runs `executor/main.ts` as its own process, the way `tsx executor/main.ts …` does.
function runMain(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/', ...env } as unknown as NodeJS.ProcessEnv, // a bare env on purpose
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('executor/main.ts', () => {
  it('refuses to start without a URL or a token, saying which', async () => {
    const noUrl = runMain(['--token', 't'], {});
    expect(await noUrl.exited).toBe(2);
    expect(noUrl.err()).toMatch(/no server URL: set COURSE_URL or pass --url/);
    const noToken = runMain([], { COURSE_URL: 'http://127.0.0.1:9' });
    expect(await noToken.exited).toBe(2);
    expect(noToken.err()).toMatch(/no executor token: set COURSE_TOKEN or pass --token/);
  });

  it('runs tasks and stops gracefully on SIGTERM, reporting the task it had to kill', async () => {
    server = await startFakeServer();
    const t = fakeTask('sleep 30', { killGraceMs: 5000 });
    server.queue.push(t);
    const m = runMain(['--capacity', '3', '--label', 'x', '--name', 'cli-exec', '--stop-timeout', '100'], {
      COURSE_URL: server.url,
      COURSE_TOKEN: 'test-token',
      COURSE_POLL_MS: '60000',
    });
    await server.waitFor(() => server!.claims.some((c) => c.given.includes(t.attemptId)), 10_000);
    expect(server.hellos[0]).toEqual({ name: 'cli-exec', labels: ['x'], capacity: 3, running: [] });
    m.child.kill('SIGTERM');
    expect(await m.exited).toBe(0);
    expect(server.reports.map((r) => r.report)).toMatchObject([{ attemptId: t.attemptId, reason: STOPPED_REASON, claimNext: 0 }]);
  });
});
