// The run routes of /api/v1 (CONTRACT.md, "API"): trigger, list, show, cancel, rerun, output and
// timeline. Parse, check the caller's role in the run's group, call lib/server/runs.
import { isEnded } from '../lib/domain/run';
import type { JobState } from '../lib/domain/types';
import { DeliveryList } from '../lib/contracts/notifications';
import { RunIdParams, RunJson, RunList, RunListQuery, OutputParams, OutputQuery, Timeline, TriggerBody } from '../lib/contracts/runs';
import { recordAudit } from '../lib/server/audit/record';
import { requireRunRole, requireWorkflowRole, runNotFound, visibleGroups, workflowNotFound } from '../lib/server/auth/permissions';
import type { Database } from '../lib/server/db/client';
import { notFound } from '../lib/server/errors';
import { listDeliveries } from '../lib/server/notify';
import { createRun, findOutputTarget, listRuns, readChunks, readTimeline, requestCancel, rerun, runView, transact, type Nudger } from '../lib/server/runs';
import { waitForOutput } from '../lib/server/runs/output-events';
import { defineRoute, type AnyRoute } from './route';

async function viewOrThrow(db: Database, id: number) {
  const view = await runView(db.prisma, id);
  if (!view) throw runNotFound(id);
  return view;
}

export function runRoutes(nudger: Nudger): AnyRoute[] {
  return [
    defineRoute({
      method: 'POST',
      path: '/workflows/:name/runs',
      auth: 'user',
      summary: 'Start a run of a workflow now',
      // The body is optional ({params?}): an empty POST starts a run with the params' defaults.
      body: TriggerBody.optional(),
      response: RunJson,
      status: 201,
      errors: [403, 404, 422],
      handler: async (ctx, req) => {
        const wf = await requireWorkflowRole(ctx.db, req.principal, req.params.name, 'operator', 'start its runs');
        const now = ctx.now();
        const id = await transact(ctx.db, nudger, async (tx, post) => {
          const runId = await createRun(tx, { workflowId: wf.id, params: req.body?.params, trigger: 'manual', nominalTime: now, createdBy: req.principal.username }, now, post);
          await recordAudit(tx, {
            actor: req.principal,
            action: 'run.triggered',
            target: `run:${runId}`,
            group: { id: wf.groupId, name: wf.group },
            workflow: wf.name,
            details: { runId, version: wf.currentVersion, params: Object.keys(req.body?.params ?? {}) },
            at: now,
          });
          return runId;
        });
        return { status: 201, body: await viewOrThrow(ctx.db, id) };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/runs',
      auth: 'user',
      summary: 'Runs, newest first',
      query: RunListQuery,
      response: RunList,
      handler: async (ctx, req) => {
        const visible = await visibleGroups(ctx.db, req.principal);
        let groups: string[] | undefined;
        if (visible !== 'all') {
          const rows = await ctx.db.prisma.group.findMany({ where: { id: { in: [...visible.keys()] } }, select: { name: true } });
          groups = rows.map((g) => g.name);
        }
        if (req.query.workflow) {
          const wf = await ctx.db.prisma.workflow.findUnique({ where: { name: req.query.workflow }, select: { group: { select: { name: true } } } });
          if (!wf || (groups && !groups.includes(wf.group.name))) throw workflowNotFound(req.query.workflow);
        }
        const runs = await listRuns(ctx.db.prisma, { workflow: req.query.workflow, state: req.query.state, limit: req.query.limit, groups });
        return { status: 200, body: { runs } };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/runs/:id',
      auth: 'user',
      summary: 'A run with its job runs and their attempts',
      params: RunIdParams,
      response: RunJson,
      errors: [404],
      handler: async (ctx, req) => {
        await requireRunRole(ctx.db, req.principal, req.params.id, 'viewer', 'see its runs');
        return { status: 200, body: await viewOrThrow(ctx.db, req.params.id) };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/runs/:id/cancel',
      auth: 'user',
      summary: 'Cancel a run: running tasks are killed, jobs not yet started end cancelled, child runs too',
      params: RunIdParams,
      response: RunJson,
      status: 202,
      errors: [403, 404, 409],
      handler: async (ctx, req) => {
        const wf = await requireRunRole(ctx.db, req.principal, req.params.id, 'operator', 'cancel its runs');
        const now = ctx.now();
        await transact(ctx.db, nudger, async (tx, post) => {
          await requestCancel(tx, req.params.id, req.principal.username, now, post);
          await recordAudit(tx, { actor: req.principal, action: 'run.cancelled', target: `run:${req.params.id}`, group: { id: wf.groupId, name: wf.group }, workflow: wf.name, details: { runId: req.params.id }, at: now });
        });
        return { status: 202, body: await viewOrThrow(ctx.db, req.params.id) };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/runs/:id/rerun',
      auth: 'user',
      summary: "A new run of the same version in which the original's successful jobs count as done",
      params: RunIdParams,
      response: RunJson,
      status: 201,
      errors: [403, 404, 409],
      handler: async (ctx, req) => {
        const wf = await requireRunRole(ctx.db, req.principal, req.params.id, 'operator', 'rerun its runs');
        const now = ctx.now();
        const id = await transact(ctx.db, nudger, async (tx, post) => {
          const newId = await rerun(tx, req.params.id, req.principal.username, now, post);
          await recordAudit(tx, { actor: req.principal, action: 'run.rerun', target: `run:${newId}`, group: { id: wf.groupId, name: wf.group }, workflow: wf.name, details: { runId: newId, rerunOf: req.params.id }, at: now });
          return newId;
        });
        return { status: 201, body: await viewOrThrow(ctx.db, id) };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/runs/:id/jobs/:job/output',
      auth: 'user',
      summary: "A job's output (the latest attempt unless `attempt` is given); `follow=1` streams until the attempt ends",
      params: OutputParams,
      query: OutputQuery,
      produces: 'text/plain',
      errors: [404],
      handler: async (ctx, req) => {
        await requireRunRole(ctx.db, req.principal, req.params.id, 'viewer', 'see its output');
        const follow = req.query.follow === '1' || req.query.follow === 'true';
        if (follow && req.query.attempt === undefined && !(await hasAttempt(ctx.db, req.params.id, req.params.job))) {
          // Following a job that has not started yet: wait for its first attempt.
          return { status: 200, stream: followFromStart(ctx.db, req.params.id, req.params.job, req.signal), contentType: 'text/plain; charset=utf-8' };
        }
        const target = await findOutputTarget(ctx.db.prisma, req.params.id, req.params.job, req.query.attempt);
        const contentType = 'text/plain; charset=utf-8';
        const headers = { 'x-course-attempt': String(target.number) };
        if (!follow || target.ended) {
          const chunks = await readChunks(ctx.db.prisma, target.attemptId);
          const note = target.droppedBytes > 0 ? [Buffer.from(`\n[course: ${target.droppedBytes} bytes of output were dropped to keep the first and last parts]\n`)] : [];
          return { status: 200, text: Buffer.concat([...chunks.map((c) => Buffer.from(c.data)), ...note]), contentType, headers };
        }
        return { status: 200, stream: followOutput(ctx.db, target.attemptId, req.signal), contentType, headers };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/runs/:id/timeline',
      auth: 'user',
      summary: "The run's debugging timeline: every state change with its time and reason, attempts, executors, exit codes",
      params: RunIdParams,
      response: Timeline,
      errors: [404],
      handler: async (ctx, req) => {
        await requireRunRole(ctx.db, req.principal, req.params.id, 'viewer', 'see its timeline');
        return { status: 200, body: { runId: req.params.id, events: await readTimeline(ctx.db.prisma, req.params.id) } };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/runs/:id/notifications',
      auth: 'user',
      summary: "The run's notification deliveries: event, target, state (pending, delivered, dead), attempts, last error, next attempt, idempotency key",
      params: RunIdParams,
      response: DeliveryList,
      errors: [404],
      handler: async (ctx, req) => {
        await requireRunRole(ctx.db, req.principal, req.params.id, 'viewer', 'see its notifications');
        return { status: 200, body: { runId: req.params.id, deliveries: await listDeliveries(ctx.db.prisma, req.params.id, ctx.now()) } };
      },
    }),
  ];
}

/** False when the job has no attempt yet; a 404 when the run has no such job. */
async function hasAttempt(db: Database, runId: number, job: string): Promise<boolean> {
  const jobRun = await db.prisma.jobRun.findUnique({ where: { runId_job: { runId, job } }, select: { id: true } });
  if (!jobRun) throw notFound(`run ${runId} has no job '${job}'`);
  return (await db.prisma.attempt.count({ where: { jobRunId: jobRun.id } })) > 0;
}

/** Waits for the job's first attempt, then follows it; ends with a note if the job ends without one. */
async function* followFromStart(db: Database, runId: number, job: string, signal: AbortSignal): AsyncGenerator<Uint8Array> {
  while (!signal.aborted) {
    const jobRun = await db.prisma.jobRun.findUniqueOrThrow({ where: { runId_job: { runId, job } }, select: { state: true, reason: true, childRunId: true } });
    if (await hasAttempt(db, runId, job)) {
      const target = await findOutputTarget(db.prisma, runId, job);
      yield* followOutput(db, target.attemptId, signal);
      return;
    }
    if (isEnded(jobRun.state as JobState)) {
      const why = jobRun.childRunId !== null ? `it ran as child run ${jobRun.childRunId}` : `it ended ${jobRun.state}${jobRun.reason ? `: ${jobRun.reason}` : ''}`;
      yield Buffer.from(`[course: job ${job} has no output: ${why}]\n`);
      return;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Streams an attempt's output as it is stored, until the attempt has ended and all is sent. */
async function* followOutput(db: Database, attemptId: number, signal: AbortSignal): AsyncGenerator<Uint8Array> {
  let lastSeq = -1;
  while (!signal.aborted) {
    const attempt = await db.prisma.attempt.findUnique({ where: { id: attemptId }, select: { state: true, droppedBytes: true } });
    const chunks = await readChunks(db.prisma, attemptId, lastSeq);
    for (const c of chunks) {
      lastSeq = c.seq;
      yield Buffer.from(c.data);
    }
    // The end is read before the chunks, and output is stored before the end (executor-hub), so
    // once the attempt is seen ended the read that followed had everything.
    if (!attempt || attempt.state !== 'executing') {
      if (attempt && attempt.droppedBytes > 0) yield Buffer.from(`\n[course: ${attempt.droppedBytes} bytes of output were dropped to keep the first and last parts]\n`);
      return;
    }
    if (chunks.length === 0) await waitForOutput(attemptId, 250, signal);
  }
}
