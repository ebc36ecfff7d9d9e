import { spawnSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { StreamName } from './output-limit.ts';
import { processAlive } from './process-group.ts';
import { runTask, type RunTaskOptions, type TaskSpec } from './task-runner.ts';

interface Msg {
  stream: StreamName;
  data: Buffer;
  offset: number;
}

// Runs a task and collects every output message, plus what the group registry was told.
async function run(task: Partial<TaskSpec> & { command: string }, opts: Partial<RunTaskOptions> = {}) {
  const msgs: Msg[] = [];
  const registry: string[] = [];
  const started = Date.now();
  const t = runTask(
    { env: {}, killGraceMs: 200, ...task },
    {
      onOutput: (stream, data, offset) => msgs.push({ stream, data: Buffer.from(data), offset }),
      groups: { add: (g) => registry.push(`add ${g}`), del: (g) => registry.push(`del ${g}`) },
      ...opts,
    },
  );
  const result = await t.result;
  const of = (s: StreamName) => Buffer.concat(msgs.filter((m) => m.stream === s).map((m) => m.data));
  return { t, result, msgs, registry, stdout: of('stdout'), stderr: of('stderr'), elapsed: Date.now() - started };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitDead(pids: number[], ms: number) {
  const until = Date.now() + ms;
  while (pids.some(processAlive) && Date.now() < until) await sleep(10);
  return pids.filter(processAlive);
}

const tmp = mkdtempSync(path.join(tmpdir(), 'course-runner-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('runTask', () => {
  it('reports exit codes and signals', async () => {
    expect((await run({ command: 'true' })).result).toMatchObject({ exitCode: 0, signal: null });
    expect((await run({ command: 'exit 3' })).result).toMatchObject({ exitCode: 3, signal: null });
    const killed = await run({ command: 'kill -KILL $$' });
    expect(killed.result).toMatchObject({ exitCode: null, signal: 'SIGKILL' });
    expect(killed.result.reason).toBeUndefined();
    const r = killed.result;
    expect(r.spawnedAt).toBeLessThanOrEqual(r.exitedAt);
  });

  it('registers its group with the watchdog while it lives', async () => {
    const { t, registry } = await run({ command: 'true' });
    expect(registry).toEqual([`add ${t.pid}`, `del ${t.pid}`]);
  });

  it('gives the task its env and a minimal base, and never interpolates', async () => {
    const { stdout, result } = await run(
      { command: 'printf "%s|%s|%s|%s|%s" "$FOO" "$COURSE_RUN_ID" "$HOME" "${COURSE_TOKEN-unset}" "$EVIL"', env: { FOO: 'bar baz', COURSE_RUN_ID: '7', EVIL: '$(echo pwned) `id`' } },
      { executorEnv: { PATH: process.env.PATH, HOME: '/home/exec', COURSE_TOKEN: 'secret' } },
    );
    expect(result.exitCode).toBe(0);
    expect(stdout.toString()).toBe('bar baz|7|/home/exec|unset|$(echo pwned) `id`');
  });

  it('runs in the workdir, with stdin closed', async () => {
    const { stdout } = await run({ command: 'pwd; cat', workdir: tmp });
    expect(stdout.toString()).toBe(realpathSync(tmp) + '\n');
  });

  it('reports a bad workdir as a failure with a reason, not a crash', async () => {
    const { result } = await run({ command: 'true', workdir: path.join(tmp, 'nope') });
    expect(result).toMatchObject({ exitCode: null, signal: null, reason: `workdir does not exist: ${path.join(tmp, 'nope')}` });
  });

  it('keeps non-UTF-8 bytes byte for byte on both streams', async () => {
    const { stdout, stderr } = await run({ command: String.raw`printf '\377\376\000\303(\n'; printf '\200\201' >&2` });
    expect(stdout).toEqual(Buffer.from([0xff, 0xfe, 0x00, 0xc3, 0x28, 0x0a]));
    expect(stderr).toEqual(Buffer.from([0x80, 0x81]));
  });

  it('keeps a multibyte character split across chunks', async () => {
    // The euro sign (e2 82 ac) written in two parts far enough apart to land in two messages.
    const { msgs, stdout } = await run({ command: String.raw`printf '\342\202'; sleep 0.1; printf '\254\n'` }, { batch: { maxDelayMs: 10 } });
    expect(msgs.length).toBeGreaterThanOrEqual(2);
    expect(msgs[0].data).toEqual(Buffer.from([0xe2, 0x82]));
    expect(stdout.toString('utf8')).toBe('€\n');
    expect(msgs.map((m) => m.offset)).toEqual([0, 2]);
  });

  it('reads 50 MB on stdout and stderr at once, keeping exactly head + tail', async () => {
    const n = 6_500_000; // `seq 1 n` is about 50 MB
    const expectOut = spawnSync('seq', ['1', String(n)], { maxBuffer: 1 << 27 }).stdout;
    const errArgs = ['1000001', String(n + 1_000_000)]; // other numbers, so the streams differ
    const expectErr = spawnSync('seq', errArgs, { maxBuffer: 1 << 27 }).stdout;
    expect(expectOut.length).toBeGreaterThan(50_000_000);
    const headBytes = 5 * 1024 * 1024;
    const tailBytes = 5 * 1024 * 1024;
    const { result, msgs, elapsed } = await run({ command: `seq 1 ${n} & seq ${errArgs.join(' ')} >&2; wait` }, { headBytes, tailBytes });
    const total = expectOut.length + expectErr.length;
    expect(result).toMatchObject({ exitCode: 0, totalBytes: total, droppedBytes: total - headBytes - tailBytes });

    // Offsets are contiguous within the head and within the tail, with one jump over the gap.
    const tailStart = total - tailBytes;
    const head = msgs.filter((m) => m.offset < headBytes);
    const tail = msgs.filter((m) => m.offset >= tailStart);
    expect(head.length + tail.length).toBe(msgs.length);
    for (const part of [head, tail]) {
      for (let i = 1; i < part.length; i++) expect(part[i].offset).toBe(part[i - 1].offset + part[i - 1].data.length);
    }
    expect(head[0].offset).toBe(0);
    expect(tail[0].offset).toBe(tailStart);
    const sum = (ms: Msg[]) => ms.reduce((s, m) => s + m.data.length, 0);
    expect([sum(head), sum(tail)]).toEqual([headBytes, tailBytes]);

    // Per stream, the head holds a prefix and the tail a suffix of what the task wrote.
    for (const [stream, full] of [['stdout', expectOut], ['stderr', expectErr]] as const) {
      const h = Buffer.concat(head.filter((m) => m.stream === stream).map((m) => m.data));
      const t = Buffer.concat(tail.filter((m) => m.stream === stream).map((m) => m.data));
      expect(h.equals(full.subarray(0, h.length))).toBe(true);
      expect(t.equals(full.subarray(full.length - t.length))).toBe(true);
    }
    expect(elapsed).toBeLessThan(20_000);
  });

  it('on timeout kills the whole tree, including a grandchild that ignores SIGTERM', async () => {
    const killGraceMs = 300;
    const { t, result, stdout, elapsed } = await run(
      { command: `sh -c 'trap "" TERM; sleep 100 & echo $!; wait' & echo $!; wait`, timeoutMs: 300, killGraceMs },
      { batch: { maxDelayMs: 1 } },
    );
    const pids = [t.pid!, ...stdout.toString().trim().split('\n').map(Number)];
    expect(pids).toHaveLength(3);
    expect(result).toMatchObject({ exitCode: null, signal: 'SIGTERM', reason: 'timeout' });
    expect(result.exitedAt - result.spawnedAt).toBeGreaterThanOrEqual(300);
    // The result waited for the SIGKILL the TERM-ignoring processes needed.
    expect(elapsed).toBeGreaterThanOrEqual(300 + killGraceMs);
    expect(await waitDead(pids, 0)).toEqual([]);
  });

  it('kill("cancelled") ends an obedient task at once, without waiting for the grace', async () => {
    const started = Date.now();
    const t = runTask({ command: 'sleep 30; sleep 30', env: {}, killGraceMs: 5000 }, { onOutput: () => {} });
    setTimeout(() => t.kill('cancelled'), 50);
    const result = await t.result;
    expect(result).toMatchObject({ exitCode: null, signal: 'SIGTERM', reason: 'cancelled' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('does not wait forever on a background process holding stdout, and ends it', async () => {
    const { result, stdout, elapsed } = await run(
      { command: '(sleep 5; echo late) & echo $!; echo early', killGraceMs: 200 },
      { streamGraceMs: 200, batch: { maxDelayMs: 1 } },
    );
    expect(result).toMatchObject({ exitCode: 0, signal: null });
    expect(result.reason).toBeUndefined();
    const [bg, word] = stdout.toString().trim().split('\n');
    expect(word).toBe('early');
    expect(elapsed).toBeGreaterThanOrEqual(200);
    expect(elapsed).toBeLessThan(2000);
    expect(await waitDead([Number(bg)], 1000)).toEqual([]);
  });

  it('ends leftovers of a task that exited normally', async () => {
    const { result, stdout, elapsed } = await run({ command: 'sleep 5 >/dev/null 2>&1 & echo $!' });
    expect(result.exitCode).toBe(0);
    expect(elapsed).toBeLessThan(1000);
    expect(await waitDead([Number(stdout.toString())], 1000)).toEqual([]);
  });
});
