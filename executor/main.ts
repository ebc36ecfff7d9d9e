// `course executor [--capacity N] [--label L]… [--name NAME] [--url URL] [--token TOKEN]`:
// the executor as a command. cli/ calls runExecutorCommand(argv); `tsx executor/main.ts …` runs it
// directly. SIGTERM/SIGINT stop it gracefully (finish or kill running tasks, report, disconnect);
// a second signal kills the running tasks at once.

import { stopWhenSupervisorGone } from '../lib/contracts/parent-watch';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startExecutor, type ExecutorOptions, type Log } from './agent.ts';

export const EXECUTOR_USAGE = `usage: course executor [--capacity N] [--label L]... [--name NAME] [--url URL] [--token TOKEN]
  --url URL          the Course server (or COURSE_URL), e.g. http://localhost:3000
  --token TOKEN      an executor token (or COURSE_TOKEN); an admin makes one with POST /api/v1/executors/tokens
  --capacity N       tasks run at once (default 2)
  --label L          a label jobs can ask for with runsOn; repeat it, or give L1,L2
  --name NAME        how this executor is shown (default: the host name)
  --stop-timeout MS  on SIGTERM, how long running tasks may finish before they are killed (default 10000)`;

export interface ExecutorArgs {
  url: string;
  token: string;
  name: string;
  labels: string[];
  capacity: number;
  stopTimeoutMs?: number;
}

export type ParsedArgs = { ok: true; args: ExecutorArgs } | { ok: false; help: boolean; error?: string };

/** Pure: argv (with or without the leading `executor`) and the environment → options or an error. */
export function parseExecutorArgs(argv: string[], env: Record<string, string | undefined>): ParsedArgs {
  const rest = argv[0] === 'executor' ? argv.slice(1) : argv.slice();
  let url = env.COURSE_URL;
  let token = env.COURSE_TOKEN;
  let name: string | undefined;
  let capacity = 2;
  let stopTimeoutMs: number | undefined;
  const labels: string[] = [];
  const fail = (error: string): ParsedArgs => ({ ok: false, help: false, error });

  for (let i = 0; i < rest.length; i++) {
    let arg = rest[i];
    if (arg === '-h' || arg === '--help') return { ok: false, help: true };
    let value: string | undefined;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) {
      value = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    const known = ['--url', '--token', '--capacity', '--label', '--name', '--stop-timeout'];
    if (!known.includes(arg)) return fail(`unknown argument: ${rest[i]}`);
    if (value === undefined) {
      value = rest[++i];
      if (value === undefined) return fail(`${arg} needs a value`);
    }
    switch (arg) {
      case '--url':
        url = value;
        break;
      case '--token':
        token = value;
        break;
      case '--name':
        name = value;
        break;
      case '--label':
        for (const l of value.split(',').map((s) => s.trim())) {
          if (l === '') return fail('--label needs a non-empty label');
          if (!labels.includes(l)) labels.push(l);
        }
        break;
      case '--capacity': {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 1) return fail(`--capacity must be a whole number >= 1, not ${JSON.stringify(value)}`);
        capacity = n;
        break;
      }
      case '--stop-timeout': {
        const n = Number(value);
        if (!Number.isFinite(n) || n < 0) return fail(`--stop-timeout must be a number of milliseconds, not ${JSON.stringify(value)}`);
        stopTimeoutMs = n;
        break;
      }
    }
  }

  if (!url) return fail('no server URL: set COURSE_URL or pass --url (e.g. --url http://localhost:3000)');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return fail(`not a URL: ${JSON.stringify(url)} (from ${argvHas(rest, '--url') ? '--url' : 'COURSE_URL'})`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return fail(`the server URL must be http:// or https://, not ${url}`);
  if (!token) return fail('no executor token: set COURSE_TOKEN or pass --token (an admin creates one with POST /api/v1/executors/tokens)');
  return {
    ok: true,
    args: { url, token, name: name ?? hostname(), labels, capacity, ...(stopTimeoutMs !== undefined ? { stopTimeoutMs } : {}) },
  };
}

function argvHas(argv: string[], flag: string): boolean {
  return argv.some((a) => a === flag || a.startsWith(flag + '='));
}

/**
 * Runs the executor until SIGTERM/SIGINT (or `signal` aborts), then stops it gracefully.
 * Resolves with the process exit code: 0 after a clean stop, 2 for bad arguments.
 */
export async function runExecutorCommand(
  argv: string[],
  opts: { env?: Record<string, string | undefined>; log?: Log; signal?: AbortSignal; extra?: Partial<ExecutorOptions> } = {},
): Promise<number> {
  const env = opts.env ?? process.env;
  const parsed = parseExecutorArgs(argv, env);
  if (!parsed.ok) {
    if (parsed.help) {
      process.stdout.write(EXECUTOR_USAGE + '\n');
      return 0;
    }
    process.stderr.write(`course executor: ${parsed.error}\n${EXECUTOR_USAGE}\n`);
    return 2;
  }
  const a = parsed.args;
  const handle = startExecutor({ ...opts.extra, url: a.url, token: a.token, name: a.name, labels: a.labels, capacity: a.capacity, stopTimeoutMs: a.stopTimeoutMs, log: opts.log, env });

  return new Promise<number>((resolveExit) => {
    let signals = 0;
    const onSignal = (sig: string) => {
      signals++;
      if (signals === 1) {
        process.stderr.write(`course executor: ${sig}, stopping (send it again to kill running tasks now)\n`);
        void handle.stop().then(done);
      } else {
        void handle.stop({ timeoutMs: 0 }); // cuts the first stop()'s wait: kill running tasks now
      }
    };
    const done = () => {
      process.off('SIGTERM', onTerm);
      process.off('SIGINT', onInt);
      resolveExit(0);
    };
    const onTerm = () => onSignal('SIGTERM');
    const onInt = () => onSignal('SIGINT');
    process.on('SIGTERM', onTerm);
    process.on('SIGINT', onInt);
    stopWhenSupervisorGone(() => onSignal('supervisor gone'));
    opts.signal?.addEventListener('abort', () => onSignal('abort'), { once: true });
  });
}

// Run directly: `tsx executor/main.ts --url … --token …`.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runExecutorCommand(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`course executor: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    },
  );
}
