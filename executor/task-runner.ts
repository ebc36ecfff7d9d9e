// Runs one task (one attempt): `/bin/sh -c COMMAND` in its own process group, output streamed as
// raw bytes, a timeout enforced on the whole group, and a result that says how it ended.
//
// Why each choice:
// - The command goes to `sh -c` as one argument and values reach it only through the environment:
//   nothing is ever interpolated into a shell line.
// - `detached: true` makes the shell a session and group leader (pgid = pid), so one signal to
//   `-pid` reaches every process the task started; `child.kill()` would leave grandchildren.
//   The group is registered with the executor's watchdog so it dies even if the executor does.
// - stdin is /dev/null: a task that reads stdin gets EOF instead of hanging forever.
// - stdout and stderr are always read (flowing mode), never decoded: a task writing 50 MB to both
//   never blocks, and non-UTF-8 or split characters arrive byte for byte.
// - Output is bounded per attempt (HeadTailLimiter): the head streams live, the tail is sent after
//   the exit, then the result resolves — so every output callback precedes the result.
//
// When the result resolves:
// - The process exited and both streams closed. Normally the streams close right after the exit.
// - A background process of the task may keep stdout open after the shell exited. We wait up to
//   `streamGraceMs` for it, then stop reading and report anyway: the task is its shell's exit.
// - Leftovers: whatever still runs in the group once the shell has exited normally is ended with
//   it (SIGTERM now, SIGKILL after killGraceMs, the latter possibly after the result resolved).
//   A task never leaves processes behind, so a retry never runs beside a ghost of itself.
// - kill(reason) / timeout: SIGTERM to the group, SIGKILL after killGraceMs. The result waits
//   until nothing in the group runs any more (or the SIGKILL went out), so a reported `timeout` or
//   `cancelled` really means the processes are gone; with an obedient task that is at once, not
//   after the grace.

import { spawn, type ChildProcess } from 'node:child_process';
import { statSync } from 'node:fs';
import type { Task } from '../lib/contracts/executor-protocol.ts';
import { HeadTailLimiter, type StreamName } from './output-limit.ts';
import { OutputBatcher, type BatcherOptions } from './output-batcher.ts';
import { buildTaskEnv } from './task-env.ts';
import { groupAlive, signalGroup } from './process-group.ts';
import type { GroupRegistry } from './watchdog.ts';

export const DEFAULT_OUTPUT_LIMIT_BYTES = 10 * 1024 * 1024;
export const DEFAULT_STREAM_GRACE_MS = 1000;
// How often to look whether a signalled group has emptied, between the exit and the SIGKILL.
const GROUP_POLL_MS = 25;

export type TaskSpec = Pick<Task, 'command' | 'env' | 'workdir' | 'timeoutMs' | 'killGraceMs'>;

export interface TaskResult {
  /** Exit code, or null when the shell was ended by a signal or never started. */
  exitCode: number | null;
  signal: string | null;
  /** Set when the executor ended the task (`timeout`, `cancelled`, …) or it could not start. */
  reason?: string;
  /** Date.now() just before spawn, and just after the exit was seen. */
  spawnedAt: number;
  exitedAt: number;
  /** Output bytes read, and those of them not kept (between head and tail). */
  totalBytes: number;
  droppedBytes: number;
}

export interface RunTaskOptions {
  /** Output in read order; `offset` is the position of data[0] in the attempt's whole output. */
  onOutput: (stream: StreamName, data: Buffer, offset: number) => void;
  /** Kept bytes per attempt, split evenly into head and tail (default 10 MiB). */
  outputLimitBytes?: number;
  /** Explicit head/tail sizes; override outputLimitBytes when given. */
  headBytes?: number;
  tailBytes?: number;
  batch?: BatcherOptions;
  /** The watchdog (or anything) that must know the task's process group while it lives. */
  groups?: GroupRegistry;
  /** Where PATH/HOME/LANG/TMPDIR come from (default: process.env). */
  executorEnv?: Record<string, string | undefined>;
  streamGraceMs?: number;
}

export interface RunningTask {
  /** The shell's pid (= its process group id); undefined when it did not start. */
  readonly pid: number | undefined;
  readonly result: Promise<TaskResult>;
  /** Ends the task: SIGTERM to its group, SIGKILL after killGraceMs. The first reason given wins. */
  kill(reason: string): void;
}

export function runTask(task: TaskSpec, opts: RunTaskOptions): RunningTask {
  const limiter =
    opts.headBytes !== undefined || opts.tailBytes !== undefined
      ? new HeadTailLimiter(opts.headBytes ?? 0, opts.tailBytes ?? 0)
      : HeadTailLimiter.forLimit(opts.outputLimitBytes ?? DEFAULT_OUTPUT_LIMIT_BYTES);
  let offset = 0;
  const batcher = new OutputBatcher((stream, data) => {
    const at = offset;
    offset += data.length;
    opts.onOutput(stream, data, at);
  }, opts.batch);
  const env = buildTaskEnv(opts.executorEnv ?? process.env, task.env ?? {});
  const streamGraceMs = opts.streamGraceMs ?? DEFAULT_STREAM_GRACE_MS;
  const killGraceMs = Math.max(0, task.killGraceMs);

  const workdirError = task.workdir !== undefined ? checkWorkdir(task.workdir) : null;
  const spawnedAt = Date.now();
  if (workdirError) return notStarted(spawnedAt, workdirError);

  let child: ChildProcess;
  try {
    child = spawn('/bin/sh', ['-c', task.command], {
      detached: true,
      cwd: task.workdir,
      env: env as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (err) {
    return notStarted(spawnedAt, `spawn failed: ${errorText(err)}`);
  }
  const pid = child.pid;
  if (pid === undefined) {
    // The failure arrives as an 'error' event (EAGAIN, ENOMEM, a cwd that vanished just now).
    const result = new Promise<TaskResult>((resolve) => {
      child.once('error', (err) => {
        const at = Date.now();
        resolve({ exitCode: null, signal: null, reason: `spawn failed: ${errorText(err)}`, spawnedAt, exitedAt: at, totalBytes: 0, droppedBytes: 0 });
      });
    });
    return { pid: undefined, result, kill() {} };
  }
  const pgid: number = pid; // the group leader's pid is the group id (narrowed for the closures)
  opts.groups?.add(pgid);

  let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  let exitedAt = 0;
  let openStreams = 2;
  let streamsAbandoned = false;
  let killReason: string | undefined;
  let sigkillSent = false;
  let done = false;
  let timeoutTimer: ReturnType<typeof setTimeout> | undefined;
  let escalateTimer: ReturnType<typeof setTimeout> | undefined;
  let streamTimer: ReturnType<typeof setTimeout> | undefined;
  let pollTimer: ReturnType<typeof setTimeout> | undefined;
  let resolveResult!: (r: TaskResult) => void;
  const result = new Promise<TaskResult>((r) => (resolveResult = r));

  const onData = (stream: StreamName) => (chunk: Buffer) => {
    const live = limiter.push(stream, chunk);
    if (live) batcher.push(stream, live);
  };
  const onClose = () => {
    openStreams--;
    check();
  };
  for (const [name, s] of [['stdout', child.stdout!], ['stderr', child.stderr!]] as const) {
    s.on('data', onData(name));
    s.once('close', onClose);
    s.on('error', () => {}); // a destroyed pipe; 'close' follows
  }
  child.on('error', () => {}); // e.g. a signal to an already reaped pid: nothing to do
  child.once('exit', (code, signal) => {
    exitedAt = Date.now();
    exit = { code, signal };
    check();
  });

  // Sends SIGKILL to the group after the grace, then forgets it in the watchdog.
  const escalate = () => {
    escalateTimer = setTimeout(() => {
      escalateTimer = undefined;
      signalGroup(pgid, 'SIGKILL');
      sigkillSent = true;
      if (done) opts.groups?.del(pgid);
      else check();
    }, killGraceMs);
  };

  const kill = (reason: string) => {
    if (done || killReason !== undefined) return;
    killReason = reason;
    if (timeoutTimer) clearTimeout(timeoutTimer);
    if (!signalGroup(pgid, 'SIGTERM')) {
      sigkillSent = true; // the group is already gone: nothing to escalate
      check();
      return;
    }
    escalate();
    check();
  };

  // 0 or absent: no timeout (a zero timeout would only ever kill the task at once).
  if (task.timeoutMs !== undefined && task.timeoutMs !== null && task.timeoutMs > 0) {
    timeoutTimer = setTimeout(() => kill('timeout'), task.timeoutMs);
  }

  // Stop waiting for streams a stray process holds open: stop reading and let the result go.
  const abandonStreams = () => {
    streamTimer = undefined;
    streamsAbandoned = true;
    child.stdout?.destroy();
    child.stderr?.destroy();
    check();
  };

  function check(): void {
    if (done || exit === null) return;
    if (openStreams > 0 && !streamsAbandoned) {
      // During a kill the grace runs from the SIGKILL; otherwise from the exit.
      if (!streamTimer && (killReason === undefined || sigkillSent)) {
        streamTimer = setTimeout(abandonStreams, streamGraceMs);
      }
      return;
    }
    if (killReason !== undefined && !sigkillSent && groupAlive(pgid)) {
      if (!pollTimer) {
        pollTimer = setTimeout(() => {
          pollTimer = undefined;
          check();
        }, GROUP_POLL_MS);
      }
      return;
    }
    finish();
  }

  function finish(): void {
    done = true;
    for (const t of [timeoutTimer, streamTimer, pollTimer]) if (t) clearTimeout(t);
    if (killReason !== undefined) {
      // Either the SIGKILL went out or the group emptied before it had to.
      if (escalateTimer) {
        clearTimeout(escalateTimer);
        escalateTimer = undefined;
      }
      opts.groups?.del(pgid);
    } else if (groupAlive(pgid) && signalGroup(pgid, 'SIGTERM')) {
      escalate(); // leftovers of a task that ended normally: they end with it
    } else {
      opts.groups?.del(pgid);
    }
    // Everything of the head is out; the tail follows with its true offset, then the result.
    batcher.flush();
    const tail = limiter.finish();
    offset = limiter.totalBytes - tail.reduce((n, c) => n + c.data.length, 0);
    for (const c of tail) batcher.push(c.stream, c.data);
    batcher.flush();
    const e = exit!;
    resolveResult({
      exitCode: e.code,
      signal: e.signal,
      ...(killReason !== undefined ? { reason: killReason } : {}),
      spawnedAt,
      exitedAt,
      totalBytes: limiter.totalBytes,
      droppedBytes: limiter.droppedBytes,
    });
  }

  return { pid, result, kill };
}

function notStarted(spawnedAt: number, reason: string): RunningTask {
  const result = Promise.resolve<TaskResult>({
    exitCode: null,
    signal: null,
    reason,
    spawnedAt,
    exitedAt: Date.now(),
    totalBytes: 0,
    droppedBytes: 0,
  });
  return { pid: undefined, result, kill() {} };
}

// Node reports a missing cwd as "spawn /bin/sh ENOENT", which blames the shell: say what it is.
function checkWorkdir(dir: string): string | null {
  try {
    if (!statSync(dir).isDirectory()) return `workdir is not a directory: ${dir}`;
    return null;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return `workdir does not exist: ${dir}`;
    return `workdir not usable: ${dir} (${code ?? errorText(err)})`;
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
