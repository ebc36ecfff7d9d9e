// Runs an example workflow on this machine without a server, as Course would: jobs in `needs`
// order, each by `/bin/sh -c` with the environment CONTRACT.md promises (job env, params by name,
// COURSE_*), nested workflows as child runs with their own run id and nominal time. For the
// examples' integration test: it proves the commands work here, not how Course schedules them.

import { spawn } from 'node:child_process';
import { topologicalOrder } from '../lib/domain/definition/index';
import type { JobSpec, WorkflowSpec } from '../lib/domain/types';

export interface LocalJobResult {
  workflow: string;
  job: string;
  runId: string;
  exitCode: number | null;
  output: string;
}

export interface LocalRunOptions {
  workflows: Map<string, WorkflowSpec>;
  /** Param values for every run (nested ones too), over the declared defaults. */
  params?: Record<string, string>;
  cwd: string;
  /** Only these jobs of the top workflow (a rerun of the ones that did not succeed). */
  only?: string[];
  runId?: string;
  nominalTime?: string;
  baseEnv?: Record<string, string | undefined>;
}

let lastRunId = 1000;

/** Resolves with every job's result; stops at the first failure, like a run whose jobs depend on it. */
export async function runLocally(name: string, opts: LocalRunOptions): Promise<LocalJobResult[]> {
  const spec = opts.workflows.get(name);
  if (!spec) throw new Error(`no workflow '${name}'`);
  const runId = opts.runId ?? String(++lastRunId);
  const nominalTime = opts.nominalTime ?? new Date().toISOString();
  const params: Record<string, string> = {};
  for (const [p, def] of Object.entries(spec.params)) {
    const v = opts.params?.[p] ?? def.default;
    if (v !== undefined) params[p] = v;
  }

  const results: LocalJobResult[] = [];
  for (const jobName of topologicalOrder(spec.jobs)) {
    if (opts.only && !opts.only.includes(jobName)) continue;
    const job = spec.jobs[jobName];
    if (job.workflow) {
      // A child run: its own id and nominal time (the trigger time), so it must not rely on the parent's.
      const child = await runLocally(job.workflow, { ...opts, only: undefined, runId: undefined, nominalTime: undefined });
      results.push(...child);
      if (child.some((r) => r.exitCode !== 0)) return results;
      continue;
    }
    const env = {
      ...(opts.baseEnv ?? { PATH: process.env.PATH, HOME: process.env.HOME }),
      ...job.env,
      ...params,
      COURSE_RUN_ID: runId,
      COURSE_WORKFLOW: name,
      COURSE_JOB: jobName,
      COURSE_ATTEMPT: '1',
      COURSE_NOMINAL_TIME: nominalTime,
    };
    const r = await runCommand(job, env, opts.cwd);
    results.push({ workflow: name, job: jobName, runId, ...r });
    if (r.exitCode !== 0) return results;
  }
  return results;
}

function runCommand(job: JobSpec, env: Record<string, string | undefined>, cwd: string): Promise<{ exitCode: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', job.command!], { cwd: job.workdir ?? cwd, env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => chunks.push(c));
    // The job's own timeout: a command that hangs here would hang under Course too.
    const timer = job.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), job.timeoutMs) : undefined;
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ exitCode: code, output: Buffer.concat(chunks).toString('utf8') });
    });
  });
}
