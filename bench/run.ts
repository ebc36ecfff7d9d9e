// `npm run bench [-- --pg | --all] [--repeat N] [--chain N] [--fanout N] [--only handoff|fanout]
//                  [--cpu-prof [web|worker|executor|all]] [--no-worker]`
//
// Starts a real Course (web, worker, one executor of capacity 2) on a fresh database with
// lib/server/testing/cluster.ts and prints:
//   1. hand-off: a chain j1 → j2 → … → jN of `true` jobs (default N = 200); per link the gap
//      startedAt(j[k+1]) − endedAt(j[k]) from the executor's own timestamps (just before spawn,
//      just after the exit is seen), read from the Attempt rows: median, p90, p99, max. Aim:
//      median < 5 ms, p99 < 20 ms.
//   2. fan-out: N independent `true` jobs (default 1,000, all roots: the run's start queues them
//      all at once), wall time from the first attempt's start to the last attempt's end, beside
//      the same N `/bin/sh -c true` spawned two at a time by plain child_process.spawn in a fresh
//      node (bench/spawn-baseline.mjs: the executor's spawn options; run once just before and
//      once just after, the mean is the reference), and the ratio. Aim: within 2×.
//   Beside both: the CPU time the web process and the executor burnt per job (Linux /proc), which
//   a shared machine's load disturbs far less than the wall-clock figures.
// SQLite by default; --pg for PostgreSQL (a throwaway server, lib/server/testing/postgres.ts, or
// COURSE_TEST_PG_URL); --all for both. --repeat N runs each scenario N times (one cluster per
// provider, after a 10-job warm-up chain). --cpu-prof runs the named processes (default web)
// under `node --cpu-prof` and prints, per measured phase, where their CPU went (bench/profile.ts;
// the .cpuprofile files stay in the directory named, for DevTools). --no-worker leaves the
// worker out.
//
// The cluster runs with the production defaults of the timing settings (heartbeat 2 s, poll 1 s):
// a hand-off must come from the report's claim or a nudge, never from a poll. The run's end is
// watched through the database, not the API, so the bench does not load the web process it
// measures.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Cluster, type Proc } from '../lib/server/testing/cluster';
import { freshDatabaseUrl, sharedPostgres, type TestProvider } from '../lib/server/testing/postgres';
import { printSummary } from './profile';

// ---------------------------------------------------------------------------------------------
// arguments

interface Args {
  providers: TestProvider[];
  repeat: number;
  chain: number;
  fanout: number;
  only?: 'handoff' | 'fanout';
  /** processes to run under node --cpu-prof: web, worker, executor */
  cpuProf: string[];
  worker: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { providers: ['sqlite'], repeat: 1, chain: 200, fanout: 1000, cpuProf: [], worker: true };
  const num = (i: number, name: string) => {
    const n = Number(argv[i]);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${name} needs a positive integer`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    switch (arg) {
      case '--pg':
        a.providers = ['postgresql'];
        break;
      case '--all':
        a.providers = ['sqlite', 'postgresql'];
        break;
      case '--repeat':
        a.repeat = num(++i, arg);
        break;
      case '--chain':
        a.chain = Math.max(2, num(++i, arg));
        break;
      case '--fanout':
        a.fanout = num(++i, arg);
        break;
      case '--only': {
        const v = argv[++i];
        if (v !== 'handoff' && v !== 'fanout') throw new Error('--only takes handoff or fanout');
        a.only = v;
        break;
      }
      case '--cpu-prof': {
        // optional list: --cpu-prof web,executor (default web)
        const v = argv[i + 1] !== undefined && !argv[i + 1].startsWith('--') ? argv[++i] : 'web';
        a.cpuProf = v === 'all' ? ['web', 'worker', 'executor'] : v.split(',');
        for (const p of a.cpuProf) if (!['web', 'worker', 'executor'].includes(p)) throw new Error(`--cpu-prof takes web, worker, executor or all, not ${p}`);
        break;
      }
      case '--no-worker':
        a.worker = false;
        break;
      case '-h':
      case '--help':
        console.log('usage: npm run bench -- [--pg | --all] [--repeat N] [--chain N] [--fanout N] [--only handoff|fanout] [--cpu-prof [web|worker|executor|all]] [--no-worker]');
        process.exit(0);
      // falls through (never reached)
      default:
        throw new Error(`unknown argument: ${arg}`);
    }
  }
  return a;
}

// ---------------------------------------------------------------------------------------------
// statistics

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  // nearest rank: the smallest value with at least q of the sample at or below it
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1];
}

function median(sorted: number[]): number {
  if (sorted.length === 0) return NaN;
  const m = sorted.length >> 1;
  return sorted.length % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
}

const sortNum = (xs: number[]) => [...xs].sort((a, b) => a - b);

// ---------------------------------------------------------------------------------------------
// a Cluster whose web process may run under extra node flags (--cpu-prof)

class BenchCluster extends Cluster {
  /** when each process was seen to exit (epoch ms): a profile ends there */
  readonly exitedAt = new Map<string, number>();
  constructor(
    opts: ConstructorParameters<typeof Cluster>[0],
    /** node flags per kind of process (web, worker, executor) */
    private readonly flags: (kind: string) => string[],
  ) {
    super(opts);
  }
  override spawnProc(name: string, args: string[], env: Record<string, string> = {}): Proc {
    const kind = name === 'web' || name === 'worker' ? name : 'executor';
    // Cluster runs `node --import tsx <args>`: flags before the script are node's own.
    const proc = super.spawnProc(name, [...this.flags(kind), ...args], env);
    void proc.exited.then(() => this.exitedAt.set(kind, Date.now()));
    return proc;
  }
}

// ---------------------------------------------------------------------------------------------
// CPU time of the cluster's processes (Linux /proc): on a shared machine the wall-clock figures
// swing with the neighbours' load, the CPU each process burns per job much less.

const CLK_TCK = 100; // USER_HZ: 100 on every Linux of note

function cpuMsOf(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields 14 and 15 (utime, stime) are at 11 and 12 after the command name
    return ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK;
  } catch {
    return NaN;
  }
}

/** Our throwaway PostgreSQL server's postmaster: the course-pg-* dir whose owner.pid is us. */
function postmasterPid(): number | undefined {
  try {
    for (const name of readdirSync(os.tmpdir()).filter((n) => n.startsWith('course-pg-'))) {
      const dir = path.join(os.tmpdir(), name);
      if (Number(readFileSync(path.join(dir, 'owner.pid'), 'utf8')) !== process.pid) continue;
      return Number(readFileSync(path.join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
    }
  } catch {
    // not ours, or not PostgreSQL
  }
  return undefined;
}

/** CPU ms of the PostgreSQL server: the postmaster (with its reaped children) and its live children. */
function pgCpuMs(postmaster: number | undefined): number {
  if (!postmaster) return NaN;
  let total = 0;
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      } catch {
        continue;
      }
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const pid = Number(entry);
      const ppid = Number(f[1]);
      if (pid === postmaster) total += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
      else if (ppid === postmaster) total += Number(f[11]) + Number(f[12]);
    }
  } catch {
    return NaN;
  }
  return (total * 1000) / CLK_TCK;
}

type CpuSnapshot = { web: number; worker: number; executor: number; db: number };
function cpuSnapshot(c: Cluster): CpuSnapshot {
  return { web: cpuMsOf(c.web?.child.pid), worker: cpuMsOf(c.worker?.child.pid), executor: cpuMsOf(c.executors[0]?.child.pid), db: c.opts.databaseUrl.startsWith('postgres') ? pgCpuMs(postmasterPid()) : NaN };
}
function cpuDelta(a: CpuSnapshot, b: CpuSnapshot): CpuSnapshot {
  return { web: b.web - a.web, worker: b.worker - a.worker, executor: b.executor - a.executor, db: b.db - a.db };
}
const perJob = (c: CpuSnapshot, n: number): CpuSnapshot => ({ web: c.web / n, worker: c.worker / n, executor: c.executor / n, db: c.db / n });
const cpuCell = (c: CpuSnapshot) => `${f(c.web)} / ${f(c.executor)} / ${f(c.worker)}${Number.isFinite(c.db) ? ` / ${f(c.db)}` : ''}`;

/** Waits (up to 5 s) until the cluster's processes are idle, so start-up work (the worker's module
 *  loading, JIT) does not land in the first measured phase. */
async function settle(c: Cluster): Promise<void> {
  const deadline = Date.now() + 5000;
  let a = cpuSnapshot(c);
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    const b = cpuSnapshot(c);
    const d = cpuDelta(a, b);
    if (!(d.web + d.worker + d.executor > 25)) return;
    a = b;
  }
}

// ---------------------------------------------------------------------------------------------
// scenarios

interface JobTimes {
  job: string;
  state: string;
  attempts: number;
  /** the first attempt's executor timestamps, ms since epoch */
  startedAt: number;
  endedAt: number;
}

/** Bugs of Course met on the way (printed with the results). */
const notes = new Set<string>();

/**
 * Triggers a run through the API. Should POST …/runs answer 5xx although it created the run (as
 * it did for 1,000-job runs on SQLite: runView() tripped Prisma's 999-parameter limit, P2029),
 * the run is found in the database and the bug noted, so the figures still come out.
 */
async function trigger(cluster: Cluster, workflow: string, since: number): Promise<number> {
  const r = await cluster.api('POST', `/workflows/${workflow}/runs`, {});
  if (r.status === 201) return (r.body as { id: number }).id;
  const row = await cluster.db.prisma.run.findFirst({ where: { workflow: { name: workflow }, createdAt: { gte: new Date(since - 1000) } }, orderBy: { id: 'desc' }, select: { id: true } });
  if (r.status >= 500 && row) {
    notes.add(`POST /api/v1/workflows/${workflow}/runs answered ${r.status} although it created run ${row.id} (see the web log: ${/P2029|parameter limit/.test(cluster.web?.output.join('') ?? '') ? "Prisma P2029, 'query parameter limit … exceeded', in runView()" : 'an internal error'}); the bench read the run from the database`);
    return row.id;
  }
  throw new Error(`trigger ${workflow}: ${r.status} ${r.text}`);
}

/**
 * Waits for the run to end, asking the database directly (not the web process, which is busy being
 * measured), then reads the attempts' executor timestamps from the database too (the values
 * GET /runs/:id shows, without making the measured process build a 1,000-job run view).
 */
async function runToEnd(cluster: Cluster, workflow: string, timeoutMs: number): Promise<{ jobs: JobTimes[]; triggeredAt: number }> {
  const triggeredAt = Date.now();
  const id = await trigger(cluster, workflow, triggeredAt);
  const deadline = Date.now() + timeoutMs;
  let state = '';
  for (;;) {
    const row = await cluster.db.prisma.run.findUnique({ where: { id }, select: { state: true, reason: true } });
    state = row?.state ?? '';
    if (row && ['success', 'failure', 'cancelled'].includes(row.state)) {
      if (row.state !== 'success') throw new Error(`run ${id} of ${workflow} ended ${row.state}: ${row.reason}`);
      break;
    }
    if (Date.now() > deadline) throw new Error(`run ${id} of ${workflow} did not end in ${timeoutMs} ms (state ${state})`);
    await new Promise((r) => setTimeout(r, 100));
  }
  // Flat queries, one bound parameter each (no nested relation reads: see above).
  const jobRuns = await cluster.db.prisma.jobRun.findMany({ where: { runId: id }, select: { id: true, job: true, state: true } });
  const attempts = await cluster.db.prisma.attempt.findMany({ where: { jobRun: { runId: id } }, select: { jobRunId: true, number: true, startedAt: true, endedAt: true } });
  const byJobRun = new Map<number, typeof attempts>();
  for (const a of attempts) byJobRun.set(a.jobRunId, [...(byJobRun.get(a.jobRunId) ?? []), a]);
  const jobs = jobRuns.map((j) => {
    const as = (byJobRun.get(j.id) ?? []).sort((a, b) => a.number - b.number);
    return { job: j.job, state: j.state, attempts: as.length, startedAt: as[0]?.startedAt?.getTime() ?? NaN, endedAt: as[0]?.endedAt?.getTime() ?? NaN };
  });
  for (const j of jobs) {
    if (j.state !== 'success' || j.attempts !== 1) throw new Error(`run ${id}: job ${j.job} is ${j.state} with ${j.attempts} attempts`);
  }
  return { jobs, triggeredAt };
}

interface HandoffResult {
  links: number;
  median: number;
  p90: number;
  p99: number;
  max: number;
  /** spawn → exit of one `true`, median (the executor's own view of a task) */
  taskMedian: number;
  /** first start → last end */
  wallMs: number;
  /** CPU ms burnt per job while the chain ran (trigger → end seen) */
  cpuPerJob: CpuSnapshot;
}

async function handoff(cluster: Cluster, n: number): Promise<HandoffResult> {
  const name = `bench-chain-${n}`;
  const jobs: Record<string, object> = {};
  for (let k = 1; k <= n; k++) jobs[`j${k}`] = k === 1 ? { command: 'true' } : { command: 'true', needs: [`j${k - 1}`] };
  await cluster.apply({ name, jobs });
  const c0 = cpuSnapshot(cluster);
  const { jobs: times } = await runToEnd(cluster, name, 60_000 + n * 500);
  const cpu = cpuDelta(c0, cpuSnapshot(cluster));
  const byJob = new Map(times.map((j) => [j.job, j]));
  const gaps: number[] = [];
  const durations: number[] = [];
  for (let k = 1; k <= n; k++) {
    const a = byJob.get(`j${k}`)!;
    durations.push(a.endedAt - a.startedAt);
    if (k < n) gaps.push(byJob.get(`j${k + 1}`)!.startedAt - a.endedAt);
  }
  const s = sortNum(gaps);
  return {
    links: gaps.length,
    median: median(s),
    p90: quantile(s, 0.9),
    p99: quantile(s, 0.99),
    max: s[s.length - 1],
    taskMedian: median(sortNum(durations)),
    wallMs: byJob.get(`j${n}`)!.endedAt - byJob.get('j1')!.startedAt,
    cpuPerJob: perJob(cpu, n),
  };
}

interface FanoutResult {
  jobs: number;
  wallMs: number;
  baselineMs: number;
  /** the two baseline runs (before and after), ms */
  baselineRange: [number, number];
  ratio: number;
  /** trigger (API call) → first attempt's start */
  firstStartMs: number;
  /** the Course run, epoch ms (trigger → end seen), for the profile */
  window: [number, number];
  cpuPerJob: CpuSnapshot;
}

async function fanout(cluster: Cluster, n: number): Promise<FanoutResult> {
  const name = `bench-fanout-${n}`;
  const jobs: Record<string, object> = {};
  const width = String(n).length;
  for (let k = 1; k <= n; k++) jobs[`t${String(k).padStart(width, '0')}`] = { command: 'true' };
  await cluster.apply({ name, jobs });
  // The baseline runs on the same machine, while the cluster idles, just before and just after:
  // the machine is shared, so the two bracket the Course run and their mean is the reference.
  const b1 = await spawnBaseline(n, 2);
  const c0 = cpuSnapshot(cluster);
  const { jobs: times, triggeredAt } = await runToEnd(cluster, name, 60_000 + n * 200);
  const cpu = cpuDelta(c0, cpuSnapshot(cluster));
  const window: [number, number] = [triggeredAt, Date.now()];
  const starts = times.map((j) => j.startedAt);
  const ends = times.map((j) => j.endedAt);
  const first = Math.min(...starts);
  const wallMs = Math.max(...ends) - first;
  const b2 = await spawnBaseline(n, 2);
  const baselineMs = (b1 + b2) / 2;
  return { jobs: n, wallMs, baselineMs, baselineRange: [Math.min(b1, b2), Math.max(b1, b2)], ratio: wallMs / baselineMs, firstStartMs: first - triggeredAt, window, cpuPerJob: perJob(cpu, n) };
}

/** `n` × `/bin/sh -c true`, `concurrency` at a time, in a fresh plain node process (bench/spawn-baseline.mjs). */
async function spawnBaseline(n: number, concurrency: number): Promise<number> {
  const child = spawn(process.execPath, [path.join(import.meta.dirname, 'spawn-baseline.mjs'), String(n), String(concurrency)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  const wall = Number(out.trim());
  if (code !== 0 || !Number.isFinite(wall)) throw new Error(`spawn-baseline.mjs failed (exit ${code}): ${out}`);
  return wall;
}

// ---------------------------------------------------------------------------------------------
// output

const f = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '—');

function table(headers: string[], rows: string[][]): string {
  const w = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
  return [line(headers), w.map((n) => '-'.repeat(n)).join('  '), ...rows.map(line)].join('\n');
}

function machine(): string {
  const cpus = os.cpus();
  const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  return `machine: ${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.platform()} ${os.release()}, node ${process.version}, load average ${load}`;
}

// ---------------------------------------------------------------------------------------------
// main

interface ProviderResults {
  provider: TestProvider;
  handoff: HandoffResult[];
  fanout: FanoutResult[];
  profiles: { kind: string; file: string; exitAt: number }[];
  /** measured phases, epoch ms */
  phases: { label: string; from: number; to: number }[];
}

let current: Cluster | undefined;

async function benchProvider(provider: TestProvider, args: Args): Promise<ProviderResults> {
  const out: ProviderResults = { provider, handoff: [], fanout: [], profiles: [], phases: [] };
  const profDir = args.cpuProf.length > 0 ? mkdtempSync(path.join(os.tmpdir(), `course-bench-prof-${provider}-`)) : undefined;
  const flags = (kind: string) => (profDir && args.cpuProf.includes(kind) ? ['--cpu-prof', `--cpu-prof-dir=${path.join(profDir, kind)}`] : []);
  const t0 = Date.now();
  process.stderr.write(`[${provider}] starting a cluster (fresh database, web, ${args.worker ? 'worker, ' : ''}1 executor of capacity 2)…\n`);
  const databaseUrl = await freshDatabaseUrl(provider);
  const cluster = new BenchCluster(
    {
      databaseUrl,
      quiet: true,
      worker: args.worker,
      executors: [{ capacity: 2, name: 'bench-exec' }],
      // production defaults (lib/server/config.ts), not the test cluster's fast ones
      env: { COURSE_HEARTBEAT_MS: '2000', COURSE_LEASE_MS: '6000', COURSE_POLL_MS: '1000', COURSE_KILL_GRACE_MS: '5000' },
    },
    flags,
  );
  current = cluster;
  try {
    await cluster.start();
    process.stderr.write(`[${provider}] cluster up in ${Date.now() - t0} ms\n`);
    // Warm-up, not counted: the first transactions of each kind pay for JIT and Prisma's query plans.
    await handoff(cluster, 10);
    await settle(cluster);
    for (let i = 1; i <= args.repeat; i++) {
      if (args.only !== 'fanout') {
        const t = Date.now();
        const r = await handoff(cluster, args.chain);
        out.phases.push({ label: `hand-off #${i}`, from: t, to: Date.now() });
        out.handoff.push(r);
        process.stderr.write(`[${provider}] hand-off #${i}: median ${f(r.median)} ms, p99 ${f(r.p99)} ms (${Date.now() - t} ms)\n`);
      }
      if (args.only !== 'handoff') {
        const t = Date.now();
        const r = await fanout(cluster, args.fanout);
        out.phases.push({ label: `fan-out #${i} (the Course run, not the baselines)`, from: r.window[0], to: r.window[1] });
        out.fanout.push(r);
        process.stderr.write(`[${provider}] fan-out #${i}: ${f(r.wallMs, 0)} ms vs ${f(r.baselineMs, 0)} ms bare (${f(r.ratio, 2)}×) (${Date.now() - t} ms)\n`);
      }
    }
  } catch (e) {
    process.stderr.write(`[${provider}] failed; process output (tail):\n${cluster.logs()}\n`);
    throw e;
  } finally {
    await cluster.stop();
    current = undefined;
  }
  // The main thread's profile only (CPU.<date>.<time>.<pid>.0.<seq>.cpuprofile; thread 1 is tsx's loader).
  if (profDir) {
    for (const kind of args.cpuProf) {
      const dir = path.join(profDir, kind);
      let names: string[] = [];
      try {
        names = readdirSync(dir).filter((n) => /\.0\.\d+\.cpuprofile$/.test(n));
      } catch {
        process.stderr.write(`[${provider}] no CPU profile of ${kind} in ${dir}\n`);
      }
      for (const n of names) out.profiles.push({ kind, file: path.join(dir, n), exitAt: cluster.exitedAt.get(kind) ?? Date.now() });
    }
  }
  return out;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const results: ProviderResults[] = [];
  for (const p of args.providers) results.push(await benchProvider(p, args));
  if (args.providers.includes('postgresql') && !process.env.COURSE_TEST_PG_URL) await (await sharedPostgres()).stop();

  console.log(`\nCourse bench — ${new Date().toISOString()}`);
  console.log(machine());
  console.log(`settings: 1 executor of capacity 2, worker ${args.worker ? 'on' : 'off'}, heartbeat 2000 ms, poll 1000 ms; runs per scenario: ${args.repeat} (after a 10-job warm-up chain)`);

  if (args.only !== 'fanout') {
    console.log(`\n1. hand-off — chain of ${args.chain} \`true\` jobs; gap = startedAt(j[k+1]) − endedAt(j[k]), executor timestamps, ms (aim: median < 5, p99 < 20)`);
    const rows: string[][] = [];
    for (const r of results) {
      r.handoff.forEach((h, i) => {
        const ok = h.median < 5 && h.p99 < 20 ? 'yes' : 'no';
        rows.push([`${r.provider}${args.repeat > 1 ? ` #${i + 1}` : ''}`, String(h.links), f(h.median), f(h.p90), f(h.p99), f(h.max), f(h.taskMedian), f(h.wallMs, 0), cpuCell(h.cpuPerJob), ok]);
      });
    }
    console.log(table(['provider', 'links', 'median', 'p90', 'p99', 'max', 'task (spawn→exit) median', 'chain wall', 'CPU ms/job web / executor / worker [/ PostgreSQL]', 'aim met'], rows));
  }
  if (args.only !== 'handoff') {
    console.log(`\n2. fan-out — ${args.fanout} independent \`true\` jobs (all roots, queued at once by the run's start), 1 executor of capacity 2 (aim: ratio ≤ 2)`);
    console.log('   course = first attempt start → last attempt end (executor timestamps); bare = the same count of `/bin/sh -c true`, 2 at a time, plain child_process.spawn in a fresh node (mean of one run just before and one just after)');
    const rows: string[][] = [];
    for (const r of results) {
      r.fanout.forEach((x, i) => {
        rows.push([
          `${r.provider}${args.repeat > 1 ? ` #${i + 1}` : ''}`,
          String(x.jobs),
          f(x.wallMs, 0),
          f(x.wallMs / x.jobs, 2),
          `${f(x.baselineMs, 0)} (${f(x.baselineRange[0], 0)}–${f(x.baselineRange[1], 0)})`,
          f(x.baselineMs / x.jobs, 2),
          `${f(x.ratio, 2)}×`,
          f(x.firstStartMs, 0),
          cpuCell(x.cpuPerJob),
          x.ratio <= 2 ? 'yes' : 'no',
        ]);
      });
    }
    console.log(table(['provider', 'jobs', 'course ms', 'ms/job', 'bare ms (before–after)', 'ms/job', 'ratio', 'trigger→1st start', 'CPU ms/job web / executor / worker [/ PostgreSQL]', 'aim met'], rows));
  }
  if (notes.size > 0) {
    console.log('\nbugs met (outside bench/):');
    for (const n of notes) console.log(`  - ${n}`);
  }
  for (const r of results) {
    for (const p of r.profiles) {
      for (const ph of r.phases) printSummary(p.file, 25, { label: `${p.kind} process, ${r.provider} ${ph.label}`, fromEndMs: p.exitAt - ph.from, toEndMs: p.exitAt - ph.to });
    }
  }
  console.log(`\ntotal ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

let interrupted = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    process.stderr.write(`\n${sig}: stopping the cluster…\n`);
    void (current?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
  });
}

main().then(
  () => process.exit(0),
  async (e) => {
    console.error(e instanceof Error ? e.stack ?? e.message : e);
    await current?.stop().catch(() => undefined);
    process.exit(1);
  },
);
