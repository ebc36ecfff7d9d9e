import { afterEach, describe, expect, it } from 'vitest';
import { startExecutor, STOPPED_REASON, type ExecutorHandle, type ExecutorOptions } from './agent.ts';
import { fakeTask, startFakeServer, type FakeServer } from './testing/fake-executor-server.ts';

// Every test: a fresh fake server and one executor against it. The poll is long (60 s) unless a
// test wants it, so each claim seen here came from connect, a nudge or a report.
let server: FakeServer;
let exec: ExecutorHandle | undefined;
let logs: string[];

async function setup(o: Partial<ExecutorOptions> = {}, fake: Parameters<typeof startFakeServer>[0] = {}) {
  server = await startFakeServer(fake);
  logs = [];
  exec = startExecutor({
    url: server.url,
    token: 'test-token',
    name: 'test-exec',
    labels: ['linux', 'test'],
    capacity: 2,
    pollMs: 60_000,
    reconnectDelayMs: 20,
    reconnectDelayMaxMs: 100,
    log: (level, m) => logs.push(`${level}: ${m}`),
    ...o,
  });
}

afterEach(async () => {
  await exec?.stop({ timeoutMs: 0 });
  exec = undefined;
  await server?.close();
});

const reportOf = (id: number) => server.reports.find((r) => r.report.attemptId === id);

describe('executor agent', () => {
  it('says hello, claims, runs, streams output in order, and reports', async () => {
    const t = fakeTask('echo hello; echo oops >&2; printf "\\377"; exit 4');
    await setup();
    server.queue.push(t);
    await server.waitFor(() => !!reportOf(t.attemptId));
    expect(server.hellos).toEqual([{ name: 'test-exec', labels: ['linux', 'test'], capacity: 2, running: [] }]);
    expect(server.claims[0]).toEqual({ max: 2, given: [t.attemptId] });
    const r = reportOf(t.attemptId)!.report;
    expect(r).toMatchObject({ attemptId: t.attemptId, exitCode: 4, signal: null, droppedBytes: 0, claimNext: 2 });
    expect(r.reason).toBeUndefined();
    expect(r.exitedAt).toBeGreaterThanOrEqual(r.spawnedAt);
    expect(server.output(t.attemptId, 'stdout')).toEqual(Buffer.from('hello\n\xff', 'latin1'));
    expect(server.output(t.attemptId, 'stderr').toString()).toBe('oops\n');
    // Output messages arrive numbered 0, 1, 2 … and all before the report.
    const mine = server.events.filter((e) => e.startsWith(`output ${t.attemptId}:`) || e.startsWith(`report ${t.attemptId}`));
    expect(mine.at(-1)).toBe(`report ${t.attemptId} #1`);
    expect(server.outputs.map((o) => o.seq)).toEqual(server.outputs.map((_, i) => i));
  });

  it('takes the next task from the report ack (claimNext)', async () => {
    const t1 = fakeTask('sleep 0.1; echo one');
    const t2 = fakeTask('echo two');
    await setup({ capacity: 1 });
    server.queue.push(t1, t2);
    await server.waitFor(() => !!reportOf(t2.attemptId));
    expect(server.claims).toEqual([{ max: 1, given: [t1.attemptId] }]);
    expect(reportOf(t1.attemptId)).toMatchObject({ report: { claimNext: 1 }, given: [t2.attemptId] });
    expect(server.output(t2.attemptId).toString()).toBe('two\n');
  });

  it('claims on a nudge', async () => {
    await setup();
    await server.waitFor(() => server.claims.length === 1);
    const t = fakeTask('true');
    server.queue.push(t);
    const at = Date.now();
    server.nudge();
    await server.waitFor(() => !!reportOf(t.attemptId), 1000);
    expect(Date.now() - at).toBeLessThan(1000);
    expect(server.claims).toHaveLength(2);
  });

  it('claims on the poll when no nudge comes', async () => {
    await setup({ pollMs: 50 });
    await server.waitFor(() => server.claims.length >= 1);
    const t = fakeTask('true');
    server.queue.push(t);
    await server.waitFor(() => !!reportOf(t.attemptId), 1000);
  });

  it('runs up to capacity at once, never more', async () => {
    const tasks = [1, 2, 3].map(() => fakeTask('sleep 0.2'));
    await setup({ capacity: 2, pollMs: 20 });
    server.queue.push(...tasks);
    await server.waitFor(() => server.reports.length === 3, 3000);
    const given = server.claims.flatMap((c) => c.given).concat(server.reports.flatMap((r) => r.given));
    expect(given.sort()).toEqual(tasks.map((t) => t.attemptId).sort());
    expect(Math.max(...server.claims.map((c) => c.max))).toBeLessThanOrEqual(2);
    // The third started only when one of the first two ended.
    const third = server.reports.find((r) => r.report.attemptId === tasks[2].attemptId)!.report;
    const firstEnd = Math.min(...server.reports.slice(0, 2).map((r) => r.report.exitedAt));
    expect(third.spawnedAt).toBeGreaterThanOrEqual(firstEnd);
  });

  it('kills an attempt on `kill` and reports it cancelled', async () => {
    const t = fakeTask('sleep 30', { killGraceMs: 5000 });
    await setup();
    server.queue.push(t);
    await server.waitFor(() => exec!.running().includes(t.attemptId));
    const at = Date.now();
    server.kill(t.attemptId, 'cancelled by user admin');
    await server.waitFor(() => !!reportOf(t.attemptId), 2000);
    expect(Date.now() - at).toBeLessThan(2000);
    expect(reportOf(t.attemptId)!.report).toMatchObject({ exitCode: null, signal: 'SIGTERM', reason: 'cancelled' });
  });

  it('heartbeats its running attempts and kills those the ack names', async () => {
    const t = fakeTask('sleep 30');
    await setup({}, { heartbeatMs: 30 });
    server.queue.push(t);
    await server.waitFor(() => server.heartbeats.some((h) => h.running.includes(t.attemptId)));
    server.killOnHeartbeat = [t.attemptId];
    await server.waitFor(() => !!reportOf(t.attemptId), 2000);
    expect(reportOf(t.attemptId)!.report).toMatchObject({ reason: 'cancelled', signal: 'SIGTERM' });
  });

  it('keeps a report made while the server is down and sends it after reconnecting', async () => {
    const t = fakeTask('sleep 0.3; echo done');
    await setup();
    server.queue.push(t);
    await server.waitFor(() => exec!.running().includes(t.attemptId));
    await server.down();
    // The task ends and is reported while nobody listens.
    await server.waitFor(() => exec!.running().length === 0, 3000);
    expect(reportOf(t.attemptId)).toBeUndefined();
    await server.up();
    await server.waitFor(() => !!reportOf(t.attemptId), 3000);
    // The new connection's hello still named the attempt, then came its output, then the report.
    expect(server.hellos.at(-1)!.running).toEqual([t.attemptId]);
    const second = server.events.filter((e) => e.endsWith(`#${server.connections}`));
    expect(second[0]).toBe(`hello #${server.connections}`);
    expect(second.indexOf(`report ${t.attemptId} #${server.connections}`)).toBeGreaterThan(second.findIndex((e) => e.startsWith(`output ${t.attemptId}`)));
    expect(server.output(t.attemptId).toString()).toBe('done\n');
    expect(reportOf(t.attemptId)!.report.exitCode).toBe(0);
  });

  it('names its running attempts in the hello after a dropped connection', async () => {
    const t = fakeTask('sleep 0.4; echo x');
    await setup();
    server.queue.push(t);
    await server.waitFor(() => exec!.running().includes(t.attemptId));
    server.dropConnections();
    await server.waitFor(() => server.hellos.length === 2, 3000);
    expect(server.hellos[1].running).toEqual([t.attemptId]);
    await server.waitFor(() => !!reportOf(t.attemptId), 3000);
    expect(server.output(t.attemptId).toString()).toBe('x\n');
  });

  it('drops a refused (stale) report and goes on working', async () => {
    const stale = fakeTask('true');
    const next = fakeTask('echo next');
    await setup({ capacity: 1, pollMs: 50 });
    server.refuse.add(stale.attemptId);
    server.queue.push(stale);
    await server.waitFor(() => !!reportOf(stale.attemptId));
    expect(reportOf(stale.attemptId)!.ok).toBe(false);
    server.queue.push(next);
    await server.waitFor(() => !!reportOf(next.attemptId), 2000);
    expect(server.reports.filter((r) => r.report.attemptId === stale.attemptId)).toHaveLength(1);
    expect(logs.some((l) => /report of attempt \d+ refused: attempt has ended; dropped/.test(l))).toBe(true);
  });

  it('stop(): lets short tasks finish, kills the rest, reports both, then stops claiming', async () => {
    const quick = fakeTask('sleep 0.1; echo ok');
    const slow = fakeTask('sleep 30', { killGraceMs: 5000 });
    await setup({ capacity: 2, stopTimeoutMs: 300 });
    server.queue.push(quick, slow);
    await server.waitFor(() => exec!.running().length === 2);
    const at = Date.now();
    await exec!.stop();
    expect(Date.now() - at).toBeLessThan(2000);
    expect(reportOf(quick.attemptId)!.report).toMatchObject({ exitCode: 0, claimNext: 0 });
    expect(reportOf(slow.attemptId)!.report).toMatchObject({ reason: STOPPED_REASON, claimNext: 0 });
    expect(server.output(quick.attemptId).toString()).toBe('ok\n');
    const claims = server.claims.length;
    server.nudge();
    await new Promise((r) => setTimeout(r, 50));
    expect(server.claims).toHaveLength(claims);
  });

  it('uses the output limit from the hello ack', async () => {
    const t = fakeTask('seq 1 100000');
    await setup({}, { outputLimitBytes: 1000 });
    server.queue.push(t);
    await server.waitFor(() => !!reportOf(t.attemptId));
    const out = server.output(t.attemptId);
    expect(out.length).toBe(1000);
    expect(out.subarray(0, 500).toString()).toBe(Array.from({ length: 200 }, (_, i) => `${i + 1}\n`).join('').slice(0, 500));
    expect(out.subarray(500).toString().endsWith('99999\n100000\n')).toBe(true);
    expect(reportOf(t.attemptId)!.report.droppedBytes).toBeGreaterThan(0);
    // The first tail chunk says where it lies: after the head and the dropped bytes.
    const tailMsg = server.outputs.find((o) => (o.offset ?? 0) > 500)!;
    expect(tailMsg.offset).toBe(500 + reportOf(t.attemptId)!.report.droppedBytes);
  });
});
