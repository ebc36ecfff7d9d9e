// A minimal fake of the server side of the executor protocol, for tests of the agent: a real
// Socket.io server on a free port that checks the token, acks hello, hands out queued tasks on
// claim and on report (claimNext), records everything it receives in order, and can nudge, kill,
// drop connections, go down and come back on the same port.
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket } from 'socket.io';
import {
  EXECUTOR_NAMESPACE,
  type ExecutorClientToServer,
  type ExecutorServerToClient,
  type Heartbeat,
  type Hello,
  type OutputMessage,
  type Report,
  type Task,
} from '../../lib/contracts/executor-protocol.ts';

export interface FakeServerOptions {
  token?: string;
  heartbeatMs?: number;
  outputLimitBytes?: number;
}

export interface FakeServer {
  url: string;
  /** Tasks waiting to be handed out, in order. */
  queue: Task[];
  hellos: Hello[];
  claims: { max: number; given: number[] }[];
  outputs: OutputMessage[];
  reports: { report: Report; given: number[]; ok: boolean }[];
  heartbeats: Heartbeat[];
  /** Everything received, in order: `hello`, `claim`, `output A:SEQ`, `report A`, tagged `#connection`. */
  events: string[];
  /** Attempts whose reports are refused as stale. */
  refuse: Set<number>;
  /** Attempts the next heartbeat acks name in `kill`. */
  killOnHeartbeat: number[];
  connections: number;
  nudge(): void;
  kill(attemptId: number, reason: string): void;
  /** Closes the transport under every connection (the client reconnects by itself). */
  dropConnections(): void;
  /** Goes down completely (the port refuses connections) … */
  down(): Promise<void>;
  /** … and comes back on the same port, keeping what it recorded. */
  up(): Promise<void>;
  close(): Promise<void>;
  /** The output of one attempt, per stream, in seq order. */
  output(attemptId: number, stream?: 'stdout' | 'stderr'): Buffer;
  waitFor(cond: () => boolean, ms?: number): Promise<void>;
}

type S = Socket<ExecutorClientToServer, ExecutorServerToClient>;

export async function startFakeServer(opts: FakeServerOptions = {}): Promise<FakeServer> {
  const token = opts.token ?? 'test-token';
  let http: HttpServer;
  let io: Server;
  let port = 0;
  const sockets = new Set<S>();

  const fake: FakeServer = {
    url: '',
    queue: [],
    hellos: [],
    claims: [],
    outputs: [],
    reports: [],
    heartbeats: [],
    events: [],
    refuse: new Set(),
    killOnHeartbeat: [],
    connections: 0,
    nudge: () => io.of(EXECUTOR_NAMESPACE).emit('nudge'),
    kill: (attemptId, reason) => io.of(EXECUTOR_NAMESPACE).emit('kill', { attemptId, reason }),
    dropConnections: () => {
      for (const s of sockets) s.conn.close();
    },
    down: async () => {
      for (const s of sockets) s.disconnect(true);
      await new Promise<void>((r) => io.close(() => r()));
    },
    up: () => listen(),
    close: async () => {
      await new Promise<void>((r) => io.close(() => r()));
    },
    output: (attemptId, stream) =>
      Buffer.concat(
        fake.outputs
          .filter((o) => o.attemptId === attemptId && (!stream || o.stream === stream))
          .sort((a, b) => a.seq - b.seq)
          .map((o) => Buffer.from(o.data)),
      ),
    waitFor: async (cond, ms = 5000) => {
      const until = Date.now() + ms;
      while (!cond()) {
        if (Date.now() > until) throw new Error('fake server: condition not met in time');
        await new Promise((r) => setTimeout(r, 5));
      }
    },
  };

  const onConnection = (socket: S) => {
    const n = ++fake.connections;
    sockets.add(socket);
    socket.on('disconnect', () => sockets.delete(socket));
    socket.on('hello', (msg, ack) => {
      fake.hellos.push(msg);
      fake.events.push(`hello #${n}`);
      ack({ ok: true, executorId: 1, heartbeatMs: opts.heartbeatMs ?? 60_000, leaseMs: 30_000, outputLimitBytes: opts.outputLimitBytes });
    });
    socket.on('claim', (msg, ack) => {
      const tasks = fake.queue.splice(0, msg.max);
      fake.claims.push({ max: msg.max, given: tasks.map((t) => t.attemptId) });
      fake.events.push(`claim #${n}`);
      ack({ ok: true, tasks });
    });
    socket.on('output', (msg) => {
      fake.outputs.push(msg);
      fake.events.push(`output ${msg.attemptId}:${msg.seq} #${n}`);
    });
    socket.on('report', (msg, ack) => {
      fake.events.push(`report ${msg.attemptId} #${n}`);
      if (fake.refuse.has(msg.attemptId)) {
        fake.reports.push({ report: msg, given: [], ok: false });
        ack({ ok: false, error: 'attempt has ended', tasks: [] });
        return;
      }
      const tasks = fake.queue.splice(0, msg.claimNext);
      fake.reports.push({ report: msg, given: tasks.map((t) => t.attemptId), ok: true });
      ack({ ok: true, tasks });
    });
    socket.on('heartbeat', (msg, ack) => {
      fake.heartbeats.push(msg);
      const kill = fake.killOnHeartbeat;
      fake.killOnHeartbeat = [];
      ack({ ok: true, kill });
    });
  };

  const listen = async () => {
    http = createServer();
    io = new Server(http); // default limits, as a real server would have
    const nsp = io.of(EXECUTOR_NAMESPACE);
    nsp.use((socket, next) => {
      if ((socket.handshake.auth as { token?: string }).token === token) next();
      else next(new Error('bad token'));
    });
    nsp.on('connection', (s) => onConnection(s as unknown as S));
    await new Promise<void>((r) => http.listen(port, '127.0.0.1', () => r()));
    port = (http.address() as AddressInfo).port;
    fake.url = `http://127.0.0.1:${port}`;
  };
  await listen();
  return fake;
}

let nextAttempt = 1000;
/** A task for the fake server's queue. */
export function fakeTask(command: string, extra: Partial<Task> = {}): Task {
  const attemptId = nextAttempt++;
  return { attemptId, runId: 1, workflow: 'wf', job: `job${attemptId}`, attempt: 1, command, env: {}, killGraceMs: 2000, ...extra };
}
