// Transactions that never wedge: every write in Course goes through writeTx().
// Why and how: docs/decisions/sqlite-writes.md. In short —
// - SQLite (web and worker write the same file): the transaction takes the write lock at its
//   start (BEGIN IMMEDIATE, in sqlite-adapter.ts), so it never reads and then fails to upgrade; a
//   failed COMMIT always ends in ROLLBACK (never a connection left inside a transaction,
//   prisma/orm#29933); busy/locked errors retry the whole callback with jittered back-off.
// - PostgreSQL: READ COMMITTED; serialization failures and deadlocks (P2034, 40001, 40P01) retry
//   the whole callback the same way.
// Rules for callers:
// - `fn` may run more than once: no side effects outside the transaction inside it (publish
//   nudges, send mail… after writeTx returns).
// - Keep it short: on SQLite it holds the only write lock of the whole database.
// - Use the `tx` it is given; calling `db.prisma` inside it waits for the transaction to end
//   (SQLite) — a deadlock broken only by the transaction timeout.
import { readOnlyTransaction } from './sqlite-adapter.ts';
import type { Database, Tx } from './client.ts';

export interface TxOptions {
  /** Give up (rethrow the last error) after this many attempts. Default 12. */
  maxAttempts?: number;
  /** The transaction is rolled back if `fn` runs longer than this. Default 20 s. */
  timeoutMs?: number;
  /** How long to wait to start the transaction (in-process queue + write lock). Default 30 s. */
  maxWaitMs?: number;
  /** Told about each retry (for metrics and tests). */
  onRetry?: (error: unknown, attempt: number) => void;
}

const DEFAULTS: Required<TxOptions> = { maxAttempts: 12, timeoutMs: 20_000, maxWaitMs: 30_000, onRetry: () => undefined };

function withDefaults(options: TxOptions): Required<TxOptions> {
  const o = { ...DEFAULTS };
  for (const [k, v] of Object.entries(options)) if (v !== undefined) (o as Record<string, unknown>)[k] = v;
  return o;
}

// SQLite: adapter-better-sqlite3 maps SQLITE_BUSY to the driver error kind "SocketTimeout", which the
// client reports as P1008 with driverAdapterError.cause.originalCode = 'SQLITE_BUSY'. A busy error at
// COMMIT is safe to retry because sqlite-adapter.ts then rolls back.
// PostgreSQL: P2034 (write conflict / deadlock), SQLSTATE 40001 and 40P01. P1008 is *not* retried
// there: a network timeout at COMMIT leaves it unknown whether the transaction committed.
// Both: a transaction that could not even start in maxWait (P2028 "Unable to start") ran nothing.
const PG_CODES = new Set(['40001', '40P01']); // serialization_failure, deadlock_detected
const START_TIMEOUT = /Unable to start a transaction in the given time/i;
const SQLITE_BUSY = /^SQLITE_(BUSY|LOCKED)/;
const SQLITE_MESSAGE = /SQLITE_BUSY|SQLITE_LOCKED|database is locked|database table is locked/i;
const PG_MESSAGE = /could not serialize access|deadlock detected/i;

/** True for errors that mean "someone else holds the lock or won the race, nothing was committed: run it again". */
export function isRetryableTxError(error: unknown, provider: 'sqlite' | 'postgresql'): boolean {
  const seen = new Set<unknown>();
  const stack: unknown[] = [error];
  while (stack.length > 0) {
    const e = stack.pop();
    if (!e || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    const o = e as { code?: unknown; message?: unknown; meta?: unknown; cause?: unknown; originalCode?: unknown; kind?: unknown };
    const code = typeof o.code === 'string' ? o.code : undefined;
    const original = typeof o.originalCode === 'string' ? o.originalCode : undefined;
    const message = typeof o.message === 'string' ? o.message : '';
    if (START_TIMEOUT.test(message)) return true;
    if (provider === 'sqlite') {
      if ((original && SQLITE_BUSY.test(original)) || (code && SQLITE_BUSY.test(code)) || SQLITE_MESSAGE.test(message)) return true;
    } else {
      if (code === 'P2034' || (code && PG_CODES.has(code)) || (original && PG_CODES.has(original)) || PG_MESSAGE.test(message)) return true;
    }
    stack.push(o.cause);
    if (o.meta && typeof o.meta === 'object') stack.push(o.meta, ...Object.values(o.meta as object));
  }
  return false;
}

/** Full-jitter exponential back-off: 0..min(1 s, 5 ms · 2^attempt). */
function backoff(attempt: number): Promise<void> {
  const cap = Math.min(1000, 5 * 2 ** attempt);
  return new Promise((r) => setTimeout(r, Math.random() * cap));
}

async function withRetries<T>(db: Database, opts: Required<TxOptions>, run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (e) {
      if (attempt >= opts.maxAttempts || !isRetryableTxError(e, db.provider)) throw e;
      opts.onRetry(e, attempt);
      await backoff(attempt);
    }
  }
}

/** Runs `fn` in one write transaction, retried as a whole on lock/serialization conflicts. */
export async function writeTx<T>(db: Database, fn: (tx: Tx) => Promise<T>, options: TxOptions = {}): Promise<T> {
  const opts = withDefaults(options);
  return withRetries(db, opts, () =>
    // false: a writeTx nested in readTx's async context still gets BEGIN IMMEDIATE.
    readOnlyTransaction.run(false, () =>
      db.prisma.$transaction((tx) => fn(tx), { timeout: opts.timeoutMs, maxWait: opts.maxWaitMs }),
    ),
  );
}

/**
 * Runs `fn` in one read-only transaction: a consistent snapshot for several reads.
 * SQLite: BEGIN DEFERRED with `PRAGMA query_only` (a write inside fails at once instead of
 * upgrading the lock); PostgreSQL: REPEATABLE READ. Single reads need no transaction.
 */
export async function readTx<T>(db: Database, fn: (tx: Tx) => Promise<T>, options: TxOptions = {}): Promise<T> {
  const opts = withDefaults(options);
  return withRetries(db, opts, () =>
    readOnlyTransaction.run(true, () =>
      db.prisma.$transaction((tx) => fn(tx), {
        timeout: opts.timeoutMs,
        maxWait: opts.maxWaitMs,
        // The SQLite client's type only knows Serializable; the PostgreSQL client accepts this.
        ...(db.provider === 'postgresql' ? { isolationLevel: 'RepeatableRead' as never } : {}),
      }),
    ),
  );
}
