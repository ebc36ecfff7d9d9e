// A wrapper around @prisma/adapter-better-sqlite3 7.10 that makes its transactions safe when more
// than one process writes the same SQLite file. Read docs/decisions/sqlite-writes.md first.
//
// What the adapter does (node_modules/@prisma/adapter-better-sqlite3/dist/index.mjs, 7.10.0):
// - one better-sqlite3 connection per PrismaClient; an in-process mutex serialises *interactive*
//   transactions only — plain queries run on the same connection whenever they are issued, so a
//   query from another async task lands *inside* whatever transaction is open at that moment;
// - startTransaction() runs a plain (DEFERRED) `BEGIN`: the write lock is taken only by the first
//   write, and a transaction that read first then gets SQLITE_BUSY(_SNAPSHOT) on that write without
//   the busy handler ever waiting;
// - the transaction's options are `usePhantomQuery: false`, so the client sends `COMMIT` itself
//   through executeRaw, and on failure calls transaction.rollback() — which only releases the mutex
//   and sends no ROLLBACK. One SQLITE_BUSY at COMMIT therefore leaves the connection inside the
//   transaction for good: later "autocommit" writes succeed but are never committed
//   (prisma/orm#29933);
// - better-sqlite3 is synchronous, so SQLite's busy handler (busy_timeout) sleeps *on the event
//   loop*: a process waiting for another's write lock is frozen — no HTTP, no sockets, no timers —
//   for as long as it waits, and two connections in one process deadlock until the timeout.
//
// What this wrapper changes (same connection, same result mapping and error conversion):
// - startTransaction() runs `BEGIN IMMEDIATE`: the write lock is taken up front, so no
//   read-then-upgrade can fail later. Inside readTx() (see write.ts) it runs `BEGIN DEFERRED`
//   with `PRAGMA query_only` on instead.
// - Lock waits are asynchronous: the connection's busy_timeout is 0 and a statement refused with
//   SQLITE_BUSY (BEGIN IMMEDIATE, or a plain single statement — which then did nothing) is retried
//   after a short jittered sleep, for up to `busyTimeoutMs` in total. The event loop stays free.
// - the transaction says `usePhantomQuery: true`, so the client calls commit()/rollback() and we own
//   the SQL: commit() runs COMMIT and, if that fails, ROLLBACK; rollback() runs ROLLBACK. Either
//   way the connection leaves the transaction before the mutex is released. Queries on a closed
//   transaction are refused, so a late query of a timed-out transaction cannot run elsewhere.
// - plain queries wait for the mutex, so they never run inside someone else's transaction.
// - should the connection ever be found inside a transaction nobody owns, it is rolled back (or
//   the connection is reopened if ROLLBACK fails) before the next use.
import { AsyncLocalStorage } from 'node:async_hooks';
import type {
  IsolationLevel,
  SqlDriverAdapter,
  SqlDriverAdapterFactory,
  SqlQuery,
  SqlResultSet,
  Transaction,
  TransactionOptions,
} from '@prisma/driver-adapter-utils';

export interface SqliteOptions {
  /**
   * How long a statement waits for a lock before SQLITE_BUSY reaches the caller — waited
   * asynchronously by this wrapper, not by SQLite's (event-loop-blocking) busy handler.
   */
  busyTimeoutMs: number;
  /** Called when the wrapper repairs a connection (a transaction left open, a reopen). */
  onWarning?: (message: string) => void;
}

/** Set by readTx(): the next transaction started in this async context only reads. */
export const readOnlyTransaction = new AsyncLocalStorage<boolean>();

/** The bits of better-sqlite3's Database we use. */
interface RawConnection {
  readonly inTransaction: boolean;
  readonly open: boolean;
  exec(sql: string): unknown;
  pragma(sql: string, options?: { simple?: boolean }): unknown;
}

/** A FIFO mutex. */
class Mutex {
  #tail: Promise<void> = Promise.resolve();
  #locked = false;
  get locked(): boolean {
    return this.#locked;
  }
  async acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((r) => (release = r));
    const prev = this.#tail;
    this.#tail = prev.then(() => next);
    await prev;
    this.#locked = true;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.#locked = false;
      release();
    };
  }
  async run<T>(fn: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  }
}

const sql = (text: string): SqlQuery => ({ sql: text, args: [], argTypes: [] });

/** SQLite's own (synchronous) busy wait: none. */
const SYNC_BUSY_TIMEOUT_MS = 0;

/** SQLITE_BUSY / SQLITE_LOCKED, raw from better-sqlite3 or as the adapter's DriverAdapterError. */
export function isSqliteBusy(e: unknown): boolean {
  const o = e as { code?: unknown; cause?: { originalCode?: unknown } } | undefined;
  const code = typeof o?.code === 'string' ? o.code : typeof o?.cause?.originalCode === 'string' ? o.cause.originalCode : '';
  return /^SQLITE_(BUSY|LOCKED)/.test(code);
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Jittered back-off between lock attempts: about 1 ms at first, at most about 25 ms. */
function lockBackoff(attempt: number): number {
  return Math.min(25, 2 ** Math.min(attempt, 5)) * (0.5 + Math.random());
}

/** Runs `fn` until it does not fail with SQLITE_BUSY, sleeping (asynchronously) in between, until `deadline`. */
async function retryBusy<T>(deadline: number, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (!isSqliteBusy(e) || Date.now() >= deadline) throw e;
      await sleep(lockBackoff(attempt));
    }
  }
}

export class CourseSqliteAdapterFactory implements SqlDriverAdapterFactory {
  readonly provider = 'sqlite' as const;
  readonly adapterName = '@prisma/adapter-better-sqlite3';
  readonly #file: string;
  readonly #options: SqliteOptions;
  /** The adapters handed out (normally one per PrismaClient), for tests and health checks. */
  readonly adapters: CourseSqliteAdapter[] = [];

  constructor(file: string, options: SqliteOptions) {
    this.#file = file;
    this.#options = options;
  }

  async connect(): Promise<CourseSqliteAdapter> {
    const adapter = new CourseSqliteAdapter(() => openInner(this.#file, this.#options), this.#options);
    await adapter.init();
    this.adapters.push(adapter);
    return adapter;
  }
}

async function openInner(file: string, options: SqliteOptions): Promise<{ adapter: SqlDriverAdapter; raw: RawConnection }> {
  const { PrismaBetterSqlite3 } = await import('@prisma/adapter-better-sqlite3');
  // `timeout` is better-sqlite3's option for sqlite3_busy_timeout (the adapter passes every
  // better-sqlite3 option through; it has no pragma option of its own). 0: never sleep on the event
  // loop; the wrapper waits asynchronously instead (see the top of this file).
  const adapter = await new PrismaBetterSqlite3({ url: file, timeout: SYNC_BUSY_TIMEOUT_MS }).connect();
  const raw = (adapter as unknown as { client?: RawConnection }).client;
  if (!raw || typeof raw.exec !== 'function' || typeof raw.inTransaction !== 'boolean') {
    await adapter.dispose();
    throw new Error('@prisma/adapter-better-sqlite3 internals changed: cannot reach its better-sqlite3 connection (lib/server/db/sqlite-adapter.ts)');
  }
  const deadline = Date.now() + options.busyTimeoutMs;
  try {
    // WAL: readers never block the writer and the writer never blocks readers; a COMMIT needs no
    // lock beyond the write lock already held. NORMAL is durable across application crashes in WAL
    // (a power loss may lose the last commits, never corrupt).
    // Switching a new file to WAL needs a moment's exclusive lock: wait for it like any other.
    const mode = await retryBusy(deadline, async () => raw.pragma('journal_mode = WAL', { simple: true }));
    if (String(mode).toLowerCase() !== 'wal') throw new Error(`SQLite refused WAL mode (journal_mode=${String(mode)})`);
    raw.pragma('synchronous = NORMAL');
    raw.pragma('foreign_keys = ON');
    raw.pragma(`busy_timeout = ${SYNC_BUSY_TIMEOUT_MS}`);
  } catch (e) {
    await adapter.dispose();
    throw e;
  }
  return { adapter, raw };
}

export class CourseSqliteAdapter implements SqlDriverAdapter {
  readonly provider = 'sqlite' as const;
  readonly adapterName = '@prisma/adapter-better-sqlite3';
  readonly #open: () => Promise<{ adapter: SqlDriverAdapter; raw: RawConnection }>;
  readonly #options: SqliteOptions;
  readonly #mutex = new Mutex();
  #inner!: SqlDriverAdapter;
  #raw!: RawConnection;
  #disposed = false;
  /** How many times a connection was found inside an abandoned transaction (should stay 0). */
  repairs = 0;

  constructor(open: () => Promise<{ adapter: SqlDriverAdapter; raw: RawConnection }>, options: SqliteOptions) {
    this.#open = open;
    this.#options = options;
  }

  async init(): Promise<void> {
    const { adapter, raw } = await this.#open();
    this.#inner = adapter;
    this.#raw = raw;
  }

  /**
   * Prisma assumes SQLite's old limit of 999 bound values and refuses bigger queries (P2029); the
   * bundled SQLite (3.53) takes 32,766, which a 1,000-job run's queries need.
   */
  getConnectionInfo(): { maxBindValues: number; supportsRelationJoins: boolean } {
    return { maxBindValues: 32_766, supportsRelationJoins: false };
  }

  /** True when the connection is inside a transaction (for tests: must be false between transactions). */
  get inTransaction(): boolean {
    return this.#raw.inTransaction;
  }

  #warn(message: string): void {
    this.repairs++;
    (this.#options.onWarning ?? ((m) => console.warn(`[db] ${m}`)))(message);
  }

  /** Called with the mutex held: nobody owns a transaction now, so the connection must be outside one. */
  async #ensureClean(): Promise<void> {
    if (this.#disposed) throw new Error('The database connection is closed');
    if (!this.#raw.open) {
      this.#warn('SQLite connection was closed underneath us: reopening');
      await this.init();
      return;
    }
    if (!this.#raw.inTransaction) return;
    this.#warn('SQLite connection was left inside a transaction: rolling it back');
    try {
      this.#raw.exec('ROLLBACK');
    } catch {
      // fall through to the check below
    }
    if (this.#raw.inTransaction) {
      this.#warn('ROLLBACK failed: reopening the SQLite connection');
      await this.#inner.dispose().catch(() => undefined); // closing a connection rolls back its transaction
      await this.init();
    }
  }

  /** Ends the transaction on the connection; reopens it if that is impossible. Mutex held. */
  async #leaveTransaction(): Promise<void> {
    if (!this.#raw.open || !this.#raw.inTransaction) return;
    try {
      this.#raw.exec('ROLLBACK');
    } catch {
      // checked below
    }
    if (this.#raw.inTransaction) {
      this.#warn('ROLLBACK after a failed transaction failed: reopening the SQLite connection');
      await this.#inner.dispose().catch(() => undefined);
      await this.init();
    }
  }

  // Plain (autocommit) statements. One refused with SQLITE_BUSY did nothing, so it is retried; the
  // mutex is held per attempt only, so a statement waiting for a lock blocks nobody in-process.
  queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    return retryBusy(Date.now() + this.#options.busyTimeoutMs, () =>
      this.#mutex.run(async () => {
        await this.#ensureClean();
        return this.#inner.queryRaw(query);
      }),
    );
  }

  executeRaw(query: SqlQuery): Promise<number> {
    return retryBusy(Date.now() + this.#options.busyTimeoutMs, () =>
      this.#mutex.run(async () => {
        await this.#ensureClean();
        return this.#inner.executeRaw(query);
      }),
    );
  }

  // Not retried: a script's first statements may have committed before a later one was refused.
  executeScript(script: string): Promise<void> {
    return this.#mutex.run(async () => {
      await this.#ensureClean();
      return this.#inner.executeScript(script);
    });
  }

  async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    if (isolationLevel && isolationLevel !== 'SERIALIZABLE') {
      // What the wrapped adapter does: SQLite transactions are always serializable.
      return this.#inner.startTransaction(isolationLevel);
    }
    const readOnly = readOnlyTransaction.getStore() === true;
    // Each attempt holds the mutex only while it tries BEGIN; between attempts the connection is
    // free for plain statements and the event loop for everything else.
    const release = await retryBusy(Date.now() + this.#options.busyTimeoutMs, async () => {
      const release = await this.#mutex.acquire();
      try {
        await this.#ensureClean();
        if (readOnly) {
          this.#raw.pragma('query_only = ON');
          await this.#inner.executeRaw(sql('BEGIN DEFERRED'));
        } else {
          await this.#inner.executeRaw(sql('BEGIN IMMEDIATE'));
        }
        return release;
      } catch (e) {
        if (readOnly) this.#raw.pragma('query_only = OFF');
        await this.#leaveTransaction().catch(() => undefined);
        release();
        throw e;
      }
    });
    return new CourseSqliteTransaction(this.#inner, async (mode) => {
      try {
        if (mode === 'commit') {
          try {
            await this.#inner.executeRaw(sql('COMMIT'));
          } finally {
            // A failed COMMIT (SQLITE_BUSY in rollback-journal mode, SQLITE_FULL, I/O error…) can leave
            // the transaction open: never hand the connection on in that state.
            await this.#leaveTransaction();
          }
        } else {
          await this.#leaveTransaction();
        }
      } finally {
        if (readOnly) {
          try {
            this.#raw.pragma('query_only = OFF');
          } catch {
            // the connection was reopened: query_only is off on a new one
          }
        }
        release();
      }
    });
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    await this.#mutex.run(async () => {
      this.#disposed = true;
      await this.#inner.dispose();
    });
  }
}

class CourseSqliteTransaction implements Transaction {
  readonly provider = 'sqlite' as const;
  readonly adapterName = '@prisma/adapter-better-sqlite3';
  /** The client calls commit()/rollback() and sends no COMMIT/ROLLBACK of its own. */
  readonly options: TransactionOptions = { usePhantomQuery: true };
  readonly #conn: SqlDriverAdapter;
  readonly #finish: (mode: 'commit' | 'rollback') => Promise<void>;
  #closed = false;

  constructor(conn: SqlDriverAdapter, finish: (mode: 'commit' | 'rollback') => Promise<void>) {
    this.#conn = conn;
    this.#finish = finish;
  }

  #check(): void {
    if (this.#closed) throw new Error('Transaction already closed: this query would have run outside it');
  }

  async queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    this.#check();
    return this.#conn.queryRaw(query);
  }

  async executeRaw(query: SqlQuery): Promise<number> {
    this.#check();
    return this.#conn.executeRaw(query);
  }

  async commit(): Promise<void> {
    this.#check();
    this.#closed = true;
    await this.#finish('commit');
  }

  async rollback(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#finish('rollback');
  }

  async createSavepoint(name: string): Promise<void> {
    await this.executeRaw(sql(`SAVEPOINT ${name}`));
  }

  async rollbackToSavepoint(name: string): Promise<void> {
    await this.executeRaw(sql(`ROLLBACK TO ${name}`));
  }

  async releaseSavepoint(name: string): Promise<void> {
    await this.executeRaw(sql(`RELEASE SAVEPOINT ${name}`));
  }
}
