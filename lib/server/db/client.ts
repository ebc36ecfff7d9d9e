// Opens the database named by DATABASE_URL (CONTRACT.md, "Starting") with the matching generated
// Prisma client and driver adapter:
//   file:PATH (relative to process.cwd(); default file:./data/course.db; the directory is created)
//     → prisma/generated/sqlite/client + @prisma/adapter-better-sqlite3, wrapped by
//       sqlite-adapter.ts (BEGIN IMMEDIATE, owned COMMIT/ROLLBACK), WAL, synchronous=NORMAL,
//       foreign keys on, lock waits of up to 10 s (asynchronous: see sqlite-adapter.ts)
//   postgres://… / postgresql://… → prisma/generated/postgresql/client + @prisma/adapter-pg
// Each generated client is imported only when needed, so a process loads one of them.
//
// Write through writeTx() (write.ts): it takes the write lock at the start and retries conflicts,
// which is what keeps two writing processes from wedging or losing updates on SQLite. A single
// plain statement through db.prisma is safe too (never inside another transaction, busy retried),
// but a read followed by a dependent write is only safe inside one writeTx.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Prisma, PrismaClient } from '../../../prisma/generated/sqlite/client/client.ts';
import { CourseSqliteAdapterFactory, type CourseSqliteAdapter } from './sqlite-adapter.ts';
import { parseDatabaseUrl, redact, type Provider } from './url.ts';

export type { Provider } from './url.ts';

/**
 * The Prisma client. Typed as the SQLite client; the PostgreSQL client generated from the same
 * models has the same shape (only the provider differs), so one type serves both.
 */
export type Db = PrismaClient;
/** The client inside a transaction (what writeTx/readTx hand to their callback). */
export type Tx = Prisma.TransactionClient;

export interface Database {
  prisma: Db;
  provider: Provider;
  /** The URL as given (or the default); may contain a password — log redact(url) instead. */
  url: string;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** SQLite: how long a statement waits for a lock, in ms (default 10 000; waited asynchronously). */
  busyTimeoutMs?: number;
  /** PostgreSQL pool size (default 10). */
  poolSize?: number;
  log?: Prisma.LogLevel[];
}

/** What write.ts needs beyond the public interface. */
export interface DatabaseInternals {
  sqlite?: { adapters: CourseSqliteAdapter[] };
}
const internals = new WeakMap<Database, DatabaseInternals>();
export function databaseInternals(db: Database): DatabaseInternals {
  return internals.get(db) ?? {};
}

export const DEFAULT_BUSY_TIMEOUT_MS = 10_000;

function missingClient(provider: Provider, e: unknown): Error {
  return new Error(
    `The Prisma client for ${provider} is not generated (prisma/generated/${provider}/client): run \`npm run db:generate\`. ` +
      `(${(e as Error).message})`,
    { cause: e },
  );
}

export async function openDatabase(url?: string, options: OpenOptions = {}): Promise<Database> {
  const parsed = parseDatabaseUrl(url);
  const log = options.log ?? [];

  if (parsed.provider === 'sqlite') {
    mkdirSync(path.dirname(parsed.file), { recursive: true });
    let mod: typeof import('../../../prisma/generated/sqlite/client/client.ts');
    try {
      mod = await import('../../../prisma/generated/sqlite/client/client.ts');
    } catch (e) {
      throw missingClient('sqlite', e);
    }
    const factory = new CourseSqliteAdapterFactory(parsed.file, {
      busyTimeoutMs: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS,
    });
    const prisma = new mod.PrismaClient({ adapter: factory, log });
    // Connect now so that a bad path or a file SQLite cannot open fails here, not at first use.
    await prisma.$connect();
    const db: Database = {
      prisma,
      provider: 'sqlite',
      url: parsed.url,
      close: () => prisma.$disconnect(),
    };
    internals.set(db, { sqlite: { adapters: factory.adapters } });
    return db;
  }

  let mod: typeof import('../../../prisma/generated/postgresql/client/client.ts');
  try {
    mod = await import('../../../prisma/generated/postgresql/client/client.ts');
  } catch (e) {
    throw missingClient('postgresql', e);
  }
  const { PrismaPg } = await import('@prisma/adapter-pg');
  const adapter = new PrismaPg({ connectionString: parsed.url, max: options.poolSize ?? 10 });
  const pgClient = new mod.PrismaClient({ adapter, log });
  try {
    await pgClient.$connect();
    await pgClient.$queryRawUnsafe('SELECT 1');
  } catch (e) {
    await pgClient.$disconnect().catch(() => undefined);
    throw new Error(`Cannot connect to PostgreSQL at ${redact(parsed.url)}: ${(e as Error).message}`, { cause: e });
  }
  const db: Database = {
    // Same models, same shape: see `Db`.
    prisma: pgClient as unknown as Db,
    provider: 'postgresql',
    url: parsed.url,
    close: () => pgClient.$disconnect(),
  };
  internals.set(db, {});
  return db;
}
