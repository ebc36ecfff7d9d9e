// Enqueueing notifications into the outbox (the Notification table), always inside the caller's
// transaction: the delivery rows commit with the state change they tell about, or not at all. So
// a notification is never lost (the worker delivers whatever is committed, after any crash) and
// never blocks or fails the run (nothing is sent here; sending happens in the worker, later).
import { createHash } from 'node:crypto';
import type { Effect } from '../../domain/run';
import type { NotifyTarget } from '../../domain/types';
import type { Tx } from '../db/client';
import type { PostCommit } from '../runs/post-commit';
import { specOfVersion } from '../runs/spec-cache';
import type { TimelineEntry } from '../runs/timeline';
import { redactUrl } from './allow';
import { jobFacts, jobsConcerned, jobsFacts, loadRunContext, runFacts } from './content';
import { buildPayload, MAX_JOBS_IN_FULL, type NotificationPayload } from './payload';
import { eventIdFor, matchEffect, targetIdentity, type NotifyEvent } from './rules';

export function targetKeyOf(channel: string, target: string): string {
  return createHash('sha256').update(`${channel}\n${channel === 'email' ? target.toLowerCase() : target}`).digest('hex');
}

/** How a target is shown (API, timeline): the address, or the URL with credentials masked. */
export function showTarget(channel: string, target: string): string {
  return channel === 'webhook' ? redactUrl(target) : target;
}

export interface NewEvent {
  eventId: string;
  event: NotifyEvent;
  runId: number;
  job?: string;
  targets: NotifyTarget[];
  payload: NotificationPayload;
}

/** One delivery row per target, due now; a timeline entry for each. */
export async function writeDeliveries(tx: Tx, e: NewEvent, now: number, timeline: TimelineEntry[]): Promise<number> {
  const body = JSON.stringify(e.payload);
  const rows = e.targets.map((t) => {
    const { channel, target } = targetIdentity(t);
    return {
      eventId: e.eventId,
      event: e.event,
      runId: e.runId,
      job: e.job ?? null,
      channel,
      target,
      targetKey: targetKeyOf(channel, target),
      secret: 'webhook' in t ? (t.secret ?? null) : null,
      timeoutMs: 'webhook' in t ? (t.timeoutMs ?? null) : null,
      payload: body,
      state: 'pending',
      attempts: 0,
      nextAttemptAt: new Date(now),
      createdAt: new Date(now),
    };
  });
  if (rows.length === 0) return 0;
  const created = await tx.notification.createManyAndReturn({ data: rows, select: { id: true, channel: true, target: true } });
  for (const c of created) {
    timeline.push({
      kind: 'notification.enqueued',
      ...(e.job !== undefined && { job: e.job }),
      message: `${e.event} notification to ${showTarget(c.channel, c.target)} (${c.channel}) enqueued`,
      data: { deliveryId: c.id, event: e.event, eventId: e.eventId, channel: c.channel, target: showTarget(c.channel, c.target) },
    });
  }
  return created.length;
}

/**
 * The hook in apply-event's carryOut: for a job-ended, job-retry or run-ended effect that the
 * run's `notify` rules ask about, enqueue one delivery per target in the same transaction.
 * Costs nothing but a cached spec lookup when no rule matches.
 */
export async function enqueueForEffect(tx: Tx, run: { id: number; versionId: number }, effect: Effect, now: number, post: PostCommit, timeline: TimelineEntry[]): Promise<void> {
  if (effect.type !== 'job-ended' && effect.type !== 'job-retry' && effect.type !== 'run-ended') return;
  const spec = await specOfVersion(tx, run.versionId);
  const matched = matchEffect(spec, effect);
  if (!matched) return;
  const ctx = await loadRunContext(tx, run.id);
  const run_ = runFacts(ctx, now);
  let payload: NotificationPayload;
  let eventId: string;
  try {
    ({ payload, eventId } = await buildForEffect(tx, ctx, run_, spec, effect, matched, now));
  } catch (e) {
    // A database error aborts the transaction anyway (rethrown: the whole event is retried). Any
    // other error is a bug in building the content: it must not block the run, so the notice
    // goes out without the job details rather than not at all.
    if (isDatabaseError(e)) throw e;
    console.error(`notify: building the ${matched.event} notice of run ${run.id} failed; sending it without job details`, e);
    eventId = eventIdFor(ctx, matched.event, matched.job, effect.type === 'job-retry' ? (effect.failedAttempt ?? effect.attempt - 1) : undefined);
    payload = buildPayload({ id: eventId, event: matched.event, at: now, workflow: ctx.workflow, run: run_, jobs: [] });
  }
  const n = await writeDeliveries(tx, { eventId, event: matched.event, runId: run.id, ...(matched.job !== undefined && { job: matched.job }), targets: matched.targets, payload }, now, timeline);
  if (n > 0) post.worker = true; // the web wakes the worker, whose outbox loop then delivers at once
}

function isDatabaseError(e: unknown): boolean {
  const name = (e as { name?: unknown })?.name;
  const code = (e as { code?: unknown })?.code;
  return (typeof name === 'string' && name.startsWith('PrismaClient')) || (typeof code === 'string' && /^P\d{4}$/.test(code)) || e instanceof Error && /SQLITE_|database|connection/i.test(e.message);
}

async function buildForEffect(
  tx: Tx,
  ctx: Awaited<ReturnType<typeof loadRunContext>>,
  run_: ReturnType<typeof runFacts>,
  spec: Awaited<ReturnType<typeof specOfVersion>>,
  effect: Extract<Effect, { type: 'job-ended' | 'job-retry' | 'run-ended' }>,
  matched: NonNullable<ReturnType<typeof matchEffect>>,
  now: number,
): Promise<{ payload: NotificationPayload; eventId: string }> {
  let payload: NotificationPayload;
  let eventId: string;
  if (effect.type === 'run-ended') {
    const event = matched.event as 'run.success' | 'run.failure';
    eventId = eventIdFor(ctx, event);
    const concerned = jobsConcerned(ctx, event);
    payload = buildPayload({
      id: eventId,
      event,
      at: now,
      workflow: ctx.workflow,
      run: run_,
      jobs: await jobsFacts(tx, ctx, concerned, spec, now, MAX_JOBS_IN_FULL),
      jobsConcerned: concerned.length,
      allJobStates: ctx.jobRuns.map((j) => j.state),
    });
  } else {
    const jobRun = ctx.jobRuns.find((j) => j.job === effect.job);
    if (!jobRun) throw new Error(`notification for unknown job ${effect.job} of run ${ctx.id}`);
    const retry = effect.type === 'job-retry';
    const failedAttempt = retry ? (effect.failedAttempt ?? effect.attempt - 1) : undefined;
    eventId = eventIdFor(ctx, matched.event, effect.job, failedAttempt);
    const facts = await jobFacts(
      tx,
      ctx,
      jobRun,
      spec.jobs[effect.job],
      now,
      retry ? { reason: effect.reason, retry: { attempt: effect.attempt, at: effect.at } } : { reason: effect.reason, state: effect.state },
    );
    payload = buildPayload({ id: eventId, event: matched.event, at: now, workflow: ctx.workflow, run: run_, jobs: [facts] });
  }
  return { payload, eventId };
}
