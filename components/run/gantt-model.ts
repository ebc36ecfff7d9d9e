// The run's timeline as a Gantt chart, pure: one row per job, one bar per attempt (so retries show
// as several bars), placed as percentages of the run's span. `now` stands for the end of what is
// still going on.

export interface GanttAttempt {
  number: number;
  state?: string;
  exitCode?: number | null;
  reason?: string | null;
  executor?: string | null;
  startedAt: string | null;
  endedAt: string | null;
}
export interface GanttJobRun {
  job: string;
  state: string;
  reason?: string | null;
  retryAt?: string | null;
  attempts: GanttAttempt[];
}
export interface GanttRun {
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  jobRuns: GanttJobRun[];
}

export interface GanttBar {
  attempt: number;
  state: string;
  ongoing: boolean;
  startMs: number;
  endMs: number;
  leftPct: number;
  widthPct: number;
  title: string;
}
export interface GanttRow {
  job: string;
  state: string;
  bars: GanttBar[];
  /** A retry waiting: where the next attempt is due, as a percentage (may be past the end). */
  retryAtPct: number | null;
}
export interface GanttModel {
  startMs: number;
  endMs: number;
  rows: GanttRow[];
  ticks: { pct: number; label: string }[];
}

const MIN_WIDTH_PCT = 0.4;

export function ganttModel(run: GanttRun, order: string[] | null, now: number): GanttModel {
  const byJob = new Map(run.jobRuns.map((jr) => [jr.job, jr]));
  const jobs = order ? [...order.filter((j) => byJob.has(j)), ...run.jobRuns.map((jr) => jr.job).filter((j) => !order.includes(j))] : run.jobRuns.map((jr) => jr.job);
  const starts: number[] = [];
  const ends: number[] = [];
  for (const jr of run.jobRuns)
    for (const a of jr.attempts) {
      if (a.startedAt) starts.push(Date.parse(a.startedAt));
      if (a.endedAt) ends.push(Date.parse(a.endedAt));
    }
  const startMs = run.startedAt ? Date.parse(run.startedAt) : starts.length ? Math.min(...starts) : Date.parse(run.createdAt);
  const ongoing = run.endedAt === null;
  let endMs = run.endedAt ? Date.parse(run.endedAt) : Math.max(now, ...ends, startMs);
  if (ends.length) endMs = Math.max(endMs, ...ends);
  if (endMs - startMs < 1000) endMs = startMs + 1000;
  // While the run goes on, the scale reaches a little past now, to a round step: it changes now
  // and then rather than every second, so only the bars still growing move in between.
  if (ongoing) endMs = startMs + niceCeil((endMs - startMs) * 1.15);
  const span = endMs - startMs;
  const pct = (t: number) => ((t - startMs) / span) * 100;

  const rows: GanttRow[] = jobs.map((job) => {
    const jr = byJob.get(job)!;
    const bars: GanttBar[] = [];
    for (const a of jr.attempts) {
      if (!a.startedAt) continue;
      const s = Date.parse(a.startedAt);
      const open = a.endedAt === null;
      const e = open ? (ongoing ? Math.max(now, s) : endMs) : Date.parse(a.endedAt!);
      const leftPct = clamp(pct(s));
      const widthPct = Math.max(MIN_WIDTH_PCT, Math.min(100 - leftPct, pct(e) - pct(s)));
      const state = a.state ?? (open ? 'executing' : jr.state);
      const bits = [`${job} attempt ${a.number}: ${state}`, formatSpan(e - s)];
      if (a.exitCode !== undefined && a.exitCode !== null) bits.push(`exit code ${a.exitCode}`);
      if (a.reason) bits.push(a.reason);
      if (a.executor) bits.push(`on ${a.executor}`);
      bars.push({ attempt: a.number, state, ongoing: open, startMs: s, endMs: e, leftPct, widthPct, title: bits.join(' · ') });
    }
    const retryAtPct = jr.retryAt && jr.state === 'executing' ? pct(Date.parse(jr.retryAt)) : null;
    return { job, state: jr.state, bars, retryAtPct };
  });

  return { startMs, endMs, rows, ticks: ticks(span) };
}

function clamp(v: number): number {
  return Math.min(100, Math.max(0, v));
}

/** The smallest 1, 2 or 5 × 10^n seconds (or a step of STEPS) not below `ms`. */
function niceCeil(ms: number): number {
  for (const s of STEPS) for (const k of [1, 2, 3, 4, 5, 6, 8]) if (k * s >= ms) return k * s;
  return Math.ceil(ms / 86_400_000) * 86_400_000;
}

const STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 21600, 43200, 86400].map((s) => s * 1000);

function ticks(span: number): { pct: number; label: string }[] {
  const step = STEPS.find((s) => span / s <= 8) ?? STEPS[STEPS.length - 1];
  const out: { pct: number; label: string }[] = [];
  for (let t = 0; t <= span; t += step) out.push({ pct: (t / span) * 100, label: formatOffset(t) });
  return out;
}

/** +0s, +1m 30s, +2h. */
export function formatOffset(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `+${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `+${m}m${s % 60 ? ` ${s % 60}s` : ''}`;
  const h = Math.floor(m / 60);
  return `+${h}h${m % 60 ? ` ${m % 60}m` : ''}`;
}

function formatSpan(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}
