// Throwaway PostgreSQL servers and fresh, migrated databases for integration tests.
//
// - startPostgres(): initdb + pg_ctl in a temp dir, on a free port, listening on 127.0.0.1 only,
//   with its socket in the same temp dir and durability switched off (fsync=off …) for speed.
//   initdb refuses to run as root, so as root the dir is handed to the `postgres` user and the
//   binaries run through `su postgres -s /bin/bash -c …` (STACK-NOTES.md). The server is stopped
//   and its dir removed by stop(), or else by a small watchdog (`sh`) that waits for the end of a pipe
//   from this process — so also when a test process is SIGKILLed or its pool worker is killed,
//   which skips 'exit' handlers. As a last resort the next startPostgres() on the machine reaps
//   dirs whose owner pid (recorded in each dir) is gone.
// - freshDatabaseUrl(provider): a migrated, empty database for one test file: a SQLite file in a
//   temp dir, or a new database (CREATE DATABASE) on this process's shared test server, so test
//   files never see each other's rows. Set COURSE_TEST_PG_URL (a server URL whose user may
//   CREATE DATABASE) to use an existing server instead of starting one.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { migrate } from '../db/migrate.ts';

const execFileAsync = promisify(execFile);

export const INSTALL_HINT = "install Debian's `postgresql` package (`apt-get install -y postgresql`)";
const DIR_PREFIX = 'course-pg-';

export interface TestPostgres {
  /** `postgresql://postgres@127.0.0.1:PORT/postgres` (trust authentication, superuser). */
  url: string;
  stop(): Promise<void>;
}

/** The directory holding initdb and pg_ctl: the newest /usr/lib/postgresql/<version>/bin, else PATH. */
export function findPostgresBinDir(): string {
  const candidates: string[] = [];
  if (process.env.COURSE_PG_BINDIR) candidates.push(process.env.COURSE_PG_BINDIR);
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    const versions = readdirSync(base)
      .filter((v) => /^\d+(\.\d+)?$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const v of versions) candidates.push(path.join(base, v, 'bin'));
  }
  for (const p of (process.env.PATH ?? '').split(path.delimiter)) if (p) candidates.push(p);
  const found = candidates.find((dir) => existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'pg_ctl')));
  if (!found) {
    throw new Error(`PostgreSQL server binaries (initdb, pg_ctl) not found in /usr/lib/postgresql/*/bin or PATH: ${INSTALL_HINT}`);
  }
  return found;
}

const isRoot = () => process.getuid?.() === 0;

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The command line that runs `bin args…`, as the postgres user when we are root. */
function asServerUser(bin: string, args: string[]): [string, string[]] {
  if (!isRoot()) return [bin, args];
  return ['su', ['postgres', '-s', '/bin/bash', '-c', [bin, ...args].map(shellQuote).join(' ')]];
}

async function run(bin: string, args: string[]): Promise<string> {
  const [file, argv] = asServerUser(bin, args);
  try {
    const { stdout, stderr } = await execFileAsync(file, argv, { maxBuffer: 16 * 1024 * 1024 });
    return stdout + stderr;
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${path.basename(bin)} failed: ${err.message}\n${err.stdout ?? ''}${err.stderr ?? ''}`);
  }
}

function runSync(bin: string, args: string[]): void {
  const [file, argv] = asServerUser(bin, args);
  try {
    execFileSync(file, argv, { stdio: 'ignore', timeout: 30_000 });
  } catch {
    // best effort (used on exit and for stale servers)
  }
}

function postgresIds(): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Stops and removes servers left behind by test processes that died without cleaning up. */
function reapStaleServers(binDir: string): void {
  const tmp = os.tmpdir();
  let entries: string[] = [];
  try {
    entries = readdirSync(tmp).filter((n) => n.startsWith(DIR_PREFIX));
  } catch {
    return;
  }
  for (const name of entries) {
    const dir = path.join(tmp, name);
    try {
      const owner = Number(readFileSync(path.join(dir, 'owner.pid'), 'utf8'));
      if (!owner || pidAlive(owner)) continue;
      // An unfinished startPostgres of a live process writes owner.pid first, so a dir without
      // it is only reaped once it is old enough.
    } catch {
      try {
        if (Date.now() - statSync(dir).mtimeMs < 10 * 60_000) continue;
      } catch {
        continue;
      }
    }
    if (existsSync(path.join(dir, 'data', 'postmaster.pid'))) {
      runSync(path.join(binDir, 'pg_ctl'), ['-D', path.join(dir, 'data'), '-m', 'immediate', '-w', 'stop']);
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Stops the server and removes `dir` once this process is gone (its stdin pipe reaches EOF). */
function startWatchdog(binDir: string, dir: string): { release(): void } {
  const data = path.join(dir, 'data');
  const stop = [path.join(binDir, 'pg_ctl'), '-D', data, '-m', 'immediate', '-w', 'stop'].map(shellQuote).join(' ');
  const stopAsServerUser = isRoot() ? `su postgres -s /bin/bash -c ${shellQuote(stop)}` : stop;
  const script = `cat >/dev/null; if [ -f ${shellQuote(path.join(data, 'postmaster.pid'))} ]; then ${stopAsServerUser}; fi; rm -rf ${shellQuote(dir)}`;
  const child = spawn('/bin/sh', ['-c', script], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
  child.on('error', () => undefined);
  child.stdin?.on('error', () => undefined);
  child.unref();
  (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  return { release: () => child.stdin?.end() };
}

export async function startPostgres(): Promise<TestPostgres> {
  const binDir = findPostgresBinDir();
  reapStaleServers(binDir);
  const dir = mkdtempSync(path.join(os.tmpdir(), DIR_PREFIX));
  writeFileSync(path.join(dir, 'owner.pid'), String(process.pid));
  if (isRoot()) {
    const { uid, gid } = postgresIds();
    chownSync(dir, uid, gid);
  }
  const data = path.join(dir, 'data');
  const log = path.join(dir, 'server.log');
  const pgCtl = path.join(binDir, 'pg_ctl');
  const watchdog = startWatchdog(binDir, dir);
  let stopped = false;
  const stopSync = () => {
    if (stopped) return;
    stopped = true;
    if (existsSync(path.join(data, 'postmaster.pid'))) runSync(pgCtl, ['-D', data, '-m', 'immediate', '-w', 'stop']);
    rmSync(dir, { recursive: true, force: true });
    watchdog.release();
  };
  process.once('exit', stopSync);

  try {
    await run(path.join(binDir, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '-N']);
    let lastError: unknown;
    for (let attempt = 0; attempt < 5; attempt++) {
      const port = await freePort();
      appendFileSync(
        path.join(data, 'postgresql.conf'),
        [
          '',
          '# course test server',
          "listen_addresses = '127.0.0.1'",
          `port = ${port}`,
          `unix_socket_directories = '${dir}'`,
          'fsync = off',
          'synchronous_commit = off',
          'full_page_writes = off',
          'max_connections = 200',
          "shared_buffers = '32MB'",
          '',
        ].join('\n'),
      );
      try {
        await run(pgCtl, ['-D', data, '-l', log, '-w', '-t', '60', 'start']);
        const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
        return {
          url,
          async stop() {
            if (stopped) return;
            process.removeListener('exit', stopSync);
            stopped = true;
            await run(pgCtl, ['-D', data, '-m', 'fast', '-w', 'stop']).catch(() => undefined);
            rmSync(dir, { recursive: true, force: true });
            watchdog.release();
          },
        };
      } catch (e) {
        // Most likely another process took the port between freePort() and the bind: try another.
        lastError = new Error(`${(e as Error).message}\n${existsSync(log) ? readFileSync(log, 'utf8').slice(-2000) : ''}`);
      }
    }
    throw lastError;
  } catch (e) {
    process.removeListener('exit', stopSync);
    stopSync();
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Fresh databases for integration tests

export type TestProvider = 'sqlite' | 'postgresql';

let shared: Promise<TestPostgres> | undefined;

/** This process's test server (started on first use, stopped on exit), or COURSE_TEST_PG_URL. */
export function sharedPostgres(): Promise<TestPostgres> {
  if (process.env.COURSE_TEST_PG_URL) {
    return Promise.resolve({ url: process.env.COURSE_TEST_PG_URL, stop: async () => undefined });
  }
  shared ??= startPostgres().catch((e) => {
    shared = undefined;
    throw e;
  });
  return shared;
}

/** Replace the database name of a PostgreSQL URL. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

const SCRATCH_PREFIX = 'course-test-';
let scratch: string | undefined;

/**
 * This process's scratch dir for SQLite test databases: removed by a watchdog when the process
 * ends, however it ends (vitest's pool may kill workers, which skips 'exit' handlers); dirs of
 * dead owners are reaped by the next process that creates one.
 */
function scratchDir(): string {
  if (scratch) return scratch;
  for (const name of readdirSafe(os.tmpdir()).filter((n) => n.startsWith(SCRATCH_PREFIX))) {
    const dir = path.join(os.tmpdir(), name);
    const owner = Number(readFileSafe(path.join(dir, 'owner.pid')));
    if (owner && !pidAlive(owner)) rmSync(dir, { recursive: true, force: true });
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), SCRATCH_PREFIX));
  writeFileSync(path.join(dir, 'owner.pid'), String(process.pid));
  const child = spawn('/bin/sh', ['-c', `cat >/dev/null; rm -rf ${shellQuote(dir)}`], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
  child.on('error', () => undefined);
  child.stdin?.on('error', () => undefined);
  child.unref();
  (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  scratch = dir;
  return dir;
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function readFileSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/**
 * An empty database, migrated from prisma/migrations/<provider>, that no other test uses.
 * SQLite: a file in a new dir under this process's scratch dir (removed when the process ends). PostgreSQL: a new database on the shared
 * test server (gone with the server).
 */
export async function freshDatabaseUrl(provider: TestProvider): Promise<string> {
  if (provider === 'sqlite') {
    const dir = mkdtempSync(path.join(scratchDir(), 'db-'));
    const url = `file:${path.join(dir, 'course.db')}`;
    await migrate(url);
    return url;
  }
  const server = await sharedPostgres();
  const name = `course_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(server.url, name);
  await migrate(url);
  return url;
}
