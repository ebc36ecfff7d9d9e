// The executor protocol: what crosses between the web process and executor agents (local or
// remote) over the Socket.io namespace EXECUTOR_NAMESPACE. Executors import only lib/contracts.
//
// Flow: the executor connects with `auth: { token }`, emits `hello` (ack: HelloAck), then
// `claim` whenever it has free slots. The server emits `nudge` when work may be available, and
// `kill` when an attempt must stop (cancel). Output goes up in `output` messages, ordered by seq.
// `report` ends an attempt and carries the executor's claim of its next tasks (the hot path: one
// round trip from a job's end to its dependant's start). `heartbeat` renews the lease of every
// attempt the executor runs; an attempt whose lease expires is failed with reason `executor lost`.
// Every call names the attempt id, which is the fencing token: calls for an attempt that has
// ended or is not this executor's are refused with `{ ok: false, error }`.

export const EXECUTOR_NAMESPACE = '/executor';

export interface Hello {
  name: string;
  labels: string[];
  capacity: number;
  /** Attempts this executor still runs (after a reconnect), so the server keeps their leases. */
  running: number[];
}

export interface HelloAck {
  ok: boolean;
  error?: string;
  executorId?: number;
  heartbeatMs?: number;
  leaseMs?: number;
  /** Output bytes kept per attempt; beyond it the head and the tail are kept. */
  outputLimitBytes?: number;
}

/** A task handed to an executor: one attempt of one job run. */
export interface Task {
  attemptId: number;
  runId: number;
  workflow: string;
  job: string;
  attempt: number;
  command: string;
  /** The full task environment (job env, params, COURSE_* variables); the executor adds PATH/HOME of its own. */
  env: Record<string, string>;
  workdir?: string;
  timeoutMs?: number;
  killGraceMs: number;
}

export interface Claim {
  /** How many tasks the executor can take now (free slots). */
  max: number;
}

export interface ClaimAck {
  ok: boolean;
  error?: string;
  tasks: Task[];
}

export interface OutputMessage {
  attemptId: number;
  /** 0, 1, 2 … per attempt, in the order the bytes were read. */
  seq: number;
  stream: 'stdout' | 'stderr';
  data: Uint8Array;
  /**
   * Optional: position of data[0] in the attempt's whole output (both streams, read order). It
   * jumps once when the limit was hit: the first tail chunk starts at head + droppedBytes, which
   * tells the server exactly where the gap is.
   */
  offset?: number;
}

export interface Report {
  attemptId: number;
  /** Exit code, or null when the process was ended by a signal. */
  exitCode: number | null;
  signal: string | null;
  /** Set when the executor ended the task itself: `timeout`, `cancelled`, or a spawn error text. */
  reason?: string;
  /** Executor clock, ms since epoch: just before spawn, and just after the exit was seen. */
  spawnedAt: number;
  exitedAt: number;
  /** Output bytes not kept (between the head and the tail). */
  droppedBytes: number;
  /** Free slots after this report: the server answers with up to this many new tasks. */
  claimNext: number;
}

export interface ReportAck {
  ok: boolean;
  error?: string;
  /**
   * Optional, with `ok: false`: the refusal is transient (the server failed, e.g. a busy
   * database), not a stale report; the executor keeps the report and sends it again shortly.
   * Without it a refused report is dropped.
   */
  retry?: boolean;
  tasks: Task[];
}

export interface Heartbeat {
  running: number[];
}

export interface HeartbeatAck {
  ok: boolean;
  /** Attempts the executor must kill (cancelled, or no longer its own). */
  kill: number[];
}

export interface KillMessage {
  attemptId: number;
  reason: string;
}

/** Socket.io event map, server → executor. */
export interface ExecutorServerToClient {
  nudge: () => void;
  kill: (msg: KillMessage) => void;
}

/** Socket.io event map, executor → server (every call but `output` takes an ack callback). */
export interface ExecutorClientToServer {
  hello: (msg: Hello, ack: (a: HelloAck) => void) => void;
  claim: (msg: Claim, ack: (a: ClaimAck) => void) => void;
  output: (msg: OutputMessage) => void;
  report: (msg: Report, ack: (a: ReportAck) => void) => void;
  heartbeat: (msg: Heartbeat, ack: (a: HeartbeatAck) => void) => void;
}
