// What a transaction leaves to do once it has committed: nudges only (DESIGN.md: the database is
// the truth; a lost nudge costs latency, never correctness). Collected during the transaction and
// published by the caller after commit, so nobody is nudged about a write that rolled back.
import type { Snapshot } from './snapshot-cache';
import type { TimelineRow } from './timeline';

export interface KillOrder {
  attemptId: number;
  executorId: number | null;
  reason: string;
}

export interface PostCommit {
  /** Job runs became queued: executors may claim. */
  executors: boolean;
  /** How many job runs became queued in this transaction. */
  queued: number;
  /** Timers changed (a retry scheduled, a run with a timeout started, a run ended): the worker re-plans. */
  worker: boolean;
  /** Runs whose state changed: watchers of these runs (sockets, `logs --follow`) refresh. */
  runs: Set<number>;
  kills: KillOrder[];
  /** Job-run snapshots this transaction wrote (snapshot-cache.ts); kept once it commits. */
  snapshots: Map<number, Snapshot>;
  /** Timeline rows the run engine added, written in one insert at the end of the transaction. */
  timeline: TimelineRow[];
  /** Which database the transaction runs on (PostgreSQL locks a run's row before changing it). */
  provider?: 'sqlite' | 'postgresql';
}

export function newPostCommit(provider?: 'sqlite' | 'postgresql'): PostCommit {
  return { executors: false, queued: 0, worker: false, runs: new Set(), kills: [], snapshots: new Map(), timeline: [], provider };
}

/** Publishes a PostCommit: implemented by the web process (sockets) and the worker (internal socket). */
export interface Nudger {
  publish(post: PostCommit): void;
}

export const silentNudger: Nudger = { publish() {} };
