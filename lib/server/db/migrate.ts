// Applies the committed SQL migrations (prisma/migrations/<provider>/<name>/migration.sql) with no
// Prisma engine at all: Prisma 7's CLI wants a native schema engine it cannot download here, and
// with PRISMA_SCHEMA_ENGINE_BINARY faked `migrate deploy` exits 0 having done nothing
// (STACK-NOTES.md). Talks to the database with better-sqlite3 / pg directly.
//
// - Bookkeeping: table `_course_migrations` (name, checksum, applied_at). The checksum is the
//   SHA-256 of the file with line endings normalised to \n (a CRLF checkout is not an edit).
// - An applied migration whose file changed, or that is missing from the directory, is refused
//   with a clear error before anything is applied: edit history by adding a migration, never by
//   rewriting one.
// - Pending files are applied in name order (names start with a UTC timestamp), each in its own
//   transaction together with its bookkeeping row, so a failing migration leaves nothing behind.
// - Two processes starting at once (web and worker) are safe:
//   SQLite: every step runs inside BEGIN IMMEDIATE (the write lock, waited for with the busy
//   timeout) and re-reads the applied list inside it, so each migration is applied exactly once.
//   PostgreSQL: a session advisory lock (per database) is held for the whole run.
// - SQLite specifics: Prisma's table-redefinition migrations contain `PRAGMA foreign_keys=OFF`,
//   which is a no-op inside a transaction; if foreign keys stayed on, their `DROP TABLE` would
//   cascade-delete child rows. So this connection turns foreign keys off before any transaction
//   (it is a dedicated connection, closed at the end) and runs `PRAGMA foreign_key_check` before
//   each COMMIT instead — the procedure SQLite's ALTER TABLE page prescribes.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { parseDatabaseUrl, redact, type Provider } from './url.ts';

export const MIGRATIONS_TABLE = '_course_migrations';

const root = path.resolve(import.meta.dirname, '../../..');

export interface MigrationFile {
  /** The directory name, e.g. 20261204051500_init. */
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrateOptions {
  /** Directory holding <name>/migration.sql; default prisma/migrations/<provider>. */
  dir?: string;
  log?: (message: string) => void;
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

export function migrationsDir(provider: Provider): string {
  return path.join(root, 'prisma/migrations', provider);
}

export function checksumOf(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n/g, '\n'), 'utf8').digest('hex');
}

/** The migrations in `dir`, in the order they apply. */
export function readMigrations(dir: string): MigrationFile[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: checksumOf(sql) };
    });
}

interface AppliedRow {
  name: string;
  checksum: string;
}

/** Throws when the applied history disagrees with the files; returns the pending files. */
function pendingAfterCheck(files: MigrationFile[], applied: AppliedRow[], dir: string): MigrationFile[] {
  const byName = new Map(files.map((f) => [f.name, f]));
  for (const row of applied) {
    const file = byName.get(row.name);
    if (!file) {
      throw new MigrationError(
        `The database has migration ${row.name}, which is not in ${dir}: the database is newer than this code ` +
          '(or the file was removed). Use the code that created it, or a fresh database.',
      );
    }
    if (file.checksum !== row.checksum) {
      throw new MigrationError(
        `Migration ${row.name} was changed after it was applied (checksum ${row.checksum.slice(0, 12)}… in the ` +
          `database, ${file.checksum.slice(0, 12)}… on disk). Restore ${path.join(dir, row.name, 'migration.sql')} ` +
          'and put the change in a new migration (npm run db:migration:create -- NAME).',
      );
    }
  }
  const done = new Set(applied.map((r) => r.name));
  return files.filter((f) => !done.has(f.name));
}

export async function migrate(url: string, options: MigrateOptions = {}): Promise<{ applied: string[] }> {
  const parsed = parseDatabaseUrl(url);
  const dir = options.dir ?? migrationsDir(parsed.provider);
  const files = readMigrations(dir);
  if (files.length === 0) throw new MigrationError(`No migrations found in ${dir}`);
  const log = options.log ?? (() => undefined);
  return parsed.provider === 'sqlite'
    ? migrateSqlite(parsed.file, files, dir, log)
    : migratePostgres(parsed.url, files, dir, log);
}

// --- SQLite ----------------------------------------------------------------------------------

const SQLITE_BUSY_TIMEOUT_MS = 10_000;
/** How long a migrator waits, in total, for another one to finish. */
const SQLITE_LOCK_WAIT_MS = 5 * 60_000;

function isBusy(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

async function migrateSqlite(file: string, files: MigrationFile[], dir: string, log: (m: string) => void) {
  mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file, { timeout: SQLITE_BUSY_TIMEOUT_MS });
  const applied: string[] = [];
  try {
    const deadline = Date.now() + SQLITE_LOCK_WAIT_MS;
    // Both can need a lock briefly (WAL switch on a new file): retry like BEGIN below.
    await withBusyRetry(deadline, () => db.pragma('journal_mode = WAL'));
    db.pragma('foreign_keys = OFF');
    for (;;) {
      await withBusyRetry(deadline, () => db.exec('BEGIN IMMEDIATE'));
      try {
        db.exec(`CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" (
          "name" TEXT NOT NULL PRIMARY KEY,
          "checksum" TEXT NOT NULL,
          "applied_at" TEXT NOT NULL
        )`);
        const rows = db.prepare(`SELECT name, checksum FROM "${MIGRATIONS_TABLE}" ORDER BY name`).all() as AppliedRow[];
        const next = pendingAfterCheck(files, rows, dir)[0];
        if (!next) {
          db.exec('COMMIT');
          break;
        }
        try {
          db.exec(next.sql);
        } catch (e) {
          throw new MigrationError(`Migration ${next.name} failed: ${(e as Error).message}`, { cause: e });
        }
        const violations = db.prepare('PRAGMA foreign_key_check').all();
        if (violations.length > 0) {
          throw new MigrationError(
            `Migration ${next.name} leaves ${violations.length} foreign key violation(s), e.g. ${JSON.stringify(violations[0])}`,
          );
        }
        db.prepare(`INSERT INTO "${MIGRATIONS_TABLE}" (name, checksum, applied_at) VALUES (?, ?, ?)`).run(
          next.name,
          next.checksum,
          new Date().toISOString(),
        );
        db.exec('COMMIT');
        applied.push(next.name);
        log(`applied ${next.name}`);
      } finally {
        if (db.inTransaction) db.exec('ROLLBACK');
      }
    }
  } finally {
    db.close();
  }
  return { applied };
}

async function withBusyRetry<T>(deadline: number, fn: () => T): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return fn();
    } catch (e) {
      if (!isBusy(e) || Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, Math.min(1000, 20 * 2 ** attempt) * (0.5 + Math.random())));
    }
  }
}

// --- PostgreSQL ------------------------------------------------------------------------------

/** pg_advisory_lock key: any constant no other code uses ("course-migrations" hashed). */
const PG_LOCK_KEY = '7231463020118475001';

/** Connects; creates the database first when the server says it does not exist (as `prisma migrate deploy` does). */
async function connectCreatingDatabase(url: string, log: (m: string) => void): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    return client;
  } catch (e) {
    if ((e as { code?: string }).code !== '3D000') {
      throw new MigrationError(`Cannot connect to ${redact(url)}: ${(e as Error).message}`, { cause: e });
    }
  }
  const u = new URL(url);
  const name = decodeURIComponent(u.pathname.replace(/^\//, ''));
  u.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: u.toString() });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
    log(`created database ${name}`);
  } catch (e) {
    if ((e as { code?: string }).code !== '42P04') {
      // 42P04: created by a concurrent migrator meanwhile — fine
      throw new MigrationError(`Database ${name} does not exist and cannot be created on ${redact(url)}: ${(e as Error).message}`, { cause: e });
    }
  } finally {
    await admin.end().catch(() => undefined);
  }
  const retry = new pg.Client({ connectionString: url });
  await retry.connect();
  return retry;
}

async function migratePostgres(url: string, files: MigrationFile[], dir: string, log: (m: string) => void) {
  const client = await connectCreatingDatabase(url, log);
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1::bigint)', [PG_LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" (
      "name" TEXT NOT NULL PRIMARY KEY,
      "checksum" TEXT NOT NULL,
      "applied_at" TIMESTAMPTZ NOT NULL DEFAULT now()
    )`);
    const { rows } = await client.query<AppliedRow>(`SELECT name, checksum FROM "${MIGRATIONS_TABLE}" ORDER BY name`);
    for (const next of pendingAfterCheck(files, rows, dir)) {
      await client.query('BEGIN');
      try {
        try {
          await client.query(next.sql);
        } catch (e) {
          throw new MigrationError(`Migration ${next.name} failed: ${(e as Error).message}`, { cause: e });
        }
        await client.query(`INSERT INTO "${MIGRATIONS_TABLE}" (name, checksum) VALUES ($1, $2)`, [next.name, next.checksum]);
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      }
      applied.push(next.name);
      log(`applied ${next.name}`);
    }
  } finally {
    // Ending the session releases the advisory lock too.
    await client.end().catch(() => undefined);
  }
  return { applied };
}
