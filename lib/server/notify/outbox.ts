// The outbox's database side: claim due deliveries, record each attempt's outcome, list a run's
// deliveries. Claims are atomic on both providers: PostgreSQL skips rows another worker has
// locked (FOR UPDATE SKIP LOCKED); SQLite holds the write lock for the claim's transaction; and
// on both the claim itself is a compare-and-set on (state, nextAttemptAt). A claim is a lease:
// it pushes nextAttemptAt past the send's timeout, so a worker that dies mid-send leaves the row
// due again once the lease lapses, and only the claim's holder (claimToken) may record an outcome.
import { randomUUID } from 'node:crypto';
import type { Database, Tx } from '../db/client';
import { writeTx } from '../db/write';
import { recordTimeline } from '../runs/timeline';
import { nextRetryDelay } from './backoff';
import { showTarget } from './enqueue';
import type { OutgoingDelivery, SendOutcome } from './send';
import type { NotifySettings } from './settings';

/** Beyond the send's own timeout, how long a claim lasts. */
export const LEASE_MARGIN_MS = 5_000;

export interface ClaimedDelivery extends OutgoingDelivery {
  runId: number;
  job: string | null;
  claimToken: string;
  createdAt: Date;
}

export function leaseMsFor(channel: string, timeoutMs: number | null, settings: NotifySettings): number {
  return (channel === 'email' ? settings.emailTimeoutMs : (timeoutMs ?? settings.webhookTimeoutMs)) + LEASE_MARGIN_MS;
}

async function dueCandidates(tx: Tx, provider: Database['provider'], now: number, max: number): Promise<{ id: number; channel: string; timeoutMs: number | null }[]> {
  if (provider === 'postgresql') {
    // The instant as text, cast in SQL: Prisma keeps DateTime as UTC `timestamp(3)`.
    return tx.$queryRaw<{ id: number; channel: string; timeoutMs: number | null }[]>`
      SELECT id, channel, "timeoutMs" FROM "Notification"
      WHERE state = 'pending' AND "nextAttemptAt" <= (${new Date(now).toISOString()}::timestamptz AT TIME ZONE 'UTC')
      ORDER BY "nextAttemptAt", id LIMIT ${max} FOR UPDATE SKIP LOCKED`;
  }
  return tx.notification.findMany({
    where: { state: 'pending', nextAttemptAt: { lte: new Date(now) } },
    orderBy: [{ nextAttemptAt: 'asc' }, { id: 'asc' }],
    take: max,
    select: { id: true, channel: true, timeoutMs: true },
  });
}

/** Claims up to `max` due deliveries for this worker: each attempt counted, its lease set. */
export async function claimDue(db: Database, now: number, max: number, settings: NotifySettings): Promise<ClaimedDelivery[]> {
  if (max <= 0) return [];
  return writeTx(db, async (tx) => {
    const candidates = await dueCandidates(tx, db.provider, now, max);
    if (candidates.length === 0) return [];
    const token = randomUUID();
    const claimed: number[] = [];
    for (const c of candidates) {
      const r = await tx.notification.updateMany({
        where: { id: c.id, state: 'pending', nextAttemptAt: { lte: new Date(now) } },
        data: { claimToken: token, attempts: { increment: 1 }, lastAttemptAt: new Date(now), nextAttemptAt: new Date(now + leaseMsFor(c.channel, c.timeoutMs, settings)) },
      });
      if (r.count === 1) claimed.push(c.id);
    }
    if (claimed.length === 0) return [];
    const rows = await tx.notification.findMany({
      where: { id: { in: claimed } },
      orderBy: { id: 'asc' },
      select: { id: true, eventId: true, event: true, runId: true, job: true, channel: true, target: true, secret: true, timeoutMs: true, payload: true, attempts: true, createdAt: true },
    });
    return rows.map(({ attempts, ...r }) => ({ ...r, attempt: attempts, claimToken: token }));
  });
}

export type Recorded = 'delivered' | 'retry' | 'dead' | 'released' | 'lost';

/**
 * Records one attempt's outcome, if this worker still holds the claim ('lost' otherwise: the
 * lease lapsed and another worker has the row). Delivered; or due again after the back-off; or
 * dead (a permanent refusal, or the back-off is used up) with the last error. `interrupted`:
 * the worker is stopping; the row is handed back, due at once, for the next worker.
 */
export async function recordOutcome(db: Database, d: ClaimedDelivery, outcome: SendOutcome, now: number, settings: NotifySettings, interrupted = false): Promise<{ recorded: Recorded; nextAttemptAt?: number }> {
  const shown = showTarget(d.channel, d.target);
  const base = { deliveryId: d.id, event: d.event, eventId: d.eventId, channel: d.channel, target: shown, attempt: d.attempt };
  let recorded: Recorded;
  let data: Record<string, unknown>;
  let entry: { kind: string; message: string; data: Record<string, unknown> };
  let nextAt: number | undefined;
  if (outcome.ok) {
    recorded = 'delivered';
    data = { state: 'delivered', deliveredAt: new Date(now), claimToken: null };
    entry = { kind: 'notification.delivered', message: `${d.event} notification to ${shown} delivered (attempt ${d.attempt}: ${outcome.detail})`, data: { ...base, detail: outcome.detail } };
  } else if (interrupted) {
    recorded = 'released';
    nextAt = now;
    data = { claimToken: null, nextAttemptAt: new Date(now), lastError: outcome.error };
    entry = { kind: 'notification.interrupted', message: `${d.event} notification to ${shown}: attempt ${d.attempt} interrupted (the worker stopped); due again at once`, data: { ...base, error: outcome.error } };
  } else {
    const delay = outcome.permanent ? null : nextRetryDelay(settings.backoff, d.attempt, now - d.createdAt.getTime());
    if (delay === null) {
      recorded = 'dead';
      data = { state: 'dead', claimToken: null, lastError: outcome.error };
      entry = {
        kind: 'notification.dead',
        message: `${d.event} notification to ${shown} dead after ${d.attempt} attempt${d.attempt === 1 ? '' : 's'}: ${outcome.error}`,
        data: { ...base, error: outcome.error, permanent: outcome.permanent },
      };
    } else {
      recorded = 'retry';
      nextAt = now + delay;
      data = { claimToken: null, nextAttemptAt: new Date(nextAt), lastError: outcome.error };
      entry = {
        kind: 'notification.failed',
        message: `${d.event} notification to ${shown}: attempt ${d.attempt} failed (${outcome.error}); next attempt at ${new Date(nextAt).toISOString()}`,
        data: { ...base, error: outcome.error, nextAttemptAt: new Date(nextAt).toISOString() },
      };
    }
  }
  const held = await writeTx(db, async (tx) => {
    const r = await tx.notification.updateMany({ where: { id: d.id, claimToken: d.claimToken, state: 'pending' }, data });
    if (r.count !== 1) return false;
    await recordTimeline(tx, d.runId, now, [{ ...entry, ...(d.job !== null && { job: d.job }) }]);
    return true;
  });
  return held ? { recorded, ...(nextAt !== undefined && { nextAttemptAt: nextAt }) } : { recorded: 'lost' };
}

/** When the earliest pending delivery is due (claimed ones: when their lease lapses), or null. */
export async function nextDueAt(tx: Tx): Promise<number | null> {
  const row = await tx.notification.findFirst({ where: { state: 'pending' }, orderBy: { nextAttemptAt: 'asc' }, select: { nextAttemptAt: true } });
  return row ? row.nextAttemptAt.getTime() : null;
}

export interface DeliveryJson {
  id: number;
  event: string;
  idempotencyKey: string;
  job: string | null;
  channel: string;
  target: string;
  state: string;
  /** A worker is sending it right now. */
  delivering: boolean;
  attempts: number;
  lastError: string | null;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A run's deliveries, oldest first; secrets never leave the database. */
export async function listDeliveries(tx: Tx, runId: number, now: number): Promise<DeliveryJson[]> {
  const rows = await tx.notification.findMany({
    where: { runId },
    orderBy: { id: 'asc' },
    select: { id: true, event: true, eventId: true, job: true, channel: true, target: true, state: true, claimToken: true, attempts: true, lastError: true, lastAttemptAt: true, nextAttemptAt: true, deliveredAt: true, createdAt: true },
  });
  return rows.map((r) => {
    const delivering = r.state === 'pending' && r.claimToken !== null && r.nextAttemptAt.getTime() > now;
    return {
      id: r.id,
      event: r.event,
      idempotencyKey: r.eventId,
      job: r.job,
      channel: r.channel,
      target: showTarget(r.channel, r.target),
      state: r.state,
      delivering,
      attempts: r.attempts,
      lastError: r.lastError,
      lastAttemptAt: iso(r.lastAttemptAt),
      nextAttemptAt: r.state === 'pending' && !delivering ? r.nextAttemptAt.toISOString() : null,
      deliveredAt: iso(r.deliveredAt),
      createdAt: r.createdAt.toISOString(),
    };
  });
}
