// The executor agent: connects to the web process over the executor protocol
// (lib/contracts/executor-protocol.ts), claims tasks while it has free slots, runs them
// (task-runner.ts), streams their output, heartbeats, and reports each result. It holds no
// database credentials: a URL and a token are all it needs, so it runs the same on another machine.
//
// The rules it follows, and why:
// - Claims happen on connect, on `nudge`, and on a poll (COURSE_POLL_MS): nudges only cut
//   latency, the poll is the truth. One claim is in flight at a time; a nudge during one makes
//   another follow it.
// - A report carries the claim of the next tasks (`claimNext` = free slots once this attempt is
//   done): one round trip from a job's end to the next task. Slots promised to a claim or a report
//   in flight are reserved, so concurrent claims never take more than `capacity`.
// - Output and reports go through the Outbox, in order, and survive a reconnect; the hello after a
//   reconnect lists running attempts and those whose report is not acknowledged, so the server
//   keeps their leases. A refused report (stale: the attempt ended meanwhile) is logged and dropped.
// - `kill` from the server, or an attempt named in a heartbeat ack's `kill`, ends that attempt
//   with reason `cancelled`.
// - One watchdog process per executor kills the task groups if this process dies (watchdog.ts).

import { io, type Socket } from 'socket.io-client';
import {
  EXECUTOR_NAMESPACE,
  type ExecutorClientToServer,
  type ExecutorServerToClient,
  type HelloAck,
  type Report,
  type Task,
} from '../lib/contracts/executor-protocol.ts';
import { Outbox } from './outbox.ts';
import { DEFAULT_OUTPUT_LIMIT_BYTES, runTask, type RunningTask, type TaskResult } from './task-runner.ts';
import { startWatchdog, type Watchdog } from './watchdog.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type Log = (level: LogLevel, message: string) => void;

export interface ExecutorOptions {
  /** Base URL of the web process, e.g. http://localhost:3000 (the namespace is added). */
  url: string;
  token: string;
  name: string;
  labels?: string[];
  capacity: number;
  log?: Log;
  /** Claim poll interval (default COURSE_POLL_MS or 1000). */
  pollMs?: number;
  /** Heartbeat interval when the HelloAck names none (default COURSE_HEARTBEAT_MS or 2000). */
  heartbeatMs?: number;
  /** Output kept per attempt when the HelloAck names none (default 10 MiB). */
  outputLimitBytes?: number;
  /** stop(): how long running tasks may finish before they are killed (default 10000). */
  stopTimeoutMs?: number;
  /** How long to wait for an ack of hello/claim/report/heartbeat (default 10000). */
  ackTimeoutMs?: number;
  /** Socket.io reconnection backoff (defaults 500 ms and the heartbeat interval, at most 5000). */
  reconnectDelayMs?: number;
  reconnectDelayMaxMs?: number;
  /** Start the watchdog process (default true; tests of the protocol alone may skip it). */
  watchdog?: boolean;
  /** See task-runner.ts: how long to wait for output a stray process holds open. */
  streamGraceMs?: number;
  /** Environment for the defaults above and for the tasks' PATH/HOME/… (default process.env). */
  env?: Record<string, string | undefined>;
}

export interface ExecutorHandle {
  /**
   * Graceful: stop claiming, let running tasks finish (up to `timeoutMs`, default stopTimeoutMs),
   * kill the rest (reason STOPPED_REASON), wait for their reports, disconnect, close the watchdog.
   * Calling it again returns the same promise; a `timeoutMs` given then shortens the wait.
   */
  stop(opts?: { timeoutMs?: number }): Promise<void>;
  /** Attempt ids running now. */
  running(): number[];
  readonly connected: boolean;
  readonly executorId: number | undefined;
}

/** Report reason for tasks killed because the executor is shutting down (not a user's cancel). */
export const STOPPED_REASON = 'executor stopped';

type ExecutorSocket = Socket<ExecutorServerToClient, ExecutorClientToServer>;

interface Running {
  task: Task;
  handle: RunningTask;
  seq: number;
}

export function startExecutor(opts: ExecutorOptions): ExecutorHandle {
  const env = opts.env ?? process.env;
  const log: Log = opts.log ?? defaultLog;
  const capacity = Math.max(0, Math.floor(opts.capacity));
  const pollMs = opts.pollMs ?? envNumber(env.COURSE_POLL_MS) ?? 1000;
  const fallbackHeartbeatMs = opts.heartbeatMs ?? envNumber(env.COURSE_HEARTBEAT_MS) ?? 2000;
  const ackTimeoutMs = opts.ackTimeoutMs ?? 10_000;
  const stopTimeoutMs = opts.stopTimeoutMs ?? 10_000;
  // Back within about a heartbeat of the server's return: the attempts' leases (a few
  // heartbeats) must not run out while the executor waits to reconnect.
  const reconnectDelayMaxMs = opts.reconnectDelayMaxMs ?? Math.min(5000, fallbackHeartbeatMs);
  const reconnectDelayMs = opts.reconnectDelayMs ?? Math.min(500, reconnectDelayMaxMs);
  const labels = opts.labels ?? [];

  const socket: ExecutorSocket = io(opts.url.replace(/\/+$/, '') + EXECUTOR_NAMESPACE, {
    auth: { token: opts.token },
    // Output is binary: over long-polling it would travel base64-encoded. Straight to WebSocket.
    transports: ['websocket'],
    reconnectionDelay: reconnectDelayMs,
    reconnectionDelayMax: reconnectDelayMaxMs,
    autoConnect: false,
  });
  const watchdog: Watchdog | undefined = opts.watchdog === false ? undefined : startWatchdog({ log });
  const outbox = new Outbox({
    output: (msg) => socket.emit('output', msg),
    report: (msg) => socket.timeout(ackTimeoutMs).emitWithAck('report', msg),
  });

  const running = new Map<number, Running>();
  let reserved = 0; // slots promised to a claim or report in flight
  let ready = false; // connected and hello acknowledged
  let session = 0; // bumps on every connect/disconnect, so late callbacks of an old one do nothing
  let stopping = false;
  let stopped = false;
  let executorId: number | undefined;
  let heartbeatMs = fallbackHeartbeatMs;
  let outputLimitBytes = opts.outputLimitBytes ?? DEFAULT_OUTPUT_LIMIT_BYTES;
  let heartbeatTimer: ReturnType<typeof setInterval> | undefined;
  let heartbeatInFlight = false;
  let claiming = false;
  let claimAgain = false;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };
  const free = () => capacity - running.size - reserved;

  // --- connection -------------------------------------------------------------------------

  socket.on('connect', () => {
    const s = ++session;
    log('info', `connected to ${opts.url}`);
    sendHello(s);
  });

  const sendHello = (s: number) => {
    const known = new Set([...running.keys(), ...outbox.pendingReports()]);
    socket
      .timeout(ackTimeoutMs)
      .emitWithAck('hello', { name: opts.name, labels, capacity, running: [...known] })
      .then(
        (ack: HelloAck) => {
          if (s !== session) return;
          if (!ack.ok) {
            log('error', `hello refused: ${ack.error ?? 'no reason given'}; trying again in ${pollMs} ms`);
            later(pollMs, () => s === session && socket.connected && sendHello(s));
            return;
          }
          executorId = ack.executorId;
          if (ack.heartbeatMs && ack.heartbeatMs > 0) heartbeatMs = ack.heartbeatMs;
          if (ack.outputLimitBytes !== undefined && ack.outputLimitBytes >= 0) outputLimitBytes = ack.outputLimitBytes;
          ready = true;
          outbox.up();
          startHeartbeat();
          void claim();
        },
        (err: Error) => {
          if (s !== session || !socket.connected) return;
          log('warn', `hello got no answer (${err.message}); trying again`);
          sendHello(s);
        },
      );
  };

  socket.on('disconnect', (reason) => {
    session++;
    ready = false;
    outbox.down();
    stopHeartbeat();
    if (stopped) return;
    log('warn', `disconnected (${reason})`);
    // After a server-side disconnect socket.io does not reconnect by itself; we still want to.
    if (reason === 'io server disconnect') later(reconnectDelayMs, () => !stopped && socket.connect());
  });

  let lastConnectError = '';
  let lastConnectErrorAt = 0;
  socket.on('connect_error', (err) => {
    if (stopped) return;
    const now = Date.now();
    // Say it once, then again only when it changes or every 30 s: a down server is not news.
    if (err.message !== lastConnectError || now - lastConnectErrorAt > 30_000) {
      log('warn', `cannot connect to ${opts.url}${EXECUTOR_NAMESPACE}: ${err.message}`);
      lastConnectError = err.message;
      lastConnectErrorAt = now;
    }
    // Refused by the server's middleware (bad token…): socket.io gives up; we keep trying slowly.
    if (!socket.active) later(reconnectDelayMaxMs, () => !stopped && socket.connect());
  });

  socket.on('nudge', () => void claim());
  socket.on('kill', (msg) => killAttempt(msg.attemptId, 'cancelled', msg.reason));

  // --- heartbeat -------------------------------------------------------------------------

  const startHeartbeat = () => {
    stopHeartbeat();
    heartbeatTimer = setInterval(beat, heartbeatMs);
  };
  const stopHeartbeat = () => {
    if (heartbeatTimer) clearInterval(heartbeatTimer);
    heartbeatTimer = undefined;
  };
  const beat = () => {
    if (!ready || heartbeatInFlight) return;
    heartbeatInFlight = true;
    // Attempts awaiting their report's ack are still ours: keep their leases too.
    const ids = new Set([...running.keys(), ...outbox.pendingReports()]);
    socket
      .timeout(ackTimeoutMs)
      .emitWithAck('heartbeat', { running: [...ids] })
      .then(
        (ack) => {
          for (const id of ack.kill ?? []) killAttempt(id, 'cancelled', 'named in a heartbeat ack');
        },
        (err: Error) => log('debug', `heartbeat got no answer: ${err.message}`),
      )
      .finally(() => (heartbeatInFlight = false));
  };

  // --- claims ----------------------------------------------------------------------------

  const pollTimer = setInterval(() => {
    if (ready && !stopping && free() > 0) void claim();
  }, pollMs);

  const claim = async (): Promise<void> => {
    if (claiming) {
      claimAgain = true;
      return;
    }
    claiming = true;
    try {
      do {
        claimAgain = false;
        const max = free();
        if (!ready || stopping || max <= 0) break;
        const s = session;
        reserved += max;
        let tasks: Task[] = [];
        try {
          const ack = await socket.timeout(ackTimeoutMs).emitWithAck('claim', { max });
          if (!ack.ok) log('warn', `claim refused: ${ack.error ?? 'no reason given'}`);
          tasks = ack.tasks ?? [];
        } catch (err) {
          if (s === session) log('warn', `claim got no answer: ${(err as Error).message}`);
        } finally {
          reserved -= max;
        }
        for (const t of tasks) startTask(t);
        // Got all we asked for: there may be more waiting.
        if (tasks.length >= max && tasks.length > 0) claimAgain = true;
      } while (claimAgain);
    } finally {
      claiming = false;
    }
  };

  // --- tasks -----------------------------------------------------------------------------

  const startTask = (task: Task) => {
    if (running.has(task.attemptId) || outbox.pendingReports().includes(task.attemptId)) {
      log('warn', `attempt ${task.attemptId} handed out twice; ignoring the second`);
      return;
    }
    if (stopping) {
      // Handed to us while shutting down: give it back at once rather than hold it to the kill.
      const now = Date.now();
      void sendReport(task, { exitCode: null, signal: null, reason: STOPPED_REASON, spawnedAt: now, exitedAt: now, totalBytes: 0, droppedBytes: 0 });
      return;
    }
    if (running.size >= capacity) log('warn', `server handed out more tasks than capacity ${capacity}; running attempt ${task.attemptId} anyway`);
    log('info', `attempt ${task.attemptId}: ${task.workflow}/${task.job} #${task.attempt} starting`);
    const entry = { task, seq: 0 } as Running;
    entry.handle = runTask(task, {
      outputLimitBytes,
      groups: watchdog,
      executorEnv: env,
      streamGraceMs: opts.streamGraceMs,
      onOutput: (stream, data, offset) => {
        outbox.output({ attemptId: task.attemptId, seq: entry.seq++, stream, data, offset });
      },
    });
    running.set(task.attemptId, entry);
    void entry.handle.result.then((res) => {
      running.delete(task.attemptId);
      return sendReport(task, res);
    });
  };

  const sendReport = async (task: Task, res: TaskResult) => {
    const claimNext = stopping || stopped ? 0 : Math.max(0, free());
    reserved += claimNext;
    const report: Report = {
      attemptId: task.attemptId,
      exitCode: res.exitCode,
      signal: res.signal,
      ...(res.reason !== undefined ? { reason: res.reason } : {}),
      spawnedAt: res.spawnedAt,
      exitedAt: res.exitedAt,
      droppedBytes: res.droppedBytes,
      claimNext,
    };
    const how = res.reason ?? (res.exitCode !== null ? `exit code ${res.exitCode}` : `signal ${res.signal}`);
    log('info', `attempt ${task.attemptId}: ended (${how})`);
    let ack = await outbox.report(report);
    reserved -= claimNext;
    // A transient refusal (the server says `retry`): send it again a little later, a bounded
    // number of times, claiming nothing (the poll fills the slots); the lease on the server ends
    // the story if it never gets through.
    for (let tries = 1; !ack.ok && ack.retry && tries <= REPORT_RETRIES && !stopped; tries++) {
      for (const t of ack.tasks ?? []) startTask(t);
      log('warn', `report of attempt ${task.attemptId} refused for now (${ack.error ?? 'no reason given'}); sending it again`);
      await delay(pollMs);
      ack = await outbox.report({ ...report, claimNext: 0 });
    }
    if (!ack.ok) log('warn', `report of attempt ${task.attemptId} refused: ${ack.error ?? 'no reason given'}; dropped`);
    // Tasks come with a refusal too when the server claimed them anyway: run them.
    for (const t of ack.tasks ?? []) startTask(t);
    // The slots it reserved went unused by a refusal: fill them the usual way.
    if (!ack.ok && ready && !stopping && free() > 0) void claim();
  };

  const killAttempt = (attemptId: number, reason: string, why?: string) => {
    const entry = running.get(attemptId);
    if (!entry) {
      log('debug', `kill for attempt ${attemptId}, which is not running here`);
      return;
    }
    log('info', `attempt ${attemptId}: killing (${why ?? reason})`);
    entry.handle.kill(reason);
  };

  // --- shutdown --------------------------------------------------------------------------

  const allEnded = () => Promise.all([...running.values()].map((r) => r.handle.result)).then(() => {});
  let stopPromise: Promise<void> | undefined;
  // A later stop() with a shorter timeout (a second SIGTERM) cuts the wait short.
  let hurry!: () => void;
  const hurried = new Promise<void>((r) => (hurry = r));
  const stop = (stopOpts: { timeoutMs?: number } = {}): Promise<void> => {
    if (stopPromise) {
      if (stopOpts.timeoutMs !== undefined) setTimeout(hurry, stopOpts.timeoutMs);
      return stopPromise;
    }
    stopPromise = (async () => {
      stopping = true;
      clearInterval(pollTimer);
      const limit = stopOpts.timeoutMs ?? stopTimeoutMs;
      if (running.size > 0) {
        log('info', `stopping: waiting up to ${limit} ms for ${running.size} running task(s)`);
        await within(Promise.race([allEnded(), hurried]), limit);
      }
      for (const id of running.keys()) killAttempt(id, STOPPED_REASON);
      await allEnded();
      // Wait for the reports to land (they are what tells the server to retry elsewhere), but
      // only briefly when the server is unreachable (it may be stopping too, as under
      // `npm start`): the leases of unreported attempts expire there anyway.
      await within(outbox.idle(), ready ? ackTimeoutMs : Math.min(1000, ackTimeoutMs));
      stopped = true;
      stopHeartbeat();
      for (const t of timers) clearTimeout(t);
      socket.disconnect();
      await watchdog?.close();
      log('info', 'stopped');
    })();
    return stopPromise;
  };

  socket.connect();

  return {
    stop,
    running: () => [...running.keys()],
    get connected() {
      return ready;
    },
    get executorId() {
      return executorId;
    },
  };
}

const REPORT_RETRIES = 20;

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Waits for `p`, but no longer than `ms` (and leaves no timer behind). */
function within(p: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    void p.finally(() => {
      clearTimeout(t);
      resolve();
    });
  });
}

function envNumber(v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

const defaultLog: Log = (level, message) => {
  if (level === 'debug' && !process.env.COURSE_DEBUG) return;
  const line = `${new Date().toISOString()} executor ${level}: ${message}\n`;
  (level === 'warn' || level === 'error' ? process.stderr : process.stdout).write(line);
};
