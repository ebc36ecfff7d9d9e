// The executor protocol's server side (lib/contracts/executor-protocol.ts), served straight from
// the web process's Socket.io server rather than through Next's router: it is the hot path. A
// report carries the executor's claim of its next tasks, so a job's end and its dependant's start
// are one round trip and one transaction.
import type { Namespace, Server, Socket } from 'socket.io';
import {
  EXECUTOR_NAMESPACE,
  type ExecutorClientToServer,
  type ExecutorServerToClient,
} from '../lib/contracts/executor-protocol';
import { hashSecret } from '../lib/server/auth/tokens';
import type { Config } from '../lib/server/config';
import type { Database } from '../lib/server/db/client';
import { claimTasks, heartbeat, reportAttempt, transact, type Nudger } from '../lib/server/runs';
import { OutputWriter } from './output-writer';

export interface ExecutorData {
  id: number;
  name: string;
  labels: string[];
  capacity: number;
  /** The token fixed the labels when it was created. */
  tokenLabels: boolean;
}

type ExecSocket = Socket<ExecutorClientToServer, ExecutorServerToClient, Record<string, never>, { executor: ExecutorData }>;

export interface ExecutorHub {
  nsp: Namespace<ExecutorClientToServer, ExecutorServerToClient>;
  nudgeAll(): void;
  kill(executorId: number | null, attemptId: number, reason: string): void;
}

export function attachExecutorHub(io: Server, db: Database, config: Config, nudger: Nudger, now: () => number = Date.now): ExecutorHub {
  const nsp = io.of(EXECUTOR_NAMESPACE) as unknown as Namespace<ExecutorClientToServer, ExecutorServerToClient>;
  const claimSettings = { leaseMs: config.leaseMs, defaultKillGraceMs: config.killGraceMs };

  nsp.use(async (socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown })?.token;
    if (typeof token !== 'string' || token === '') return next(new Error('executor token missing: pass --token or COURSE_TOKEN'));
    try {
      const row = await db.prisma.executor.findUnique({ where: { tokenHash: hashSecret(token) } });
      if (!row) return next(new Error('executor token not recognised: create one with POST /api/v1/executors/tokens'));
      socket.data.executor = { id: row.id, name: row.name, labels: row.tokenLabels ? row.tokenLabels.split(',') : row.labels ? row.labels.split(',') : [], capacity: row.capacity, tokenLabels: row.tokenLabels !== '' };
      next();
    } catch (e) {
      next(e as Error);
    }
  });

  nsp.on('connection', (raw) => {
    const socket = raw as unknown as ExecSocket;
    const ex = socket.data.executor;
    const tokenLabels = ex.tokenLabels;
    void socket.join(`executor:${ex.id}`);
    const output = new OutputWriter(db, nudger, ex);
    const fail = (ack: ((a: never) => void) | undefined, e: unknown) => {
      console.error(`executor ${ex.name}:`, e);
      // retry: the failure was ours (the database), not the executor's: it sends the call again.
      if (typeof ack === 'function') (ack as (a: unknown) => void)({ ok: false, retry: true, error: e instanceof Error ? e.message : String(e), tasks: [], kill: [] });
    };

    socket.on('hello', async (msg, ack) => {
      try {
        // The token decides who the executor is: its name always, and its labels when the token
        // was given some (so a token holder cannot claim jobs meant for other labels). Only a
        // token without labels takes the executor's --label flags.
        if (!tokenLabels) ex.labels = [...new Set(msg.labels ?? [])].sort();
        ex.capacity = Math.max(1, Math.floor(msg.capacity ?? 1));
        const t = now();
        await db.prisma.executor.update({
          where: { id: ex.id },
          data: { labels: ex.labels.join(','), capacity: ex.capacity, state: 'online', lastSeenAt: new Date(t) },
        });
        const kill = await transact(db, nudger, (tx) => heartbeat(tx, ex.id, msg.running ?? [], t, config.leaseMs));
        for (const attemptId of kill) socket.emit('kill', { attemptId, reason: 'attempt no longer held by this executor' });
        ack({ ok: true, executorId: ex.id, heartbeatMs: config.heartbeatMs, leaseMs: config.leaseMs, outputLimitBytes: config.outputLimitBytes });
      } catch (e) {
        fail(ack, e);
      }
    });

    socket.on('claim', async (msg, ack) => {
      try {
        const tasks = await transact(db, nudger, (tx, post) => claimTasks(tx, db.provider, ex, Math.min(msg.max, ex.capacity), now(), claimSettings, post));
        ack({ ok: true, tasks });
      } catch (e) {
        fail(ack, e);
      }
    });

    socket.on('output', (msg) => output.add(msg));

    socket.on('report', async (msg, ack) => {
      try {
        // An attempt's last bytes are stored before its end, so `logs --follow` never misses them.
        await output.drained();
        const t = now();
        const result = await transact(db, nudger, async (tx, post) => {
          const r = await reportAttempt(tx, ex.id, msg, t, post);
          const tasks = msg.claimNext > 0 ? await claimTasks(tx, db.provider, ex, Math.min(msg.claimNext, ex.capacity), t, claimSettings, post) : [];
          // This executor took what its report queued: nudging every executor would only make
          // them all claim (a write transaction each) and find nothing.
          if (post.queued <= tasks.length) post.executors = false;
          return { ...r, tasks };
        });
        ack(result.ok ? { ok: true, tasks: result.tasks } : { ok: false, error: result.error, tasks: result.tasks });
      } catch (e) {
        fail(ack, e);
      }
    });

    socket.on('heartbeat', async (msg, ack) => {
      try {
        const kill = await transact(db, nudger, (tx) => heartbeat(tx, ex.id, msg.running ?? [], now(), config.leaseMs));
        ack({ ok: true, kill });
      } catch (e) {
        fail(ack, e);
      }
    });
  });

  return {
    nsp,
    nudgeAll: () => nsp.emit('nudge'),
    kill: (executorId, attemptId, reason) => {
      if (executorId === null) return;
      nsp.to(`executor:${executorId}`).emit('kill', { attemptId, reason });
    },
  };
}
