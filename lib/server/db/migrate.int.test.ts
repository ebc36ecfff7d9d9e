// The committed SQL migrations, applied by migrate(), give exactly the models — on both providers —
// and migrate() is idempotent, refuses edited history, and is safe when two processes start at once.
import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_TABLE, migrate, migrationsDir, readMigrations } from './migrate.ts';
import { diffDatabaseToModels } from './schema-engine.ts';
import { freshDatabaseUrl, sharedPostgres, withDatabase } from '../testing/postgres.ts';
import type { Provider } from './url.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'course-migrate-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A URL of an empty, unmigrated database. */
async function emptyDatabaseUrl(provider: Provider): Promise<string> {
  if (provider === 'sqlite') return `file:${path.join(mkdtempSync(path.join(tmp, 'db-')), 'course.db')}`;
  const server = await sharedPostgres();
  const name = `course_migrate_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  return withDatabase(server.url, name);
}

async function appliedRows(url: string): Promise<{ name: string; checksum: string }[]> {
  if (url.startsWith('file:')) {
    const db = new Database(url.slice('file:'.length), { readonly: true });
    try {
      return db.prepare(`SELECT name, checksum FROM "${MIGRATIONS_TABLE}" ORDER BY name`).all() as { name: string; checksum: string }[];
    } finally {
      db.close();
    }
  }
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(`SELECT name, checksum FROM "${MIGRATIONS_TABLE}" ORDER BY name`)).rows;
  } finally {
    await c.end();
  }
}

async function tableExists(url: string, table: string): Promise<boolean> {
  if (url.startsWith('file:')) {
    const db = new Database(url.slice('file:'.length), { readonly: true });
    try {
      return db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(table) !== undefined;
    } finally {
      db.close();
    }
  }
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(`SELECT to_regclass($1) AS t`, [`public."${table}"`])).rows[0].t !== null;
  } finally {
    await c.end();
  }
}

/** A copy of the committed migrations that a test may change. */
function copyOfMigrations(provider: Provider): string {
  const dir = mkdtempSync(path.join(tmp, `migrations-${provider}-`));
  cpSync(migrationsDir(provider), dir, { recursive: true });
  return dir;
}

/** Runs migrate(url) in a child process (what web and worker do at start). */
function migrateInChild(url: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(path.join(root, 'node_modules/.bin/tsx'), [path.join(import.meta.dirname, 'migrate-child.fixture.ts')], {
      cwd: root,
      env: { ...process.env, URL: url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code, out }));
  });
}

describe.each<Provider>(['sqlite', 'postgresql'])('migrations (%s)', (provider) => {
  const names = readMigrations(migrationsDir(provider)).map((m) => m.name);

  it('has committed migrations, and the same names for both providers', () => {
    expect(names.length).toBeGreaterThan(0);
    expect(names).toEqual(readMigrations(migrationsDir(provider === 'sqlite' ? 'postgresql' : 'sqlite')).map((m) => m.name));
  });

  it('migrates a fresh database to exactly the models; a second run is a no-op', async () => {
    const url = await emptyDatabaseUrl(provider);
    expect(await migrate(url)).toEqual({ applied: names });
    // The schema engine introspects the migrated database and diffs it against prisma/models.prisma.
    expect(await diffDatabaseToModels(url)).toBe('');
    expect(await migrate(url)).toEqual({ applied: [] });
    const rows = await appliedRows(url);
    expect(rows.map((r) => r.name)).toEqual(names);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.checksum))).toBe(true);
  });

  it('sees a difference when the database does not match the models', async () => {
    const url = await freshDatabaseUrl(provider);
    if (provider === 'sqlite') {
      const db = new Database(url.slice('file:'.length));
      db.exec('DROP INDEX "RunEvent_runId_id_idx"');
      db.close();
    } else {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query('DROP INDEX "RunEvent_runId_id_idx"');
      await c.end();
    }
    expect(await diffDatabaseToModels(url)).toContain('RunEvent_runId_id_idx');
  });

  it('refuses to run when an applied migration was edited', async () => {
    const dir = copyOfMigrations(provider);
    const url = await emptyDatabaseUrl(provider);
    await migrate(url, { dir });
    appendFileSync(path.join(dir, names[0], 'migration.sql'), '\n-- an innocent-looking edit\n');
    await expect(migrate(url, { dir })).rejects.toThrow(new RegExp(`Migration ${names[0]} was changed after it was applied`));
  });

  it('treats CRLF line endings as the same file', async () => {
    const dir = copyOfMigrations(provider);
    const url = await emptyDatabaseUrl(provider);
    await migrate(url, { dir });
    const file = path.join(dir, names[0], 'migration.sql');
    const { readFileSync } = await import('node:fs');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/\n/g, '\r\n'));
    expect(await migrate(url, { dir })).toEqual({ applied: [] });
  });

  it('refuses a database that has a migration this code does not know', async () => {
    const dir = copyOfMigrations(provider);
    const later = path.join(dir, '29991231000000_from_the_future');
    mkdirSync(later);
    writeFileSync(path.join(later, 'migration.sql'), 'CREATE TABLE "Future" ("id" INTEGER NOT NULL PRIMARY KEY);\n');
    const url = await emptyDatabaseUrl(provider);
    expect((await migrate(url, { dir })).applied).toContain('29991231000000_from_the_future');
    await expect(migrate(url)).rejects.toThrow(/has migration 29991231000000_from_the_future, which is not in/);
  });

  it('applies each migration in a transaction: a failing one leaves nothing behind', async () => {
    const dir = copyOfMigrations(provider);
    const bad = path.join(dir, '29991231000000_broken');
    mkdirSync(bad);
    writeFileSync(path.join(bad, 'migration.sql'), 'CREATE TABLE "Half" ("id" INTEGER NOT NULL PRIMARY KEY);\nTHIS IS NOT SQL;\n');
    const url = await emptyDatabaseUrl(provider);
    await expect(migrate(url, { dir })).rejects.toThrow(/Migration 29991231000000_broken failed/);
    expect((await appliedRows(url)).map((r) => r.name)).toEqual(names);
    expect(await tableExists(url, 'Half')).toBe(false);
    expect(await tableExists(url, 'User')).toBe(true);
  });

  it('is safe when two processes migrate the same fresh database at once', async () => {
    const url = await emptyDatabaseUrl(provider);
    const [a, b] = await Promise.all([migrateInChild(url), migrateInChild(url)]);
    expect(a.code, a.out).toBe(0);
    expect(b.code, b.out).toBe(0);
    const applied = [a, b].flatMap((r) => (JSON.parse(r.out.trim().split('\n').at(-1)!) as { applied: string[] }).applied);
    expect(applied.sort()).toEqual([...names].sort()); // each applied exactly once, by one of them
    expect(await diffDatabaseToModels(url)).toBe('');
  });
});

describe('PostgreSQL database creation', () => {
  it('creates the database named in the URL when it does not exist yet', async () => {
    const server = await sharedPostgres();
    const url = withDatabase(server.url, `course_new_${Math.random().toString(36).slice(2, 10)}`);
    expect((await migrate(url)).applied.length).toBeGreaterThan(0);
    expect(await diffDatabaseToModels(url)).toBe('');
  });
});

describe('SQLite table redefinition', () => {
  it("keeps child rows when a migration rebuilds a parent table (Prisma's DROP TABLE pattern)", async () => {
    const dir = copyOfMigrations('sqlite');
    const url = await emptyDatabaseUrl('sqlite');
    await migrate(url, { dir });
    const file = url.slice('file:'.length);
    const db = new Database(file);
    db.exec(`INSERT INTO "User" (id, username, passwordHash) VALUES (1, 'u', 'h');
             INSERT INTO "Group" (id, name) VALUES (1, 'g');
             INSERT INTO "Membership" (userId, groupId, role) VALUES (1, 1, 'admin');`);
    db.close();
    // What the engine writes for SQLite when a table must be rebuilt (e.g. a column changes type).
    const step = path.join(dir, '29991231000000_redefine_user');
    mkdirSync(step);
    writeFileSync(
      path.join(step, 'migration.sql'),
      `PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_User" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "username" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "isSiteAdmin" BOOLEAN NOT NULL DEFAULT false,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_User" ("id", "username", "passwordHash", "isSiteAdmin", "disabled", "createdAt") SELECT "id", "username", "passwordHash", "isSiteAdmin", "disabled", "createdAt" FROM "User";
DROP TABLE "User";
ALTER TABLE "new_User" RENAME TO "User";
CREATE UNIQUE INDEX "User_username_key" ON "User"("username");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
`,
    );
    expect((await migrate(url, { dir })).applied).toEqual(['29991231000000_redefine_user']);
    const after = new Database(file, { readonly: true });
    expect(after.prepare('SELECT count(*) AS n FROM "Membership"').get()).toEqual({ n: 1 });
    after.close();
  });
});
