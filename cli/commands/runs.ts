// Runs: start one (`run`), list them (`runs`), look at one (`status`), stop one (`cancel`),
// start again what did not succeed (`rerun`).

import { boolFlag, intFlag, listFlag, parseParams, positionals, stringFlag, type FlagSpec } from '../args';
import type { Command, Context } from '../command';
import { CliError, EXIT } from '../errors';
import { describeRunState, elapsed, formatTime, jobTable, table } from '../format';
import type { Run } from '../types';
import { EXIT_FOR_STATE, outcome, waitForRun } from '../wait';

const WAIT_FLAGS: FlagSpec[] = [
  { name: 'wait', short: 'w', kind: 'boolean', help: 'follow the run, printing job changes, until it ends; the exit code tells how it ended' },
  { name: 'quiet', short: 'q', kind: 'boolean', help: 'print only the run id (for scripts)' },
];

const WAIT_MORE = [
  'With --wait the exit code is 0 when the run succeeded, 1 when it failed (or the server could',
  'not be reached for 5 minutes), 2 when it was cancelled. Ctrl-C stops waiting, not the run.',
  'COURSE_CLI_POLL_MS sets how often the run is looked at (default 1000).',
].join('\n');

function envMs(ctx: Context, name: string, fallback: number): number {
  const v = Number(ctx.io.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

/** Prints the new run, then (with --wait) follows it; returns the exit code. */
async function started(ctx: Context, run: Run, what: string): Promise<number> {
  const id = String(run.id);
  if (boolFlag(ctx.args, 'quiet')) ctx.io.out(`${id}\n`);
  else ctx.io.out(`run ${id} started: ${what}\n`);
  if (!boolFlag(ctx.args, 'wait')) return EXIT.ok;

  const onSigint = () => {
    ctx.io.err(`\ncourse: stopped waiting; run ${id} goes on (\`course cancel ${id}\` stops it)\n`);
    process.exit(EXIT.interrupted);
  };
  process.once('SIGINT', onSigint);
  try {
    const quiet = boolFlag(ctx.args, 'quiet');
    const end = await waitForRun(ctx.client(), id, quiet ? () => {} : ctx.io.out, ctx.io.err, {
      pollMs: envMs(ctx, 'COURSE_CLI_POLL_MS', 1000),
      patienceMs: envMs(ctx, 'COURSE_CLI_PATIENCE_MS', 5 * 60_000),
    });
    (quiet ? ctx.io.err : ctx.io.out)(outcome(end, Date.now()));
    return EXIT_FOR_STATE[end.state] ?? EXIT.failure;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

export const run: Command = {
  name: 'run',
  summary: 'start a run of a workflow',
  usage: 'WORKFLOW [--param NAME=VALUE]… [--wait]',
  flags: [{ name: 'param', short: 'p', kind: 'list', value: 'NAME=VALUE', help: 'a run parameter (repeat for more); reaches commands as $NAME' }, ...WAIT_FLAGS],
  more: `${WAIT_MORE}\n\nExample: course run packages-report --param TOP_N=20 --wait`,
  async run(ctx) {
    const [workflow] = positionals(ctx.args, ['WORKFLOW'], 'run');
    const params = parseParams(listFlag(ctx.args, 'param'), 'run');
    const { body } = await ctx.client().request<Run>('POST', `/workflows/${encodeURIComponent(workflow)}/runs`, {
      json: Object.keys(params).length > 0 ? { params } : {},
    });
    return started(ctx, body, `${body.workflow ?? workflow}${body.version !== undefined ? ` version ${body.version}` : ''}`);
  },
};

export const rerun: Command = {
  name: 'rerun',
  summary: 'start a new run of the same version, keeping the jobs that succeeded',
  usage: 'RUN [--wait]',
  flags: WAIT_FLAGS,
  more: WAIT_MORE,
  async run(ctx) {
    const [id] = positionals(ctx.args, ['RUN'], 'rerun');
    const { body } = await ctx.client().request<Run>('POST', `/runs/${encodeURIComponent(id)}/rerun`);
    return started(ctx, body, `rerun of run ${id} (${body.workflow}${body.version !== undefined ? ` version ${body.version}` : ''})`);
  },
};

export const cancel: Command = {
  name: 'cancel',
  summary: 'cancel a run (its executing jobs are stopped, its child runs cancelled)',
  usage: 'RUN',
  flags: [],
  async run(ctx) {
    const [id] = positionals(ctx.args, ['RUN'], 'cancel');
    await ctx.client().request('POST', `/runs/${encodeURIComponent(id)}/cancel`);
    ctx.io.out(`cancel requested for run ${id}; \`course status ${id}\` shows when it has ended\n`);
    return EXIT.ok;
  },
};

export const runs: Command = {
  name: 'runs',
  summary: 'list recent runs',
  usage: '[--workflow W] [--state S] [--limit N]',
  flags: [
    { name: 'workflow', kind: 'string', value: 'W', help: "only this workflow's runs" },
    { name: 'state', kind: 'string', value: 'S', help: 'only runs in this state: new, executing, success, failure, cancelled' },
    { name: 'limit', kind: 'string', value: 'N', help: 'at most N runs (the server decides the default)' },
  ],
  async run(ctx) {
    positionals(ctx.args, [], 'runs');
    const limit = intFlag(ctx.args, 'limit', 1, 'runs');
    const { body } = await ctx.client().request<unknown>('GET', '/runs', {
      query: { workflow: stringFlag(ctx.args, 'workflow'), state: stringFlag(ctx.args, 'state'), limit },
    });
    const list = runList(body);
    if (list.length === 0) {
      ctx.io.err('no runs\n');
      return EXIT.ok;
    }
    const now = Date.now();
    const rows = list.map((r) => [
      String(r.id),
      r.workflow,
      r.state,
      r.trigger ?? '',
      formatTime(r.startedAt ?? r.createdAt),
      elapsed(r.startedAt, r.endedAt, now),
      r.reason ?? '',
    ]);
    ctx.io.out(`${table(['ID', 'WORKFLOW', 'STATE', 'TRIGGER', 'STARTED', 'DURATION', 'REASON'], rows)}\n`);
    return EXIT.ok;
  },
};

/** GET /runs answers a list; a wrapped one ({runs: […]}) is read too. */
export function runList(body: unknown): Run[] {
  if (Array.isArray(body)) return body as Run[];
  const o = body as { runs?: unknown; items?: unknown } | undefined;
  if (Array.isArray(o?.runs)) return o.runs as Run[];
  if (Array.isArray(o?.items)) return o.items as Run[];
  throw new CliError('the server answered GET /runs with something that is not a list of runs');
}

export const status: Command = {
  name: 'status',
  summary: "a run's state and reason, and each job's state, attempts, exit code and reason",
  usage: 'RUN',
  flags: [],
  async run(ctx) {
    const [id] = positionals(ctx.args, ['RUN'], 'status');
    const { body: r } = await ctx.client().request<Run>('GET', `/runs/${encodeURIComponent(id)}`);
    ctx.io.out(`${formatStatus(r, Date.now())}\n`);
    return EXIT.ok;
  },
};

export function formatStatus(r: Run, now: number, zone: 'local' | 'utc' = 'local'): string {
  const lines = [
    `run ${r.id}: ${r.workflow}${r.version !== undefined ? ` version ${r.version}` : ''}`,
    `state:    ${describeRunState(r)}`,
    `trigger:  ${r.trigger}${r.parentRunId !== null && r.parentRunId !== undefined ? ` (parent run ${r.parentRunId})` : ''}, nominal time ${formatTime(r.nominalTime, zone)}`,
    `started:  ${formatTime(r.startedAt, zone)}   ended: ${formatTime(r.endedAt, zone)}   duration: ${elapsed(r.startedAt, r.endedAt, now)}`,
  ];
  if (r.jobRuns.length > 0) lines.push('', jobTable(r, zone));
  return lines.join('\n');
}
