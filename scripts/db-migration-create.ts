// npm run db:migration:create -- NAME [--empty]
//
// Writes prisma/migrations/{sqlite,postgresql}/<UTC timestamp>_<name>/migration.sql: the SQL that
// takes a database migrated with the committed migrations to prisma/models.prisma.
//
// For each provider: migrate a scratch database with lib/server/db/migrate.ts (the code that
// applies migrations in production), then diff it against the models with
// @prisma/schema-engine-wasm through the driver adapter (lib/server/db/schema-engine.ts).
// SQLite's scratch database is a temp file. PostgreSQL's is a new database on
// COURSE_SHADOW_DATABASE_URL when set (a server URL whose user may CREATE DATABASE), otherwise on a
// throwaway server started for the purpose (lib/server/testing/postgres.ts).
//
// --empty writes empty files even when nothing changed, for hand-written SQL (data fixes).
// Read the generated SQL before committing: the engine does not warn about data loss here.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { migrate, migrationsDir, readMigrations } from '../lib/server/db/migrate.ts';
import { diffDatabaseToModels } from '../lib/server/db/schema-engine.ts';
import type { Provider } from '../lib/server/db/url.ts';
import { startPostgres, withDatabase } from '../lib/server/testing/postgres.ts';

const PROVIDERS: Provider[] = ['sqlite', 'postgresql'];

function timestamp(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

export function migrationName(raw: string): string {
  const name = raw
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (!name) throw new Error('Give the migration a name: npm run db:migration:create -- add_schedule_index');
  return name.slice(0, 80);
}

async function sqliteDiff(): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'course-shadow-'));
  try {
    const url = `file:${path.join(dir, 'shadow.db')}`;
    if (readMigrations(migrationsDir('sqlite')).length > 0) await migrate(url);
    return await diffDatabaseToModels(url);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgresDiff(): Promise<string> {
  const external = process.env.COURSE_SHADOW_DATABASE_URL;
  const server = external ? { url: external, stop: async () => undefined } : await startPostgres();
  const name = `course_shadow_${Date.now()}_${process.pid}`;
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
    try {
      const url = withDatabase(server.url, name);
      if (readMigrations(migrationsDir('postgresql')).length > 0) await migrate(url);
      return await diffDatabaseToModels(url);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }
  } finally {
    await admin.end();
    await server.stop();
  }
}

export async function createMigration(rawName: string, options: { empty?: boolean } = {}): Promise<string[]> {
  const name = `${timestamp()}_${migrationName(rawName)}`;
  const diffs: Record<Provider, string> = { sqlite: await sqliteDiff(), postgresql: await postgresDiff() };
  const written: string[] = [];
  const unchanged = PROVIDERS.filter((p) => diffs[p].trim() === '');
  if (unchanged.length === PROVIDERS.length && !options.empty) {
    console.log('No changes: the migrations already match prisma/models.prisma (use --empty for a hand-written migration).');
    return written;
  }
  if (unchanged.length > 0 && !options.empty) {
    console.warn(`warning: no changes for ${unchanged.join(', ')}: the providers' migrations had drifted apart; writing the others only`);
  }
  for (const provider of PROVIDERS) {
    if (diffs[provider].trim() === '' && !options.empty) continue;
    const file = path.join(migrationsDir(provider), name, 'migration.sql');
    mkdirSync(path.dirname(file), { recursive: true });
    const sql = diffs[provider].trim() === '' ? '-- Hand-written migration: put the SQL here.\n' : diffs[provider];
    writeFileSync(file, sql);
    written.push(file);
  }
  return written;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const empty = args.includes('--empty');
  const rest = args.filter((a) => a !== '--empty');
  try {
    if (rest.length !== 1 || rest[0].startsWith('-')) {
      throw new Error('usage: npm run db:migration:create -- NAME [--empty]');
    }
    const files = await createMigration(rest[0], { empty });
    for (const f of files) console.log(`wrote ${path.relative(process.cwd(), f)}`);
  } catch (e) {
    console.error((e as Error).message);
    process.exit(1);
  }
}
