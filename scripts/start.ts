// `npm start` (CONTRACT.md, "Starting"): builds what is missing (Prisma clients, the Next build),
// applies migrations, makes sure of the site admin and the examples, then runs the web process,
// the worker and one local executor (capacity 2) as children. A child that dies is restarted;
// SIGINT/SIGTERM stop them all cleanly.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { ensureAdmin, ensureLocalExecutorToken, ensureSecret } from '../lib/server/bootstrap';
import { readConfig } from '../lib/server/config';
import { openDatabase } from '../lib/server/db/client';
import { migrate } from '../lib/server/db/migrate';
import { redact } from '../lib/server/db/url';
import { loadExamplesOnce } from '../lib/server/examples';
import { generateClients } from './db-generate';

const root = path.resolve(import.meta.dirname, '..');
const bin = (name: string) => path.join(root, 'node_modules/.bin', name);
const log = (msg: string) => console.log(`[course] ${msg}`);

if (process.env.NODE_ENV && process.env.NODE_ENV !== 'production') {
  log(`NODE_ENV=${process.env.NODE_ENV}: npm start runs the production build; unset NODE_ENV or use production`);
}
(process.env as Record<string, string>).NODE_ENV = 'production';

if (!existsSync(path.join(root, 'prisma/generated/sqlite/client/client.ts')) || !existsSync(path.join(root, 'prisma/generated/postgresql/client/client.ts'))) {
  log('generating Prisma clients…');
  generateClients();
}
if (!existsSync(path.join(root, '.next/BUILD_ID'))) {
  log('building the web pages (next build)…');
  const r = spawnSync(process.execPath, [bin('next'), 'build'], { cwd: root, stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const config = readConfig();
await ensurePortFree(config.port);
const { applied } = await migrate(config.databaseUrl);
if (applied.length) log(`applied migrations: ${applied.join(', ')}`);
const db = await openDatabase(config.databaseUrl);
await ensureSecret(db);
const admin = await ensureAdmin(db, { password: process.env.COURSE_ADMIN_PASSWORD });
if (admin.password) {
  log('created the site admin `admin` with a generated password (shown this once):');
  log(`    ${admin.password}`);
} else if (admin.created) {
  log('created the site admin `admin` with the password from COURSE_ADMIN_PASSWORD');
}
const adminUser = await db.prisma.user.findUniqueOrThrow({ where: { username: 'admin' } });
const loaded = await loadExamplesOnce(db, { userId: adminUser.id, username: 'admin', isSiteAdmin: true, via: 'token', tokenId: 0 }, path.join(root, 'examples'), Date.now());
if (loaded.length) log(`loaded examples: ${loaded.join(', ')}`);
const executorToken = await ensureLocalExecutorToken(db, { capacity: 2 });
await db.close();

interface Child {
  name: string;
  args: string[];
  env: Record<string, string>;
  proc?: ChildProcess;
  restarts: number;
}

const children: Child[] = [
  { name: 'web', args: ['server.ts'], env: {}, restarts: 0 },
  { name: 'worker', args: ['worker/main.ts'], env: {}, restarts: 0 },
  {
    name: 'executor',
    args: ['executor/main.ts', '--capacity', '2', '--name', 'local'],
    env: { COURSE_URL: `http://127.0.0.1:${config.port}`, COURSE_TOKEN: executorToken },
    restarts: 0,
  },
];

let stopping = false;

function launch(c: Child): void {
  const started = Date.now();
  // stdin is the supervision pipe (lib/contracts/parent-watch.ts): it closes when this process
  // dies, however it dies, and the child then stops itself.
  c.proc = spawn(process.execPath, ['--import', 'tsx', ...c.args], {
    cwd: root,
    stdio: ['pipe', 'inherit', 'inherit'],
    env: { ...process.env, ...c.env, COURSE_SUPERVISED: '1' },
  });
  c.proc.on('exit', (code, signal) => {
    if (stopping) return;
    // A crash right after start is likely to repeat: back off up to 10 s.
    if (Date.now() - started > 30_000) c.restarts = 0;
    const delay = Math.min(10_000, 500 * 2 ** c.restarts++);
    log(`${c.name} exited (${signal ?? `code ${code}`}); restarting in ${delay} ms`);
    setTimeout(() => !stopping && launch(c), delay);
  });
}

for (const c of children) launch(c);
log(`Course is starting on ${config.publicUrl} (database ${redact(config.databaseUrl)}); sign in as admin`);

async function stop(signal: NodeJS.Signals): Promise<void> {
  if (stopping) return;
  stopping = true;
  log(`${signal}: stopping web, worker and executor…`);
  const exits = children.map((c) =>
    c.proc && c.proc.exitCode === null && c.proc.signalCode === null ? new Promise<void>((resolve) => c.proc!.once('exit', () => resolve())) : Promise.resolve(),
  );
  // The executor first, so its tasks stop while the web can still hear its reports.
  for (const c of [...children].reverse()) c.proc?.kill('SIGTERM');
  const timer = setTimeout(() => {
    for (const c of children) c.proc?.kill('SIGKILL');
  }, 15_000);
  await Promise.all(exits);
  clearTimeout(timer);
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
// npm may die without passing its signal on (kill -TERM of npm's own pid): then stop too.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) void stop('SIGTERM');
}, 1000).unref();

/** Fails at once, with what to do, when something already listens on the port. */
async function ensurePortFree(port: number): Promise<void> {
  const probe = createServer();
  const error = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
    probe.once('error', resolve);
    probe.listen(port, () => probe.close(() => resolve(null)));
  });
  if (error?.code === 'EADDRINUSE') {
    console.error(`[course] port ${port} is already in use (another Course, or another program): stop it, or start on another port with PORT=3001 npm start`);
    process.exit(1);
  }
  if (error) throw error;
}
